package flowlog

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	local  = netip.MustParseAddr("10.0.1.12")
	remote = netip.MustParseAddr("203.0.113.25")
	t0     = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
)

func acceptAll(Packet) Action { return Accept }
func rejectAll(Packet) Action { return Reject }

func TestRecordString(t *testing.T) {
	r := Record{AccountID: "123456789012", InterfaceID: "eni-0a1b2c3d", SrcAddr: local, DstAddr: remote,
		Protocol: ProtocolICMP, Packets: 6, Bytes: 504, Start: t0, End: t0.Add(10 * time.Second), Action: Accept}
	want := "2 123456789012 eni-0a1b2c3d 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772000 1748772010 ACCEPT OK"
	if got := r.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	back, err := ParseRecord(want)
	if err != nil || back.String() != want {
		t.Errorf("round trip: %v %v", back, err)
	}
}

func TestEcho(t *testing.T) {
	tests := []struct {
		name    string
		answers bool
		decide  Decide
		want    int
	}{
		{"accepted and answered", true, acceptAll, 2},
		{"accepted, remote silent", false, acceptAll, 1},
		{"rejected: no reply", true, rejectAll, 1},
	}
	for _, tt := range tests {
		if got := Echo(t0, local, remote, tt.answers, tt.decide); len(got) != tt.want {
			t.Errorf("%s: %d packets, want %d", tt.name, len(got), tt.want)
		}
	}
}

func TestAggregate(t *testing.T) {
	// Six pings two seconds apart, then the instance is isolated at +5m and
	// six more pings are rejected.
	isolated := t0.Add(5 * time.Minute)
	decide := func(p Packet) Action {
		if p.At.Before(isolated) {
			return Accept
		}
		return Reject
	}
	var packets []Packet
	for _, run := range []time.Time{t0, isolated.Add(30 * time.Second)} {
		for i := 0; i < 6; i++ {
			packets = append(packets, Echo(run.Add(time.Duration(2*i)*time.Second), local, remote, true, decide)...)
		}
	}
	tests := []struct {
		name     string
		interval time.Duration
		want     []string
	}{
		{"600s windows", IntervalDefault, []string{
			"2 123456789012 eni-1 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772000 1748772010 ACCEPT OK",
			"2 123456789012 eni-1 203.0.113.25 10.0.1.12 0 0 1 6 504 1748772000 1748772010 ACCEPT OK",
			"2 123456789012 eni-1 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772330 1748772340 REJECT OK",
		}},
		{"60s windows", IntervalMinute, []string{
			"2 123456789012 eni-1 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772000 1748772010 ACCEPT OK",
			"2 123456789012 eni-1 203.0.113.25 10.0.1.12 0 0 1 6 504 1748772000 1748772010 ACCEPT OK",
			"2 123456789012 eni-1 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772330 1748772340 REJECT OK",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Aggregate("123456789012", "eni-1", packets, tt.interval, decide)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d records: %v", len(got), got)
			}
			for i := range got {
				if got[i].String() != tt.want[i] {
					t.Errorf("record %d\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestAggregateSplitsAtWindowBoundary(t *testing.T) {
	packets := []Packet{
		{At: t0.Add(59 * time.Second), Src: local, Dst: remote, Protocol: ProtocolICMP, Bytes: 84},
		{At: t0.Add(61 * time.Second), Src: local, Dst: remote, Protocol: ProtocolICMP, Bytes: 84},
	}
	if n := len(Aggregate("a", "eni", packets, IntervalMinute, acceptAll)); n != 2 {
		t.Errorf("60s windows: %d records, want 2", n)
	}
	if n := len(Aggregate("a", "eni", packets, 0, acceptAll)); n != 1 {
		t.Errorf("600s windows: %d records, want 1", n)
	}
	if got := WindowEnd(t0.Add(61*time.Second), IntervalMinute); !got.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("WindowEnd = %v", got)
	}
}

func TestBuildFile(t *testing.T) {
	d := Destination{Bucket: "lab-flow-logs", Account: "123456789012", Region: "us-west-2", FlowLogID: "fl-0123456789abcdef0"}
	recs := Aggregate("123456789012", "eni-1", Echo(t0, local, remote, true, acceptAll), 0, acceptAll)
	f, err := d.BuildFile(t0.Add(10*time.Minute), recs)
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`^AWSLogs/123456789012/vpcflowlogs/us-west-2/2025/06/01/123456789012_vpcflowlogs_us-west-2_fl-0123456789abcdef0_20250601T1010Z_[0-9a-f]{8}\.log\.gz$`)
	if !key.MatchString(f.Key) {
		t.Errorf("key %s", f.Key)
	}
	if f.Body[0] != 0x1f || f.Body[1] != 0x8b {
		t.Error("body is not gzip")
	}
	back, err := ReadFile(f.Body)
	if err != nil || len(back) != 2 || back[0].String() != recs[0].String() {
		t.Errorf("read back %v, %v", back, err)
	}
	again, _ := d.BuildFile(t0.Add(10*time.Minute), recs)
	if again.Key != f.Key {
		t.Error("same records, different key")
	}
	d.Prefix = "/flows/"
	if k := d.ObjectKey(t0, "abcd1234"); !strings.HasPrefix(k, "flows/AWSLogs/") {
		t.Errorf("prefixed key %s", k)
	}
}

func TestParseDestinationARN(t *testing.T) {
	tests := []struct {
		arn, bucket, prefix string
		ok                  bool
	}{
		{"arn:aws:s3:::lab-flows", "lab-flows", "", true},
		{"arn:aws:s3:::lab-flows/vpc/", "lab-flows", "vpc", true},
		{"arn:aws:logs:us-west-2:1:log-group:x", "", "", false},
		{"arn:aws:s3:::", "", "", false},
	}
	for _, tt := range tests {
		b, p, err := ParseDestinationARN(tt.arn)
		if (err == nil) != tt.ok || b != tt.bucket || p != tt.prefix {
			t.Errorf("%s: %q %q %v", tt.arn, b, p, err)
		}
	}
}

func TestParseRecordRejects(t *testing.T) {
	for _, line := range []string{
		Header,
		"3 1 eni 10.0.0.1 10.0.0.2 0 0 1 1 84 1 2 ACCEPT OK",
		"2 1 eni 10.0.0.1 10.0.0.2 0 70000 1 1 84 1 2 ACCEPT OK",
		"2 1 eni 10.0.0.1 10.0.0.2 0 0 1 1 84 1 2 MAYBE OK",
	} {
		if _, err := ParseRecord(line); err == nil {
			t.Errorf("accepted %q", line)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add("2 123456789012 eni-1 10.0.1.12 203.0.113.25 0 0 1 6 504 1748772000 1748772010 ACCEPT OK")
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseRecord(line)
		if err != nil {
			return
		}
		again, err := ParseRecord(r.String())
		if err != nil || again.String() != r.String() {
			t.Fatalf("%q → %q does not round-trip: %v", line, r.String(), err)
		}
	})
}

func BenchmarkAggregateHour(b *testing.B) {
	var packets []Packet
	for i := 0; i < 360; i++ {
		packets = append(packets, Echo(t0.Add(time.Duration(i)*10*time.Second), local, remote, true, acceptAll)...)
	}
	for b.Loop() {
		_ = Aggregate("123456789012", "eni-1", packets, 0, acceptAll)
	}
}
