package finding

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/internal/eventpattern"
)

var (
	t0       = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	listed   = netip.MustParseAddr("203.0.113.25")
	detector = Detector{ID: "12abc34d5e6f", Account: "123456789012", Region: "us-west-2", PublishingFrequency: "FIFTEEN_MINUTES"}
	instance = Instance{
		ID: "i-0abc1234def567890", Type: "t3.micro", ImageID: "ami-0123", LaunchTime: t0.Add(-time.Hour),
		AvailabilityZone: "us-west-2a",
		Interfaces: []Interface{{ID: "eni-1", PrivateIP: "10.0.1.12", PublicIP: "198.51.100.7", SubnetID: "subnet-1",
			VpcID: "vpc-1", SecurityGroups: []SecurityGroup{{ID: "sg-initial", Name: "initial-sg"}}}},
		Tags: map[string]string{"Name": "IAC-Tutorial: Compromised Instance", "Lab": "gdlab"},
	}
)

func TestParseTXT(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []string
		wantErr bool
	}{
		{"one ip", "203.0.113.25\n", []string{"203.0.113.25/32"}, false},
		{"no final newline, CRLF, blanks, comments", "# lab list\r\n\r\n203.0.113.25\r\n198.51.100.0/24", []string{"203.0.113.25/32", "198.51.100.0/24"}, false},
		{"cidr is masked", "198.51.100.7/24\n", []string{"198.51.100.0/24"}, false},
		{"ipv6", "2001:db8::1\n", []string{"2001:db8::1/128"}, false},
		{"bom", "\ufeff203.0.113.25\n", []string{"203.0.113.25/32"}, false},
		{"empty list", "", nil, false},
		{"hostname", "evil.example.com\n", nil, true},
		{"bad cidr", "203.0.113.0/33\n", nil, true},
		{"two per line", "203.0.113.1 203.0.113.2\n", nil, true},
		{"csv", "203.0.113.1,bad\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTXT([]byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i].String() != tt.want[i] {
					t.Errorf("entry %d = %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseTXTLimit(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i <= MaxListEntries; i++ {
		b.WriteString("203.0.113.25\n")
	}
	if _, err := ParseTXT(b.Bytes()); err == nil {
		t.Error("a list over the limit was accepted")
	}
}

func TestActivate(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		body    string
		readErr error
		status  string
	}{
		{"good list", "TXT", "203.0.113.25\n", nil, StatusActive},
		{"unreadable object", "TXT", "", errors.New("NoSuchKey"), StatusError},
		{"malformed", "TXT", "not an ip\n", nil, StatusError},
		{"other format", "STIX", "<stix/>", nil, StatusError},
	}
	for _, tt := range tests {
		set := Activate("MyThreatIntelSet", tt.format, []byte(tt.body), tt.readErr)
		if set.Status != tt.status || (set.Status == StatusError) == (set.Reason == "") {
			t.Errorf("%s: status %s reason %q, want %s", tt.name, set.Status, set.Reason, tt.status)
		}
	}
}

func TestMatchList(t *testing.T) {
	active := Activate("Active", "TXT", []byte("203.0.113.0/24\n10.0.0.0/8\n"), nil)
	broken := Activate("Broken", "TXT", []byte("x\n"), nil)
	inactive := active
	inactive.Name, inactive.Status = "Inactive", StatusInactive
	sets := []ThreatSet{broken, inactive, active}
	tests := []struct {
		ip       string
		wantName string
		wantOK   bool
	}{
		{"203.0.113.25", "Active", true},
		{"::ffff:203.0.113.25", "Active", true},
		{"198.51.100.1", "", false},
		{"10.1.2.3", "", false}, // listed, but private addresses are never matched
	}
	for _, tt := range tests {
		name, ok := MatchList(sets, netip.MustParseAddr(tt.ip))
		if name != tt.wantName || ok != tt.wantOK {
			t.Errorf("%s: %q %v, want %q %v", tt.ip, name, ok, tt.wantName, tt.wantOK)
		}
	}
	if _, ok := MatchList([]ThreatSet{inactive}, listed); ok {
		t.Error("an INACTIVE set matched")
	}
}

func eventOf(t *testing.T, detail map[string]any) []byte {
	t.Helper()
	ev, err := Event(detector.Account, detector.Region, "5f3b9c1e-0d2a-4c1b-9e7f-2a6d8b4c0e11", t0, detail)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// at reads a dot path from decoded JSON ("a.b.0.c").
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := int(k[0] - '0')
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestDetailSchema(t *testing.T) {
	f := Finding{ID: ID(detector.ID, instance.ID, listed, TypeEC2MaliciousIPCallerCustom), Type: TypeEC2MaliciousIPCallerCustom,
		Instance: instance, RemoteIP: listed, ThreatListName: "MyThreatIntelSet",
		FirstSeen: t0, LastSeen: t0.Add(7 * time.Minute), Count: 8,
		CreatedAt: t0.Add(5*time.Minute + 120*time.Millisecond), UpdatedAt: t0.Add(12 * time.Minute)}
	ev := eventOf(t, f.Detail(detector))
	var decoded map[string]any
	if err := json.Unmarshal(ev, &decoded); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"version": "0", "detail-type": "GuardDuty Finding", "source": "aws.guardduty", "account": "123456789012",
		"time": "2025-06-01T10:00:00Z", "region": "us-west-2",
		"detail.schemaVersion": "2.0", "detail.partition": "aws", "detail.type": TypeEC2MaliciousIPCallerCustom,
		"detail.severity": 5.0, "detail.createdAt": "2025-06-01T10:05:00.120Z", "detail.updatedAt": "2025-06-01T10:12:00.000Z",
		"detail.arn":                                                                   "arn:aws:guardduty:us-west-2:123456789012:detector/12abc34d5e6f/finding/" + f.ID,
		"detail.resource.resourceType":                                                 "Instance",
		"detail.resource.instanceDetails.instanceId":                                   "i-0abc1234def567890",
		"detail.resource.instanceDetails.instanceType":                                 "t3.micro",
		"detail.resource.instanceDetails.launchTime":                                   "2025-06-01T09:00:00.000Z",
		"detail.resource.instanceDetails.networkInterfaces.0.privateIpAddress":         "10.0.1.12",
		"detail.resource.instanceDetails.networkInterfaces.0.publicIp":                 "198.51.100.7",
		"detail.resource.instanceDetails.networkInterfaces.0.securityGroups.0.groupId": "sg-initial",
		"detail.resource.instanceDetails.tags.0.key":                                   "Lab",
		"detail.service.serviceName":                                                   "guardduty",
		"detail.service.detectorId":                                                    "12abc34d5e6f",
		"detail.service.action.actionType":                                             "NETWORK_CONNECTION",
		"detail.service.action.networkConnectionAction.connectionDirection":            "OUTBOUND",
		"detail.service.action.networkConnectionAction.protocol":                       "ICMP",
		"detail.service.action.networkConnectionAction.blocked":                        false,
		"detail.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4":    "203.0.113.25",
		"detail.service.action.networkConnectionAction.localIpDetails.ipAddressV4":     "10.0.1.12",
		"detail.service.evidence.threatIntelligenceDetails.0.threatListName":           "MyThreatIntelSet",
		"detail.service.additionalInfo.threatListName":                                 "MyThreatIntelSet",
		"detail.service.resourceRole":                                                  "TARGET",
		"detail.service.eventFirstSeen":                                                "2025-06-01T10:00:00Z",
		"detail.service.eventLastSeen":                                                 "2025-06-01T10:07:00Z",
		"detail.service.count":                                                         8.0,
		"detail.service.archived":                                                      false,
	}
	for path, w := range want {
		if got := at(decoded, path); got != w {
			t.Errorf("%s = %#v, want %#v", path, got, w)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(f.ID) {
		t.Errorf("id %q", f.ID)
	}
	// The lab's rule pattern and a severity filter match it.
	for _, p := range []string{
		`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}`,
		`{"detail":{"severity":[{"numeric":[">=",4]}]}}`,
	} {
		if ok, err := eventpattern.Matches([]byte(p), ev); err != nil || !ok {
			t.Errorf("pattern %s: %v %v", p, ok, err)
		}
	}
}

func TestTrackerTimeline(t *testing.T) {
	sets := []ThreatSet{Activate("MyThreatIntelSet", "TXT", []byte("203.0.113.25\n"), nil)}
	var tr Tracker
	const delay = 5 * time.Minute
	ping := func(min int) bool {
		return tr.Observe(Connection{Instance: instance, RemoteIP: listed, At: t0.Add(time.Duration(min) * time.Minute)}, sets, delay)
	}
	if tr.Observe(Connection{Instance: instance, RemoteIP: netip.MustParseAddr("198.51.100.1"), At: t0}, sets, delay) {
		t.Fatal("an unlisted address matched")
	}
	steps := []struct {
		pingAt    []int // minutes after t0 of new pings before advancing
		advanceTo int   // minutes after t0
		want      []string
	}{
		{[]int{0, 1, 2}, 4, nil},              // nothing due yet
		{nil, 5, []string{"new count=1"}},     // first ping processed: published at once
		{[]int{3, 4, 5, 6}, 12, nil},          // updates, but within 15 minutes of publication
		{nil, 20, []string{"update count=7"}}, // 15 minutes after: re-published with the new count
		{nil, 40, nil},                        // no new activity, no re-publication
		{[]int{40}, 50, nil},                  // processed at 45, next slot at 35+15 has passed? (published at 20 → due 35) → see below
	}
	steps[5].want = []string{"update count=8"}
	for i, s := range steps {
		for _, m := range s.pingAt {
			if !ping(m) {
				t.Fatalf("step %d: ping at %d did not match", i, m)
			}
		}
		pubs := tr.Advance(detector, t0.Add(time.Duration(s.advanceTo)*time.Minute))
		var got []string
		for _, p := range pubs {
			kind := "update"
			if p.New {
				kind = "new"
			}
			got = append(got, kind+" count="+itoa(p.Finding.Count))
		}
		if strings.Join(got, ",") != strings.Join(s.want, ",") {
			t.Errorf("step %d (advance to +%dm): got %v, want %v", i, s.advanceTo, got, s.want)
		}
	}
	if len(tr.Findings) != 1 {
		t.Fatalf("%d findings, want the same one updated", len(tr.Findings))
	}
	f := tr.Findings[0]
	if !f.FirstSeen.Equal(t0) || !f.LastSeen.Equal(t0.Add(40*time.Minute)) || !f.CreatedAt.Equal(t0.Add(delay)) {
		t.Errorf("first %v last %v created %v", f.FirstSeen, f.LastSeen, f.CreatedAt)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A persisted tracker continues where it stopped: no duplicate finding and no
// second "new" publication after a restart.
func TestTrackerSurvivesRestart(t *testing.T) {
	sets := []ThreatSet{Activate("L", "TXT", []byte("203.0.113.25\n"), nil)}
	var tr Tracker
	tr.Observe(Connection{Instance: instance, RemoteIP: listed, At: t0}, sets, time.Minute)
	if n := len(tr.Advance(detector, t0.Add(time.Minute))); n != 1 {
		t.Fatalf("%d publications", n)
	}
	tr.Observe(Connection{Instance: instance, RemoteIP: listed, At: t0.Add(2 * time.Minute)}, sets, time.Minute)
	data, err := json.Marshal(&tr)
	if err != nil {
		t.Fatal(err)
	}
	var back Tracker
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if at, ok := back.NextDue(detector); !ok || !at.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("NextDue = %v %v", at, ok)
	}
	if pubs := back.Advance(detector, t0.Add(4*time.Minute)); len(pubs) != 0 {
		t.Errorf("after restart published %v", pubs)
	}
	if len(back.Findings) != 1 || back.Findings[0].Count != 2 {
		t.Errorf("findings %+v", back.Findings)
	}
	if at, ok := back.NextDue(detector); !ok || !at.Equal(t0.Add(16*time.Minute)) {
		t.Errorf("NextDue after update = %v %v", at, ok)
	}
}

func TestRepublishEvery(t *testing.T) {
	for freq, want := range map[string]time.Duration{"FIFTEEN_MINUTES": 15 * time.Minute, "ONE_HOUR": time.Hour, "SIX_HOURS": 6 * time.Hour, "": 6 * time.Hour} {
		if got := (Detector{PublishingFrequency: freq}).RepublishEvery(); got != want {
			t.Errorf("%q: %v", freq, got)
		}
	}
}

func TestSample(t *testing.T) {
	for _, typ := range []string{TypeEC2MaliciousIPCallerCustom, "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"} {
		d := Sample(detector, typ, "0123456789abcdef0123456789abcdef", t0)
		var decoded map[string]any
		if err := json.Unmarshal(eventOf(t, d), &decoded); err != nil {
			t.Fatal(err)
		}
		if title, _ := at(decoded, "detail.title").(string); !strings.HasPrefix(title, "[SAMPLE] ") {
			t.Errorf("%s: title %q", typ, title)
		}
		if at(decoded, "detail.service.additionalInfo.sample") != true || at(decoded, "detail.type") != typ {
			t.Errorf("%s: not marked as sample", typ)
		}
	}
	d := Sample(detector, TypeEC2MaliciousIPCallerCustom, "x", t0)
	if got := at(d, "resource.instanceDetails.instanceId"); got != SampleInstanceID {
		t.Errorf("instance %v", got)
	}
}

func TestNewEventID(t *testing.T) {
	id, err := NewEventID(bytes.NewReader(make([]byte, 16)))
	if err != nil || id != "00000000-0000-4000-8000-000000000000" {
		t.Errorf("%q %v", id, err)
	}
	if _, err := NewEventID(bytes.NewReader(nil)); err == nil {
		t.Error("short reader accepted")
	}
	a, _ := NewEventID(nil)
	b, _ := NewEventID(nil)
	if a == b {
		t.Error("two random ids equal")
	}
}

func FuzzParseTXT(f *testing.F) {
	f.Add([]byte("203.0.113.25\n# c\n\n198.51.100.0/24\r\n"))
	f.Add([]byte("fe80::1%eth0\n"))
	f.Add([]byte("::ffff:1.2.3.4/120\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		prefixes, err := ParseTXT(body)
		if err != nil {
			return
		}
		for _, p := range prefixes {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("accepted %v", p)
			}
		}
	})
}

func BenchmarkMatchList(b *testing.B) {
	var body bytes.Buffer
	for i := 0; i < 10000; i++ {
		body.WriteString(netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)}).String() + "\n")
	}
	sets := []ThreatSet{Activate("big", "TXT", body.Bytes(), nil)}
	for b.Loop() {
		MatchList(sets, listed)
	}
}
