package terraform_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gdlab-dev/gdlab/terraform"
)

// Example shows one lab step: write the root, init if needed, plan, let the
// learner review, apply the saved plan, read outputs.
func Example() {
	ctx := context.Background()
	ws, err := terraform.OpenWorkspace("gdlab-lab") // refuses a second gdlab: *LockedError
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()

	res, err := ws.Write(terraform.Root{
		Files:     os.DirFS("lab"), // terraform/lab's Files in gdlab
		Fragments: []string{"main.tf", "step2_network.tf"},
		Variables: map[string]any{"region": "us-west-2", "lab_id": "ab12cd34"},
	}, terraform.WriteOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range res.Edited {
		fmt.Println("kept your edit of", e.Path)
	}

	bin, err := terraform.FindTerraform(ctx, "")
	if err != nil {
		fmt.Println(err) // *NotFoundError or *TooOldError; InstallTerraform is the opt-in way out
		return
	}
	r, err := terraform.NewRunner(ws, terraform.Options{ExecPath: bin.Path})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()

	show := func(ev terraform.Event) {
		if e, ok := ev.(terraform.ApplyComplete); ok {
			fmt.Println(e.Resource.Addr, "done after", e.Elapsed)
		}
	}
	if _, err := r.Init(ctx, show); err != nil {
		fmt.Println(err)
		return
	}
	plan, err := r.Plan(ctx, terraform.PlanOptions{}, show)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d to add, %d to change, %d to destroy\n", plan.Summary.Add, plan.Summary.Change, plan.Summary.Destroy)
	if _, err := r.Apply(ctx, plan.PlanFile, show); err != nil {
		var runErr *terraform.RunError
		if errors.As(err, &runErr) {
			for _, hint := range runErr.Hints() {
				fmt.Println("hint:", hint)
			}
		}
		return
	}
	out, _ := r.Outputs(ctx)
	vpc, _ := out.String("vpc_id")
	fmt.Println("vpc", vpc)
}
