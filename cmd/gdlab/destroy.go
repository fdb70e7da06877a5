package main

import "github.com/spf13/cobra"

func newDestroyCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "destroy",
		Short: "Remove everything the lab created, then audit that nothing tagged is left",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab destroy")
		},
	}
	cmd.Flags().Bool("yes", false, "do not ask for confirmation")
	return cmd
}
