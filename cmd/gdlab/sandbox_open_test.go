package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox"
	"github.com/gdlab-dev/gdlab/sandbox/sim/snsmail"
	"github.com/gdlab-dev/gdlab/sandbox/world"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
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

// --time-scale reaches the sandbox: the world the lab folder keeps runs at
// the scale given, and its outbox can be read (empty while nothing was
// mailed).
func TestSandboxTargetTimeScaleAndOutbox(t *testing.T) {
	restoreSandboxEnv(t)
	g := &globalFlags{dir: filepath.Join(t.TempDir(), "lab"), timeScale: 240}
	target, err := startSandboxTarget(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if target.ReadOutbox == nil {
		t.Fatal("no ReadOutbox for the sandbox")
	}
	mails, err := target.ReadOutbox(context.Background())
	if err != nil || len(mails) != 0 {
		t.Errorf("fresh outbox: %v, %v", mails, err)
	}
	if err := target.Close(); err != nil {
		t.Fatal(err)
	}
	if got := worldScale(t, g.dir); got != 240 {
		t.Errorf("world clock scale %v, want 240 from --time-scale", got)
	}
}

func worldScale(t *testing.T, dir string) float64 {
	t.Helper()
	w, err := world.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return w.Snapshot().Clock.Scale
}

func TestTimeScaleFlag(t *testing.T) {
	if def := newRootCommand().PersistentFlags().Lookup("time-scale").DefValue; def != "60" {
		t.Errorf("--time-scale defaults to %s, want 60 (a simulated minute per real second)", def)
	}
	for text, want := range map[string]float64{"60": 60, "60x": 60, "1m": 60, "2.5": 2.5} {
		var s timeScale
		if err := s.Set(text); err != nil || float64(s) != want {
			t.Errorf("--time-scale %s: %v, %v; want %v", text, float64(s), err, want)
		}
	}
	for _, text := range []string{"", "0", "-60", "fast", "x"} {
		var s timeScale
		if err := s.Set(text); err == nil {
			t.Errorf("--time-scale %q accepted as %v", text, float64(s))
		}
	}
	// Through cobra, a bad value is a usage error before anything starts.
	_, _, code, err := execute(t, nil, "--dir", filepath.Join(t.TempDir(), "lab"), "--sandbox", "--time-scale", "fast", "run", "--auto")
	if code != exitUsage || err == nil || !strings.Contains(err.Error(), "--time-scale") {
		t.Errorf("bad --time-scale: exit %d, %v", code, err)
	}
}

// `gdlab sandbox serve --time-scale` sets the served world's pace too.
func TestServeSandboxTimeScale(t *testing.T) {
	g := &globalFlags{dir: filepath.Join(t.TempDir(), "lab"), timeScale: 30}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, print, then stop at once
	var out bytes.Buffer
	if err := serveSandbox(ctx, &out, g, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "simulated, 30x real time") {
		t.Errorf("serve output:\n%s", out.String())
	}
	if got := worldScale(t, g.dir); got != 30 {
		t.Errorf("served world clock scale %v, want 30", got)
	}
}

// The outbox reads as a mail reader shows it: in delivery order, headers
// decoded, mboxrd quoting undone.
func TestReadOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.mbox")
	if mails, err := readOutbox(path); err != nil || mails != nil {
		t.Fatalf("missing outbox: %v, %v", mails, err)
	}
	at := time.Date(2026, 3, 14, 12, 4, 20, 0, time.UTC)
	topic := snsmail.Topic{ARN: "arn:aws:sns:us-west-2:123456789012:gdlab-k3x9q2ab-alerts"}
	first := snsmail.Confirmation(topic, "learner@example.com", "http://127.0.0.1:1/confirm?Token=t", "m-1", at)
	second := snsmail.Notification(topic, "learner@example.com", "Finding — é", "From the sandbox\nline two",
		"http://127.0.0.1:1/unsubscribe", "m-2", at.Add(time.Minute))
	if err := snsmail.Append(path, first, second); err != nil {
		t.Fatal(err)
	}
	mails, err := readOutbox(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 {
		t.Fatalf("%d mails, want 2: %+v", len(mails), mails)
	}
	c, n := mails[0], mails[1]
	if c.Subject != snsmail.ConfirmationSubject || !c.Date.Equal(at) || c.To != "learner@example.com" ||
		!strings.Contains(c.From, snsmail.Sender) || !strings.Contains(c.Body, "http://127.0.0.1:1/confirm?Token=t") {
		t.Errorf("confirmation: %+v", c)
	}
	if n.Subject != "Finding — é" || !n.Date.Equal(at.Add(time.Minute)) || !strings.HasPrefix(n.Body, "From the sandbox\nline two") {
		t.Errorf("notification: %+v", n)
	}
	if err := os.WriteFile(path, []byte("not an mbox\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readOutbox(path); err == nil {
		t.Error("a file that is not an mbox was read")
	}
}

// A running gdlab serves its lab's sandbox itself; `sandbox serve` on the
// same folder must not serve a second copy of the world but say where the
// running one is.
func TestServeSandboxRefusesABusyFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Dir: dir, Region: "us-west-2", GdlabExe: "/bin/true"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := terraform.OpenWorkspace(dir) // the running gdlab's lock
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = serveSandbox(context.Background(), &out, &globalFlags{dir: dir}, 0)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFailed || !strings.Contains(ee.msg, sb.Endpoint()) {
		t.Fatalf("serve on a busy folder: %v (want exit 1 naming %s)", err, sb.Endpoint())
	}
	ws.Close()
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if got := sandbox.RunningEndpoint(dir); got != "" {
		t.Errorf("a stopped sandbox must forget its endpoint, still %q", got)
	}
}

// restoreSandboxEnv has the test restore, when it ends, the AWS settings
// that starting a sandbox target changes in the process (t.Setenv records
// them now and puts them back at cleanup).
func restoreSandboxEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, os.Getenv(k))
	}
}
