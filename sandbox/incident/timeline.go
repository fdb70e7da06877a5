package incident

import "time"

// Milestone is one step of the incident as it happened, with both clocks, so
// the timeline can show real and simulated durations.
type Milestone struct {
	Name   string    `json:"name"`
	Detail string    `json:"detail,omitempty"`
	Sim    time.Time `json:"sim"`
	Real   time.Time `json:"real"`
}

// Timeline is what this engine has seen happen so far, in order. Each kind of
// milestone is recorded once per subject (the first time it happens).
func (e *Engine) Timeline() []Milestone {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Milestone(nil), e.timeline...)
}

// mark records a milestone the first time name+detail happens. It reads the
// world's clock, so it must not be called inside an Update (use markAt).
func (e *Engine) mark(name, detail string) { e.markAt(name, detail, e.w.Now()) }

// markAt records a milestone at a known simulated time.
func (e *Engine) markAt(name, detail string, sim time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := name + "\x00" + detail
	if e.milestone[key] {
		return
	}
	e.milestone[key] = true
	e.timeline = append(e.timeline, Milestone{Name: name, Detail: detail, Sim: sim, Real: time.Now()})
	e.log.Info("sandbox incident: "+name, "detail", detail, "simulated", sim.UTC().Format(time.RFC3339))
}
