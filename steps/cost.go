package steps

// costPerHour is the header's running estimate; filled from the probe's
// price table once the lab has resources.
func (o *Orchestrator) costPerHour() float64 {
	if o.target.Kind == TargetSandbox {
		return 0
	}
	return 0
}
