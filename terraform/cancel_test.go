package terraform

import (
	"context"
	"errors"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// TestCancelMidApplyThenResume cancels while a resource is being created:
// terraform must get the interrupt (not a kill), stop gracefully and leave
// a valid state, and the next plan and apply must complete the lab.
func TestCancelMidApplyThenResume(t *testing.T) {
	t.Parallel()
	ws, r := testLab(t, []string{"main.tf", "step2_slow.tf"}, map[string]any{"lab_id": "ab12cd34", "sleep_seconds": 60}, Options{})
	ctx := testContext(t)
	if _, err := r.Init(ctx, nil); err != nil {
		t.Fatal(err)
	}
	plan, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	applyCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var gracefulStop, baseDone, sleeping bool
	res, err := r.Apply(applyCtx, plan.PlanFile, func(ev Event) {
		switch e := ev.(type) {
		case ApplyComplete:
			baseDone = baseDone || e.Resource.Addr == "terraform_data.base"
		case ProvisionEvent:
			sleeping = sleeping || (e.Type == TypeProvisionProgress && e.Resource.Addr == "module.slow.terraform_data.wait")
		case tfjson.LogMessage:
			// Terraform says this only when it received SIGINT and shuts down itself.
			if strings.Contains(e.Message(), "Gracefully shutting down") {
				gracefulStop = true
			}
		}
		// Interrupt once base is created and the 60s sleep is under way, so
		// the expected state does not depend on which finished first.
		if baseDone && sleeping {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("apply after cancel: %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("cancel reads as %q", err)
	}
	if !gracefulStop {
		t.Error("terraform did not report a graceful shutdown (was it killed?)")
	}
	var wait *ResourceResult
	for i := range res.Summary.Resources {
		if res.Summary.Resources[i].Address == "module.slow.terraform_data.wait" {
			wait = &res.Summary.Resources[i]
		}
	}
	if wait == nil || wait.Done {
		t.Errorf("interrupted resource = %+v, want started and not done", wait)
	}

	// The state is readable and holds what completed before the interrupt.
	state, err := r.State(ctx)
	if err != nil {
		t.Fatalf("state after cancel: %v", err)
	}
	if state.Values == nil || len(state.Values.RootModule.Resources) != 1 || state.Values.RootModule.Resources[0].Address != "terraform_data.base" {
		t.Errorf("state after cancel: %+v", state.Values)
	}
	// An interrupted create is kept as tainted, so the next apply replaces it.
	for _, m := range state.Values.RootModule.ChildModules {
		for _, res := range m.Resources {
			if res.Address != "module.slow.terraform_data.wait" || !res.Tainted {
				t.Errorf("after cancel the state holds %s (tainted %v)", res.Address, res.Tainted)
			}
		}
	}

	// Resume: a short sleep this time, re-plan, apply.
	writeRoot(t, ws, []string{"main.tf", "step2_slow.tf"}, map[string]any{"lab_id": "ab12cd34", "sleep_seconds": 0})
	again, err := r.Plan(ctx, PlanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.HasChanges || again.Summary.Add != 2 {
		t.Errorf("resume plan = %+v", again.Summary)
	}
	if _, err := r.Apply(ctx, again.PlanFile, nil); err != nil {
		t.Fatalf("resume apply: %v", err)
	}
	out, err := r.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := out.String("slow_id"); err != nil || id == "" {
		t.Errorf("slow_id after resume = %q, %v", id, err)
	}
}
