package beacon

import (
	"encoding/base64"
	"io/fs"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/gdlab-dev/gdlab/terraform/lab"
)

// renderLabUserData renders the lab's real template as terraform's
// templatefile would.
func renderLabUserData(t *testing.T, target string, interval, count int64) string {
	t.Helper()
	const path = "modules/compute/templates/compromised_user_data.sh.tftpl"
	src, err := fs.ReadFile(lab.Files, path)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, diags := hclsyntax.ParseTemplate(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	out, diags := tmpl.Value(&hcl.EvalContext{Variables: map[string]cty.Value{
		"target_ip":        cty.StringVal(target),
		"interval_seconds": cty.NumberIntVal(interval),
		"ping_count":       cty.NumberIntVal(count),
	}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return out.AsString()
}

func TestParseLabUserData(t *testing.T) {
	ud := renderLabUserData(t, "203.0.113.25", 60, 6)
	want := Config{Target: netip.MustParseAddr("203.0.113.25"), Interval: time.Minute, Count: 6, Spacing: 2 * time.Second}
	for name, text := range map[string]string{
		"clear":  ud,
		"base64": base64.StdEncoding.EncodeToString([]byte(ud)),
	} {
		got, err := ParseUserData(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func TestParseUserDataErrors(t *testing.T) {
	good := "BEACON_TARGET=203.0.113.25\nBEACON_INTERVAL_SECONDS=60\nBEACON_PING_COUNT=6\nBEACON_PING_SPACING_SECONDS=2\n"
	tests := []struct {
		name, userData, wantErr string
	}{
		{"other instance", "#!/bin/bash\ndnf install -y nginx\n", "no BEACON_*"},
		{"unrendered", strings.Replace(good, "203.0.113.25", "${target_ip}", 1), "not an IP"},
		{"zero interval", strings.Replace(good, "=60", "=0", 1), "BEACON_INTERVAL_SECONDS"},
		{"huge interval", strings.Replace(good, "=60", "=99999999999", 1), "BEACON_INTERVAL_SECONDS"},
		{"no count", strings.Replace(good, "BEACON_PING_COUNT=6\n", "", 1), "lacks BEACON_PING_COUNT"},
		{"bad spacing", strings.Replace(good, "SECONDS=2", "SECONDS=two", 1), "BEACON_PING_SPACING_SECONDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseUserData(tt.userData)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseDefaultsSpacingLikePing(t *testing.T) {
	cfg, err := ParseUserData("BEACON_TARGET=198.51.100.9\nBEACON_INTERVAL_SECONDS=30\nBEACON_PING_COUNT=1\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Spacing != time.Second {
		t.Errorf("spacing %v, want ping's default 1s", cfg.Spacing)
	}
}

var launch = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func TestPings(t *testing.T) {
	labCfg := Config{Target: netip.MustParseAddr("203.0.113.25"), Interval: time.Minute, Count: 3, Spacing: 2 * time.Second}
	first := FirstRun(launch, 50*time.Second) // 10:01:00
	at := func(min, sec int) time.Time {
		return launch.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
	}
	tests := []struct {
		name     string
		cfg      Config
		from, to time.Time
		want     []Ping
	}{
		{"before boot", labCfg, launch, at(1, 0), nil},
		{"first run", labCfg, launch, at(1, 30), []Ping{{0, 1, at(1, 0)}, {0, 2, at(1, 2)}, {0, 3, at(1, 4)}}},
		{"window cuts a run", labCfg, at(2, 1), at(3, 3), []Ping{{1, 2, at(2, 2)}, {1, 3, at(2, 4)}, {2, 1, at(3, 0)}, {2, 2, at(3, 2)}}},
		{"end is exclusive", labCfg, at(5, 0), at(5, 2), []Ping{{4, 1, at(5, 0)}}},
		{"empty window", labCfg, at(5, 0), at(5, 0), nil},
		{"overlapping runs skipped", Config{Interval: 10 * time.Second, Count: 3, Spacing: 6 * time.Second}, at(1, 0), at(1, 25),
			[]Ping{{0, 1, at(1, 0)}, {0, 2, at(1, 6)}, {0, 3, at(1, 12)}, {1, 1, at(1, 20)}}},
		{"invalid config", Config{}, launch, at(9, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Pings(first, tt.from, tt.to)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d pings %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i].Run != tt.want[i].Run || got[i].Seq != tt.want[i].Seq || !got[i].At.Equal(tt.want[i].At) {
					t.Errorf("ping %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// Splitting a window must neither lose nor repeat pings: the world asks for
// consecutive windows as the clock advances.
func TestPingsWindowsPartition(t *testing.T) {
	cfg := Config{Interval: time.Minute, Count: 6, Spacing: 2 * time.Second}
	first := FirstRun(launch, 0)
	whole := cfg.Pings(first, launch, launch.Add(time.Hour))
	var pieces int
	for from := launch; from.Before(launch.Add(time.Hour)); from = from.Add(7 * time.Second) {
		pieces += len(cfg.Pings(first, from, from.Add(7*time.Second)))
	}
	if pieces != len(whole) || len(whole) != 60*6 {
		t.Errorf("whole hour %d pings, pieces %d, want 360", len(whole), pieces)
	}
}

func FuzzParseUserData(f *testing.F) {
	f.Add("BEACON_TARGET=203.0.113.25\nBEACON_INTERVAL_SECONDS=60\nBEACON_PING_COUNT=6\nBEACON_PING_SPACING_SECONDS=2\n")
	f.Add("BEACON_TARGET=::ffff:1.2.3.4\nBEACON_INTERVAL_SECONDS=1\nBEACON_PING_COUNT=1\n")
	f.Add("QkVBQ09OX1RBUkdFVD0xLjIuMy40")
	f.Fuzz(func(t *testing.T, userData string) {
		cfg, err := ParseUserData(userData)
		if err != nil {
			return
		}
		if !cfg.Target.IsValid() || cfg.Interval <= 0 || cfg.Count < 1 || cfg.Spacing <= 0 {
			t.Fatalf("accepted invalid config %+v", cfg)
		}
		// Whatever it accepts must schedule without hanging or panicking.
		_ = cfg.Pings(launch, launch, launch.Add(10*time.Minute))
	})
}

func BenchmarkPingsHour(b *testing.B) {
	cfg := Config{Interval: time.Minute, Count: 6, Spacing: 2 * time.Second}
	for b.Loop() {
		_ = cfg.Pings(launch, launch.Add(24*time.Hour), launch.Add(25*time.Hour))
	}
}
