package transform

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The user guide's example event and input paths (eb-transform-target-input).
const docEvent = `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2015-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  "detail": {"instance-id": "i-0123456789", "state": "RUNNING"}
}`

var docPaths = map[string]string{"timestamp": "$.time", "instance": "$.detail.instance-id", "state": "$.detail.state"}

var docContext = Context{RuleName: "example", RuleARN: "arn:aws:events:us-east-2:123456789012:rule/example",
	IngestionTime: time.Date(2015, 11, 11, 21, 29, 55, 0, time.UTC)}

func TestDocumentationExamples(t *testing.T) {
	tests := []struct {
		name, template, want string
	}{
		{"simple string", `"instance <instance> is in <state>"`, `"instance i-0123456789 is in RUNNING"`},
		{"string with escaped quotes", `"instance \"<instance>\" is in <state>"`, `"instance \"i-0123456789\" is in RUNNING"`},
		{"simple JSON", "{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}", `{"instance":"i-0123456789","state":"RUNNING"}`},
		{"JSON with strings and variables", `{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \"<instance>\" is in <state>"}`,
			`{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}`},
		{"JSON with static information", `{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}`,
			`{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}`},
		{"reserved variables in JSON", `{"instance": <instance>, "ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>}`,
			`{"instance":"i-0123456789","ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example","ruleName":"example","at":"2015-11-11T21:29:55Z"}`},
		{"reserved variable in a string", `"<aws.events.rule-name> triggered"`, `"example triggered"`},
		{"missing path: the variable does not appear", `"instance <instance> was <missing>"`, `"instance i-0123456789 was "`},
		{"unknown placeholder stays", `"a <b> c"`, `"a <b> c"`},
		{"array index", `"<first>"`, `"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"`},
		{"object value inside a string is its JSON", `"d=<detail>"`, `"d={"instance-id":"i-0123456789","state":"RUNNING"}"`},
		{"whole event", `{"e": <aws.events.event.json>}`, ``},
	}
	paths := map[string]string{"missing": "$.detail.nothing", "first": "$.resources[0]", "detail": "$.detail"}
	for k, v := range docPaths {
		paths[k] = v
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Transformer{InputPaths: paths, InputTemplate: tt.template}.Compile()
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Apply([]byte(docEvent), docContext)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" { // whole event: check it is the event, as JSON
				var v struct{ E map[string]any }
				if err := json.Unmarshal([]byte(got), &v); err != nil || v.E["id"] != "7bf73129-1428-4cd3-a780-95db273d1602" || v.E["detail"] == nil {
					t.Errorf("got %s (%v)", got, err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEventWithoutDetail(t *testing.T) {
	c, _ := Transformer{InputTemplate: `{"original": <aws.events.event>}`}.Compile()
	got, _ := c.Apply([]byte(docEvent), docContext)
	var v struct{ Original map[string]any }
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatal(err)
	}
	if _, has := v.Original["detail"]; has || v.Original["source"] != "aws.ec2" {
		t.Errorf("got %s", got)
	}
}

func TestNumbersKeepTheirText(t *testing.T) {
	c, _ := Transformer{InputPaths: map[string]string{"sev": "$.detail.severity"}, InputTemplate: `"Severity: <sev>"`}.Compile()
	for event, want := range map[string]string{
		`{"detail":{"severity":5}}`:   `"Severity: 5"`,
		`{"detail":{"severity":5.0}}`: `"Severity: 5.0"`,
		`{"detail":{"severity":8.9}}`: `"Severity: 8.9"`,
	} {
		if got, _ := c.Apply([]byte(event), Context{}); got != want {
			t.Errorf("%s: got %s, want %s", event, got, want)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	many := map[string]string{}
	for i := 0; i <= MaxInputPaths; i++ {
		many["v"+strings.Repeat("x", i)] = "$.a"
	}
	tests := []struct {
		name string
		t    Transformer
	}{
		{"no template", Transformer{}},
		{"reserved prefix", Transformer{InputPaths: map[string]string{"AWSx": "$.a"}, InputTemplate: "x"}},
		{"bad name", Transformer{InputPaths: map[string]string{"a b": "$.a"}, InputTemplate: "x"}},
		{"bad path", Transformer{InputPaths: map[string]string{"a": "detail.x"}, InputTemplate: "x"}},
		{"too many", Transformer{InputPaths: many, InputTemplate: "x"}},
	}
	for _, tt := range tests {
		if _, err := tt.t.Compile(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestParsePath(t *testing.T) {
	event := map[string]any{"detail": map[string]any{"a-b": []any{map[string]any{"c/d": "x"}}, "n": nil}}
	tests := []struct {
		path   string
		want   any
		ok     bool
		badErr bool
	}{
		{"$.detail.a-b[0].c/d", "x", true, false},
		{"$.detail.n", nil, true, false},
		{"$.detail.a-b[1]", nil, false, false},
		{"$.detail.a-b.c", nil, false, false},
		{"$.nope", nil, false, false},
		{"$", event, true, false},
		{"detail", nil, false, true},
		{"$.", nil, false, true},
		{"$.a[", nil, false, true},
		{"$.a[-1]", nil, false, true},
		{"$.a[*]", nil, false, true},
		{"$.a..b", nil, false, true},
		{"$x", nil, false, true},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.path)
		if (err != nil) != tt.badErr {
			t.Errorf("%s: parse error %v", tt.path, err)
			continue
		}
		if err != nil {
			continue
		}
		got, ok := p.Lookup(event)
		if ok != tt.ok || (tt.path != "$" && got != tt.want) {
			t.Errorf("%s: got %v %v, want %v %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

func TestVariables(t *testing.T) {
	got := Variables(`"<a> <b.c> <a> < x> <aws.events.rule-name>"`)
	if strings.Join(got, ",") != "a,b.c,aws.events.rule-name" {
		t.Errorf("got %v", got)
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$", "$.detail.x", "$.a[0].b", "$.a[99999999999999999999]", "$.a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		p.Lookup(map[string]any{"a": []any{1}})
	})
}

func FuzzApply(f *testing.F) {
	f.Add(`{"i": <instance>, "s": "<state> \"<instance>\""}`, "$.detail.instance-id", docEvent)
	f.Add(`"<aws.events.event>" <x`, "$.resources[0]", `{"resources":["a"]}`)
	f.Fuzz(func(t *testing.T, template, path, event string) {
		c, err := Transformer{InputPaths: map[string]string{"instance": path, "state": "$.detail.state"}, InputTemplate: template}.Compile()
		if err != nil {
			return
		}
		_, _ = c.Apply([]byte(event), docContext)
	})
}

func BenchmarkApply(b *testing.B) {
	c, _ := Transformer{InputPaths: docPaths, InputTemplate: `{"instance" : <instance>, "state": "<state>", "s": "instance \"<instance>\" is in <state>"}`}.Compile()
	for b.Loop() {
		_, _ = c.Apply([]byte(docEvent), docContext)
	}
}
