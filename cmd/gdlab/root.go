package main

import (
	"github.com/spf13/cobra"
)

// globalFlags are the flags every command shares (design.md §1).
type globalFlags struct {
	dir     string
	region  string
	profile string
	email   string
	sandbox bool
}

func newRootCommand() *cobra.Command {
	g := &globalFlags{}
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
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInteractive(cmd, g)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.dir, "dir", "./gdlab-lab", "the lab folder: terraform files, state, progress journal and logs")
	pf.StringVar(&g.region, "region", "", "AWS region (default: from the AWS configuration, else us-west-2)")
	pf.StringVar(&g.profile, "profile", "", "AWS shared-config profile to use")
	pf.StringVar(&g.email, "email", "", "address that receives the finding notifications")
	pf.BoolVar(&g.sandbox, "sandbox", false, "run against the offline sandbox instead of an AWS account")

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
