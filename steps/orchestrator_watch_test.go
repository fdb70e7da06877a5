package steps

import (
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

func TestWithRealTime(t *testing.T) {
	tests := []struct {
		name      string
		scale     float64
		simulated bool
		real      time.Duration
	}{
		{"real AWS", 1, false, 73 * time.Minute},
		{"no clock scale", 0, false, 73 * time.Minute},
		{"sandbox at 60x", 60, true, 73 * time.Second},
	}
	for _, tt := range tests {
		got := withRealTime(ResponseComplete{TimeToRespond: 73 * time.Minute}, tt.scale)
		if got.Simulated != tt.simulated || got.RealTimeToRespond != tt.real || got.TimeToRespond != 73*time.Minute {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

type fixedScaleClock struct{ scale float64 }

func (c fixedScaleClock) Scale() float64 { return c.scale }

func TestTimeScaleFromWatchClock(t *testing.T) {
	o := &Orchestrator{}
	if got := o.timeScale(); got != 1 {
		t.Errorf("no clock: scale %v, want 1", got)
	}
	o.opts.Watch.Clock = struct {
		fixedScaleClock
		probe.RealClock
	}{fixedScaleClock{120}, probe.RealClock{}}
	if got := o.timeScale(); got != 120 {
		t.Errorf("sandbox clock: scale %v, want 120", got)
	}
}

// The ETA is measured on the watch's clock (simulated in the sandbox), not
// against the wall clock.
func TestFindingETAUsesTheWatchClock(t *testing.T) {
	seen := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC) // far from the wall clock
	e, ok := translateIncident(probe.FindingETA{Likely: seen.Add(10 * time.Minute), Seen: seen})
	if !ok {
		t.Fatal("FindingETA not translated")
	}
	if got := e.(WaitingETA).ETA; got != 10*time.Minute {
		t.Errorf("ETA %v, want 10m", got)
	}
}
