package steps

import (
	"time"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

// costPerHour is the header's estimate of what the lab's running resources
// cost per hour, from the probe's price table. The sandbox costs nothing.
// Callers hold o.mu.
func (o *Orchestrator) costPerHour() float64 {
	if o.target.Kind == TargetSandbox {
		return 0
	}
	highest := 0
	for n := 2; n < LastLabStep; n++ {
		if s := o.journal.Steps[n].State; s == StateApplied || s == StateChecked {
			highest = n
		}
	}
	if highest == 0 {
		return 0
	}
	return HourlyCost(highest, o.journal.ExistingDetectorID == "", time.Now()).Dollars
}

// HourlyCost is the estimate for one hour of the lab as built up to step
// highest (the header's and `gdlab status`'s "$/h").
func HourlyCost(highest int, detectorManaged bool, now time.Time) probe.CostEstimate {
	return probe.EstimateCost(probe.FootprintForStep(highest, detectorManaged), now.Add(-time.Hour), now, probe.DefaultPrices)
}
