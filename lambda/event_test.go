package lambda

import (
	"encoding/json"
	"os"
	"testing"
)

func readEvent(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeFindingEvent(t *testing.T) {
	ev, err := DecodeFindingEvent(readEvent(t, "finding_event.json"))
	if err != nil {
		t.Fatal(err)
	}
	f := ev.Detail
	checks := []struct{ name, got, want string }{
		{"source", ev.Source, FindingSource},
		{"detail-type", ev.DetailType, FindingDetailType},
		{"finding id", f.ID, "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4"},
		{"type", f.Type, "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"},
		{"instance", f.InstanceID(), "i-0abc1234def567890"},
		{"remote ip", f.RemoteIP(), "203.0.113.25"},
		{"severity", f.SeverityLabel(), "Medium"},
		{"group", f.Resource.InstanceDetails.NetworkInterfaces[0].SecurityGroups[0].GroupID, "sg-0aaa1111bbbb2222c"},
		{"threat list", f.Service.Evidence.ThreatIntelligenceDetails[0].ThreatListName, "MyThreatIntelSet"},
		{"additionalInfo list", f.Service.AdditionalInfo.ThreatListName, "MyThreatIntelSet"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if f.Service.AdditionalInfo.Sample || f.Service.Count != 8 {
		t.Errorf("sample=%v count=%d, want false 8", f.Service.AdditionalInfo.Sample, f.Service.Count)
	}

	// A decoded event encodes and decodes to the same value.
	again, _ := json.Marshal(ev)
	ev2, err := DecodeFindingEvent(again)
	if err != nil || ev2.Detail.ID != f.ID || ev2.Detail.InstanceID() != f.InstanceID() {
		t.Errorf("round trip: %v, %+v", err, ev2.Detail)
	}
}

func TestDecodeFindingEventRejects(t *testing.T) {
	for _, in := range []string{``, `nul`, `[]`, `"x"`, `{"detail":[]}`, `{"detail":{"severity":"high"}}`, `{"detail":{"service":{"additionalInfo":[1]}}}`} {
		if _, err := DecodeFindingEvent([]byte(in)); err == nil {
			t.Errorf("DecodeFindingEvent(%q) succeeded, want an error", in)
		}
	}
}

func TestAdditionalInfoSampleFlag(t *testing.T) {
	cases := map[string]bool{
		`{"sample":true}`:             true,
		`{"sample":"true"}`:           true,
		`{"sample":false}`:            false,
		`{"sample":"false"}`:          false,
		`{"sample":1}`:                false,
		`{"sample":null}`:             false,
		`{}`:                          false,
		`{"threatListName":7,"x":[]}`: false,
	}
	for in, want := range cases {
		var a AdditionalInfo
		if err := json.Unmarshal([]byte(in), &a); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if a.Sample != want {
			t.Errorf("%s: sample = %v, want %v", in, a.Sample, want)
		}
	}
}

func TestSeverityLabel(t *testing.T) {
	cases := []struct {
		sev  float64
		want string
	}{{0, "Unknown"}, {1, "Low"}, {3.9, "Low"}, {4, "Medium"}, {6.9, "Medium"}, {7, "High"}, {8.9, "High"}, {9, "Critical"}, {10, "Critical"}}
	for _, c := range cases {
		if got := (Finding{Severity: c.sev}).SeverityLabel(); got != c.want {
			t.Errorf("severity %v: %q, want %q", c.sev, got, c.want)
		}
	}
}
