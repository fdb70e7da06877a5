package probe

import (
	"sync"
	"time"
)

// DefaultCallsPerMinute is the watch's budget for all AWS calls together:
// enough to follow the incident closely, far below any service's throttling,
// and cheap on a learner's CloudTrail.
const DefaultCallsPerMinute = 15

// CallBudget allows at most Limit calls in any window of Window (a sliding
// window, so no two adjacent minutes can add up to a burst of twice the
// limit).
type CallBudget struct {
	Limit  int
	Window time.Duration
	clock  Clock

	mu    sync.Mutex
	calls []time.Time // every call, oldest first
}

// NewCallBudget returns a budget of limit calls per window on clock.
func NewCallBudget(limit int, window time.Duration, clock Clock) *CallBudget {
	return &CallBudget{Limit: limit, Window: window, clock: clock}
}

// TryTake records a call and returns true if the budget allows one now.
func (b *CallBudget) TryTake() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	if b.inWindow(now) >= b.Limit {
		return false
	}
	b.calls = append(b.calls, now)
	return true
}

// NextFree is when the next call will be allowed.
func (b *CallBudget) NextFree() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	n := b.inWindow(now)
	if n < b.Limit {
		return now
	}
	// The call that must leave the window is the n-Limit+1'th from the end.
	oldest := b.calls[len(b.calls)-n]
	return oldest.Add(b.Window)
}

func (b *CallBudget) inWindow(now time.Time) int {
	n := 0
	for i := len(b.calls) - 1; i >= 0 && now.Sub(b.calls[i]) < b.Window; i-- {
		n++
	}
	return n
}

// Calls returns the time of every call made so far.
func (b *CallBudget) Calls() []time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]time.Time(nil), b.calls...)
}

// MaxInWindow is the largest number of calls that fell in any one window:
// the figure the budget promises to keep at or below Limit.
func (b *CallBudget) MaxInWindow() int {
	calls := b.Calls()
	most := 0
	start := 0
	for end := range calls {
		for calls[end].Sub(calls[start]) >= b.Window {
			start++
		}
		most = max(most, end-start+1)
	}
	return most
}
