package probe

import (
	"context"
	"errors"
	"github.com/aws/smithy-go/logging"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingschemas "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/schemas"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// DefaultRegion is the tutorial's region, used when neither --region nor the
// AWS configuration names one.
const DefaultRegion = "us-west-2"

// Prober observes one account and region. Build it with New; it is safe for
// concurrent use because the SDK clients are.
type Prober struct {
	region  string
	sts     stsAPI
	ec2     ec2API
	s3      s3API
	gd      guardDutyAPI
	sns     snsAPI
	sqs     sqsAPI
	events  eventBridgeAPI
	lambda  lambdaAPI
	logs    logsAPI
	tagging taggingAPI
	iam     iamAPI
}

// Region is the region the prober looks at.
func (p *Prober) Region() string { return p.region }

// LoadConfig loads the SDK's default configuration chain (environment,
// shared config and credentials files, SSO, instance roles) for profile and
// region, either of which may be empty. Without any region it falls back to
// DefaultRegion. Credentials are only resolved on the first call; Preflight
// is where missing or expired ones are explained.
func LoadConfig(ctx context.Context, profile, region string) (aws.Config, error) {
	// The SDK writes its warnings (e.g. the IMDSv1 fallback) to stderr by
	// default, which would draw over the TUI; callers set cfg.Logger to
	// their log file when they want them.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		if errors.As(err, &missing) {
			return aws.Config{}, &ProfileNotFoundError{Profile: missing.Profile, Err: err}
		}
		return aws.Config{}, err
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return cfg, nil
}

// ProfileNotFoundError says the named profile is in no AWS config file.
type ProfileNotFoundError struct {
	Profile string
	Err     error
}

func (e *ProfileNotFoundError) Error() string {
	return "the AWS profile " + e.Profile + " does not exist in the AWS config or credentials file"
}

func (e *ProfileNotFoundError) Unwrap() error { return e.Err }

// Option changes how New builds the service clients.
type Option func(*proberOptions)

type proberOptions struct {
	endpoints map[string]string
	timeout   time.Duration
}

// WithServiceEndpoint sends one service's calls to url instead of AWS, e.g.
// WithServiceEndpoint("guardduty", "http://127.0.0.1:4566"). Service names are
// the SDK packages' names: sts ec2 s3 guardduty sns sqs eventbridge lambda
// cloudwatchlogs resourcegroupstaggingapi iam. For the whole SDK at once, the
// AWS_ENDPOINT_URL environment variable does the same without code.
func WithServiceEndpoint(service, url string) Option {
	return func(o *proberOptions) { o.endpoints[service] = url }
}

// New builds a Prober over cfg.
func New(cfg aws.Config, opts ...Option) *Prober {
	o := proberOptions{endpoints: map[string]string{}}
	for _, opt := range opts {
		opt(&o)
	}
	// Only an explicit endpoint replaces the one the SDK resolved from
	// cfg (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, config files).
	setEndpoint := func(base **string, service string) {
		if u, ok := o.endpoints[service]; ok {
			*base = aws.String(u)
		}
	}
	return &Prober{
		region: cfg.Region,
		sts:    sts.NewFromConfig(cfg, func(c *sts.Options) { setEndpoint(&c.BaseEndpoint, "sts") }),
		ec2:    ec2.NewFromConfig(cfg, func(c *ec2.Options) { setEndpoint(&c.BaseEndpoint, "ec2") }),
		s3: s3.NewFromConfig(cfg, func(c *s3.Options) {
			setEndpoint(&c.BaseEndpoint, "s3")
			// Emulators answer on one host, not bucket.host.
			c.UsePathStyle = c.BaseEndpoint != nil
			// The SDK logs to stderr when a response carries no checksum
			// (emulators); stderr belongs to the TUI.
			c.DisableLogOutputChecksumValidationSkipped = true
		}),
		gd:     guardduty.NewFromConfig(cfg, func(c *guardduty.Options) { setEndpoint(&c.BaseEndpoint, "guardduty") }),
		sns:    sns.NewFromConfig(cfg, func(c *sns.Options) { setEndpoint(&c.BaseEndpoint, "sns") }),
		sqs:    sqs.NewFromConfig(cfg, func(c *sqs.Options) { setEndpoint(&c.BaseEndpoint, "sqs") }),
		events: eventbridge.NewFromConfig(cfg, func(c *eventbridge.Options) { setEndpoint(&c.BaseEndpoint, "eventbridge") }),
		lambda: lambda.NewFromConfig(cfg, func(c *lambda.Options) { setEndpoint(&c.BaseEndpoint, "lambda") }),
		logs:   cloudwatchlogs.NewFromConfig(cfg, func(c *cloudwatchlogs.Options) { setEndpoint(&c.BaseEndpoint, "cloudwatchlogs") }),
		tagging: resourcegroupstaggingapi.NewFromConfig(cfg, func(c *resourcegroupstaggingapi.Options) {
			setEndpoint(&c.BaseEndpoint, "resourcegroupstaggingapi")
			// The SDK prefers RPC v2 CBOR here since v1.42.0; AWS still serves
			// the service's original AWS JSON 1.1, which emulators (moto, the
			// sandbox) and the AWS CLI speak too.
			c.Protocol = awsjson.New11(taggingschemas.ResourceGroupsTaggingAPI_20170126)
		}),
		iam: iam.NewFromConfig(cfg, func(c *iam.Options) { setEndpoint(&c.BaseEndpoint, "iam") }),
	}
}
