package terraform

import (
	"context"
	"io"
	"os/exec"
	"testing"
)

// BenchmarkCommandOverhead measures each terraform command through the
// runner on a one-resource terraform_data root: the floor that any lab step
// pays before a provider does real work. "raw-plan" runs the same plan
// without the wrapper, to show what the wrapper itself adds.
//
//	go test -run '^$' -bench CommandOverhead -benchtime 20x ./terraform/
func BenchmarkCommandOverhead(b *testing.B) {
	ctx := context.Background()
	newLab := func(b *testing.B) (*Workspace, *Runner) {
		ws, r := testLab(b, []string{"main.tf"}, nil, Options{})
		if err := r.ForceInit(ctx, nil); err != nil {
			b.Fatal(err)
		}
		return ws, r
	}
	plan := func(b *testing.B, r *Runner) *PlanResult {
		p, err := r.Plan(ctx, PlanOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	b.Run("version", func(b *testing.B) {
		bin := terraformBinary(b)
		for i := 0; i < b.N; i++ {
			if err := exec.Command(bin, "version", "-json").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("init", func(b *testing.B) {
		_, r := newLab(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := r.ForceInit(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("init-with-module", func(b *testing.B) {
		_, r := testLab(b, []string{"main.tf", "step2_slow.tf"}, nil, Options{})
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := r.ForceInit(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("init-skipped", func(b *testing.B) {
		_, r := newLab(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if ran, err := r.Init(ctx, nil); err != nil || ran {
				b.Fatalf("init ran %v, %v", ran, err)
			}
		}
	})
	b.Run("plan", func(b *testing.B) {
		_, r := newLab(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			plan(b, r)
		}
	})
	b.Run("raw-plan", func(b *testing.B) {
		ws, _ := newLab(b)
		bin := terraformBinary(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cmd := exec.Command(bin, "plan", "-json", "-input=false", "-out=.gdlab/raw.tfplan")
			cmd.Dir, cmd.Stdout = ws.Dir(), io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apply", func(b *testing.B) {
		_, r := newLab(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			p := plan(b, r)
			b.StartTimer()
			if _, err := r.Apply(ctx, p.PlanFile, nil); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if _, err := r.Destroy(ctx, nil); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
	b.Run("destroy", func(b *testing.B) {
		_, r := newLab(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := r.Apply(ctx, plan(b, r).PlanFile, nil); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := r.Destroy(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("outputs", func(b *testing.B) {
		_, r := newLab(b)
		if _, err := r.Apply(ctx, plan(b, r).PlanFile, nil); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := r.Outputs(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
