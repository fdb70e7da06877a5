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
)

func runLambdaBuild(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"lambda", "build"}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err := root.ExecuteContext(ctx)
	return out.String(), err
}

func TestLambdaBuildRejectsUnknownArch(t *testing.T) {
	_, err := runLambdaBuild(t, "--arch", "x86_64")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(ee.msg, "arm64 or amd64") {
		t.Fatalf("want a usage error naming the architectures, got %v", err)
	}
}

func TestLambdaBuildSaysGoIsRequired(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := runLambdaBuild(t, "-o", filepath.Join(t.TempDir(), "fn.zip"))
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFailed || !strings.Contains(ee.msg, "Go toolchain is required") {
		t.Fatalf("want exit %d saying the Go toolchain is required, got %v", exitFailed, err)
	}
}

func TestLambdaBuildWritesTheZip(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the function")
	}
	zip := filepath.Join(t.TempDir(), "fn.zip")
	out, err := runLambdaBuild(t, "--arch", "arm64", "-o", zip)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if info, err := os.Stat(zip); err != nil || info.Size() == 0 {
		t.Fatalf("zip not written: %v", err)
	}
	if !strings.Contains(out, "source_code_hash = ") || !strings.Contains(out, "linux/arm64") {
		t.Errorf("output does not report the hash and platform:\n%s", out)
	}
}
