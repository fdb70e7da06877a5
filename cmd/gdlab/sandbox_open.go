package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox"
	"github.com/gdlab-dev/gdlab/sandbox/sim/snsmail"
	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// sandboxEmail receives the lab's notifications when the learner gave no
// address; the sandbox delivers it to the outbox in the lab folder.
const sandboxEmail = "learner@example.com"

// sandboxServices are the SDK services the probes call; each is pinned to
// the sandbox so no per-service endpoint setting can send one elsewhere.
var sandboxServices = []string{"sts", "ec2", "s3", "guardduty", "sns", "sqs", "eventbridge",
	"lambda", "cloudwatchlogs", "resourcegroupstaggingapi", "iam"}

func init() { openSandbox = startSandboxTarget }

// startSandboxTarget starts the lab folder's sandbox and describes it as a
// target: the same orchestration, probes and terraform, other endpoint.
func startSandboxTarget(ctx context.Context, g *globalFlags) (sandboxTarget, error) {
	region := g.region
	if region == "" {
		if j, err := existingJournal(g.dir); err == nil && j != nil {
			region = j.Region
		}
	}
	// The sandbox logs beside gdlab's own lines (the session's logger is not
	// passed here); the incident's milestones carry real and simulated times.
	logger, closeLog, err := openLogger(g.dir)
	if err != nil {
		return sandboxTarget{}, err
	}
	sb, err := sandbox.Start(ctx, sandbox.Options{Dir: g.dir, Region: region,
		TimeScale: float64(g.timeScale), Logger: logger.With("component", "sandbox")})
	if err != nil {
		closeLog()
		return sandboxTarget{}, err
	}
	pointProcessAtSandbox(sb.SDKEnv())

	var proberOpts []probe.Option
	for _, service := range sandboxServices {
		proberOpts = append(proberOpts, probe.WithServiceEndpoint(service, sb.Endpoint()))
	}
	t := sandboxTarget{
		AWS:           sb.AWSConfig(),
		Region:        sb.Region(),
		ProberOptions: proberOpts,
		// The preflight runs the real chain (LoadConfig and all); the
		// process environment set above is what makes it reach the sandbox.
		PreflightOptions:    probe.PreflightOptions{Region: sb.Region(), ProberOptions: proberOpts},
		Terraform:           terraform.Options{Env: sb.Env(), CLIConfigFile: sb.CLIConfigFile()},
		ConfirmSubscription: sb.ConfirmSubscription,
		Email:               sandboxEmail,
		Close:               func() error { return errors.Join(sb.Close(), closeLog()) },
	}
	outbox := filepath.Join(g.dir, filepath.FromSlash(snsmail.OutboxPath))
	if engine := sb.Incident(); engine != nil {
		t.Watch.Clock = engine.Clock()
		outbox = engine.OutboxPath()
	}
	t.ReadOutbox = func(context.Context) ([]steps.Mail, error) { return readOutbox(outbox) }
	return t, nil
}

// readOutbox reads the sandbox's mbox as the TUI shows it, in delivery
// order; no file yet means no mail yet.
func readOutbox(path string) ([]steps.Mail, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	messages, err := snsmail.Read(f)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox %s: %w", path, err)
	}
	var dec mime.WordDecoder
	header := func(v string) string {
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	mails := make([]steps.Mail, 0, len(messages))
	for _, m := range messages {
		body, err := io.ReadAll(m.Body)
		if err != nil {
			return nil, fmt.Errorf("reading the outbox %s: %w", path, err)
		}
		date, _ := m.Header.Date() // a mail without a date still shows
		mails = append(mails, steps.Mail{
			Date:    date.In(time.UTC),
			From:    header(m.Header.Get("From")),
			To:      header(m.Header.Get("To")),
			Subject: header(m.Header.Get("Subject")),
			Body:    string(body),
		})
	}
	return mails, nil
}

// pointProcessAtSandbox makes this process's own AWS configuration chain
// (the preflight's LoadConfig, anything else that loads the default
// config) reach the sandbox with its dummy credentials. Settings that would
// win over them or send one service elsewhere are removed: a sandbox run
// must never touch a real account.
func pointProcessAtSandbox(env map[string]string) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_ENDPOINT_URL_") {
			os.Unsetenv(name)
		}
	}
	for _, name := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		os.Unsetenv(name)
	}
	for name, value := range env {
		os.Setenv(name, value)
	}
}
