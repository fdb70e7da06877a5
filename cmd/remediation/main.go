// Command remediation is the lab's remediation Lambda function. It is built
// as the provided.al2023 executable `bootstrap` by `gdlab lambda build`
// (package lambda/pack); the logic lives in package lambda.
package main

import (
	"context"
	"log/slog"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/gdlab-dev/gdlab/lambda"
)

func main() {
	// JSON lines on stdout: Lambda sends stdout to CloudWatch Logs, and gdlab
	// reads the lines back from there.
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	h, err := lambda.NewFromEnvironment(context.Background(), log)
	if err != nil {
		// Exiting during init makes Lambda report the invoke as failed
		// (Runtime.ExitError) with this line in the log, which is louder than
		// skipping every finding.
		log.Error("cannot start the remediation function", slog.String("error", err.Error()))
		os.Exit(1)
	}
	awslambda.Start(h.Handle)
}
