package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/gdlab-dev/gdlab/lambda/pack"
	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// preflightTimeout bounds the preflight, so a credential source that hangs
// (instance metadata off EC2) cannot hang gdlab's start.
const preflightTimeout = 30 * time.Second

// labHandle is an open lab: what the commands and the TUI drive, plus Close
// to release the lab folder.
type labHandle interface {
	steps.Lab
	Close() error
}

// openLab opens the lab folder against a target; tests replace it with a
// fake Lab.
var openLab = func(ctx context.Context, opts steps.Options) (labHandle, error) {
	o, err := steps.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// sessionRequest says how a command wants the lab opened.
type sessionRequest struct {
	kind steps.TargetKind
	// preflight is one already run (the interactive target choice).
	preflight *probe.PreflightReport
	// runPreflight runs the preflight now when none was given, so the
	// header knows the account and whether a detector is reused.
	runPreflight bool
	// email overrides --email and the journal (the interactive question).
	email string
}

// session is an open lab and what must be released after it.
type session struct {
	lab     labHandle
	logger  *slog.Logger
	closers []func() error // released last to first, after the lab
}

// Close releases the lab folder, then the target (sandbox endpoint), then
// the log file.
func (s *session) Close() error {
	var errs []error
	if s.lab != nil {
		errs = append(errs, s.lab.Close())
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	return errors.Join(errs...)
}

// existingJournal reads the lab folder's journal without locking or writing
// anything; nil when the folder holds no lab yet.
func existingJournal(dir string) (*steps.Journal, error) {
	j, existed, err := steps.OpenJournal(filepath.Join(dir, ".gdlab"), "", "")
	if err != nil || !existed {
		return nil, err
	}
	return j, nil
}

// resolveTarget: --sandbox, else the target the folder's lab was built
// with (re-running gdlab in a folder resumes it), else AWS.
func resolveTarget(g *globalFlags, j *steps.Journal) steps.TargetKind {
	switch {
	case g.sandbox:
		return steps.TargetSandbox
	case j != nil && j.Target != "":
		return j.Target
	}
	return steps.TargetAWS
}

// openSession builds steps.Options for the request's target and opens the
// lab. The caller closes the session.
func openSession(ctx context.Context, g *globalFlags, req sessionRequest) (*session, error) {
	j, err := existingJournal(g.dir)
	if err != nil {
		return nil, err
	}
	logger, closeLog, err := openLogger(g.dir)
	if err != nil {
		return nil, err
	}
	s := &session{logger: logger, closers: []func() error{closeLog}}
	var opts steps.Options
	if req.kind == steps.TargetSandbox {
		opts, err = s.sandboxOptions(ctx, g, req, j)
	} else {
		opts, err = s.awsOptions(ctx, g, req, j)
	}
	if err == nil {
		logger.Info("opening lab", "dir", opts.Dir, "target", opts.Target, "region", opts.Region)
		s.lab, err = openLab(ctx, opts)
	}
	if err != nil {
		logger.Error("could not open the lab", "err", err)
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) baseOptions(g *globalFlags, kind steps.TargetKind) steps.Options {
	cacheDir, _ := terraform.DefaultCacheDir()
	return steps.Options{
		Dir:               g.dir,
		Target:            kind,
		Profile:           g.profile,
		TerraformCacheDir: cacheDir,
		BuildLambdaZip:    lambdaZipBuilder(s.logger),
		Logger:            s.logger,
	}
}

func (s *session) awsOptions(ctx context.Context, g *globalFlags, req sessionRequest, j *steps.Journal) (steps.Options, error) {
	opts := s.baseOptions(g, steps.TargetAWS)
	opts.Region = firstNonEmpty(g.region, journalRegion(j))
	cfg, err := probe.LoadConfig(ctx, g.profile, opts.Region)
	var noProfile *probe.ProfileNotFoundError
	if errors.As(err, &noProfile) {
		return opts, &exitError{code: exitUsage, msg: fmt.Sprintf("there is no AWS profile %q in your AWS configuration; see `aws configure list-profiles`", noProfile.Profile)}
	}
	if err != nil {
		return opts, fmt.Errorf("AWS configuration: %w", err)
	}
	if opts.Region == "" {
		opts.Region = cfg.Region
	}
	cfg.Logger = sdkLogger{s.logger}
	opts.AWS = cfg
	opts.Email = firstNonEmpty(req.email, g.email, journalEmail(j))
	opts.PreflightOptions = probe.PreflightOptions{Profile: g.profile, Region: opts.Region,
		Email: opts.Email, Timeout: preflightTimeout}
	opts.Preflight = req.preflight
	if opts.Preflight == nil && req.runPreflight {
		report := probe.Preflight(ctx, opts.PreflightOptions)
		opts.Preflight = &report
	}
	return opts, nil
}

func (s *session) sandboxOptions(ctx context.Context, g *globalFlags, req sessionRequest, j *steps.Journal) (steps.Options, error) {
	opts := s.baseOptions(g, steps.TargetSandbox)
	if openSandbox == nil {
		return opts, errSandboxNotBuilt
	}
	sb, err := openSandbox(ctx, g)
	if err != nil {
		return opts, fmt.Errorf("starting the sandbox: %w", err)
	}
	if sb.Close != nil {
		s.closers = append(s.closers, sb.Close)
	}
	opts.Region = firstNonEmpty(g.region, journalRegion(j), sb.Region)
	opts.AWS = sb.AWS
	opts.ProberOptions = sb.ProberOptions
	opts.Terraform = sb.Terraform
	opts.ConfirmSubscription = sb.ConfirmSubscription
	opts.ReadOutbox = sb.ReadOutbox
	opts.Watch = sb.Watch
	opts.Email = firstNonEmpty(req.email, g.email, journalEmail(j), sb.Email)
	opts.PreflightOptions = sb.PreflightOptions
	opts.PreflightOptions.Region = firstNonEmpty(opts.PreflightOptions.Region, opts.Region)
	opts.PreflightOptions.Email = firstNonEmpty(opts.PreflightOptions.Email, opts.Email)
	if opts.PreflightOptions.Timeout == 0 {
		opts.PreflightOptions.Timeout = preflightTimeout
	}
	opts.Preflight = firstReport(req.preflight, sb.Preflight)
	if opts.Preflight == nil && req.runPreflight {
		report := probe.Preflight(ctx, opts.PreflightOptions)
		opts.Preflight = &report
	}
	return opts, nil
}

// lambdaZipBuilder builds the remediation function with lambda/pack; the
// go toolchain's output is captured by pack, never printed.
func lambdaZipBuilder(logger *slog.Logger) func(ctx context.Context, path string) error {
	return func(ctx context.Context, path string) error {
		res, err := pack.Build(ctx, pack.Options{Output: path})
		if err != nil {
			logger.Error("lambda build failed", "err", err)
			return fmt.Errorf("building the remediation function: %w", err)
		}
		logger.Info("lambda built", "path", res.Path, "size", res.Size, "sha256", res.SHA256Base64,
			"arch", res.Arch, "source", res.Source)
		return nil
	}
}

func journalRegion(j *steps.Journal) string {
	if j == nil {
		return ""
	}
	return j.Region
}

func journalEmail(j *steps.Journal) string {
	if j == nil {
		return ""
	}
	return j.Email
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func firstReport(reports ...*probe.PreflightReport) *probe.PreflightReport {
	for _, r := range reports {
		if r != nil {
			return r
		}
	}
	return nil
}
