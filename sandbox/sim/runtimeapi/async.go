package runtimeapi

import (
	"context"
	"time"
)

// RetryDelays are the waits before the two retries of a failed
// asynchronous invocation (AWS waits about one, then two minutes).
var RetryDelays = []time.Duration{time.Minute, 2 * time.Minute}

// Sleep waits d (simulated time, in the sandbox) or until ctx ends.
type Sleep func(ctx context.Context, d time.Duration) error

// InvokeAsync runs an Event invocation: on a function error, timeout or
// crash it retries twice after RetryDelays, with the same request id as
// Lambda does. It returns every attempt's result.
func (r *Runner) InvokeAsync(ctx context.Context, payload []byte, sleep Sleep) ([]Result, error) {
	id := r.newID()
	var attempts []Result
	for i := 0; ; i++ {
		res, err := r.invoke(ctx, id, payload)
		if err != nil {
			return attempts, err
		}
		attempts = append(attempts, res)
		if res.Error == nil || i == len(RetryDelays) {
			return attempts, nil
		}
		if err := sleep(ctx, RetryDelays[i]); err != nil {
			return attempts, err
		}
	}
}
