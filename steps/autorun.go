package steps

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// AutoOptions say how far an unattended run goes and how long it waits for
// the incident.
type AutoOptions struct {
	// Until is the last step to run, 1..LastLabStep; 0 means all of them.
	Until int
	// Timeout bounds the incident watch of step 9 (not the terraform
	// runs, which end on their own); 0 means no bound but ctx.
	Timeout time.Duration
}

// AutoOutcome is how an unattended run ended.
type AutoOutcome string

const (
	// OutcomeComplete: every step passed its checks and, with step 9, the
	// response was seen end to end.
	OutcomeComplete AutoOutcome = "complete"
	// OutcomeCheckFailed: a step's check failed; the run stopped there.
	OutcomeCheckFailed AutoOutcome = "check_failed"
	// OutcomeError: terraform or the lab failed before any check could say.
	OutcomeError AutoOutcome = "error"
	// OutcomeTimeout: the incident was not seen end to end in time.
	OutcomeTimeout AutoOutcome = "timeout"
	// OutcomeInterrupted: ctx was cancelled; terraform stopped gracefully.
	OutcomeInterrupted AutoOutcome = "interrupted"
)

// AutoResult says how the run ended and, when it did not complete, why and
// what to do about it.
type AutoResult struct {
	Outcome AutoOutcome
	// Step is the step the run was working on when it ended.
	Step int
	// Reason is one sentence on why the run stopped; empty when complete.
	Reason string
	// Hint is what to do next (a failed check's or a diagnostic's hint).
	Hint string
	// Command checks the failed thing by hand, when a check failed.
	Command       string
	TimeToRespond time.Duration
	Elapsed       time.Duration
}

// AutoEvent is one thing an unattended run reports. Name is stable: it is
// the "event" field of `gdlab run --auto --json` (docs/json-events.md).
type AutoEvent interface {
	Name() string
	// StepNumber is the step the event belongs to.
	StepNumber() int
}

// RunStarted opens the run: where it runs and which steps it will do.
type RunStarted struct {
	Target Target
	// From is the first step that will be applied; earlier ones were
	// applied by an earlier run and are checked again. From > Until when
	// every step up to Until is applied already.
	From  int
	Until int
}

// StepStarted: the run turns to a step. Resumed steps were applied by an
// earlier run and are only checked again.
type StepStarted struct {
	Step    int
	Title   string
	Resumed bool
}

// StepProgress carries one of the Lab's terraform events (Phase,
// ResourceStarted, ResourceProgress, ResourceDone, ResourceFailed,
// Diagnostic) with the step it belongs to.
type StepProgress struct {
	Step  int
	Event Event
}

// PlanReady: terraform planned the step; the saved plan is applied next.
type PlanReady struct {
	Step int
	Plan PlanSummary
}

// CheckReported is one check of a step after it was applied.
type CheckReported struct {
	Step  int
	Check CheckResult
}

// StepFinished closes a step with its journal state and check counts.
type StepFinished struct {
	Step                                     int
	State                                    StepState
	Passed, Pending, Warned, Failed, Skipped int
}

// SubscriptionConfirmed: in the sandbox, the run confirmed the email
// subscription itself once step 5 was applied, as clicking the link in the
// outbox would; step 5's checks are reported after it. Only the sandbox can
// do this: with AWS the learner clicks the link AWS mailed.
type SubscriptionConfirmed struct {
	Step int
}

// SubscriptionConfirmedText says what SubscriptionConfirmed stands for.
const SubscriptionConfirmedText = "confirmed automatically, as clicking the outbox link would"

// IncidentProgress carries one observation of the incident watch.
type IncidentProgress struct {
	Event IncidentEvent
}

// RunFinished is the last event: the result.
type RunFinished struct {
	Result AutoResult
}

// Names of the events, in the order a run emits them.
const (
	EventRunStarted          = "run_started"
	EventStepStarted         = "step_started"
	EventPhase               = "phase"
	EventResourceStarted     = "resource_started"
	EventResourceProgress    = "resource_progress"
	EventResourceDone        = "resource_done"
	EventResourceFailed      = "resource_failed"
	EventDiagnostic          = "diagnostic"
	EventPlanSummary         = "plan_summary"
	EventCheckResult         = "check_result"
	EventStepFinished        = "step_finished"
	EventTrafficExpected     = "traffic_expected"
	EventWaiting             = "waiting"
	EventFindingSeen         = "finding_seen"
	EventSubscriptionChanged = "subscription_changed"
	EventMessageDelivered    = "message_delivered"
	EventGroupsChanged       = "groups_changed"
	EventLambdaLog           = "lambda_log"
	EventWatchProblem        = "watch_problem"
	EventResponseComplete    = "response_complete"
	EventRunFinished         = "run_finished"
)

// EventSubscriptionConfirmed comes between step 5's resource events and its
// check_result events, in the sandbox only.
const EventSubscriptionConfirmed = "subscription_confirmed"

// AutoEventNames lists every name an AutoEvent can have.
func AutoEventNames() []string {
	return []string{
		EventRunStarted, EventStepStarted, EventPhase, EventResourceStarted,
		EventResourceProgress, EventResourceDone, EventResourceFailed, EventDiagnostic,
		EventPlanSummary, EventSubscriptionConfirmed, EventCheckResult, EventStepFinished, EventTrafficExpected,
		EventWaiting, EventFindingSeen, EventSubscriptionChanged, EventMessageDelivered,
		EventGroupsChanged, EventLambdaLog, EventWatchProblem, EventResponseComplete,
		EventRunFinished,
	}
}

func (RunStarted) Name() string            { return EventRunStarted }
func (StepStarted) Name() string           { return EventStepStarted }
func (PlanReady) Name() string             { return EventPlanSummary }
func (SubscriptionConfirmed) Name() string { return EventSubscriptionConfirmed }
func (CheckReported) Name() string         { return EventCheckResult }
func (StepFinished) Name() string          { return EventStepFinished }
func (RunFinished) Name() string           { return EventRunFinished }

// Name implements AutoEvent after the wrapped terraform event.
func (e StepProgress) Name() string {
	switch e.Event.(type) {
	case Phase:
		return EventPhase
	case ResourceStarted:
		return EventResourceStarted
	case ResourceProgress:
		return EventResourceProgress
	case ResourceDone:
		return EventResourceDone
	case ResourceFailed:
		return EventResourceFailed
	case Diagnostic:
		return EventDiagnostic
	}
	return fmt.Sprintf("unknown_%T", e.Event)
}

// Name implements AutoEvent after the wrapped incident event.
func (e IncidentProgress) Name() string {
	switch e.Event.(type) {
	case TrafficExpected:
		return EventTrafficExpected
	case WaitingETA:
		return EventWaiting
	case FindingSeen:
		return EventFindingSeen
	case SubscriptionChanged:
		return EventSubscriptionChanged
	case MessageDelivered:
		return EventMessageDelivered
	case GroupsChanged:
		return EventGroupsChanged
	case LambdaLog:
		return EventLambdaLog
	case WatchProblem:
		return EventWatchProblem
	case ResponseComplete:
		return EventResponseComplete
	}
	return fmt.Sprintf("unknown_%T", e.Event)
}

func (e RunStarted) StepNumber() int            { return 1 }
func (e StepStarted) StepNumber() int           { return e.Step }
func (e StepProgress) StepNumber() int          { return e.Step }
func (e PlanReady) StepNumber() int             { return e.Step }
func (e SubscriptionConfirmed) StepNumber() int { return e.Step }
func (e CheckReported) StepNumber() int         { return e.Step }
func (e StepFinished) StepNumber() int          { return e.Step }
func (e IncidentProgress) StepNumber() int      { return LastLabStep }
func (e RunFinished) StepNumber() int           { return e.Result.Step }

// RunAuto runs steps 1..opts.Until without questions, with the same
// Plan → Apply (which checks) sequence as the TUI, then, when it reaches
// step 9, watches the incident until the response is complete. It stops at
// the first failed check. Steps an earlier run already applied are checked
// again rather than re-planned, because planning an earlier step's root
// would remove the later steps' resources.
//
// emit is called one event at a time, never concurrently. The error is
// only for invalid options; everything the lab did is in the result.
func RunAuto(ctx context.Context, lab Lab, opts AutoOptions, emit func(AutoEvent)) (AutoResult, error) {
	if opts.Until == 0 {
		opts.Until = LastLabStep
	}
	if err := validStep(opts.Until); err != nil {
		return AutoResult{}, err
	}
	if opts.Timeout < 0 {
		return AutoResult{}, errors.New("the timeout cannot be negative")
	}
	r := &autoRun{lab: lab, opts: opts, start: time.Now()}
	var mu sync.Mutex
	r.emit = func(e AutoEvent) {
		mu.Lock()
		defer mu.Unlock()
		emit(e)
	}
	res := r.run(ctx)
	res.Elapsed = time.Since(r.start)
	r.emit(RunFinished{Result: res})
	return res, nil
}

type autoRun struct {
	lab   Lab
	opts  AutoOptions
	emit  func(AutoEvent)
	start time.Time

	// lastDiag is the last error diagnostic of the current step, for the
	// result's hint when terraform fails.
	lastDiag *Diagnostic
}

func (r *autoRun) run(ctx context.Context) AutoResult {
	states := r.lab.States()
	from, blocked := resumePoint(states, r.opts.Until)
	r.emit(RunStarted{Target: r.lab.Target(), From: from, Until: r.opts.Until})
	if blocked != 0 {
		return AutoResult{Outcome: OutcomeError, Step: blocked,
			Reason: fmt.Sprintf("step %d is %s while a later step is applied; planning step %d alone would remove the later steps",
				blocked, states[blocked], blocked),
			Hint: "Open the lab with `gdlab` and apply the last applied step again, or start over with `gdlab destroy`."}
	}
	for n := 1; n <= r.opts.Until && n < LastLabStep; n++ {
		if ctx.Err() != nil {
			return interrupted(n)
		}
		var res *AutoResult
		if n < from {
			res = r.recheckStep(ctx, n)
		} else {
			res = r.applyStep(ctx, n)
		}
		if res != nil {
			return *res
		}
	}
	if r.opts.Until < LastLabStep {
		return AutoResult{Outcome: OutcomeComplete, Step: r.opts.Until}
	}
	return r.watch(ctx)
}

// resumePoint is the first step to apply: steps before it are applied
// already. blocked names a step that is not applied below an applied one,
// which an unattended run cannot fix without destroying the later steps.
func resumePoint(states map[int]StepState, until int) (from, blocked int) {
	done := func(n int) bool { return states[n] == StateApplied || states[n] == StateChecked }
	highest := 0
	for n := 1; n < LastLabStep; n++ {
		if done(n) {
			highest = n
		}
	}
	for n := 1; n <= highest && n <= until; n++ {
		if !done(n) {
			return n, n
		}
	}
	return min(highest, until) + 1, 0
}

func (r *autoRun) title(n int) string {
	if s, ok := ByNumber(n); ok {
		return s.Title
	}
	return fmt.Sprintf("Step %d", n)
}

func (r *autoRun) stepEmitter(n int) func(Event) {
	r.lastDiag = nil
	return func(e Event) {
		if d, ok := e.(Diagnostic); ok && d.Severity == "error" {
			r.lastDiag = &d
		}
		r.emit(StepProgress{Step: n, Event: e})
	}
}

func (r *autoRun) applyStep(ctx context.Context, n int) *AutoResult {
	r.emit(StepStarted{Step: n, Title: r.title(n)})
	emit := r.stepEmitter(n)
	plan, err := r.lab.Plan(ctx, n, emit)
	if err != nil {
		return r.failed(ctx, n, "plan", err)
	}
	r.emit(PlanReady{Step: n, Plan: plan})
	checks, err := r.lab.Apply(ctx, n, emit)
	if err != nil {
		return r.failed(ctx, n, "apply", err)
	}
	if n == autoConfirmStep && r.lab.Target().Kind == TargetSandbox {
		var res *AutoResult
		if checks, res = r.confirmSubscription(ctx, n, checks); res != nil {
			return res
		}
	}
	return r.reportChecks(n, checks)
}

// autoConfirmStep subscribes the email address (SNS).
const autoConfirmStep = 5

// confirmSubscription stands in for the learner once step n subscribed the
// email address in the sandbox: nobody reads the outbox during an
// unattended run, so it confirms the subscription as clicking the link
// would, then checks the step again so that its email check passes. It
// returns the checks to report, or the result that ends the run.
func (r *autoRun) confirmSubscription(ctx context.Context, n int, applied []CheckResult) ([]CheckResult, *AutoResult) {
	if err := r.lab.ConfirmSubscription(ctx); err != nil {
		if res := r.reportChecks(n, applied); res != nil {
			return nil, res
		}
		if ctx.Err() != nil {
			res := interrupted(n)
			return nil, &res
		}
		return nil, &AutoResult{Outcome: OutcomeError, Step: n,
			Reason: "confirming the email subscription automatically failed: " + err.Error(),
			Hint:   "Follow the link in the confirmation email in .gdlab/sandbox/outbox.mbox (or press c in `gdlab`), then run again."}
	}
	r.emit(SubscriptionConfirmed{Step: n})
	checks, err := r.lab.Verify(ctx, n)
	if err != nil {
		return nil, r.failed(ctx, n, "checks", err)
	}
	return checks, nil
}

func (r *autoRun) recheckStep(ctx context.Context, n int) *AutoResult {
	r.emit(StepStarted{Step: n, Title: r.title(n), Resumed: true})
	checks, err := r.lab.Verify(ctx, n)
	if err != nil {
		return r.failed(ctx, n, "checks", err)
	}
	return r.reportChecks(n, checks)
}

// reportChecks emits every check and stops the run at the first failure;
// pending and warning checks do not stop it.
func (r *autoRun) reportChecks(n int, checks []CheckResult) *AutoResult {
	fin := StepFinished{Step: n, State: StateChecked}
	var firstFail *CheckResult
	for i, c := range checks {
		r.emit(CheckReported{Step: n, Check: c})
		switch c.Status {
		case CheckPass:
			fin.Passed++
		case CheckPending:
			fin.Pending++
		case CheckWarn:
			fin.Warned++
		case CheckFail:
			fin.Failed++
			if firstFail == nil {
				firstFail = &checks[i]
			}
		default:
			fin.Skipped++
		}
	}
	if firstFail != nil {
		fin.State = StateApplied
	}
	r.emit(fin)
	if firstFail == nil {
		return nil
	}
	reason := firstFail.Title + ": " + firstFail.Detail
	if firstFail.Detail == "" {
		reason = firstFail.Title
	}
	return &AutoResult{Outcome: OutcomeCheckFailed, Step: n, Reason: reason,
		Hint: firstFail.Hint, Command: firstFail.Command}
}

// failed turns a Lab error into the result: an interruption when ctx ended
// (the Lab returns only after terraform stopped), otherwise the error with
// terraform's hint when it gave one.
func (r *autoRun) failed(ctx context.Context, n int, what string, err error) *AutoResult {
	fin := StepFinished{Step: n, State: StateFailed}
	r.emit(fin)
	if ctx.Err() != nil {
		res := interrupted(n)
		return &res
	}
	res := AutoResult{Outcome: OutcomeError, Step: n, Reason: fmt.Sprintf("%s of step %d failed: %v", what, n, err)}
	for _, d := range diagnosticsOf(err) {
		if d.Hint != "" {
			res.Hint = d.Hint
			break
		}
	}
	if res.Hint == "" && r.lastDiag != nil {
		res.Hint = r.lastDiag.Hint
	}
	return &res
}

func interrupted(n int) AutoResult {
	return AutoResult{Outcome: OutcomeInterrupted, Step: n,
		Reason: "interrupted; terraform stopped cleanly and the next run resumes"}
}

// watch is step 9: the incident from traffic to isolation.
func (r *autoRun) watch(ctx context.Context) AutoResult {
	n := LastLabStep
	r.emit(StepStarted{Step: n, Title: r.title(n)})
	watchCtx, cancel := ctx, context.CancelFunc(func() {})
	if r.opts.Timeout > 0 {
		watchCtx, cancel = context.WithTimeout(ctx, r.opts.Timeout)
	}
	defer cancel()
	var complete *ResponseComplete
	err := r.lab.Watch(watchCtx, func(e IncidentEvent) {
		if c, ok := e.(ResponseComplete); ok {
			complete = &c
		}
		r.emit(IncidentProgress{Event: e})
	})
	switch {
	case complete != nil:
		r.emit(StepFinished{Step: n, State: StateChecked, Passed: 1})
		return AutoResult{Outcome: OutcomeComplete, Step: n, TimeToRespond: complete.TimeToRespond}
	case ctx.Err() != nil:
		r.emit(StepFinished{Step: n, State: StateApplied})
		return interrupted(n)
	case errors.Is(watchCtx.Err(), context.DeadlineExceeded):
		r.emit(StepFinished{Step: n, State: StateApplied, Failed: 1})
		return AutoResult{Outcome: OutcomeTimeout, Step: n,
			Reason: fmt.Sprintf("the response was not seen end to end within %s", r.opts.Timeout),
			Hint:   "GuardDuty can take 15 minutes or more to report a finding; run again with a longer --timeout, or open `gdlab` to watch step 9."}
	case err != nil:
		r.emit(StepFinished{Step: n, State: StateFailed})
		return AutoResult{Outcome: OutcomeError, Step: n, Reason: "the incident watch failed: " + err.Error()}
	}
	r.emit(StepFinished{Step: n, State: StateApplied, Failed: 1})
	return AutoResult{Outcome: OutcomeError, Step: n, Reason: "the incident watch ended without seeing the response"}
}
