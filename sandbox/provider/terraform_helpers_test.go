package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/mirror"
)

// Helpers for tests that run the real terraform binary against the provider, installed from the
// filesystem mirror exactly as gdlab does. The provider is served by this test binary (the
// whole gdlab binary serves it in labtest).

// selfExe is this test binary, which serves the provider itself when terraform starts it
// through the mirror's launcher (`<exe> sandbox provider`), so most tests do not depend on the
// whole gdlab binary building.
func selfExe(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestMain(m *testing.M) {
	if len(os.Args) >= 3 && os.Args[1] == "sandbox" && os.Args[2] == "provider" {
		if err := Serve(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// tfWorkspace is a terraform working directory wired to the sandbox provider.
type tfWorkspace struct {
	t   *testing.T
	dir string
	env []string
}

func newWorkspace(t *testing.T, endpoint string) *tfWorkspace {
	t.Helper()
	return newWorkspaceWith(t, endpoint, selfExe(t))
}

// newWorkspaceWith serves the provider from exe (this test binary, or a built gdlab).
func newWorkspaceWith(t *testing.T, endpoint, exe string) *tfWorkspace {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not on PATH; these tests need the real terraform binary")
	}
	dir := t.TempDir()
	_, mirrorEnv, err := mirror.Prepare(dir, exe)
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "AWS_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, mirrorEnv...)
	env = append(env, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox")
	if endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+endpoint)
	}
	return &tfWorkspace{t: t, dir: dir, env: env}
}

func (w *tfWorkspace) write(name, content string) {
	w.t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs terraform and returns its combined output and exit code.
func (w *tfWorkspace) run(args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", append([]string{}, args...)...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), code
}

// must runs terraform and fails the test unless it exits 0.
func (w *tfWorkspace) must(args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// planExit runs a refreshing plan and returns terraform's -detailed-exitcode (0 = no changes,
// 2 = changes) with the output.
func (w *tfWorkspace) planExit(extra ...string) (string, int) {
	w.t.Helper()
	out, code := w.run(append([]string{"plan", "-no-color", "-detailed-exitcode"}, extra...)...)
	if code == 1 {
		w.t.Fatalf("terraform plan failed:\n%s", out)
	}
	return out, code
}
