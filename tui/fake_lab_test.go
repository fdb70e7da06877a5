package tui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

// fakeLab is a scripted steps.Lab: every call emits the events set up for
// it and returns the prepared result. Calls are recorded so tests can
// assert what the model asked for.
type fakeLab struct {
	mu     sync.Mutex
	target steps.Target
	states map[int]steps.StepState

	plans   map[int]scriptedPlan
	applies map[int]scriptedApply
	checks  map[int][]steps.CheckResult

	incident []steps.IncidentEvent
	mail     []steps.Mail // the sandbox outbox, in delivery order
	destroy  []steps.Event
	audit    steps.AuditResult

	// holdApply makes Apply wait, after its events, until its context is
	// cancelled, the way terraform does when interrupted.
	holdApply bool
	calls     []string
}

type scriptedPlan struct {
	events  []steps.Event
	summary steps.PlanSummary
	err     error
}

type scriptedApply struct {
	events []steps.Event
	checks []steps.CheckResult
	err    error
}

func (f *fakeLab) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeLab) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeLab) Target() steps.Target {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.target
}

func (f *fakeLab) States() map[int]steps.StepState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]steps.StepState{}
	for k, v := range f.states {
		out[k] = v
	}
	return out
}

func (f *fakeLab) Plan(ctx context.Context, n int, emit func(steps.Event)) (steps.PlanSummary, error) {
	f.record("plan " + itoa(n))
	p := f.plans[n]
	for _, e := range p.events {
		emit(e)
	}
	return p.summary, p.err
}

func (f *fakeLab) Apply(ctx context.Context, n int, emit func(steps.Event)) ([]steps.CheckResult, error) {
	f.record("apply " + itoa(n))
	a := f.applies[n]
	for _, e := range a.events {
		emit(e)
	}
	if f.holdApply {
		<-ctx.Done()
		f.record("apply " + itoa(n) + " interrupted")
		return nil, ctx.Err()
	}
	if a.err == nil {
		f.mu.Lock()
		f.states[n] = stateAfterChecks(a.checks)
		f.target.CostPerHour += 0.01
		f.mu.Unlock()
	}
	return a.checks, a.err
}

func (f *fakeLab) Verify(ctx context.Context, n int) ([]steps.CheckResult, error) {
	f.record("verify " + itoa(n))
	return f.checks[n], nil
}

func (f *fakeLab) Watch(ctx context.Context, emit func(steps.IncidentEvent)) error {
	f.record("watch")
	for _, e := range f.incident {
		emit(e)
	}
	return nil
}

func (f *fakeLab) SendSampleFinding(ctx context.Context) error {
	f.record("sample")
	return nil
}

func (f *fakeLab) ConfirmSubscription(ctx context.Context) error {
	f.record("confirm")
	if f.target.Kind != steps.TargetSandbox {
		return errors.New("only the sandbox can confirm a subscription")
	}
	return nil
}

func (f *fakeLab) Outbox(ctx context.Context) ([]steps.Mail, error) {
	f.record("outbox")
	if f.target.Kind != steps.TargetSandbox {
		return nil, errors.New("only the sandbox has an outbox: real email goes to your mailbox")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]steps.Mail(nil), f.mail...), nil
}

func (f *fakeLab) Destroy(ctx context.Context, emit func(steps.Event)) (steps.AuditResult, error) {
	f.record("destroy")
	for _, e := range f.destroy {
		emit(e)
	}
	return f.audit, nil
}

var _ steps.Lab = (*fakeLab)(nil)

// newFakeLab is a sandbox lab with steps 1 and 2 scripted.
func newFakeLab() *fakeLab {
	return &fakeLab{
		target: steps.Target{Kind: steps.TargetSandbox, Region: "us-west-2", Account: "000000000000",
			LabID: "k3x9q2ab", Dir: "./gdlab-lab"},
		states: map[int]steps.StepState{},
		plans: map[int]scriptedPlan{
			1: {summary: steps.PlanSummary{}},
			2: {events: []steps.Event{steps.Phase{Name: "init", Text: "terraform init"}}, summary: step2Plan()},
		},
		applies: map[int]scriptedApply{
			1: {checks: []steps.CheckResult{
				{ID: "credentials", Title: "Credentials work", Status: steps.CheckPass, Detail: "sandbox caller arn:aws:iam::000000000000:user/learner", Command: "aws sts get-caller-identity"},
				{ID: "terraform", Title: "Terraform 1.5 or later", Status: steps.CheckPass, Detail: "terraform 1.9.8", Command: "terraform version"},
			}},
			2: {events: step2ApplyEvents(), checks: step2Checks()},
		},
		checks: map[int][]steps.CheckResult{2: step2Checks()},
	}
}

func step2Plan() steps.PlanSummary {
	return steps.PlanSummary{Add: 4, Resources: []steps.PlannedResource{
		{Address: "module.vpc.aws_vpc.lab", Action: "create"},
		{Address: "module.vpc.aws_subnet.public", Action: "create"},
		{Address: "module.compute.aws_instance.compromised", Action: "create"},
		{Address: "module.compute.aws_eip.malicious", Action: "create"},
	}}
}

func step2ApplyEvents() []steps.Event {
	return []steps.Event{
		steps.Phase{Name: "apply", Text: "applying the saved plan"},
		steps.ResourceStarted{Address: "module.vpc.aws_vpc.lab", Action: "create"},
		steps.ResourceDone{Address: "module.vpc.aws_vpc.lab", Action: "create", Elapsed: 2 * time.Second},
		steps.ResourceStarted{Address: "module.vpc.aws_subnet.public", Action: "create"},
		steps.ResourceDone{Address: "module.vpc.aws_subnet.public", Action: "create", Elapsed: time.Second},
		steps.ResourceStarted{Address: "module.compute.aws_instance.compromised", Action: "create"},
		steps.ResourceDone{Address: "module.compute.aws_instance.compromised", Action: "create", Elapsed: 12 * time.Second},
		steps.ResourceStarted{Address: "module.compute.aws_eip.malicious", Action: "create"},
		steps.ResourceDone{Address: "module.compute.aws_eip.malicious", Action: "create", Elapsed: time.Second},
		steps.Phase{Name: "checks", Text: "running the step's checks"},
	}
}

func step2Checks() []steps.CheckResult {
	return []steps.CheckResult{
		{ID: "instances", Title: "Both instances running", Status: steps.CheckPass,
			Detail: "i-0compromised and i-0malicious are running", Command: "aws ec2 describe-instances --filters Name=tag:gdlab:lab,Values=k3x9q2ab"},
		{ID: "eip", Title: "EIP on the malicious instance", Status: steps.CheckFail,
			Detail:  "no elastic IP is associated with i-0malicious",
			Hint:    "the association may still be in progress; press v in a minute",
			Command: "aws ec2 describe-addresses --filters Name=tag:gdlab:lab,Values=k3x9q2ab"},
	}
}

// sandboxMail is an outbox as the sandbox writes it, in delivery order: the
// subscription confirmation, then an alert.
func sandboxMail() []steps.Mail {
	from := "AWS Notifications <no-reply@sns.amazonaws.com>"
	return []steps.Mail{
		{Date: testStart.Add(30 * time.Second), From: from, To: "learner@example.com",
			Subject: "AWS Notification - Subscription Confirmation",
			Body: "You have chosen to subscribe to the topic:\narn:aws:sns:us-west-2:000000000000:gdlab-k3x9q2ab-alerts\n\n" +
				"To confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n" +
				"http://127.0.0.1:4566/_gdlab/v1/sns/confirm?Token=2336412f37fb687f5d51e6e2425f004a&TopicArn=arn:aws:sns:us-west-2:000000000000:gdlab-k3x9q2ab-alerts\n"},
		{Date: incidentT0.Add(4*time.Minute + 20*time.Second), From: from, To: "learner@example.com",
			Subject: "GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
			Body: "First seen 2026-03-14T12:04:00Z. Instance i-0compromised talked to 198.51.100.7, an address on the lab's threat list. Severity 5.\n\n" +
				"--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n" +
				"http://127.0.0.1:4566/_gdlab/v1/sns/unsubscribe?SubscriptionArn=arn:aws:sns:us-west-2:000000000000:gdlab-k3x9q2ab-alerts:5f1c\n"},
	}
}
