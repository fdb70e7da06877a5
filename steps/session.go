package steps

import (
	"context"
	"strings"
	"time"
)

// Lab is what the TUI and the commands drive: one lab folder against one
// target (an AWS account or the sandbox). Every method may block for a long
// time; callers run them off the UI goroutine and receive progress through
// emit, which is called from the method's goroutine.
type Lab interface {
	// Target describes where the lab runs, for the header.
	Target() Target
	// States returns every step's state as recorded in the lab's journal,
	// so a reopened lab folder resumes where it stopped.
	States() map[int]StepState
	// Plan writes the root for step n and plans it to a saved plan file.
	Plan(ctx context.Context, n int, emit func(Event)) (PlanSummary, error)
	// Apply applies exactly the plan that Plan saved for step n, then
	// runs the step's checks.
	Apply(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error)
	// Verify runs the checks of step n against the target.
	Verify(ctx context.Context, n int) ([]CheckResult, error)
	// Watch follows the incident (step 9) until ctx ends or the response
	// was seen end to end.
	Watch(ctx context.Context, emit func(IncidentEvent)) error
	// SendSampleFinding asks GuardDuty for a sample finding of the lab's
	// type, which exercises the email path at once.
	SendSampleFinding(ctx context.Context) error
	// ConfirmSubscription confirms the pending email subscription, as
	// clicking the link would. Only the sandbox can do this.
	ConfirmSubscription(ctx context.Context) error
	// Outbox is the mail the sandbox delivered, in the order it was
	// delivered. Only the sandbox has one: real email goes to a mailbox.
	Outbox(ctx context.Context) ([]Mail, error)
	// Destroy removes everything and audits that nothing is left.
	Destroy(ctx context.Context, emit func(Event)) (AuditResult, error)
}

// Mail is one email of the sandbox's outbox, as a mail reader shows it.
type Mail struct {
	Date                    time.Time
	From, To, Subject, Body string
}

// TargetKind says whether the lab runs against AWS or the sandbox.
type TargetKind string

const (
	TargetAWS     TargetKind = "aws"
	TargetSandbox TargetKind = "sandbox"
)

// Target is what the header shows about where the lab runs.
type Target struct {
	Kind           TargetKind
	Region         string
	Account        string
	CallerARN      string
	LabID          string
	Dir            string
	ReusesDetector bool    // an existing GuardDuty detector is reused and kept
	CostPerHour    float64 // estimate for what is running now, in USD
}

// StepState is a step's mark in the step list.
type StepState int

const (
	StatePending StepState = iota
	StateRunning
	StateApplied // terraform applied, checks not (yet) all passing
	StateChecked // applied and every check passed
	StateFailed
)

// Event is progress from a terraform run (plan, apply, destroy).
type Event interface{ isEvent() }

// ResourceStarted: terraform began an action on a resource.
type ResourceStarted struct {
	Address string
	Action  string // create, update, delete, replace, read
}

// ResourceProgress: terraform is still working on a resource.
type ResourceProgress struct {
	Address string
	Elapsed time.Duration
}

// ResourceDone: an action on a resource finished.
type ResourceDone struct {
	Address string
	Action  string
	Elapsed time.Duration
}

// ResourceFailed: an action on a resource failed.
type ResourceFailed struct {
	Address string
	Elapsed time.Duration
	Message string
}

// Diagnostic is terraform's warning or error, with gdlab's hint when one
// of the known errors matched.
type Diagnostic struct {
	Severity string // error, warning
	Summary  string
	Detail   string
	Address  string
	Hint     string
}

// Phase marks a stage of the orchestration (init, plan, apply, checks…).
type Phase struct {
	Name string
	Text string
}

func (ResourceStarted) isEvent()  {}
func (ResourceProgress) isEvent() {}
func (ResourceDone) isEvent()     {}
func (ResourceFailed) isEvent()   {}
func (Diagnostic) isEvent()       {}
func (Phase) isEvent()            {}

// PlanSummary is what terraform will do for a step.
type PlanSummary struct {
	Add, Change, Destroy int
	Resources            []PlannedResource
}

// PlannedResource is one line of the plan.
type PlannedResource struct {
	Address string
	Action  string // create, update, delete, replace, read, no-op
}

// CheckStatus is a check's verdict.
type CheckStatus string

const (
	CheckPass    CheckStatus = "pass"
	CheckFail    CheckStatus = "fail"
	CheckPending CheckStatus = "pending" // e.g. email subscription not confirmed yet
	CheckWarn    CheckStatus = "warn"
	CheckSkipped CheckStatus = "skipped"
)

// CheckResult is one check of a step, with how to check it by hand.
type CheckResult struct {
	ID      string
	Title   string
	Status  CheckStatus
	Detail  string
	Hint    string
	Command string // the AWS CLI command that shows the same thing
}

// IncidentEvent is one observation of the incident watch (step 9).
type IncidentEvent interface{ isIncidentEvent() }

// TrafficExpected: when the compromised instance starts contacting the
// malicious address, derived from its launch time and user data.
type TrafficExpected struct {
	Since  time.Time
	Target string
}

// FindingSeen: GuardDuty reported the finding.
type FindingSeen struct {
	ID        string
	Type      string
	Severity  float64
	FirstSeen time.Time
	Sample    bool
}

// SubscriptionChanged: the email subscription's state (pending, confirmed).
type SubscriptionChanged struct {
	State string
}

// MessageDelivered: the notification as SNS delivered it (the email text).
type MessageDelivered struct {
	At      time.Time
	Subject string
	Text    string
}

// GroupsChanged: the compromised instance's security groups moved.
type GroupsChanged struct {
	At     time.Time
	Before []string
	After  []string
}

// LambdaLog is one line of the remediation function's log.
type LambdaLog struct {
	At   time.Time
	Line string
}

// WaitingETA: nothing new yet; when the next thing is expected.
type WaitingETA struct {
	Waiting string
	ETA     time.Duration
}

// ResponseComplete: finding → isolated, end to end, with the timeline.
type ResponseComplete struct {
	Timeline      []TimelineEntry
	TimeToRespond time.Duration
	// Simulated is set in the sandbox, whose clock runs faster than real
	// time: Timeline and TimeToRespond are then simulated, and
	// RealTimeToRespond is what the learner actually waited.
	Simulated         bool
	RealTimeToRespond time.Duration
}

// TimelineEntry is one moment of the incident.
type TimelineEntry struct {
	At   time.Time
	What string
}

// Headline is the message's subject or, when it has none (EventBridge's
// transformed text), its first line without the quotes the input template
// puts around each line.
func (m MessageDelivered) Headline() string {
	if s := strings.TrimSpace(m.Subject); s != "" {
		return s
	}
	line, _, _ := strings.Cut(strings.TrimSpace(m.Text), "\n")
	return strings.Trim(strings.TrimSpace(line), `"`)
}

func (TrafficExpected) isIncidentEvent()     {}
func (FindingSeen) isIncidentEvent()         {}
func (SubscriptionChanged) isIncidentEvent() {}
func (MessageDelivered) isIncidentEvent()    {}
func (GroupsChanged) isIncidentEvent()       {}
func (LambdaLog) isIncidentEvent()           {}
func (WaitingETA) isIncidentEvent()          {}
func (ResponseComplete) isIncidentEvent()    {}

// AuditResult is what the cleanup audit found after destroy.
type AuditResult struct {
	Leftovers []Leftover
	Kept      []string // kept on purpose, e.g. a pre-existing detector
}

// Leftover is a resource still present after destroy.
type Leftover struct {
	ARN           string
	Kind          string
	Note          string
	DeleteCommand string
}

// WatchProblem: one poll of the watch failed; the watch goes on.
type WatchProblem struct {
	What   string
	Detail string
}

func (WatchProblem) isIncidentEvent() {}
