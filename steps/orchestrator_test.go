package steps

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gdlab-dev/gdlab/internal/moto"
	"github.com/gdlab-dev/gdlab/internal/testtool"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// recorder collects what a run emitted.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) emit(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) done(addr string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if d, ok := e.(ResourceDone); ok && d.Address == addr {
			return true
		}
	}
	return false
}

func requireTerraform(t *testing.T) {
	t.Helper()
	testtool.Require(t, "terraform", "terraform is preinstalled on this kind of machine")
	// The machine's TF_CLI_CONFIG_FILE may name a missing file; give
	// terraform an empty one so nothing is fetched or warned about.
	cfg := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cfg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_CLI_CONFIG_FILE", cfg)
	t.Setenv("TF_PLUGIN_CACHE_DIR", "")
}

func openFixtureLab(t *testing.T, ctx context.Context, dir string, builds *int) *Orchestrator {
	t.Helper()
	cfg, err := probe.LoadConfig(ctx, "", "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(ctx, Options{
		Dir: dir, Target: TargetAWS, Region: "us-west-2", Email: "learner@example.com",
		AWS: cfg, LabFiles: os.DirFS("testdata/lab"),
		BuildLambdaZip: func(ctx context.Context, path string) error {
			*builds++
			return os.WriteFile(path, []byte("PK fixture"), 0o644)
		},
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return o
}

// TestOrchestratorWalksTheLab drives the real terraform through the steps of
// a terraform_data fixture lab, with probes pointed at moto: plan and apply
// per step, the journal across processes, step 8's convergence check, and
// destroy with the audit.
func TestOrchestratorWalksTheLab(t *testing.T) {
	requireTerraform(t)
	m := moto.Start(t)
	m.Setenv(t, "us-west-2")
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "lab")
	builds := 0

	o := openFixtureLab(t, ctx, dir, &builds)
	if o.Resumed() {
		t.Fatal("a new folder must not count as resumed")
	}
	if _, err := o.Apply(ctx, 2, func(Event) {}); err == nil {
		t.Fatal("applying a step that was never planned must fail")
	}

	sum, err := o.Plan(ctx, 1, func(Event) {})
	if err != nil || sum.Add != 0 {
		t.Fatalf("plan step 1: %+v %v", sum, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.tf")); err != nil {
		t.Fatalf("step 1 must write the lab folder: %v", err)
	}
	if _, err := o.Apply(ctx, 1, func(Event) {}); err != nil {
		t.Fatalf("apply step 1: %v", err)
	}
	if o.Target().Account == "" {
		t.Error("step 1's preflight must find the account")
	}

	rec := &recorder{}
	sum, err = o.Plan(ctx, 2, rec.emit)
	if err != nil {
		t.Fatalf("plan step 2: %v", err)
	}
	if sum.Add != 1 || len(sum.Resources) != 1 || sum.Resources[0].Address != "module.vpc.terraform_data.vpc" {
		t.Fatalf("plan step 2 summary: %+v", sum)
	}
	checks, err := o.Apply(ctx, 2, rec.emit)
	if err != nil {
		t.Fatalf("apply step 2: %v", err)
	}
	if !rec.done("module.vpc.terraform_data.vpc") {
		t.Error("apply must report the resource it created")
	}
	if len(checks) == 0 {
		t.Fatal("step 2 must run its checks")
	}
	// The fixture builds no instances in moto, so the checks fail and
	// the step stays applied rather than checked.
	if got := o.States()[2]; got != StateApplied {
		t.Errorf("step 2 state %v, want applied", got)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}

	// A second process resumes the same lab.
	o = openFixtureLab(t, ctx, dir, &builds)
	defer o.Close()
	if !o.Resumed() || o.States()[2] != StateApplied || o.Journal().CurrentStep() != 3 {
		t.Fatalf("reopen lost progress: resumed=%v states=%v", o.Resumed(), o.States())
	}
	for n := 3; n <= 7; n++ {
		if _, err := o.Plan(ctx, n, func(Event) {}); err != nil {
			t.Fatalf("plan step %d: %v", n, err)
		}
		if _, err := o.Apply(ctx, n, func(Event) {}); err != nil {
			t.Fatalf("apply step %d: %v", n, err)
		}
	}
	if builds != 1 {
		t.Errorf("the Lambda step must build the function's zip once before planning, built %d times", builds)
	}
	vars, err := os.ReadFile(filepath.Join(dir, terraform.VariablesFile))
	if err != nil || !strings.Contains(string(vars), "learner@example.com") {
		t.Errorf("variables file must carry the email: %s %v", vars, err)
	}

	sum, err = o.Plan(ctx, 8, func(Event) {})
	if err != nil || sum.Add+sum.Change+sum.Destroy != 0 {
		t.Fatalf("step 8 plan must be empty: %+v %v", sum, err)
	}
	checks, err = o.Apply(ctx, 8, func(Event) {})
	if err != nil {
		t.Fatalf("apply step 8: %v", err)
	}
	var converged *CheckResult
	for i := range checks {
		if checks[i].ID == "converge.plan-empty" {
			converged = &checks[i]
		}
	}
	if converged == nil || converged.Status != CheckPass {
		t.Fatalf("step 8 must prove convergence: %+v", converged)
	}

	rec = &recorder{}
	audit, err := o.Destroy(ctx, rec.emit)
	if err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if len(audit.Leftovers) != 0 {
		t.Errorf("nothing was built in moto, so nothing may be left: %+v", audit.Leftovers)
	}
	if st := o.States(); st[2] != StatePending || st[7] != StatePending {
		t.Errorf("after destroy the steps are pending again: %v", st)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err == nil {
		state, _ := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
		if strings.Contains(string(state), "terraform_data") {
			t.Error("state still holds resources after destroy")
		}
	}
}

func TestOrchestratorRefusesSecondProcessAndOtherTarget(t *testing.T) {
	requireTerraform(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "lab")
	builds := 0
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	o := openFixtureLab(t, ctx, dir, &builds)
	_, err := Open(ctx, Options{Dir: dir, Target: TargetAWS, Region: "us-west-2", LabFiles: os.DirFS("testdata/lab")})
	var locked *terraform.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("a second Open on the same folder must be refused by the lock, got %v", err)
	}
	o.Close()
	_, err = Open(ctx, Options{Dir: dir, Target: TargetSandbox, Region: "us-west-2", LabFiles: os.DirFS("testdata/lab")})
	if err == nil || !strings.Contains(err.Error(), "--sandbox") {
		t.Fatalf("an AWS lab folder opened as sandbox must be refused with advice, got %v", err)
	}
	_, err = Open(ctx, Options{Dir: dir, Target: TargetAWS, Region: "eu-west-1", LabFiles: os.DirFS("testdata/lab")})
	if err == nil || !strings.Contains(err.Error(), "us-west-2") {
		t.Fatalf("a region change must be refused naming the lab's region, got %v", err)
	}
}

// Outbox reads through Options.ReadOutbox, which only the sandbox sets; a
// lab without it says where real email goes.
func TestOrchestratorOutbox(t *testing.T) {
	ctx := context.Background()
	_, err := (&Orchestrator{}).Outbox(ctx)
	if err == nil || !strings.Contains(err.Error(), "only the sandbox has an outbox") {
		t.Errorf("AWS lab outbox: %v", err)
	}
	want := []Mail{{From: "no-reply@sns.amazonaws.com", To: "learner@example.com", Subject: "hello", Body: "text\n"}}
	o := &Orchestrator{opts: Options{ReadOutbox: func(context.Context) ([]Mail, error) { return want, nil }}}
	got, err := o.Outbox(ctx)
	if err != nil || len(got) != 1 || got[0] != want[0] {
		t.Errorf("sandbox outbox: %v, %v", got, err)
	}
}
