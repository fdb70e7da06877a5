// Package testtool finds the outside programs tests drive (terraform,
// tflint, tfsec, aws-lambda-rie). A missing one skips the test on a
// workstation and fails it in CI (CI set), where .ci/setup installs them.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Require returns the path of name, found on PATH or in $(go env
// GOPATH)/bin where `go install` puts it. install says how to get it.
func Require(tb testing.TB, name, install string) string {
	tb.Helper()
	if p := Find(name); p != "" {
		return p
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is required in CI but is neither on PATH nor in $(go env GOPATH)/bin; %s", name, install)
	}
	tb.Skipf("%s not installed (PATH or $(go env GOPATH)/bin); %s", name, install)
	return ""
}

// Find is name's path on PATH or in $(go env GOPATH)/bin, or "".
func Find(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
		p := filepath.Join(dir, "bin", name)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return ""
}
