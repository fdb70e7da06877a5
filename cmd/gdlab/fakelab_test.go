package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
)

// fakeLab is a scripted steps.Lab for command tests: every step plans one
// resource and passes one check unless a test overrides it.
type fakeLab struct {
	target   steps.Target
	states   map[int]steps.StepState
	checks   map[int][]steps.CheckResult
	applyErr map[int]error
	onApply  func(n int)
	audit    steps.AuditResult
	closed   bool
}

func (f *fakeLab) Target() steps.Target            { return f.target }
func (f *fakeLab) States() map[int]steps.StepState { return f.states }
func (f *fakeLab) Close() error                    { f.closed = true; return nil }

func (f *fakeLab) Plan(ctx context.Context, n int, emit func(steps.Event)) (steps.PlanSummary, error) {
	emit(steps.Phase{Name: "plan", Text: "terraform plan"})
	addr := fmt.Sprintf("module.step%d.terraform_data.x", n)
	return steps.PlanSummary{Add: 1, Resources: []steps.PlannedResource{{Address: addr, Action: "create"}}}, nil
}

func (f *fakeLab) Apply(ctx context.Context, n int, emit func(steps.Event)) ([]steps.CheckResult, error) {
	if f.onApply != nil {
		f.onApply(n)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	addr := fmt.Sprintf("module.step%d.terraform_data.x", n)
	emit(steps.ResourceStarted{Address: addr, Action: "create"})
	if err := f.applyErr[n]; err != nil {
		emit(steps.Diagnostic{Severity: "error", Summary: "boom", Hint: "try the other thing"})
		return nil, err
	}
	emit(steps.ResourceDone{Address: addr, Action: "create", Elapsed: time.Second})
	return f.Verify(ctx, n)
}

func (f *fakeLab) Verify(ctx context.Context, n int) ([]steps.CheckResult, error) {
	if c, ok := f.checks[n]; ok {
		return c, nil
	}
	return []steps.CheckResult{{ID: fmt.Sprintf("step%d.ok", n), Title: "it is there", Status: steps.CheckPass, Detail: "seen"}}, nil
}

func (f *fakeLab) Watch(ctx context.Context, emit func(steps.IncidentEvent)) error {
	now := time.Now()
	emit(steps.FindingSeen{ID: "f1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Severity: 5, FirstSeen: now})
	emit(steps.GroupsChanged{At: now, Before: []string{"sg-1"}, After: []string{"sg-2"}})
	emit(steps.ResponseComplete{TimeToRespond: 30 * time.Second,
		Timeline: []steps.TimelineEntry{{At: now, What: "finding"}, {At: now, What: "isolated"}}})
	return nil
}

func (f *fakeLab) SendSampleFinding(context.Context) error      { return nil }
func (f *fakeLab) ConfirmSubscription(context.Context) error    { return nil }
func (f *fakeLab) Outbox(context.Context) ([]steps.Mail, error) { return nil, nil }

func (f *fakeLab) Destroy(ctx context.Context, emit func(steps.Event)) (steps.AuditResult, error) {
	emit(steps.Phase{Name: "destroy", Text: "terraform destroy"})
	emit(steps.ResourceDone{Address: "module.vpc.aws_vpc.lab", Action: "delete", Elapsed: 2 * time.Second})
	return f.audit, nil
}

// fakeTarget records what the commands asked of the target layer.
type fakeTarget struct {
	opts          steps.Options
	sandboxClosed bool
}

// useFakeLab makes --sandbox open lab instead of a real sandbox and
// orchestrator, for the duration of the test.
func useFakeLab(t *testing.T, lab *fakeLab) *fakeTarget {
	t.Helper()
	ft := &fakeTarget{}
	prevOpen, prevSandbox := openLab, openSandbox
	t.Cleanup(func() { openLab, openSandbox = prevOpen, prevSandbox })
	openSandbox = func(ctx context.Context, g *globalFlags) (sandboxTarget, error) {
		return sandboxTarget{Region: "us-west-2", Email: "learner@sandbox.test",
			Preflight: &probe.PreflightReport{Ready: true, Region: "us-west-2", Account: "000000000000"},
			Close:     func() error { ft.sandboxClosed = true; return nil }}, nil
	}
	openLab = func(ctx context.Context, opts steps.Options) (labHandle, error) {
		ft.opts = opts
		if lab.target.Kind == "" {
			lab.target = steps.Target{Kind: opts.Target, Region: opts.Region, LabID: "k3v9x2ab", Dir: opts.Dir}
		}
		return lab, nil
	}
	return ft
}
