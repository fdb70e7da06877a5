package main

import "github.com/spf13/cobra"

func newRunCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Every step without questions, then wait for the incident and print a summary",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab run")
		},
	}
	cmd.Flags().Bool("auto", false, "apply every step without asking")
	cmd.Flags().Bool("json", false, "print JSON lines (docs/json-events.md)")
	cmd.Flags().Int("until", 9, "stop after step N")
	cmd.Flags().Duration("timeout", 0, "give up waiting for the incident after this long")
	return cmd
}
