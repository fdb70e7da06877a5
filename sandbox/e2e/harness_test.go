package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/internal/testtool"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// repoRoot is where gdlab runs from, so that it finds the remediation
// function's source for step 7 as it does in a clone.
const repoRoot = "../.."

// commandTimeout bounds one gdlab process; a hang fails the test instead of
// blocking CI.
const commandTimeout = 10 * time.Minute

var (
	buildOnce sync.Once
	buildDir  string
	gdlabExe  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// gdlab is the binary built from this tree, once per test run.
func gdlab(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "gdlab-e2e-")
		if buildErr != nil {
			return
		}
		gdlabExe = filepath.Join(buildDir, "gdlab")
		cmd := exec.Command("go", "build", "-o", gdlabExe, "./cmd/gdlab")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/gdlab: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return gdlabExe
}

// requireTools skips a local run without terraform; CI must have it.
func requireTools(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: runs the whole lab with terraform")
	}
	testtool.Require(t, "terraform", "terraform is preinstalled on this kind of machine")
}

// gdlabEnv is the test process's environment without anything that could
// point gdlab or terraform elsewhere: the sandbox sets its own.
func gdlabEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "TF_") ||
			strings.HasPrefix(name, "GDLAB_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// gdlabCommand is one gdlab process in lab folder lab. It runs in its own
// process group so that a test can clean up anything it leaves behind.
func gdlabCommand(t *testing.T, lab string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, gdlab(t), append(args, "--dir", lab)...)
	cmd.Dir = repoRoot
	cmd.Env = gdlabEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	return cmd
}

// runGdlab runs gdlab to the end and returns stdout, stderr and the exit code.
func runGdlab(t *testing.T, lab string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := gdlabCommand(t, lab, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	code = exitCode(t, cmd.Run(), args)
	return out.String(), errOut.String(), code
}

func exitCode(t *testing.T, err error, args []string) int {
	t.Helper()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	}
	t.Fatalf("gdlab %s: %v", strings.Join(args, " "), err)
	return -1
}

// event is one JSON line of `gdlab run --auto --json`.
type event map[string]any

func (e event) name() string { return e.str("event") }
func (e event) str(k string) string {
	s, _ := e[k].(string)
	return s
}
func (e event) num(k string) float64 {
	f, _ := e[k].(float64)
	return f
}
func (e event) step() int { return int(e.num("step")) }

// jsonRun is a running `gdlab run --auto --json`.
type jsonRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  *bufio.Scanner
	stderr *bytes.Buffer
	events []event
}

func startJSONRun(t *testing.T, lab string, args ...string) *jsonRun {
	t.Helper()
	cmd := gdlabCommand(t, lab, append([]string{"run", "--auto", "--sandbox", "--json"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &jsonRun{t: t, cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.lines = bufio.NewScanner(stdout)
	r.lines.Buffer(make([]byte, 0, 1<<16), 1<<24)
	return r
}

// next reads the next event; false at the end of the stream. Every line
// must be one JSON object.
func (r *jsonRun) next() (event, bool) {
	r.t.Helper()
	if !r.lines.Scan() {
		return nil, false
	}
	var e event
	if err := json.Unmarshal(r.lines.Bytes(), &e); err != nil {
		r.t.Fatalf("a line of --json output is not JSON: %v\n%s", err, r.lines.Text())
	}
	if e.name() == "" {
		r.t.Fatalf("a JSON line has no event name: %s", r.lines.Text())
	}
	r.events = append(r.events, e)
	return e, true
}

// finish reads the rest of the stream and returns the exit code.
func (r *jsonRun) finish() int {
	r.t.Helper()
	for {
		if _, ok := r.next(); !ok {
			break
		}
	}
	return exitCode(r.t, r.cmd.Wait(), r.cmd.Args)
}

// abandon drains a killed run's output (its last line may be cut short)
// and reaps it.
func (r *jsonRun) abandon() {
	for r.lines.Scan() {
	}
	_ = r.cmd.Wait()
}

func (r *jsonRun) last() event {
	if len(r.events) == 0 {
		return event{}
	}
	return r.events[len(r.events)-1]
}

func (r *jsonRun) named(name string) []event {
	var out []event
	for _, e := range r.events {
		if e.name() == name {
			out = append(out, e)
		}
	}
	return out
}

// requireComplete fails unless the run ended complete with exit 0.
func (r *jsonRun) requireComplete(code int) {
	r.t.Helper()
	fin := r.last()
	if code != 0 || fin.name() != "run_finished" || fin.str("outcome") != "complete" {
		r.t.Fatalf("run did not complete: exit %d, last event %v\nstderr:\n%s", code, fin, r.stderr)
	}
}

// requireAutoConfirmed: in the sandbox nobody reads the outbox during
// `run --auto`, so gdlab confirms the email subscription itself once step 5
// is applied (subscription_confirmed), and step 5's checks, reported after
// it, all pass: the email check included.
func (r *jsonRun) requireAutoConfirmed() {
	r.t.Helper()
	confirmed, checks := -1, 0
	for i, e := range r.events {
		switch {
		case e.name() == "subscription_confirmed":
			if e.step() != 5 || confirmed >= 0 {
				r.t.Errorf("subscription_confirmed at step %d (seen before: %v)", e.step(), confirmed >= 0)
			}
			confirmed = i
		case e.name() == "check_result" && e.step() == 5:
			checks++
			if confirmed < 0 {
				r.t.Errorf("step 5 check %s reported before the subscription was confirmed", e.str("id"))
			}
			if e.str("status") != "pass" {
				r.t.Errorf("step 5 check %s is %s: %s", e.str("id"), e.str("status"), e.str("detail"))
			}
		}
	}
	if confirmed < 0 || checks == 0 {
		r.t.Errorf("subscription_confirmed seen: %v; step 5 checks: %d", confirmed >= 0, checks)
	}
}

// openWorld reads the lab folder's sandbox world as gdlab left it.
func openWorld(t *testing.T, lab string) *world.State {
	t.Helper()
	w, err := world.Open(lab, "")
	if err != nil {
		t.Fatal(err)
	}
	return w.Snapshot()
}

// stepChecks groups the run's check_result events by step.
func stepChecks(events []event) map[int][]event {
	out := map[int][]event{}
	for _, e := range events {
		if e.name() == "check_result" {
			out[e.step()] = append(out[e.step()], e)
		}
	}
	return out
}
