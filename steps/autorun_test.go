package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// autoFakeLab is a scripted Lab: every step plans and applies with one
// resource and passing checks unless the test says otherwise.
type autoFakeLab struct {
	kind    TargetKind // default: the sandbox
	states  map[int]StepState
	checks  map[int][]CheckResult // per step; default: one passing check
	applyFn func(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error)
	watchFn func(ctx context.Context, emit func(IncidentEvent)) error
	// emailCheck gives step 5 an email check that is pending until
	// ConfirmSubscription is called; confirmErr makes that call fail.
	emailCheck bool
	confirmErr error
	confirmed  bool

	calls []string
}

func (f *autoFakeLab) Target() Target {
	kind := f.kind
	if kind == "" {
		kind = TargetSandbox
	}
	return Target{Kind: kind, Region: "us-west-2", LabID: "abcd1234"}
}
func (f *autoFakeLab) States() map[int]StepState { return f.states }

func (f *autoFakeLab) Plan(ctx context.Context, n int, emit func(Event)) (PlanSummary, error) {
	f.calls = append(f.calls, fmt.Sprintf("plan %d", n))
	emit(Phase{Name: "plan", Text: "terraform plan"})
	return PlanSummary{Add: 1, Resources: []PlannedResource{{Address: fmt.Sprintf("r.step%d", n), Action: "create"}}}, nil
}

func (f *autoFakeLab) Apply(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error) {
	f.calls = append(f.calls, fmt.Sprintf("apply %d", n))
	if f.applyFn != nil {
		return f.applyFn(ctx, n, emit)
	}
	emit(ResourceStarted{Address: fmt.Sprintf("r.step%d", n), Action: "create"})
	emit(ResourceDone{Address: fmt.Sprintf("r.step%d", n), Action: "create", Elapsed: time.Second})
	return f.checksOf(n), nil
}

func (f *autoFakeLab) checksOf(n int) []CheckResult {
	if c, ok := f.checks[n]; ok {
		return c
	}
	if n == 5 && f.emailCheck {
		email := CheckResult{ID: "sns.email-subscription", Title: "Email subscription is confirmed", Status: CheckPending}
		if f.confirmed {
			email.Status = CheckPass
		}
		return []CheckResult{{ID: "sns.topic", Title: "topic", Status: CheckPass}, email}
	}
	return []CheckResult{{ID: fmt.Sprintf("s%d.ok", n), Title: "fine", Status: CheckPass}}
}

func (f *autoFakeLab) Verify(ctx context.Context, n int) ([]CheckResult, error) {
	f.calls = append(f.calls, fmt.Sprintf("verify %d", n))
	return f.checksOf(n), nil
}

func (f *autoFakeLab) Watch(ctx context.Context, emit func(IncidentEvent)) error {
	f.calls = append(f.calls, "watch")
	if f.watchFn != nil {
		return f.watchFn(ctx, emit)
	}
	emit(FindingSeen{ID: "f1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Severity: 5})
	emit(ResponseComplete{TimeToRespond: 42 * time.Second})
	return nil
}

func (f *autoFakeLab) SendSampleFinding(context.Context) error { return nil }

func (f *autoFakeLab) ConfirmSubscription(context.Context) error {
	f.calls = append(f.calls, "confirm")
	if f.confirmErr != nil {
		return f.confirmErr
	}
	f.confirmed = true
	return nil
}

func (f *autoFakeLab) Outbox(context.Context) ([]Mail, error) { return nil, nil }
func (f *autoFakeLab) Destroy(context.Context, func(Event)) (AuditResult, error) {
	return AuditResult{}, nil
}

func names(events []AutoEvent) []string {
	out := make([]string, 0, len(events))
	for _, e := range events {
		out = append(out, e.Name())
	}
	return out
}

func TestRunAuto(t *testing.T) {
	tfErr := errors.New("exit status 1")
	tests := []struct {
		name         string
		lab          func() *autoFakeLab
		opts         AutoOptions
		cancelAt     string // cancel the context when this call starts
		want         AutoOutcome
		wantStep     int
		wantHint     string
		wantCalls    []string // prefix of the calls, when set
		lastCall     string
		wantEvents   []string // must appear, in this order
		absentEvent  string
		callsInOrder []string // must appear, in this order
		absentCall   string
		// wantStep5 is the status every step-5 check_result must have.
		wantStep5 CheckStatus
	}{
		{
			name: "all pass and the response is seen",
			lab:  func() *autoFakeLab { return &autoFakeLab{} },
			want: OutcomeComplete, wantStep: 9,
			wantCalls: []string{"plan 1", "apply 1", "plan 2", "apply 2"},
			lastCall:  "watch",
			wantEvents: []string{EventRunStarted, EventStepStarted, EventPhase, EventPlanSummary,
				EventCheckResult, EventStepFinished, EventResourceStarted, EventResourceDone,
				EventFindingSeen, EventResponseComplete, EventStepFinished, EventRunFinished},
		},
		{
			name: "until stops before the watch",
			lab:  func() *autoFakeLab { return &autoFakeLab{} },
			opts: AutoOptions{Until: 3},
			want: OutcomeComplete, wantStep: 3, lastCall: "apply 3",
			absentEvent: EventResponseComplete,
		},
		{
			name: "a failing check at step 4 stops the run with its hint",
			lab: func() *autoFakeLab {
				return &autoFakeLab{checks: map[int][]CheckResult{4: {
					{ID: "gd.detector", Title: "detector enabled", Status: CheckPass},
					{ID: "gd.set", Title: "threat list active", Status: CheckFail, Detail: "set is INACTIVE",
						Hint: "activate the threat intel set", Command: "aws guardduty get-threat-intel-set"},
				}}}
			},
			want: OutcomeCheckFailed, wantStep: 4, wantHint: "activate the threat intel set",
			lastCall: "apply 4",
		},
		{
			name: "pending is not a failure",
			lab: func() *autoFakeLab {
				return &autoFakeLab{checks: map[int][]CheckResult{5: {
					{ID: "sns.sub", Title: "subscription confirmed", Status: CheckPending, Hint: "click the link"},
				}}}
			},
			want: OutcomeComplete, wantStep: 9, lastCall: "watch",
		},
		{
			name: "sandbox: the subscription is confirmed after step 5, which is checked again",
			lab:  func() *autoFakeLab { return &autoFakeLab{emailCheck: true} },
			want: OutcomeComplete, wantStep: 9, lastCall: "watch",
			callsInOrder: []string{"apply 5", "confirm", "verify 5", "plan 6"},
			wantEvents: []string{EventPlanSummary, EventResourceDone, EventSubscriptionConfirmed,
				EventCheckResult, EventCheckResult, EventStepFinished, EventStepStarted},
			wantStep5: CheckPass,
		},
		{
			name: "aws: the learner confirms, the run never does",
			lab:  func() *autoFakeLab { return &autoFakeLab{kind: TargetAWS, emailCheck: true} },
			want: OutcomeComplete, wantStep: 9, lastCall: "watch",
			absentCall: "confirm", absentEvent: EventSubscriptionConfirmed,
			wantStep5: CheckPending,
		},
		{
			name: "sandbox: a failed confirmation stops the run at step 5 with a hint",
			lab: func() *autoFakeLab {
				return &autoFakeLab{emailCheck: true, confirmErr: errors.New("no subscription arn:x")}
			},
			want: OutcomeError, wantStep: 5, wantHint: "Follow the link in the confirmation email in .gdlab/sandbox/outbox.mbox (or press c in `gdlab`), then run again.",
			lastCall:    "confirm",
			wantEvents:  []string{EventCheckResult, EventCheckResult, EventStepFinished, EventRunFinished},
			absentEvent: EventSubscriptionConfirmed,
			wantStep5:   CheckPending,
		},
		{
			name: "until 4 never confirms",
			lab:  func() *autoFakeLab { return &autoFakeLab{emailCheck: true} },
			opts: AutoOptions{Until: 4},
			want: OutcomeComplete, wantStep: 4, lastCall: "apply 4",
			absentCall: "confirm",
		},
		{
			name: "terraform error with a diagnostic and its hint",
			lab: func() *autoFakeLab {
				return &autoFakeLab{applyFn: func(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error) {
					if n == 3 {
						emit(ResourceFailed{Address: "aws_s3_bucket.threat_list", Message: "BucketAlreadyExists"})
						emit(Diagnostic{Severity: "error", Summary: "creating S3 bucket", Hint: "bucket names are global; change the lab id"})
						return nil, tfErr
					}
					return []CheckResult{{Status: CheckPass}}, nil
				}}
			},
			want: OutcomeError, wantStep: 3, wantHint: "bucket names are global; change the lab id",
			lastCall:   "apply 3",
			wantEvents: []string{EventResourceFailed, EventDiagnostic, EventStepFinished, EventRunFinished},
		},
		{
			name: "timeout during the watch",
			lab: func() *autoFakeLab {
				return &autoFakeLab{watchFn: func(ctx context.Context, emit func(IncidentEvent)) error {
					emit(WaitingETA{Waiting: "the GuardDuty finding", ETA: time.Minute})
					<-ctx.Done()
					return ctx.Err()
				}}
			},
			opts: AutoOptions{Timeout: 20 * time.Millisecond},
			want: OutcomeTimeout, wantStep: 9, lastCall: "watch",
			wantEvents: []string{EventWaiting, EventStepFinished, EventRunFinished},
		},
		{
			name: "cancelled mid-apply is an interruption",
			lab: func() *autoFakeLab {
				return &autoFakeLab{applyFn: func(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error) {
					if n == 2 {
						<-ctx.Done() // terraform stops gracefully, then the Lab returns
						return nil, fmt.Errorf("terraform apply: %w", ctx.Err())
					}
					return []CheckResult{{Status: CheckPass}}, nil
				}}
			},
			cancelAt: "apply 2",
			want:     OutcomeInterrupted, wantStep: 2, lastCall: "apply 2",
		},
		{
			name: "a resumed lab re-checks applied steps instead of planning them",
			lab: func() *autoFakeLab {
				return &autoFakeLab{states: map[int]StepState{1: StateChecked, 2: StateChecked, 3: StateApplied}}
			},
			opts: AutoOptions{Until: 4},
			want: OutcomeComplete, wantStep: 4,
			wantCalls: []string{"verify 1", "verify 2", "verify 3", "plan 4", "apply 4"},
		},
		{
			name: "a gap below an applied step is refused, not planned",
			lab: func() *autoFakeLab {
				return &autoFakeLab{states: map[int]StepState{1: StateChecked, 2: StateFailed, 3: StateApplied}}
			},
			want: OutcomeError, wantStep: 2, wantCalls: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := tt.lab()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelAt != "" {
				inner := lab.applyFn
				lab.applyFn = func(c context.Context, n int, emit func(Event)) ([]CheckResult, error) {
					if fmt.Sprintf("apply %d", n) == tt.cancelAt {
						cancel()
					}
					return inner(c, n, emit)
				}
			}
			var events []AutoEvent
			res, err := RunAuto(ctx, lab, tt.opts, func(e AutoEvent) { events = append(events, e) })
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tt.want || res.Step != tt.wantStep {
				t.Fatalf("outcome %s at step %d, want %s at step %d (%s)", res.Outcome, res.Step, tt.want, tt.wantStep, res.Reason)
			}
			if res.Hint != tt.wantHint && tt.wantHint != "" {
				t.Errorf("hint %q, want %q", res.Hint, tt.wantHint)
			}
			if tt.want != OutcomeComplete && res.Reason == "" {
				t.Error("no reason for a run that did not complete")
			}
			if tt.wantCalls != nil && len(tt.wantCalls) == 0 && len(lab.calls) > 0 {
				t.Errorf("calls %v, want none", lab.calls)
			}
			if tt.wantCalls != nil && !slices.Equal(lab.calls[:min(len(tt.wantCalls), len(lab.calls))], tt.wantCalls) {
				t.Errorf("calls %v, want them to start with %v", lab.calls, tt.wantCalls)
			}
			if tt.lastCall != "" && (len(lab.calls) == 0 || lab.calls[len(lab.calls)-1] != tt.lastCall) {
				t.Errorf("calls %v, want the last to be %q", lab.calls, tt.lastCall)
			}
			got := names(events)
			if got[0] != EventRunStarted || got[len(got)-1] != EventRunFinished {
				t.Errorf("events %v, want run_started first and run_finished last", got)
			}
			if fin := events[len(events)-1].(RunFinished); fin.Result.Outcome != res.Outcome {
				t.Errorf("run_finished says %s, result %s", fin.Result.Outcome, res.Outcome)
			}
			if !inOrder(got, tt.wantEvents) {
				t.Errorf("events %v, want in order %v", got, tt.wantEvents)
			}
			if tt.absentEvent != "" && slices.Contains(got, tt.absentEvent) {
				t.Errorf("events %v contain %s", got, tt.absentEvent)
			}
			if !inOrder(lab.calls, tt.callsInOrder) {
				t.Errorf("calls %v, want in order %v", lab.calls, tt.callsInOrder)
			}
			if tt.absentCall != "" && slices.Contains(lab.calls, tt.absentCall) {
				t.Errorf("calls %v contain %q", lab.calls, tt.absentCall)
			}
			if tt.wantStep5 != "" {
				var step5 int
				for _, e := range events {
					if c, ok := e.(CheckReported); ok && c.Step == 5 {
						step5++
						if c.Check.ID == "sns.email-subscription" && c.Check.Status != tt.wantStep5 {
							t.Errorf("step 5 email check reported %s, want %s", c.Check.Status, tt.wantStep5)
						}
					}
				}
				if step5 != 2 {
					t.Errorf("step 5 reported %d checks, want its 2 once", step5)
				}
			}
		})
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestRunAutoRejectsBadOptions(t *testing.T) {
	for _, opts := range []AutoOptions{{Until: 10}, {Until: -1}, {Timeout: -time.Second}} {
		called := false
		_, err := RunAuto(context.Background(), &autoFakeLab{}, opts, func(AutoEvent) { called = true })
		if err == nil {
			t.Errorf("%+v accepted", opts)
		}
		if called {
			t.Errorf("%+v emitted events before being rejected", opts)
		}
	}
}

// Every name an event can produce is listed, and no two types share one.
func TestAutoEventNamesComplete(t *testing.T) {
	samples := []AutoEvent{
		RunStarted{}, StepStarted{}, PlanReady{}, CheckReported{}, StepFinished{}, RunFinished{},
		StepProgress{Event: Phase{}}, StepProgress{Event: ResourceStarted{}},
		StepProgress{Event: ResourceProgress{}}, StepProgress{Event: ResourceDone{}},
		StepProgress{Event: ResourceFailed{}}, StepProgress{Event: Diagnostic{}}, SubscriptionConfirmed{},
		IncidentProgress{Event: TrafficExpected{}}, IncidentProgress{Event: WaitingETA{}},
		IncidentProgress{Event: FindingSeen{}}, IncidentProgress{Event: SubscriptionChanged{}},
		IncidentProgress{Event: MessageDelivered{}}, IncidentProgress{Event: GroupsChanged{}},
		IncidentProgress{Event: LambdaLog{}}, IncidentProgress{Event: WatchProblem{}},
		IncidentProgress{Event: ResponseComplete{}},
	}
	seen := map[string]bool{}
	for _, e := range samples {
		n := e.Name()
		if strings.HasPrefix(n, "unknown") || seen[n] {
			t.Errorf("%T: name %q unknown or shared", e, n)
		}
		seen[n] = true
	}
	all := AutoEventNames()
	if len(all) != len(seen) {
		t.Errorf("AutoEventNames has %d names, the event types produce %d", len(all), len(seen))
	}
	for _, n := range all {
		if !seen[n] {
			t.Errorf("%s is listed but no event produces it", n)
		}
	}
}
