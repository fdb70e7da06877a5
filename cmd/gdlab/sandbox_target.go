package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// sandboxTarget is what the offline sandbox adds to steps.Options so that
// the same orchestration, probes and terraform runs reach it instead of AWS.
// Everything goes through endpoints and environment, as for real AWS.
type sandboxTarget struct {
	// AWS is the SDK configuration for the sandbox: its loopback endpoint
	// and any static credentials.
	AWS aws.Config
	// Region is the sandbox world's region (a reopened world keeps its own).
	Region string
	// ProberOptions point the probes at the sandbox (WithServiceEndpoint).
	ProberOptions []probe.Option
	// Preflight is what step 1 reports for the sandbox; nil runs
	// probe.Preflight with PreflightOptions.
	Preflight        *probe.PreflightReport
	PreflightOptions probe.PreflightOptions
	// Terraform carries Env and CLIConfigFile (the provider mirror) for the
	// sandbox's terraform runs.
	Terraform terraform.Options
	// ConfirmSubscription confirms the email subscription as clicking the
	// link in the sandbox's outbox would.
	ConfirmSubscription func(ctx context.Context, subscriptionARN string) error
	// ReadOutbox reads the mail the sandbox delivered (its mbox outbox).
	ReadOutbox func(ctx context.Context) ([]steps.Mail, error)
	// Watch tunes the incident watch, e.g. the sandbox clock.
	Watch probe.WatchOptions
	// Email is the notification address used when the learner gave none;
	// the sandbox delivers to its outbox in the lab folder.
	Email string
	// Close stops the endpoint and persists the world; nil when there is
	// nothing to stop.
	Close func() error
}

// openSandbox starts the lab folder's sandbox (world, endpoint, provider
// mirror). The sandbox sets it from an init function once it is built;
// while it is nil, --sandbox says the sandbox is not built yet.
var openSandbox func(ctx context.Context, g *globalFlags) (sandboxTarget, error)

// errSandboxNotBuilt is what --sandbox answers while openSandbox is nil.
var errSandboxNotBuilt = &exitError{code: exitUsage, msg: "the sandbox is not built yet in this version of gdlab"}
