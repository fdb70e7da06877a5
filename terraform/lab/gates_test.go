package lab

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gdlab-dev/gdlab/internal/testtool"
)

// Quality gates over the lab HCL with the real tools: terraform fmt, tflint (bundled terraform
// ruleset, recommended preset) and tfsec. A missing tool skips the gate on a workstation and
// fails it in CI (CI set), where .ci/run installs the pinned versions.

// materialise writes the lab folder for a step the way the runner does: the root fragments of
// that step at the top, every module under ./modules/<name>/.
func materialise(t *testing.T, step int) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range FragmentsThrough(step) {
		copyEmbedded(t, path.Join(RootDir, name), filepath.Join(dir, name))
	}
	err := fs.WalkDir(Files, ModulesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		copyEmbedded(t, p, filepath.Join(dir, filepath.FromSlash(p)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyEmbedded(t *testing.T, from, to string) {
	t.Helper()
	data, err := fs.ReadFile(Files, from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run executes a tool and returns stdout; the exit status is returned, not judged.
func run(t *testing.T, dir, tool string, args ...string) (stdout []byte, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	// terraform only: keep a missing ~/.terraformrc from adding warnings, and never check for updates.
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.Bytes(), errOut.String(), err
}

func TestTerraformFmt(t *testing.T) {
	terraform := testtool.Require(t, "terraform", "terraform is preinstalled on this kind of machine")
	// The source folder, not a copy: a failure here is fixed with `terraform fmt -recursive`.
	out, stderr, err := run(t, ".", terraform, "fmt", "-check", "-recursive", "-diff", ".")
	if err != nil {
		t.Fatalf("terraform fmt -check found unformatted files (run `terraform fmt -recursive terraform/lab`): %v\n%s%s", err, out, stderr)
	}
}

type tflintReport struct {
	Issues []struct {
		Rule struct {
			Name     string `json:"name"`
			Severity string `json:"severity"`
		} `json:"rule"`
		Message string `json:"message"`
		Range   struct {
			Filename string `json:"filename"`
			Start    struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"range"`
	} `json:"issues"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

func TestTflint(t *testing.T) {
	tflint := testtool.Require(t, "tflint", "go install github.com/terraform-linters/tflint@v0.64.0")
	config, err := filepath.Abs(".tflint.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if out, _, err := run(t, ".", tflint, "--version"); err == nil {
		t.Logf("%s", bytes.TrimSpace(out))
	}

	lint := func(t *testing.T, dir string) {
		t.Helper()
		out, stderr, err := run(t, dir, tflint, "--config="+config, "--format=json", "--no-color")
		var report tflintReport
		if jerr := json.Unmarshal(out, &report); jerr != nil {
			t.Fatalf("tflint output is not JSON (%v; exit %v):\n%s%s", jerr, err, out, stderr)
		}
		for _, e := range report.Errors {
			t.Errorf("tflint error: %s", e.Message)
		}
		for _, i := range report.Issues {
			t.Errorf("%s:%d: %s (%s, %s)", i.Range.Filename, i.Range.Start.Line, i.Message, i.Rule.Name, i.Rule.Severity)
		}
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("tflint did not run: %v", err)
		}
		if err == nil && (len(report.Issues) > 0 || len(report.Errors) > 0) {
			t.Error("tflint reported problems but exited 0")
		}
	}

	// Every partial root the learner's folder goes through, so no step leaves an unused
	// variable or a dangling reference behind.
	for step := 1; step <= 7; step++ {
		t.Run("root through step "+strconv.Itoa(step), func(t *testing.T) {
			lint(t, materialise(t, step))
		})
	}
	// tflint does not lint a called module's own files, so each module is linted on its own.
	lab := materialise(t, 7)
	for _, m := range Modules() {
		t.Run("module "+m, func(t *testing.T) {
			lint(t, filepath.Join(lab, ModulesDir, m))
		})
	}
}

type tfsecReport struct {
	Results []struct {
		LongID      string `json:"long_id"`
		Severity    string `json:"severity"`
		Status      int    `json:"status"`
		Description string `json:"description"`
		Location    struct {
			Filename  string `json:"filename"`
			StartLine int    `json:"start_line"`
		} `json:"location"`
	} `json:"results"`
}

// tfsec result statuses (defsec scan.Status).
const (
	tfsecFailed  = 0
	tfsecIgnored = 2
)

func TestTfsec(t *testing.T) {
	tfsec := testtool.Require(t, "tfsec", "go install github.com/aquasecurity/tfsec/cmd/tfsec@v1.26.0")
	lab := materialise(t, 7)
	out, stderr, err := run(t, lab, tfsec, "--format", "json", "--no-color", "--soft-fail", "--include-ignored", ".")
	if err != nil {
		t.Fatalf("tfsec failed: %v\n%s", err, stderr)
	}
	var report tfsecReport
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("tfsec output is not JSON: %v\n%s", err, out)
	}
	ignored := 0
	for _, r := range report.Results {
		file, _ := filepath.Rel(lab, r.Location.Filename)
		switch r.Status {
		case tfsecIgnored:
			ignored++
		case tfsecFailed:
			// Every severity counts: HIGH and CRITICAL must be fixed or ignored inline with a
			// reason, and so far MEDIUM and LOW have all been too.
			t.Errorf("%s:%d: %s %s: %s", file, r.Location.StartLine, r.Severity, r.LongID, r.Description)
		}
	}
	// The lab carries deliberate, explained exceptions (SSE-S3 instead of a CMK, open egress for
	// the scenario, ...). Seeing none means tfsec did not scan the modules at all.
	if ignored == 0 {
		t.Errorf("tfsec reported no inline-ignored results; did it scan %s/modules?", lab)
	}
}
