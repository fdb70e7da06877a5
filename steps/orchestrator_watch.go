package steps

import (
	"context"
	"time"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

// Watch follows the incident until the response was seen end to end or ctx
// ends.
func (o *Orchestrator) Watch(ctx context.Context, emit func(IncidentEvent)) error {
	w, err := o.incidentWatch(ctx)
	if err != nil {
		return err
	}
	o.setState(LastLabStep, StateRunning, "")
	scale := o.timeScale()
	rec := &IncidentRecord{}
	timeline, err := w.Run(ctx, func(ev probe.Event) {
		if e, ok := translateIncident(ev); ok {
			switch x := e.(type) {
			case ResponseComplete:
				e = withRealTime(x, scale)
			case WaitingETA:
				// The learner waits in real time, whatever the clock's pace.
				x.ETA = time.Duration(float64(x.ETA) / scale).Round(time.Second)
				e = x
			}
			rec.record(e)
			emit(e)
		}
	})
	o.mu.Lock()
	o.journal.Incident = rec
	o.mu.Unlock()
	switch {
	case err != nil:
		o.setState(LastLabStep, StateFailed, err.Error())
	case timeline.Isolated:
		o.setState(LastLabStep, StateChecked, "")
	default:
		o.setState(LastLabStep, StateApplied, "the response was not seen end to end")
	}
	return err
}

// SendSampleFinding asks GuardDuty for a sample finding of the lab's type.
func (o *Orchestrator) SendSampleFinding(ctx context.Context) error {
	w, err := o.incidentWatch(ctx)
	if err != nil {
		return err
	}
	_, err = w.SendSampleFinding(ctx)
	return err
}

// incidentWatch builds the watch once; the sample-finding action shares it.
func (o *Orchestrator) incidentWatch(ctx context.Context) (*probe.Watch, error) {
	o.mu.Lock()
	w := o.watch
	o.mu.Unlock()
	if w != nil {
		return w, nil
	}
	outs, err := o.outputs(ctx)
	if err != nil {
		return nil, err
	}
	opts := o.opts.Watch
	if opts.TrafficDelay == 0 {
		// The lab's beacon starts about ten seconds after boot
		// (terraform/lab/modules/compute user data), not five minutes as in
		// the tutorial.
		opts.TrafficDelay = time.Minute
	}
	w = o.prober.NewWatch(outs, opts)
	o.mu.Lock()
	o.watch = w
	o.mu.Unlock()
	return w, nil
}

// translateIncident maps the probe's observations onto the events the TUI
// and the CLI show.
func translateIncident(ev probe.Event) (IncidentEvent, bool) {
	switch e := ev.(type) {
	case probe.TrafficExpected:
		return TrafficExpected{Since: e.StartsAt}, true
	case probe.FindingETA:
		// Measured on the watch's own clock, which in the sandbox is not
		// the wall clock.
		return WaitingETA{Waiting: "the GuardDuty finding", ETA: e.Likely.Sub(e.Seen).Round(time.Second)}, true
	case probe.FindingSeen:
		return FindingSeen{ID: e.ID, Type: e.Type, Severity: e.Severity, FirstSeen: e.CreatedAt,
			Sample: isSampleTitle(e.Title)}, true
	case probe.SubscriptionChanged:
		return SubscriptionChanged{State: e.State}, true
	case probe.TapMessage:
		return MessageDelivered{At: e.SentAt, Subject: e.Subject, Text: e.Message}, true
	case probe.GroupsChanged:
		return GroupsChanged{At: e.Seen, Before: e.Before, After: e.After}, true
	case probe.LambdaLog:
		return LambdaLog{At: e.Logged, Line: e.Message}, true
	case probe.TimelineReady:
		entries := make([]TimelineEntry, 0, len(e.Timeline.Entries))
		for _, t := range e.Timeline.Entries {
			entries = append(entries, TimelineEntry{At: t.At, What: t.What})
		}
		return ResponseComplete{Timeline: entries, TimeToRespond: e.Timeline.TimeToRespond,
			RealTimeToRespond: e.Timeline.TimeToRespond}, true
	case probe.PollFailed:
		return WatchProblem{What: e.What, Detail: e.Detail}, true
	}
	return nil, false
}

func isSampleTitle(title string) bool {
	return len(title) >= 8 && title[:8] == "[SAMPLE]"
}

// scaledClock is a watch clock that runs faster than real time: the
// sandbox's simulated clock says by how much.
type scaledClock interface{ Scale() float64 }

// timeScale is how many simulated seconds pass per real second on the
// watch's clock; 1 for real AWS.
func (o *Orchestrator) timeScale() float64 {
	if c, ok := o.opts.Watch.Clock.(scaledClock); ok && c.Scale() > 0 {
		return c.Scale()
	}
	return 1
}

// withRealTime marks a response seen on a simulated clock and adds what it
// took in real time.
func withRealTime(rc ResponseComplete, scale float64) ResponseComplete {
	if scale == 1 || scale <= 0 {
		rc.RealTimeToRespond = rc.TimeToRespond
		return rc
	}
	rc.Simulated = true
	rc.RealTimeToRespond = time.Duration(float64(rc.TimeToRespond) / scale)
	return rc
}
