package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/tui"
)

// runInteractive is `gdlab` alone: pick the target, ask what is missing,
// then hand the terminal to the TUI.
func runInteractive(cmd *cobra.Command, g *globalFlags) error {
	in, out := cmd.InOrStdin(), cmd.OutOrStdout()
	if !isTerminal(in) || !isTerminal(out) {
		return usageError("gdlab needs a terminal; use `gdlab run --auto` (with --json for JSON lines) to run the lab without one")
	}
	ctx := cmd.Context()
	j, err := existingJournal(g.dir)
	if err != nil {
		return err
	}
	req := sessionRequest{kind: resolveTarget(g, j), runPreflight: true}
	if !g.sandbox && j == nil {
		req, err = chooseTarget(ctx, g, in, out)
		if err != nil {
			return err
		}
	}
	if req.kind == steps.TargetSandbox && openSandbox == nil {
		return errSandboxNotBuilt
	}
	if req.kind == steps.TargetAWS && g.email == "" && journalEmail(j) == "" {
		if req.email, err = askEmail(in, out); err != nil {
			return err
		}
	}
	if req.kind == steps.TargetAWS && req.preflight == nil {
		fmt.Fprintln(out, "Checking AWS credentials, the region and GuardDuty…")
	}
	s, err := openSession(ctx, g, req)
	if err != nil {
		return err
	}
	defer s.Close()
	return runTUI(ctx, s, in, out)
}

// chooseTarget runs the preflight and offers the AWS account it found or
// the offline sandbox. Without credentials it goes to the sandbox.
func chooseTarget(ctx context.Context, g *globalFlags, in io.Reader, out io.Writer) (sessionRequest, error) {
	fmt.Fprintln(out, "Looking for AWS credentials and the region's GuardDuty detector…")
	report := probe.Preflight(ctx, probe.PreflightOptions{Profile: g.profile, Region: g.region,
		Email: g.email, Timeout: preflightTimeout})
	aws := sessionRequest{kind: steps.TargetAWS, preflight: &report, runPreflight: true}
	sandbox := sessionRequest{kind: steps.TargetSandbox, runPreflight: true}
	if report.Account == "" {
		why := credentialsDetail(report)
		if openSandbox == nil {
			return aws, &exitError{code: exitFailed, msg: why + ". The offline sandbox is not built yet in this version: configure credentials (`aws configure` or `aws sso login`) and run gdlab again."}
		}
		fmt.Fprintf(out, "%s. Starting the offline sandbox.\n", why)
		return sandbox, nil
	}
	awsLabel := awsChoiceLabel(report, time.Now())
	if openSandbox == nil {
		fmt.Fprintf(out, "Using %s (the offline sandbox is not built yet in this version).\n", awsLabel)
		return aws, nil
	}
	choice := "aws"
	err := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().
			Title("Where should the lab run?").
			Options(
				huh.NewOption(awsLabel, "aws"),
				huh.NewOption("Offline sandbox: simulated AWS on this machine, $0", "sandbox"),
			).
			Value(&choice),
	)).WithTheme(formTheme()).WithInput(in).WithOutput(out).Run()
	if errors.Is(err, huh.ErrUserAborted) {
		return aws, &exitError{code: exitInterrupted}
	}
	if err != nil {
		return aws, err
	}
	if choice == "sandbox" {
		return sandbox, nil
	}
	return aws, nil
}

// awsChoiceLabel describes the account the preflight found, with what the
// whole lab would cost per hour there.
func awsChoiceLabel(r probe.PreflightReport, now time.Time) string {
	reuse := "no"
	if r.ExistingDetectorID != "" {
		reuse = "yes"
	}
	perHour := steps.HourlyCost(steps.LastLabStep-1, r.ExistingDetectorID == "", now).Dollars
	return fmt.Sprintf("AWS account %s in %s (detector will be reused: %s), est. $%.2f/h",
		r.Account, r.Region, reuse, perHour)
}

func credentialsDetail(r probe.PreflightReport) string {
	for _, c := range r.Checks {
		if c.ID == probe.CheckCredentials && c.Detail != "" {
			return strings.TrimSuffix(c.Detail, ".")
		}
	}
	return "No AWS credentials were found"
}

// askEmail asks for the address that receives the finding notifications.
func askEmail(in io.Reader, out io.Writer) (string, error) {
	var email string
	err := huh.NewForm(huh.NewGroup(
		huh.NewInput().
			Title("Email address for the finding notifications").
			Description("Step 5 subscribes it to the lab's SNS topic; AWS mails a link to confirm.").
			Value(&email).
			Validate(validateEmail),
	)).WithTheme(formTheme()).WithInput(in).WithOutput(out).Run()
	if errors.Is(err, huh.ErrUserAborted) {
		return "", &exitError{code: exitInterrupted}
	}
	return strings.TrimSpace(email), err
}

// validateEmail accepts a bare address (no display name), which is what
// an SNS email subscription takes.
func validateEmail(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("an address is needed to receive the findings")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@")+1:], ".") {
		return fmt.Errorf("%q is not an email address like you@example.com", s)
	}
	return nil
}

// runTUI hands the terminal to the TUI, then prints what is still running.
func runTUI(ctx context.Context, s *session, in io.Reader, out io.Writer) error {
	opts := tui.OptionsFromEnv()
	// Asked before the program owns the terminal (see tui/doc.go).
	opts.LightBackground = !lipgloss.HasDarkBackground()
	opts.Context = ctx
	final, err := tea.NewProgram(tui.New(s.lab, opts), tea.WithAltScreen(),
		tea.WithInput(in), tea.WithOutput(out)).Run()
	m, ok := final.(tui.Model)
	if ok {
		if msg := m.ExitMessage(); msg != "" {
			fmt.Fprint(out, msg)
		}
	}
	switch {
	case errors.Is(err, tea.ErrInterrupted), ok && m.Interrupted():
		return &exitError{code: exitInterrupted}
	case err != nil:
		return fmt.Errorf("the terminal interface stopped: %w", err)
	}
	return nil
}
