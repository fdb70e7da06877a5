// Package clock models the sandbox's compressed time: simulated time runs Scale
// times as fast as real time from an anchor, so an incident that takes half an
// hour in AWS plays out in seconds. AWS has no such thing; everything in the
// sandbox that AWS would time-stamp uses this clock's simulated time.
//
// State is plain data (JSON) so the world can persist it and a restarted
// gdlab continues the same timeline. The real clock is always injected.
package clock

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultScale is one simulated minute per real second.
const DefaultScale = 60

// State anchors simulated time to real time: at RealStart the simulated time
// was SimStart, and from then on it advances Scale times as fast.
//
// The JSON names are those world.json has always used for its clock.
type State struct {
	RealStart time.Time `json:"real_anchor"`
	SimStart  time.Time `json:"sim_anchor"`
	Scale     float64   `json:"scale"`
}

// New starts a timeline at real instant realNow showing simStart.
func New(realNow, simStart time.Time, scale float64) (State, error) {
	if err := checkScale(scale); err != nil {
		return State{}, err
	}
	return State{RealStart: realNow, SimStart: simStart, Scale: scale}, nil
}

func checkScale(scale float64) error {
	if math.IsNaN(scale) || math.IsInf(scale, 0) || scale <= 0 {
		return fmt.Errorf("time scale must be a positive number, got %v", scale)
	}
	return nil
}

// SimAt is the simulated time at a real instant.
func (s State) SimAt(real time.Time) time.Time {
	return s.SimStart.Add(s.SimDuration(real.Sub(s.RealStart)))
}

// RealAt is the real instant at which the simulated clock shows sim.
func (s State) RealAt(sim time.Time) time.Time {
	return s.RealStart.Add(s.RealDuration(sim.Sub(s.SimStart)))
}

// SimDuration converts a real duration into simulated time.
func (s State) SimDuration(real time.Duration) time.Duration {
	return scaleDuration(real, s.scale())
}

// RealDuration converts a simulated duration into real time.
func (s State) RealDuration(sim time.Duration) time.Duration {
	return scaleDuration(sim, 1/s.scale())
}

// Rescaled re-anchors at real so that simulated time stays continuous and
// runs at scale from then on (a changed --time-scale on a persisted world).
func (s State) Rescaled(real time.Time, scale float64) (State, error) {
	if err := checkScale(scale); err != nil {
		return s, err
	}
	return State{RealStart: real, SimStart: s.SimAt(real), Scale: scale}, nil
}

// scale treats a zero value (a State decoded from an older file) as real time.
func (s State) scale() float64 {
	if s.Scale <= 0 {
		return 1
	}
	return s.Scale
}

// scaleDuration multiplies without overflowing: results saturate.
func scaleDuration(d time.Duration, factor float64) time.Duration {
	f := float64(d) * factor
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(math.Round(f))
}

// ParseScale reads a --time-scale value: a factor ("60", "60x") or the
// simulated duration that passes per real second ("1m", "30s").
func ParseScale(text string) (float64, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, errors.New("empty time scale")
	}
	var scale float64
	if d, err := time.ParseDuration(t); err == nil && strings.ContainsAny(t, "hmsuµn") {
		scale = d.Seconds()
	} else {
		f, err := strconv.ParseFloat(strings.TrimSuffix(t, "x"), 64)
		if err != nil {
			return 0, fmt.Errorf("time scale %q: want a factor like 60 or a duration per real second like 1m", text)
		}
		scale = f
	}
	if err := checkScale(scale); err != nil {
		return 0, err
	}
	return scale, nil
}
