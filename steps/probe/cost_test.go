package probe

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestEstimateCost(t *testing.T) {
	since := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		step    int
		managed bool
		elapsed time.Duration
		want    float64
		label   string
		note    string
	}{
		{"nothing deployed", 1, true, 5 * time.Hour, 0, "est. $0.00", ""},
		{"two hours of step 2", 2, true, 2 * time.Hour, 2 * (2*0.0104 + 2*0.005), "est. $0.06", ""},
		{"a day with our detector", 9, true, 24 * time.Hour, 24 * (2*0.0104 + 2*0.005), "est. $0.74", "free trial"},
		{"reused detector", 9, false, time.Hour, 2*0.0104 + 2*0.005, "est. $0.03", "already runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est := EstimateCost(FootprintForStep(tt.step, tt.managed), since, since.Add(tt.elapsed), DefaultPrices)
			if math.Abs(est.Dollars-tt.want) > 1e-9 {
				t.Errorf("dollars = %v, want %v", est.Dollars, tt.want)
			}
			if est.String() != tt.label {
				t.Errorf("label = %q, want %q", est.String(), tt.label)
			}
			if !strings.Contains(est.GuardDutyNote, tt.note) {
				t.Errorf("note = %q, want it to mention %q", est.GuardDutyNote, tt.note)
			}
		})
	}
}
