package world

import "time"

// Clock is the sandbox's simulated time: from SimAnchor it runs Scale times as
// fast as the real clock does from RealAnchor. Part 2 of the sandbox compresses
// the incident by raising Scale; part 1 keeps it at 1 (simulated = real).
type Clock struct {
	Scale      float64   `json:"scale"`
	RealAnchor time.Time `json:"real_anchor"`
	SimAnchor  time.Time `json:"sim_anchor"`
}

// At is the simulated time at a real instant.
func (c Clock) At(real time.Time) time.Time {
	elapsed := real.Sub(c.RealAnchor)
	return c.SimAnchor.Add(time.Duration(float64(elapsed) * c.Scale))
}

// Rescaled re-anchors the clock at real so that simulated time stays continuous
// and runs at scale from now on.
func (c Clock) Rescaled(real time.Time, scale float64) Clock {
	return Clock{Scale: scale, RealAnchor: real, SimAnchor: c.At(real)}
}
