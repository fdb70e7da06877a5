package clock

import (
	"encoding/json"
	"testing"
	"time"
)

var (
	realT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	simT0  = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
)

func TestConversions(t *testing.T) {
	s, err := New(realT0, simT0, DefaultScale)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		realStep time.Duration
		simStep  time.Duration
	}{
		{"zero", 0, 0},
		{"one real second is a simulated minute", time.Second, time.Minute},
		{"half a real minute is half a simulated hour", 30 * time.Second, 30 * time.Minute},
		{"before the anchor", -2 * time.Second, -2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.SimAt(realT0.Add(tt.realStep)); !got.Equal(simT0.Add(tt.simStep)) {
				t.Errorf("SimAt = %v, want %v", got, simT0.Add(tt.simStep))
			}
			if got := s.RealAt(simT0.Add(tt.simStep)); !got.Equal(realT0.Add(tt.realStep)) {
				t.Errorf("RealAt = %v, want %v", got, realT0.Add(tt.realStep))
			}
			if got := s.SimDuration(tt.realStep); got != tt.simStep {
				t.Errorf("SimDuration = %v, want %v", got, tt.simStep)
			}
			if got := s.RealDuration(tt.simStep); got != tt.realStep {
				t.Errorf("RealDuration = %v, want %v", got, tt.realStep)
			}
		})
	}
}

func TestNewRejectsBadScale(t *testing.T) {
	for _, scale := range []float64{0, -1} {
		if _, err := New(realT0, simT0, scale); err == nil {
			t.Errorf("scale %v accepted", scale)
		}
	}
}

func TestZeroScaleIsRealTime(t *testing.T) {
	s := State{RealStart: realT0, SimStart: simT0}
	if got := s.SimAt(realT0.Add(time.Minute)); !got.Equal(simT0.Add(time.Minute)) {
		t.Errorf("got %v", got)
	}
}

func TestRescaledKeepsTimeContinuous(t *testing.T) {
	s, _ := New(realT0, simT0, 60)
	at := realT0.Add(10 * time.Second) // simulated: +10m
	r, err := s.Rescaled(at, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !r.SimAt(at).Equal(s.SimAt(at)) {
		t.Fatalf("jump at the rescale: %v vs %v", r.SimAt(at), s.SimAt(at))
	}
	if got, want := r.SimAt(at.Add(time.Second)), simT0.Add(10*time.Minute+time.Second); !got.Equal(want) {
		t.Errorf("after rescale got %v, want %v", got, want)
	}
	if _, err := s.Rescaled(at, 0); err == nil {
		t.Error("rescale to 0 accepted")
	}
}

func TestStatePersists(t *testing.T) {
	s, _ := New(realT0, simT0, 120)
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	probe := realT0.Add(1234 * time.Millisecond)
	if !back.SimAt(probe).Equal(s.SimAt(probe)) {
		t.Errorf("decoded state disagrees: %s", data)
	}
}

func TestScaledAndFake(t *testing.T) {
	real := NewFake(realT0)
	s, _ := New(realT0, simT0, 60)
	c := Scaled{State: s, Real: real.Now}
	real.Advance(3 * time.Second)
	if got := c.Now(); !got.Equal(simT0.Add(3 * time.Minute)) {
		t.Errorf("Now = %v", got)
	}
	if got := c.Since(simT0); got != 3*time.Minute {
		t.Errorf("Since = %v", got)
	}
	real.Set(realT0)
	if got := c.Since(simT0); got != 0 {
		t.Errorf("after Set, Since = %v", got)
	}
}

func TestParseScale(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"60", 60, false},
		{"60x", 60, false},
		{" 2.5 ", 2.5, false},
		{"1m", 60, false},
		{"30s", 30, false},
		{"1h", 3600, false},
		{"0", 0, true},
		{"-5", 0, true},
		{"fast", 0, true},
		{"", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseScale(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseScale(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseScale(f *testing.F) {
	for _, s := range []string{"60", "1m", "x", "1e400", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scale, err := ParseScale(s)
		if err == nil && !(scale > 0) {
			t.Fatalf("ParseScale(%q) = %v without error", s, scale)
		}
	})
}

func BenchmarkSimAt(b *testing.B) {
	s, _ := New(realT0, simT0, 60)
	for i := 0; b.Loop(); i++ {
		_ = s.SimAt(realT0.Add(time.Duration(i)))
	}
}
