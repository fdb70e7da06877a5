package main

import (
	"context"
	"log/slog"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/lambda"
)

// newSandboxLambdaCommand is gdlab's Lambda mode: the sandbox starts it as a
// function's runtime when the deployed bootstrap cannot run on this machine
// (the lab builds arm64). It runs the same handler package as the deployed
// function, speaking the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API.
func newSandboxLambdaCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "lambda",
		Short:  "Run the remediation function under the sandbox's Lambda Runtime API (started by the sandbox)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			runSandboxLambda(ctx)
			return nil
		},
	}
}

// runSandboxLambda mirrors cmd/remediation: JSON log lines on stdout, which
// the sandbox puts into the function's CloudWatch Logs group.
func runSandboxLambda(ctx context.Context) {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	h, err := lambda.NewFromEnvironment(ctx, log)
	if err != nil {
		log.Error("cannot start the remediation function", slog.String("error", err.Error()))
		os.Exit(1)
	}
	awslambda.Start(h.Handle) // serves invocations until the sandbox stops the process
}
