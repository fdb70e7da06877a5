package endpoint

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// sdkConfig points the AWS SDK at the sandbox with dummy credentials.
func sdkConfig(s *Server) aws.Config {
	return aws.Config{
		Region:       "us-west-2",
		Credentials:  credentials.NewStaticCredentialsProvider("sandbox", "sandbox", ""),
		BaseEndpoint: aws.String(s.URL),
		// No retries: a failing call must fail the test at once.
		RetryMaxAttempts: 1,
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }
