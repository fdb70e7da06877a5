package main

import (
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps"
)

// defaultIncidentTimeout leaves GuardDuty room: a custom threat list
// finding usually takes 5 to 15 minutes after the traffic starts.
const defaultIncidentTimeout = 45 * time.Minute

type runOptions struct {
	auto    bool
	json    bool
	until   int
	timeout time.Duration
}

func newRunCommand(g *globalFlags) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run --auto",
		Short: "Every step without questions, then wait for the incident and print a summary",
		Long: `run --auto applies every step in order with the same plan, apply and checks as
the interactive lab, then watches the incident until the compromised instance
is isolated. It stops at the first failed check and says what to do.

A lab folder that already holds applied steps resumes: those steps are
checked again, the rest applied.

Exit status: 0 the response was seen end to end (or every step through
--until passed), 1 a check failed, terraform failed or the timeout passed,
2 a usage error, 130 interrupted (terraform was stopped cleanly).`,
		Example: `  gdlab run --auto --sandbox
  gdlab run --auto --email you@example.com --until 5
  gdlab run --auto --sandbox --json > events.jsonl`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !opts.auto {
				return usageError("gdlab run needs --auto to apply every step without questions; run `gdlab` for the interactive lab")
			}
			if opts.until < 1 || opts.until > steps.LastLabStep {
				return usageError("--until %d: the lab has steps 1 to %d", opts.until, steps.LastLabStep)
			}
			if opts.timeout < 0 {
				return usageError("--timeout %s cannot be negative", opts.timeout)
			}
			return runAuto(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.auto, "auto", false, "apply every step without asking")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON lines, one event per line (docs/json-events.md)")
	cmd.Flags().IntVar(&opts.until, "until", steps.LastLabStep, "stop after step N (1 to 9)")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", defaultIncidentTimeout, "give up waiting for the incident (step 9) after this long")
	return cmd
}

func runAuto(cmd *cobra.Command, g *globalFlags, opts *runOptions) error {
	var emit func(steps.AutoEvent)
	if opts.json {
		emit = newJSONLines(cmd.OutOrStdout()).emit
	} else {
		emit = newHumanLines(cmd.OutOrStdout()).emit
	}
	j, err := existingJournal(g.dir)
	if err != nil {
		return err
	}
	kind := resolveTarget(g, j)
	if kind == steps.TargetAWS && g.email == "" && journalEmail(j) == "" && opts.until >= 5 {
		return usageError("a lab in an AWS account mails its findings: pass --email you@example.com (step 5 subscribes it)")
	}
	if kind == steps.TargetSandbox && openSandbox == nil {
		return errSandboxNotBuilt
	}

	ctx, stop := interruptContext(cmd.Context(), cmd.ErrOrStderr())
	defer stop()
	s, err := openSession(ctx, g, sessionRequest{kind: kind, runPreflight: true})
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitUsage {
		return err
	}
	if err != nil {
		// The stream still ends with run_finished, so a consumer of the
		// JSON lines always learns the outcome.
		outcome := steps.OutcomeError
		if ctx.Err() != nil {
			outcome = steps.OutcomeInterrupted
		}
		emit(steps.RunFinished{Result: steps.AutoResult{Outcome: outcome, Reason: "could not open the lab: " + err.Error()}})
		return &exitError{code: exitCodeFor(outcome)}
	}
	defer s.Close()
	res, err := steps.RunAuto(ctx, s.lab, steps.AutoOptions{Until: opts.until, Timeout: opts.timeout}, emit)
	if err != nil {
		return usageError("%v", err)
	}
	s.logger.Info("run finished", "outcome", res.Outcome, "step", res.Step, "reason", res.Reason)
	if code := exitCodeFor(res.Outcome); code != 0 {
		// The last event already said why; main prints nothing more.
		return &exitError{code: code}
	}
	return nil
}
