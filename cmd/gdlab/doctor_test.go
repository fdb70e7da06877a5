package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// noCredentialsEnv leaves the SDK with no credential source at all: no keys,
// no files, no instance metadata.
func noCredentialsEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL",
	} {
		t.Setenv(name, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-west-2")
}

func runDoctor(t *testing.T, args ...string) (string, error, time.Duration) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"doctor"}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	err := root.ExecuteContext(ctx)
	return out.String(), err, time.Since(start)
}

func TestDoctorWithoutCredentials(t *testing.T) {
	noCredentialsEnv(t)
	out, err, took := runDoctor(t, "--email", "learner@example.com")

	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFailed {
		t.Fatalf("want exit %d, got %v\n%s", exitFailed, err, out)
	}
	if took > 30*time.Second {
		t.Errorf("doctor took %v without credentials; it must not hang", took)
	}
	var credLine string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "No AWS credentials") {
			credLine = line
		}
	}
	if credLine == "" {
		t.Fatalf("no sentence about missing credentials in:\n%s", out)
	}
	if !strings.Contains(out, "gdlab --sandbox") {
		t.Errorf("output does not offer the sandbox:\n%s", out)
	}
	for _, noise := range []string{"goroutine ", "panic", "operation error", "https response error", ".go:"} {
		if strings.Contains(out, noise) {
			t.Errorf("output contains %q, reads like a stack trace:\n%s", noise, out)
		}
	}
	if !strings.Contains(out, "Not ready: 1 problem") {
		t.Errorf("want exactly one problem (the rest skipped, not failed):\n%s", out)
	}
}

func TestDoctorJSONWithoutCredentials(t *testing.T) {
	noCredentialsEnv(t)
	out, err, _ := runDoctor(t, "--json", "--email", "not an address")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFailed {
		t.Fatalf("want exit %d, got %v", exitFailed, err)
	}
	var report struct {
		Ready  bool `json:"ready"`
		Checks []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Detail string `json:"detail"`
			Hint   string `json:"hint"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if report.Ready {
		t.Error("ready without credentials")
	}
	statuses := map[string]string{}
	for _, c := range report.Checks {
		statuses[c.ID] = c.Status
	}
	want := map[string]string{
		"preflight.credentials": "fail",
		"preflight.region":      "skipped",
		"preflight.guardduty":   "skipped",
		"preflight.email":       "fail",
	}
	for id, status := range want {
		if statuses[id] != status {
			t.Errorf("%s: want %s, got %q", id, status, statuses[id])
		}
	}
}

// doctor --sandbox runs the real preflight against the lab folder's sandbox:
// ready without any AWS account.
func TestDoctorSandbox(t *testing.T) {
	restoreSandboxEnv(t)
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	dir := filepath.Join(t.TempDir(), "lab")
	out, _, code, err := execute(t, nil, "--dir", dir, "--sandbox", "doctor")
	if code != 0 {
		t.Fatalf("exit %d (%v):\n%s", code, err, out)
	}
	if !strings.Contains(out, "Account 123456789012") || !strings.Contains(out, "--sandbox` to start the lab") {
		t.Errorf("doctor --sandbox output:\n%s", out)
	}
}
