package incident

import (
	"context"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// SimClock is the world's simulated clock as the probes' watch and the Lambda
// retries use it: Now is simulated time, Sleep waits simulated durations. It
// has the shape of probe.Clock without importing the probes.
type SimClock struct {
	w    *world.World
	real func() time.Time
}

// Now is the current simulated time.
func (c *SimClock) Now() time.Time { return c.w.Now() }

// Scale is how many simulated seconds pass per real second.
func (c *SimClock) Scale() float64 {
	var scale float64
	c.w.View(func(s *world.State) { scale = s.Clock.Scale })
	return scale
}

// Sleep waits until d of simulated time has passed or ctx ends. It re-reads
// the clock after waking, so a scale changed meanwhile is honoured.
func (c *SimClock) Sleep(ctx context.Context, d time.Duration) error {
	until := c.w.Now().Add(d)
	for {
		var left time.Duration
		c.w.View(func(s *world.State) {
			left = s.Clock.RealAt(until).Sub(c.real())
		})
		if left <= 0 {
			return ctx.Err()
		}
		// Wake at least every second to notice a rescaled clock.
		t := time.NewTimer(min(left, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
