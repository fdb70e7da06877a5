package main

import "github.com/spf13/cobra"

func newVerifyCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Run the checks of one step, or of every applied step",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab verify")
		},
	}
	cmd.Flags().Int("step", 0, "only this step's checks")
	cmd.Flags().Bool("json", false, "print the results as JSON")
	return cmd
}
