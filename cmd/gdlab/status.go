package main

import "github.com/spf13/cobra"

func newStatusCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "What is deployed, which step the lab is at, what the incident did",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab status")
		},
	}
	cmd.Flags().Bool("json", false, "print the status as JSON")
	return cmd
}
