package clock

import (
	"sync"
	"time"
)

// Source tells simulated time; logic takes a Source instead of calling time.Now.
type Source interface {
	Now() time.Time
}

// Scaled is the running sandbox clock: State read against a real clock.
type Scaled struct {
	State State
	// Real is the real clock, time.Now in production.
	Real func() time.Time
}

// Now is the current simulated time.
func (c Scaled) Now() time.Time { return c.State.SimAt(c.Real()) }

// Since is the simulated time elapsed since sim.
func (c Scaled) Since(sim time.Time) time.Duration { return c.Now().Sub(sim) }

// Fake is a Source for tests that moves only when told.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake makes a fake clock showing now.
func NewFake(now time.Time) *Fake { return &Fake{now: now} }

// Now is the fake's current time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Set moves the fake to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}
