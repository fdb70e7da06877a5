package terraform

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// indexOf is the position of the first event of a type for a resource, or -1.
func indexOf(events []Event, typ tfjson.LogMessageType, addr string) int {
	for i, ev := range events {
		if TypeOf(ev) != typ {
			continue
		}
		var a string
		switch e := ev.(type) {
		case PlannedChange:
			a = e.Resource.Addr
		case ApplyStart:
			a = e.Resource.Addr
		case ApplyComplete:
			a = e.Resource.Addr
		case ApplyErrored:
			a = e.Resource.Addr
		case ProvisionEvent:
			a = e.Resource.Addr
		}
		if addr == "" || a == addr {
			return i
		}
	}
	return -1
}

func TestRunnerPlanApplyDestroy(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	ws, r := testLab(t, []string{"main.tf", "step2_slow.tf"}, map[string]any{"lab_id": "ab12cd34", "sleep_seconds": 1}, Options{})

	ran, err := r.Init(ctx, nil)
	if err != nil || !ran {
		t.Fatalf("first init: ran %v, %v", ran, err)
	}
	if ran, err := r.Init(ctx, nil); err != nil || ran {
		t.Fatalf("second init: ran %v, %v; want skipped", ran, err)
	}

	var planEvents recorder
	plan, err := r.Plan(ctx, PlanOptions{}, planEvents.handle)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.HasChanges || plan.Summary.Add != 3 || plan.Summary.Change+plan.Summary.Destroy != 0 {
		t.Errorf("plan summary = %+v, has changes %v", plan.Summary, plan.HasChanges)
	}
	var planned []string
	for _, rc := range plan.Summary.Resources {
		planned = append(planned, rc.Address+" "+string(rc.Action))
	}
	slices.Sort(planned)
	want := []string{"module.slow.terraform_data.after create", "module.slow.terraform_data.wait create", "terraform_data.base create"}
	if !slices.Equal(planned, want) {
		t.Errorf("planned = %v, want %v", planned, want)
	}
	if ts := planEvents.types(); len(ts) == 0 || ts[0] != "version" || !slices.Contains(ts, string(TypeChangeSummary)) {
		t.Errorf("plan events = %v", ts)
	}
	if _, err := os.Stat(plan.PlanFile); err != nil {
		t.Fatalf("saved plan: %v", err)
	}
	full, err := r.ShowPlan(ctx, plan.PlanFile)
	if err != nil || len(full.ResourceChanges) != 3 {
		t.Fatalf("ShowPlan: %v", err)
	}

	var applyEvents recorder
	applied, err := r.Apply(ctx, plan.PlanFile, applyEvents.handle)
	if err != nil {
		t.Fatal(err)
	}
	ev := applyEvents.events
	const wait, after = "module.slow.terraform_data.wait", "module.slow.terraform_data.after"
	order := []int{
		indexOf(ev, TypeApplyStart, wait), indexOf(ev, TypeProvisionStart, wait), indexOf(ev, TypeProvisionComplete, wait),
		indexOf(ev, TypeApplyComplete, wait), indexOf(ev, TypeApplyStart, after), indexOf(ev, TypeApplyComplete, after),
		indexOf(ev, TypeChangeSummary, ""), indexOf(ev, TypeOutputs, ""),
	}
	if slices.Contains(order, -1) || !slices.IsSorted(order) {
		t.Errorf("apply event order %v in %v", order, applyEvents.types())
	}
	if applied.Summary.Added != 3 || len(applied.Summary.Resources) != 3 {
		t.Errorf("apply summary = %+v", applied.Summary)
	}
	for _, res := range applied.Summary.Resources {
		if !res.Done || res.Failed {
			t.Errorf("resource %+v not done", res)
		}
	}
	if _, err := os.Stat(plan.PlanFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("applied plan file still there: %v", err)
	}

	out, err := r.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := out.String("message")
	ready, berr := out.Bool("ready")
	slowID, serr := out.String("slow_id")
	if err != nil || berr != nil || serr != nil || msg != "ab12cd34:one" || !ready || slowID == "" {
		t.Errorf("outputs message=%q ready=%v slow_id=%q (%v %v %v)", msg, ready, slowID, err, berr, serr)
	}
	if _, err := out.String("missing"); err == nil {
		t.Error("missing output read without error")
	}

	again, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil || again.HasChanges || !again.Summary.Empty() {
		t.Errorf("plan after apply: changes %v summary %+v err %v", again.HasChanges, again.Summary, err)
	}

	destroyed, err := r.Destroy(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if destroyed.Summary.Destroyed != 3 {
		t.Errorf("destroy summary = %+v", destroyed.Summary)
	}
	state, err := r.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Values != nil && len(state.Values.RootModule.Resources)+len(state.Values.RootModule.ChildModules) != 0 {
		t.Errorf("resources left after destroy: %+v", state.Values.RootModule)
	}

	log, err := os.ReadFile(ws.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"terraform init", "terraform plan", "terraform apply", "terraform destroy", `"type":"apply_complete"`} {
		if !bytes.Contains(log, []byte(cmd)) {
			t.Errorf("log lacks %q", cmd)
		}
	}
}

// TestSavedPlanIsWhatRuns changes a variable after planning: the apply must
// run the reviewed plan, not the changed configuration.
func TestSavedPlanIsWhatRuns(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	ws, r := testLab(t, []string{"main.tf"}, map[string]any{"lab_id": "ab12cd34", "message": "one"}, Options{})
	if _, err := r.Init(ctx, nil); err != nil {
		t.Fatal(err)
	}
	plan, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeRoot(t, ws, []string{"main.tf"}, map[string]any{"lab_id": "ab12cd34", "message": "two"})
	if _, err := r.Apply(ctx, plan.PlanFile, nil); err != nil {
		t.Fatal(err)
	}
	out, err := r.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if msg, _ := out.String("message"); msg != "ab12cd34:one" {
		t.Fatalf("message = %q, want the planned ab12cd34:one", msg)
	}
	next, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next.Summary.Change != 1 || len(next.Summary.Resources) != 1 || next.Summary.Resources[0].Action != ActionUpdate {
		t.Errorf("plan after the change = %+v", next.Summary)
	}
	if _, err := r.Apply(ctx, filepath.Join(ws.JournalDir(), "nope.tfplan"), nil); err == nil {
		t.Error("apply without a saved plan succeeded")
	}

	// A reviewed destroy: plan the removal, then apply that plan.
	gone, err := r.Plan(ctx, PlanOptions{Destroy: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gone.Summary.Destroy != 1 || gone.Summary.Resources[0].Action != ActionDelete {
		t.Errorf("destroy plan = %+v", gone.Summary)
	}
	res, err := r.Apply(ctx, gone.PlanFile, nil)
	if err != nil || res.Summary.Destroyed != 1 {
		t.Fatalf("apply of the destroy plan: %+v, %v", res, err)
	}
}

func TestApplyFailureGivesDiagnosticsAndHints(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	_, r := testLab(t, []string{"main.tf", "step3_fail.tf"}, nil, Options{})
	if _, err := r.Init(ctx, nil); err != nil {
		t.Fatal(err)
	}
	plan, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Apply(ctx, plan.PlanFile, nil)
	var runErr *RunError
	if !errors.As(err, &runErr) {
		t.Fatalf("apply error = %v, want *RunError", err)
	}
	if runErr.Command != "apply" || len(runErr.Diagnostics) == 0 {
		t.Fatalf("run error = %+v", runErr)
	}
	d := runErr.Diagnostics[0]
	if d.Address != "module.failing.terraform_data.bad" || d.Severity != tfjson.DiagnosticSeverityError || !strings.Contains(d.Hint, "ec2:CreateVpc") {
		t.Errorf("diagnostic = %+v", d)
	}
	if !strings.Contains(err.Error(), "module.failing.terraform_data.bad") || len(runErr.Hints()) != 1 {
		t.Errorf("error %q, hints %v", err, runErr.Hints())
	}
	var failed, done []string
	for _, rr := range res.Summary.Resources {
		if rr.Failed {
			failed = append(failed, rr.Address)
		}
		if rr.Done {
			done = append(done, rr.Address)
		}
	}
	// base runs beside the failing resource; whether it finishes first is terraform's business.
	if !slices.Equal(failed, []string{"module.failing.terraform_data.bad"}) || slices.Contains(done, "module.failing.terraform_data.bad") {
		t.Errorf("failed %v done %v", failed, done)
	}
	if errors.Is(err, context.Canceled) {
		t.Error("a failure reads as a cancel")
	}
}

func TestPlanErrorKeepsNoOldPlan(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	ws, r := testLab(t, []string{"main.tf"}, nil, Options{})
	if _, err := r.Init(ctx, nil); err != nil {
		t.Fatal(err)
	}
	plan, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// lab_id is required: without the variables file the plan fails.
	os.Remove(filepath.Join(ws.Dir(), VariablesFile))
	failed, err := r.Plan(ctx, PlanOptions{}, nil)
	var runErr *RunError
	if !errors.As(err, &runErr) || len(runErr.Diagnostics) == 0 || !strings.Contains(runErr.Diagnostics[0].Summary, "No value for required variable") {
		t.Fatalf("plan error = %v", err)
	}
	if len(failed.Diagnostics) == 0 {
		t.Error("failed plan result has no diagnostics")
	}
	if _, err := os.Stat(plan.PlanFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old plan file survived a failed plan: %v", err)
	}
}

func TestInitRunsWhenModulesChange(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	ws, r := testLab(t, []string{"main.tf"}, nil, Options{})
	steps := []struct {
		name    string
		change  func()
		wantRan bool
	}{
		{name: "first", change: func() {}, wantRan: true},
		{name: "unchanged", change: func() {}, wantRan: false},
		{name: "variable value changed", change: func() {
			writeRoot(t, ws, []string{"main.tf"}, map[string]any{"lab_id": "zz", "message": "x"})
		}, wantRan: false},
		{name: "module added", change: func() { writeRoot(t, ws, []string{"main.tf", "step2_slow.tf"}, nil) }, wantRan: true},
		{name: "same modules", change: func() {}, wantRan: false},
		{name: ".terraform deleted", change: func() { os.RemoveAll(filepath.Join(ws.Dir(), ".terraform")) }, wantRan: true},
	}
	for _, s := range steps {
		s.change()
		ran, err := r.Init(ctx, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if ran != s.wantRan {
			t.Errorf("%s: init ran = %v, want %v", s.name, ran, s.wantRan)
		}
	}
	if _, err := r.Plan(ctx, PlanOptions{}, nil); err != nil {
		t.Fatalf("plan after the init sequence: %v", err)
	}
}

// TestSandboxHook: extra env and an own CLI config reach terraform (and its
// provisioners) for that runner only; a runner without them passes the
// user's environment through.
func TestSandboxHook(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cliConfig := filepath.Join(t.TempDir(), "sandbox.tfrc")
	if err := os.WriteFile(cliConfig, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "sandbox", opts: Options{Env: map[string]string{"GDLAB_TEST_MARK": "sandbox-1"}, CLIConfigFile: cliConfig}, want: "mark=sandbox-1 cli=" + cliConfig},
		{name: "user environment", opts: Options{}, want: "mark= cli=" + os.Getenv("TF_CLI_CONFIG_FILE")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := testLab(t, []string{"main.tf", "step_env.tf"}, nil, tt.opts)
			if _, err := r.Init(ctx, nil); err != nil {
				t.Fatal(err)
			}
			plan, err := r.Plan(ctx, PlanOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var printed []string
			_, err = r.Apply(ctx, plan.PlanFile, func(ev Event) {
				if p, ok := ev.(ProvisionEvent); ok && p.Type == TypeProvisionProgress && strings.HasPrefix(p.Output, "mark=") {
					printed = append(printed, p.Output)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(printed, []string{tt.want}) {
				t.Errorf("provisioner saw %q, want %q", printed, tt.want)
			}
		})
	}
	if os.Getenv("GDLAB_TEST_MARK") != "" {
		t.Error("the hook leaked into this process's environment")
	}
}

// TestNothingOnTheTerminal runs commands with stdout and stderr redirected
// and expects them empty: terraform's output belongs in the log file.
func TestNothingOnTheTerminal(t *testing.T) {
	ctx := testContext(t)
	_, r := testLab(t, []string{"main.tf", "step3_fail.tf"}, nil, Options{})
	rOut, wOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = wOut, wOut
	func() {
		defer func() { os.Stdout, os.Stderr = stdout, stderr }()
		r.Init(ctx, nil)
		if plan, err := r.Plan(ctx, PlanOptions{}, nil); err == nil {
			r.Apply(ctx, plan.PlanFile, nil)
		}
		r.Outputs(ctx)
	}()
	wOut.Close()
	var printed bytes.Buffer
	printed.ReadFrom(rOut)
	if printed.Len() != 0 {
		t.Errorf("printed to the terminal: %q", printed.String())
	}
}
