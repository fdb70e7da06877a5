// Command echofn is a test Lambda function built with aws-lambda-go: what it
// does is chosen by the event, so one binary exercises every runner path.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Mode  string `json:"mode"`
	Print string `json:"print"`
	Sleep int    `json:"sleep_ms"`
	Fail  string `json:"fail_marker"` // fail while this file does not exist, then create it
}

type reply struct {
	RequestID   string            `json:"request_id"`
	FunctionARN string            `json:"function_arn"`
	HasDeadline bool              `json:"has_deadline"`
	Env         map[string]string `json:"env"`
}

func handle(ctx context.Context, e event) (reply, error) {
	if e.Print != "" {
		fmt.Println(e.Print)
		fmt.Fprintln(os.Stderr, "stderr: "+e.Print)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	_, hasDeadline := ctx.Deadline()
	switch e.Mode {
	case "error":
		return reply{}, errors.New("the handler failed on purpose")
	case "sleep":
		time.Sleep(time.Duration(e.Sleep) * time.Millisecond)
	case "exit":
		os.Exit(3)
	case "flaky":
		if _, err := os.Stat(e.Fail); err != nil {
			os.WriteFile(e.Fail, []byte("x"), 0o600)
			return reply{}, errors.New("first attempt fails")
		}
	}
	env := map[string]string{}
	for _, k := range []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_ENDPOINT_URL", "TOPIC_ARN", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_ACCESS_KEY_ID"} {
		env[k] = os.Getenv(k)
	}
	return reply{RequestID: lc.AwsRequestID, FunctionARN: lc.InvokedFunctionArn, HasDeadline: hasDeadline, Env: env}, nil
}

func main() { lambda.Start(handle) }
