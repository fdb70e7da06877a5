package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gdlab-dev/gdlab/steps/probe"
)

// TestSandboxTargetPreflightReachesTheSandbox: the real preflight, with its
// own configuration chain, finds the sandbox account even when the user's
// environment names a profile and a per-service endpoint elsewhere.
func TestSandboxTargetPreflightReachesTheSandbox(t *testing.T) {
	// t.Setenv restores what startSandboxTarget changes in the process.
	for k, v := range map[string]string{"AWS_PROFILE": "someone-elses", "AWS_ENDPOINT_URL_STS": "http://192.0.2.1:1",
		"AWS_ENDPOINT_URL": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "",
		"AWS_DEFAULT_REGION": "", "AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"), "AWS_SESSION_TOKEN": "x"} {
		t.Setenv(k, v)
	}
	g := &globalFlags{dir: filepath.Join(t.TempDir(), "lab")}
	target, err := startSandboxTarget(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := target.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	if target.Region != "us-west-2" || target.Email != sandboxEmail {
		t.Errorf("region %q, email %q", target.Region, target.Email)
	}
	if target.Terraform.CLIConfigFile == "" || target.Terraform.Env["AWS_ENDPOINT_URL"] == "" {
		t.Errorf("terraform options: %+v", target.Terraform)
	}
	if got := os.Getenv("AWS_ENDPOINT_URL"); got != target.Terraform.Env["AWS_ENDPOINT_URL"] {
		t.Errorf("process AWS_ENDPOINT_URL %q, want the sandbox's", got)
	}
	if target.ConfirmSubscription == nil {
		t.Error("no ConfirmSubscription for the sandbox")
	}

	opts := target.PreflightOptions
	opts.Timeout = preflightTimeout
	report := probe.Preflight(context.Background(), opts)
	if report.Account != "123456789012" {
		t.Errorf("preflight account %q, want the sandbox's", report.Account)
	}
	for _, c := range report.Checks {
		if (c.ID == probe.CheckCredentials || c.ID == probe.CheckRegion || c.ID == probe.CheckGuardDuty) && !c.OK() {
			t.Errorf("preflight check %s: %s %s", c.ID, c.Status, c.Detail)
		}
	}
}
