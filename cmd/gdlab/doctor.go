package main

import "github.com/spf13/cobra"

func newDoctorCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Preflight: credentials, region, terraform, Go, GuardDuty, email",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab doctor")
		},
	}
	cmd.Flags().Bool("json", false, "print the results as JSON")
	return cmd
}
