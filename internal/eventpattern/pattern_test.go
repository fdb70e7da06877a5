package eventpattern

import (
	"strings"
	"testing"
)

// stateChange is the EC2 state-change event EventBridge's content-filtering
// documentation uses for most of its examples, with fields added for the
// numeric, IP and null examples.
const stateChange = `{
  "version": "0",
  "id": "ddddd4-aaaa-7777-4444-345499999999",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2017-10-02T16:24:49Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"],
  "detail": {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.123",
    "instance-id": "i-02ebd4584a2ebd341",
    "state": "running",
    "FileName": "image.png",
    "responseElements": null,
    "empty": "",
    "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": "sec"}]
  }
}`

// finding is a GuardDuty finding event of the type the lab produces.
const finding = `{"version":"0","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012",
 "time":"2025-06-01T10:21:07Z","region":"us-west-2","resources":[],
 "detail":{"type":"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom","severity":5,
  "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abc1234def567890"}},
  "service":{"additionalInfo":{"threatListName":"gdlab"}}}}`

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		{"exact source", `{"source":["aws.ec2"]}`, stateChange, true},
		{"exact source differs", `{"source":["aws.s3"]}`, stateChange, false},
		{"one of several values", `{"source":["aws.s3","aws.ec2"]}`, stateChange, true},
		{"exact is case sensitive", `{"detail":{"state":["RUNNING"]}}`, stateChange, false},
		{"nested exact", `{"detail-type":["EC2 Instance State-change Notification"],"detail":{"state":["running"]}}`, stateChange, true},
		{"missing field fails exact", `{"detail":{"nope":["x"]}}`, stateChange, false},
		{"array value matches any element", `{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341","arn:other"]}`, stateChange, true},
		{"array value none matches", `{"resources":["arn:other"]}`, stateChange, false},
		{"prefix", `{"time":[{"prefix":"2017-10-02"}]}`, stateChange, true},
		{"prefix not", `{"time":[{"prefix":"2018"}]}`, stateChange, false},
		{"prefix ignore case", `{"detail":{"state":[{"prefix":{"equals-ignore-case":"RUN"}}]}}`, stateChange, true},
		{"suffix", `{"detail":{"FileName":[{"suffix":".png"}]}}`, stateChange, true},
		{"suffix not", `{"detail":{"FileName":[{"suffix":".jpg"}]}}`, stateChange, false},
		{"equals-ignore-case", `{"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]}`, stateChange, true},
		{"wildcard", `{"resources":[{"wildcard":"arn:aws:ec2:*:instance/i-*"}]}`, stateChange, true},
		{"wildcard not", `{"resources":[{"wildcard":"arn:aws:s3:*"}]}`, stateChange, false},
		{"anything-but string", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, stateChange, true},
		{"anything-but string excluded", `{"detail":{"state":[{"anything-but":"running"}]}}`, stateChange, false},
		{"anything-but number", `{"detail":{"x-limit":[{"anything-but":123}]}}`, stateChange, true},
		{"anything-but list", `{"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}`, stateChange, true},
		{"anything-but list excluded", `{"detail":{"state":[{"anything-but":["stopped","running"]}]}}`, stateChange, false},
		{"anything-but prefix", `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, stateChange, true},
		{"anything-but prefix excluded", `{"detail":{"state":[{"anything-but":{"prefix":"run"}}]}}`, stateChange, false},
		{"anything-but suffix excluded", `{"detail":{"FileName":[{"anything-but":{"suffix":".png"}}]}}`, stateChange, false},
		{"anything-but equals-ignore-case", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":["RUNNING"]}}]}}`, stateChange, false},
		{"anything-but missing field", `{"detail":{"nope":[{"anything-but":"x"}]}}`, stateChange, false},
		{"numeric ranges", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",3.018e2]}]}}`, stateChange, true},
		{"numeric out of range", `{"detail":{"c-count":[{"numeric":[">",5]}]}}`, stateChange, false},
		{"numeric on a string", `{"detail":{"state":[{"numeric":[">",0]}]}}`, stateChange, false},
		{"exact number", `{"detail":{"c-count":[5]}}`, stateChange, true},
		{"exact number in another notation", `{"detail":{"c-count":[5.0]}}`, stateChange, true},
		{"number does not equal string", `{"detail":{"c-count":["5"]}}`, stateChange, false},
		{"cidr", `{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}`, stateChange, true},
		{"cidr outside", `{"detail":{"source-ip":[{"cidr":"10.0.1.0/24"}]}}`, stateChange, false},
		{"exists true", `{"detail":{"state":[{"exists":true}]}}`, stateChange, true},
		{"exists false on absent", `{"detail":{"nope":[{"exists":false}]}}`, stateChange, true},
		{"exists false on present", `{"detail":{"state":[{"exists":false}]}}`, stateChange, false},
		{"exists true on absent", `{"detail":{"nope":[{"exists":true}]}}`, stateChange, false},
		{"exists only on leaves", `{"detail":[{"exists":true}]}`, stateChange, false},
		{"null matches null", `{"detail":{"responseElements":[null]}}`, stateChange, true},
		{"null does not match missing", `{"detail":{"nope":[null]}}`, stateChange, false},
		{"empty string", `{"detail":{"empty":[""]}}`, stateChange, true},
		{"array of objects", `{"detail":{"tags":{"key":["team"]}}}`, stateChange, true},
		{"array of objects none", `{"detail":{"tags":{"key":["owner"]}}}`, stateChange, false},
		{"$or one branch", `{"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"d-count":[{"numeric":["<",10]}]}]}}`, stateChange, true},
		{"$or no branch", `{"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"state":["stopped"]}]}}`, stateChange, false},
		{"$or at top with other field", `{"source":["aws.ec2"],"$or":[{"region":["us-west-2"]},{"account":["123456789012"]}]}`, stateChange, true},
		{"all fields must match", `{"source":["aws.ec2"],"detail":{"state":["stopped"]}}`, stateChange, false},
		{"empty pattern matches all", `{}`, stateChange, true},
		// The lab's rule, as aws-lab-facts.md §3 gives it.
		{"lab rule", `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}`, finding, true},
		{"lab rule with severity", `{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",4]}]}}`, finding, true},
		{"lab rule mistyped", `{"source":["aws.guardduty"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller"]}}`, finding, false},
		{"lab rule IAM type only", `{"detail":{"type":["UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"]}}`, finding, false},
		{"lab rule by prefix", `{"detail":{"type":[{"prefix":"UnauthorizedAccess:EC2/"}]}}`, finding, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Matches([]byte(tt.pattern), []byte(tt.event))
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Errorf("pattern %s: got %v, want %v", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestCompileRejects(t *testing.T) {
	tests := []struct {
		name, pattern, wantErr string
	}{
		{"not JSON", `{`, "not valid JSON"},
		{"not an object", `["aws.ec2"]`, "must be a JSON object"},
		{"scalar value", `{"source":"aws.ec2"}`, "must be a list"},
		{"empty list", `{"source":[]}`, "empty list"},
		{"unknown operator", `{"source":[{"startswith":"aws"}]}`, "unknown operator"},
		{"two operators", `{"source":[{"prefix":"a","suffix":"b"}]}`, "exactly one operator"},
		{"numeric odd", `{"n":[{"numeric":[">"]}]}`, "operator-number pairs"},
		{"numeric bad op", `{"n":[{"numeric":["!=",1]}]}`, "unknown numeric operator"},
		{"numeric not number", `{"n":[{"numeric":[">","1"]}]}`, "needs a number"},
		{"exists not bool", `{"n":[{"exists":"yes"}]}`, "true or false"},
		{"bad cidr", `{"ip":[{"cidr":"10.0.0.0/99"}]}`, "cidr"},
		{"or with one branch", `{"$or":[{"a":["b"]}]}`, "at least two"},
		{"anything-but object list", `{"a":[{"anything-but":[{"prefix":"x"}]}]}`, "strings or numbers"},
		{"nested list", `{"a":[["b"]]}`, "cannot be a list"},
		{"trailing data", `{} {}`, "trailing data"},
		{"double star", `{"a":[{"wildcard":"a**b"}]}`, "consecutive stars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.pattern))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Compile(%s) error = %v, want one containing %q", tt.pattern, err, tt.wantErr)
			}
		})
	}
}

func TestMatchRejectsBadEvents(t *testing.T) {
	p := MustCompile(`{"source":["x"]}`)
	for _, event := range []string{``, `[]`, `"x"`, `{"a":`} {
		if _, err := p.Match([]byte(event)); err == nil {
			t.Errorf("Match(%q) accepted a non-object event", event)
		}
	}
	deep := strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200)
	if _, err := p.Match([]byte(deep)); err == nil {
		t.Error("Match accepted an event nested 200 levels deep")
	}
	if _, err := Compile([]byte(deep)); err == nil {
		t.Error("Compile accepted a pattern nested 200 levels deep")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add(`{"source":["aws.guardduty"],"detail":{"type":[{"prefix":"Unauth"}]}}`, finding)
	f.Add(`{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"state":[{"anything-but":{"prefix":"x"}}]}]}}`, stateChange)
	f.Add(`{"a":[{"wildcard":"*\\**"}],"b":[{"cidr":"::/0"}],"c":[{"exists":false}]}`, `{"a":"x*y","b":"::1"}`)
	f.Add(`{"a":[null,true,1e400]}`, `{"a":[[null]]}`)
	f.Fuzz(func(t *testing.T, pattern, event string) {
		p, err := Compile([]byte(pattern))
		if err != nil {
			return
		}
		first, err := p.Match([]byte(event))
		if err != nil {
			return
		}
		// Matching is a pure function of its inputs.
		if again, _ := p.Match([]byte(event)); again != first {
			t.Fatalf("Match is not deterministic for %s / %s", pattern, event)
		}
	})
}

func TestMatchWildcard(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"ec2:*", "ec2:ModifyInstanceAttribute", true},
		{"ec2:Describe*", "ec2:ModifyInstanceAttribute", false},
		{"arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1", true},
		{"*", "", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	}
	for _, tt := range tests {
		if got := MatchWildcard(tt.pattern, tt.s); got != tt.want {
			t.Errorf("MatchWildcard(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
