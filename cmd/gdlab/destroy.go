package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps"
)

func newDestroyCommand(g *globalFlags) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "destroy",
		Short: "Remove everything the lab created, then audit that nothing tagged is left",
		Long: `destroy runs terraform destroy for the lab folder (--dir), then searches the
account for anything still tagged with the lab's id and prints what is left
with the command that deletes it. A GuardDuty detector that existed before
the lab is left alone.

It asks you to type the lab id first, unless --yes. Exit status 0 when
nothing is left, 1 when something is, 130 when interrupted.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDestroy(cmd, g, yes)
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return cmd
}

func runDestroy(cmd *cobra.Command, g *globalFlags, yes bool) error {
	out := cmd.OutOrStdout()
	if !yes && !isTerminal(cmd.InOrStdin()) {
		return usageError("destroy asks you to type the lab id, and there is no terminal to ask on; pass --yes to destroy without asking")
	}
	j, err := existingJournal(g.dir)
	if err != nil {
		return err
	}
	if j == nil {
		fmt.Fprintf(out, "There is no lab in %s: nothing to destroy.\n", g.dir)
		return nil
	}
	ctx, stop := interruptContext(cmd.Context(), cmd.ErrOrStderr())
	defer stop()
	s, err := openSession(ctx, g, sessionRequest{kind: resolveTarget(g, j)})
	if err != nil {
		return err
	}
	defer s.Close()
	t := s.lab.Target()
	if !yes {
		if err := confirmLabID(cmd.InOrStdin(), out, t); err != nil {
			return err
		}
	}

	h := newHumanLines(out)
	h.printf("%s", h.s.heading.Render(fmt.Sprintf("Destroying lab %s (%s)", t.LabID, describeTarget(t))))
	audit, err := s.lab.Destroy(ctx, h.progress)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, msg: "interrupted; terraform stopped cleanly, run `gdlab destroy` again to finish"}
	}
	if err != nil {
		return &exitError{code: exitFailed, msg: "destroy failed: " + err.Error()}
	}
	s.logger.Info("destroy finished", "leftovers", len(audit.Leftovers), "kept", len(audit.Kept))
	printAudit(h, t, audit)
	if len(audit.Leftovers) > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// confirmLabID asks the learner to type the lab id, as the TUI's cleanup
// dialog does, so a stray `gdlab destroy` cannot remove a lab by accident.
func confirmLabID(in io.Reader, out io.Writer, t steps.Target) error {
	var typed string
	err := huh.NewForm(huh.NewGroup(
		huh.NewInput().
			Title(fmt.Sprintf("Destroy lab %s (%s)?", t.LabID, describeTarget(t))).
			Description("Type the lab id to confirm; Esc or Ctrl-C cancels.").
			Value(&typed).
			Validate(func(s string) error {
				if s != t.LabID {
					return fmt.Errorf("type %s to confirm", t.LabID)
				}
				return nil
			}),
	)).WithTheme(formTheme()).WithInput(in).WithOutput(out).Run()
	if errors.Is(err, huh.ErrUserAborted) {
		return &exitError{code: exitInterrupted, msg: "cancelled; nothing was destroyed"}
	}
	return err
}

func printAudit(h *humanLines, t steps.Target, a steps.AuditResult) {
	h.printf("")
	for _, k := range a.Kept {
		h.printf("  %s kept on purpose: %s", h.s.faint.Render("·"), k)
	}
	if len(a.Leftovers) == 0 {
		h.printf("%s", h.s.ok.Render(fmt.Sprintf("✓ 0 resources left tagged gdlab:lab=%s.", t.LabID)))
		return
	}
	h.printf("%s", h.s.bad.Render(fmt.Sprintf("✗ %d resource%s left:", len(a.Leftovers), plural(len(a.Leftovers)))))
	for _, l := range a.Leftovers {
		h.printf("  %s %s", valueOr(l.Kind, "resource"), valueOr(l.ARN, ""))
		if l.Note != "" {
			h.printf("    %s", l.Note)
		}
		if l.DeleteCommand != "" {
			h.printf("    delete: %s", l.DeleteCommand)
		}
	}
}

func describeTarget(t steps.Target) string {
	if t.Kind == steps.TargetSandbox {
		return "offline sandbox, " + t.Region
	}
	if t.Account != "" {
		return fmt.Sprintf("AWS account %s, %s", t.Account, t.Region)
	}
	return "AWS, " + t.Region
}

// formTheme is huh's plain theme under NO_COLOR.
func formTheme() *huh.Theme {
	if os.Getenv("NO_COLOR") != "" {
		return huh.ThemeBase()
	}
	return huh.ThemeCharm()
}
