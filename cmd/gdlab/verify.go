package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps"
)

// verifiedStep is one step's checks as `gdlab verify` reports them.
type verifiedStep struct {
	Step   int               `json:"step"`
	Title  string            `json:"title"`
	Error  string            `json:"error"`
	Checks []jsonCheckResult `json:"checks"`
}

type jsonCheckResult struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	Detail  string `json:"detail"`
	Hint    string `json:"hint"`
	Command string `json:"command"`
}

type verifyReport struct {
	LabID  string         `json:"lab_id"`
	Target string         `json:"target"`
	Region string         `json:"region"`
	OK     bool           `json:"ok"`
	Steps  []verifiedStep `json:"steps"`
}

func newVerifyCommand(g *globalFlags) *cobra.Command {
	var step int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Run the checks of one step, or of every applied step",
		Long: `verify runs the checks of a step against the account (or the sandbox) and
prints each one with what it saw, what to do when it failed, and the AWS CLI
command that checks the same thing by hand. Without --step it checks every
step the lab's journal records as applied.

Exit status 0 when no check failed, 1 otherwise.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("step") && (step < 1 || step > steps.LastLabStep) {
				return usageError("--step %d: the lab has steps 1 to %d", step, steps.LastLabStep)
			}
			return runVerify(cmd, g, step, asJSON)
		},
	}
	cmd.Flags().IntVar(&step, "step", 0, "the step to check (default: every applied step)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

func runVerify(cmd *cobra.Command, g *globalFlags, step int, asJSON bool) error {
	j, err := existingJournal(g.dir)
	if err != nil {
		return err
	}
	if j == nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("there is no lab in %s yet: start one with `gdlab` or `gdlab run --auto`", g.dir)}
	}
	ctx, stop := interruptContext(cmd.Context(), cmd.ErrOrStderr())
	defer stop()
	s, err := openSession(ctx, g, sessionRequest{kind: resolveTarget(g, j)})
	if err != nil {
		return err
	}
	defer s.Close()

	which := []int{step}
	if step == 0 {
		which = appliedSteps(s.lab.States())
	}
	if len(which) == 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("no step of lab %s is applied yet: nothing to verify", j.LabID)}
	}
	t := s.lab.Target()
	report := verifyReport{LabID: t.LabID, Target: string(t.Kind), Region: t.Region, OK: true}
	for _, n := range which {
		vs := verifiedStep{Step: n, Title: stepTitle(n), Checks: []jsonCheckResult{}}
		checks, err := s.lab.Verify(ctx, n)
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, msg: "interrupted"}
		}
		if err != nil {
			vs.Error = err.Error()
			report.OK = false
		}
		for _, c := range checks {
			if c.Status == steps.CheckFail {
				report.OK = false
			}
			vs.Checks = append(vs.Checks, jsonCheckResult{c.ID, c.Title, string(c.Status), c.Detail, c.Hint, c.Command})
		}
		report.Steps = append(report.Steps, vs)
	}
	return writeReport(cmd.OutOrStdout(), asJSON, report,
		func(w io.Writer) { printVerify(w, report) }, report.OK)
}

// appliedSteps are the steps the journal records as applied or checked.
func appliedSteps(states map[int]steps.StepState) []int {
	var out []int
	for n := 1; n <= steps.LastLabStep; n++ {
		if s := states[n]; s == steps.StateApplied || s == steps.StateChecked {
			out = append(out, n)
		}
	}
	return out
}

func stepTitle(n int) string {
	if s, ok := steps.ByNumber(n); ok {
		return s.Title
	}
	return fmt.Sprintf("Step %d", n)
}

func printVerify(w io.Writer, r verifyReport) {
	h := newHumanLines(w)
	h.printf("%s", h.s.heading.Render(fmt.Sprintf("gdlab verify · lab %s · %s · %s", r.LabID, r.Target, r.Region)))
	failed := 0
	for _, vs := range r.Steps {
		h.printf("\n%s", h.s.heading.Render(fmt.Sprintf("Step %d · %s", vs.Step, vs.Title)))
		if vs.Error != "" {
			h.printf("  %s could not check: %s", h.s.bad.Render("✗"), vs.Error)
			failed++
		}
		for _, c := range vs.Checks {
			status := steps.CheckStatus(c.Status)
			h.printf("  %s %s%s", h.mark(status), c.Title, detailSuffix(c.Detail))
			if status != steps.CheckPass && c.Hint != "" {
				h.printf("    hint: %s", c.Hint)
			}
			if c.Command != "" {
				h.printf("    %s", h.s.faint.Render("by hand: "+c.Command))
			}
			if status == steps.CheckFail {
				failed++
			}
		}
	}
	if r.OK {
		h.printf("\n%s", h.s.ok.Render("Every check passed."))
		return
	}
	h.printf("\n%s", h.s.bad.Render(fmt.Sprintf("%d problem%s to fix.", failed, plural(failed))))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
