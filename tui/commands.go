package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// runKind is what a run does.
type runKind int

const (
	runPlan runKind = iota
	runApply
	runVerify
	runDestroy
	runWatch
)

func (k runKind) String() string {
	switch k {
	case runPlan:
		return "planning"
	case runApply:
		return "applying"
	case runVerify:
		return "verifying"
	case runDestroy:
		return "destroying"
	case runWatch:
		return "watching"
	}
	return "running"
}

// usesTerraform reports whether cancelling the run must wait for terraform
// to stop, so the state it writes stays valid.
func (k runKind) usesTerraform() bool {
	return k == runPlan || k == runApply || k == runDestroy
}

// run is one Lab call in flight. The call executes in a tea.Cmd goroutine;
// it sends its events, then its result, into events and closes it.
type run struct {
	id     int
	kind   runKind
	index  int // page index the run belongs to
	cancel context.CancelFunc
	events chan tea.Msg
}

// eventBuffer lets a burst of terraform events queue up while Update renders;
// the sender blocks beyond it, which only slows terraform's log reader.
const eventBuffer = 128

// work is a Lab call adapted to the run machinery: it sends its events
// tagged with the run's id and returns its result message.
type work func(ctx context.Context, id int, send func(tea.Msg)) tea.Msg

// startRun launches work for page index and returns the run and the
// commands that execute it and start listening to it.
func (m *Model) startRun(kind runKind, index int, work work) (*run, tea.Cmd) {
	m.runSeq++
	ctx, cancel := context.WithCancel(m.ctx)
	r := &run{id: m.runSeq, kind: kind, index: index, cancel: cancel, events: make(chan tea.Msg, eventBuffer)}
	events, id := r.events, r.id
	execute := func() tea.Msg {
		defer close(events)
		defer cancel()
		done := work(ctx, id, func(msg tea.Msg) { events <- msg })
		events <- done
		return nil
	}
	return r, tea.Batch(execute, waitForRun(events))
}

// waitForRun reads the next message of a run; Update re-arms it after every
// event until the run's result arrives (the bubbletea realtime pattern).
func waitForRun(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

func planWork(lab steps.Lab, n int) work {
	return func(ctx context.Context, id int, send func(tea.Msg)) tea.Msg {
		plan, err := lab.Plan(ctx, n, func(e steps.Event) { send(runEventMsg{run: id, event: e}) })
		return planDoneMsg{run: id, plan: plan, err: err}
	}
}

func applyWork(lab steps.Lab, n int) work {
	return func(ctx context.Context, id int, send func(tea.Msg)) tea.Msg {
		checks, err := lab.Apply(ctx, n, func(e steps.Event) { send(runEventMsg{run: id, event: e}) })
		return applyDoneMsg{run: id, checks: checks, target: lab.Target(), states: lab.States(), err: err}
	}
}

func verifyWork(lab steps.Lab, n int) work {
	return func(ctx context.Context, id int, _ func(tea.Msg)) tea.Msg {
		checks, err := lab.Verify(ctx, n)
		return verifyDoneMsg{run: id, checks: checks, err: err}
	}
}

func destroyWork(lab steps.Lab) work {
	return func(ctx context.Context, id int, send func(tea.Msg)) tea.Msg {
		audit, err := lab.Destroy(ctx, func(e steps.Event) { send(runEventMsg{run: id, event: e}) })
		return destroyDoneMsg{run: id, audit: audit, target: lab.Target(), err: err}
	}
}

func watchWork(lab steps.Lab) work {
	return func(ctx context.Context, id int, send func(tea.Msg)) tea.Msg {
		err := lab.Watch(ctx, func(e steps.IncidentEvent) { send(incidentMsg{run: id, event: e}) })
		return watchDoneMsg{run: id, err: err}
	}
}

// sendSampleFinding and confirmSubscription are short calls: one command,
// one result, bounded by the model's context.
func sendSampleFinding(ctx context.Context, lab steps.Lab) tea.Cmd {
	return func() tea.Msg { return sampleSentMsg{err: lab.SendSampleFinding(ctx)} }
}

func confirmSubscription(ctx context.Context, lab steps.Lab) tea.Cmd {
	return func() tea.Msg { return subscriptionConfirmedMsg{err: lab.ConfirmSubscription(ctx)} }
}
