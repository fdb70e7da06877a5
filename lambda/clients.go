package lambda

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// NewFromEnvironment builds a Handler from the function's environment: the
// configuration variables and the standard AWS SDK settings, including
// AWS_ENDPOINT_URL, which points both clients at the sandbox or moto.
func NewFromEnvironment(ctx context.Context, log *slog.Logger) (*Handler, error) {
	cfg, err := ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &Handler{
		Config: cfg,
		EC2:    ec2.NewFromConfig(awsCfg),
		SNS:    sns.NewFromConfig(awsCfg),
		Log:    log,
	}, nil
}
