package main

import (
	"strconv"

	"github.com/spf13/cobra"

	simclock "github.com/gdlab-dev/gdlab/sandbox/sim/clock"
)

// globalFlags are the flags every command shares (design.md §1).
type globalFlags struct {
	dir     string
	region  string
	profile string
	email   string
	sandbox bool
	// timeScale is how many simulated seconds pass per real second in the
	// sandbox; 0 (a globalFlags built by hand) leaves it to the sandbox.
	timeScale timeScale
}

// timeScale is --time-scale: a factor ("60", "60x") or the simulated time
// per real second ("1m"), checked when the flag is parsed.
type timeScale float64

func (s *timeScale) String() string { return strconv.FormatFloat(float64(*s), 'g', -1, 64) }
func (s *timeScale) Type() string   { return "scale" }

func (s *timeScale) Set(text string) error {
	f, err := simclock.ParseScale(text)
	if err != nil {
		return err
	}
	*s = timeScale(f)
	return nil
}

func newRootCommand() *cobra.Command {
	g := &globalFlags{timeScale: simclock.DefaultScale}
	root := &cobra.Command{
		Use:   "gdlab",
		Short: "A guided, verified lab: automated incident response for Amazon GuardDuty findings with Terraform",
		Long: `gdlab walks you through building automated incident response for Amazon
GuardDuty findings with Terraform, one step at a time: it applies each step,
explains what it built, checks it against the account, then watches the
incident happen until the compromised instance is isolated.

Without an AWS account, --sandbox runs the same lab against an offline,
simulated AWS on this machine.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInteractive(cmd, g)
		},
	}
	// Bad flags are usage errors (exit 2) in every command.
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError("%v; see `%s --help`", err, cmd.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&g.dir, "dir", "./gdlab-lab", "the lab folder: terraform files, state, progress journal and logs")
	pf.StringVar(&g.region, "region", "", "AWS region (default: from the AWS configuration, else us-west-2)")
	pf.StringVar(&g.profile, "profile", "", "AWS shared-config profile to use")
	pf.StringVar(&g.email, "email", "", "address that receives the finding notifications")
	pf.BoolVar(&g.sandbox, "sandbox", false, "run against the offline sandbox instead of an AWS account")
	pf.Var(&g.timeScale, "time-scale", "with --sandbox only: simulated time per real second, as a factor (60, 60x) or a duration (1m); 60 is one simulated minute per second")

	root.AddCommand(
		newRunCommand(g),
		newVerifyCommand(g),
		newStatusCommand(g),
		newDestroyCommand(g),
		newDoctorCommand(g),
		newSandboxCommand(g),
		newLambdaCommand(g),
	)
	return root
}

// noArgs rejects positional arguments as a usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return usageError("unknown command %q for %s; see `%s --help`", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
		return usageError("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
