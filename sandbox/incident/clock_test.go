package incident

import (
	"context"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

func TestSimClockSleepsSimulatedTime(t *testing.T) {
	w, err := world.Open(t.TempDir(), "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SetClockScale(600); err != nil {
		t.Fatal(err)
	}
	c := &SimClock{w: w, real: time.Now}
	if c.Scale() != 600 {
		t.Fatalf("scale %v", c.Scale())
	}
	before := c.Now()
	if err := c.Sleep(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := c.Now().Sub(before); got < time.Minute {
		t.Errorf("slept %v of simulated time, want at least 1m", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Error("a cancelled sleep returned nil")
	}
	// The scale is persisted with the world.
	w2, err := world.Open(w.Dir()+"/../..", "")
	if err != nil {
		t.Fatal(err)
	}
	if s := (&SimClock{w: w2, real: time.Now}).Scale(); s != 600 {
		t.Errorf("reopened world runs at %v", s)
	}
}
