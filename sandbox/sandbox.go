// Package sandbox composes the offline AWS of one lab folder: the persisted
// world, its loopback endpoint, the provider mirror terraform installs
// hashicorp/aws from, and (when built) the incident engine. Everything
// reaches it through an endpoint URL and environment variables, exactly as
// real AWS is reached; nothing above this package needs to know more.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/gdlab-dev/gdlab/sandbox/endpoint"
	"github.com/gdlab-dev/gdlab/sandbox/mirror"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Account is the sandbox's fixed account id.
const Account = world.Account

// DefaultRegion is where a new sandbox world is made when no region is given.
const DefaultRegion = "us-west-2"

// The sandbox accepts any credentials; these make it obvious in logs and
// `aws configure list` that nothing real is in use.
const (
	AccessKeyID     = "sandbox"
	SecretAccessKey = "sandbox"
)

// closeTimeout bounds the endpoint's graceful shutdown.
const closeTimeout = 5 * time.Second

// Options say which lab folder's sandbox to start and how.
type Options struct {
	// Dir is the lab folder; the world lives in Dir/.gdlab/sandbox.
	Dir string
	// Region is for a new world; a reopened world keeps its own (asking for
	// another region is an error unless the world is empty).
	Region string
	// Port on 127.0.0.1; 0 picks a free one.
	Port int
	// TimeScale is how many simulated seconds pass per real second during
	// the incident; 0 keeps the world's scale or the engine's default.
	TimeScale float64
	// GdlabExe is the binary terraform starts as the provider (and the
	// engine runs the Lambda with); empty means this process's executable.
	GdlabExe string
	Logger   *slog.Logger
}

// Sandbox is a running sandbox. Close stops it; the world stays on disk.
type Sandbox struct {
	World *world.World

	server    *endpoint.Server
	cliConfig string
	mirrorEnv []string
	engine    Engine
	logger    *slog.Logger
	dir       string // the lab folder, where the endpoint is recorded
}

// Start opens the lab folder's world, serves it on loopback, lays out the
// provider mirror and, when the incident engine is built in, starts it.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	if opts.Dir == "" {
		return nil, errors.New("sandbox: no lab folder given")
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("sandbox: %d is not a port", opts.Port)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.GdlabExe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("sandbox: the gdlab binary for the provider: %w", err)
		}
		opts.GdlabExe = exe
	}
	w, err := world.Open(opts.Dir, opts.Region)
	if err != nil {
		return nil, err
	}
	cliConfig, mirrorEnv, err := mirror.Prepare(opts.Dir, opts.GdlabExe)
	if err != nil {
		return nil, err
	}
	srv, err := endpoint.Start(w, endpoint.LoopbackAddr(opts.Port))
	if err != nil {
		return nil, err
	}
	s := &Sandbox{World: w, server: srv, cliConfig: cliConfig, mirrorEnv: mirrorEnv, logger: opts.Logger, dir: opts.Dir}
	if err := RecordEndpoint(opts.Dir, srv.URL); err != nil {
		_ = s.closeServer()
		return nil, err
	}
	if startEngine != nil {
		s.engine, err = startEngine(ctx, s, opts)
		if err != nil {
			_ = s.closeServer()
			return nil, fmt.Errorf("sandbox incident engine: %w", err)
		}
	}
	opts.Logger.Info("sandbox started", "endpoint", srv.URL, "world", w.Path(), "region", w.Region(),
		"incident_engine", s.engine != nil)
	return s, nil
}

// Endpoint is the loopback base URL every AWS service answers on.
func (s *Sandbox) Endpoint() string { return s.server.URL }

// Region is the world's region.
func (s *Sandbox) Region() string { return s.World.Region() }

// CLIConfigFile is the terraform CLI configuration that takes hashicorp/aws
// from the sandbox's mirror.
func (s *Sandbox) CLIConfigFile() string { return s.cliConfig }

// SDKEnv is what an AWS SDK or the AWS CLI needs to reach the sandbox.
func (s *Sandbox) SDKEnv() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":      s.Endpoint(),
		"AWS_ACCESS_KEY_ID":     AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": SecretAccessKey,
		"AWS_REGION":            s.Region(),
		"AWS_DEFAULT_REGION":    s.Region(),
	}
}

// Env is terraform's environment for a sandbox run: the SDK variables (the
// provider reads them) plus the mirror's (CLI config, gdlab binary, no
// checkpoint calls).
func (s *Sandbox) Env() map[string]string {
	env := s.SDKEnv()
	for _, kv := range s.mirrorEnv {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				env[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return env
}

// AWSConfig is the SDK configuration for gdlab's own calls: the sandbox's
// endpoint for every service and static dummy credentials. It is built by
// hand rather than loaded, so no shared config file or AWS_ENDPOINT_URL_*
// variable can send a call elsewhere. S3 clients built over it must use path
// style (the sandbox answers on one host); the probes do so whenever a base
// endpoint is set.
func (s *Sandbox) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region(),
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, "")),
		BaseEndpoint: aws.String(s.Endpoint()),
	}
}

// Incident is the running incident engine, nil when this build has none.
func (s *Sandbox) Incident() Engine { return s.engine }

// ConfirmSubscription confirms an SNS subscription as following the link in
// its confirmation email would.
func (s *Sandbox) ConfirmSubscription(ctx context.Context, subscriptionARN string) error {
	if s.engine != nil {
		return s.engine.ConfirmSubscription(ctx, subscriptionARN)
	}
	return confirmInWorld(s.World, subscriptionARN)
}

// Close stops the incident engine and the endpoint. The world is persisted
// after every change, so nothing is lost.
func (s *Sandbox) Close() error {
	var errs []error
	if s.engine != nil {
		errs = append(errs, s.engine.Close())
	}
	errs = append(errs, s.closeServer(), ForgetEndpoint(s.dir))
	return errors.Join(errs...)
}

func (s *Sandbox) closeServer() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return s.server.Close(ctx)
}

// confirmInWorld confirms with the token the confirmation email carries.
func confirmInWorld(w *world.World, subscriptionARN string) error {
	if subscriptionARN == "" {
		return errors.New("the lab has no email subscription yet (step 5)")
	}
	var topicARN, token string
	var pending bool
	w.View(func(st *world.State) {
		if sub := st.Find("aws_sns_topic_subscription", subscriptionARN); sub != nil {
			topicARN = world.Str(sub.Attrs, "topic_arn")
			token = world.SubscriptionToken(sub)
			pending = world.Bool(sub.Attrs, "pending_confirmation", false)
		}
	})
	switch {
	case topicARN == "":
		return fmt.Errorf("the sandbox has no subscription %s", subscriptionARN)
	case !pending:
		return nil
	}
	_, err := w.ConfirmSubscription(topicARN, token)
	return err
}
