package main

import "github.com/spf13/cobra"

func newSandboxCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "The offline sandbox",
	}
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lab folder's sandbox AWS endpoint alone, for the AWS CLI",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab sandbox serve")
		},
	}
	serve.Flags().Int("port", 0, "port on 127.0.0.1 (default: a free one)")
	cmd.AddCommand(serve)
	return cmd
}
