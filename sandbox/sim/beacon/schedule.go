package beacon

import "time"

// Ping is one ICMP echo request the beacon sends.
type Ping struct {
	Run int       // which timer run (0 = first after boot)
	Seq int       // ping's icmp_seq within the run, from 1
	At  time.Time // simulated time the request leaves the instance
}

// FirstRun is when the timer first fires: launch + boot delay + OnActiveSec.
func FirstRun(launch time.Time, bootDelay time.Duration) time.Time {
	return launch.Add(bootDelay).Add(TimerFirstDelay)
}

// runDuration is how long one run pings: the last request goes out
// (Count-1)*Spacing after the first.
func (c Config) runDuration() time.Duration {
	return time.Duration(c.Count-1) * c.Spacing
}

// period is the distance between runs that actually execute: a run that
// falls while the previous one is still active is skipped.
func (c Config) period() time.Duration {
	if c.Interval <= 0 {
		return 0
	}
	return c.Interval * time.Duration(c.runDuration()/c.Interval+1)
}

// Pings lists the pings sent in [from, to) by a beacon whose first run
// started at first, in time order. An invalid Config yields none.
func (c Config) Pings(first, from, to time.Time) []Ping {
	period := c.period()
	if period <= 0 || c.Count < 1 || c.Spacing <= 0 || !to.After(from) {
		return nil
	}
	// Start with the earliest run that can still have a ping at or after from.
	run := 0
	if lead := from.Sub(first) - c.runDuration(); lead > 0 {
		run = int(lead / period)
	}
	var pings []Ping
	for ; ; run++ {
		start := first.Add(time.Duration(run) * period)
		if !start.Before(to) {
			return pings
		}
		for seq := 1; seq <= c.Count; seq++ {
			at := start.Add(time.Duration(seq-1) * c.Spacing)
			if at.Before(from) {
				continue
			}
			if !at.Before(to) {
				break
			}
			pings = append(pings, Ping{Run: run, Seq: seq, At: at})
		}
	}
}
