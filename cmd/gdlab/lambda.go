package main

import "github.com/spf13/cobra"

func newLambdaCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lambda",
		Short: "The remediation Lambda function",
	}
	build := &cobra.Command{
		Use:   "build",
		Short: "Build the remediation function as a provided.al2023 zip",
		RunE: func(cmd *cobra.Command, args []string) error {
			return notBuilt("gdlab lambda build")
		},
	}
	build.Flags().String("arch", "arm64", "arm64 or amd64 (must match the function's architectures)")
	build.Flags().StringP("output", "o", "", "zip file to write")
	cmd.AddCommand(build)
	return cmd
}
