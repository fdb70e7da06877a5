package lambda

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// sdkRetryables is the SDK's own classification of transient errors:
// throttling codes, 5xx status codes, connection errors, request timeouts.
var sdkRetryables = retry.IsErrorRetryables(retry.DefaultRetryables)

// Retryable reports whether a failed AWS call may pass if Lambda runs the
// function again. The SDK has already retried such errors a few times by the
// time they reach the handler; returning them lets Lambda's async retries
// try again later. Everything else (bad ids, missing permissions) would fail
// the same way again, so it is not retried.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	// Out of time: the work is unfinished, so the next attempt should do it.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	if sdkRetryables.IsErrorRetryable(err) == aws.TrueTernary {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorFault() == smithy.FaultServer {
		return true
	}
	return false
}

// errorCode is the AWS error code, or "" when the error did not come from AWS.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
