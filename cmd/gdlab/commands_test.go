package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

// execute runs gdlab with args, stdin empty (not a terminal), and returns
// stdout, stderr and the exit code main would use.
func execute(t *testing.T, ctx context.Context, args ...string) (string, string, int, error) {
	t.Helper()
	root := newRootCommand()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	root.SetArgs(args)
	if ctx == nil {
		ctx = context.Background()
	}
	err := root.ExecuteContext(ctx)
	code := 0
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case err != nil:
		code = 1
	}
	return out.String(), errOut.String(), code, err
}

func TestUsageErrors(t *testing.T) {
	prev := openSandbox
	openSandbox = nil
	t.Cleanup(func() { openSandbox = prev })
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"run without --auto", []string{"run"}, "needs --auto"},
		{"until too small", []string{"run", "--auto", "--until", "0"}, "--until 0: the lab has steps 1 to 9"},
		{"until too large", []string{"run", "--auto", "--until", "10"}, "--until 10"},
		{"negative timeout", []string{"run", "--auto", "--timeout", "-1s"}, "cannot be negative"},
		{"aws run without an email", []string{"run", "--auto"}, "--email"},
		{"sandbox not built", []string{"--sandbox", "run", "--auto"}, "the sandbox is not built yet in this version"},
		{"destroy without a terminal or --yes", []string{"destroy"}, "pass --yes"},
		{"gdlab without a terminal", []string{}, "gdlab needs a terminal; use `gdlab run --auto`"},
		{"verify a step that does not exist", []string{"verify", "--step", "12"}, "--step 12"},
		{"stray argument", []string{"run", "--auto", "now"}, "takes no arguments"},
		{"unknown command", []string{"frobnicate"}, "unknown command \"frobnicate\""},
		{"bad flag value", []string{"run", "--auto", "--until", "x"}, "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "lab")
			out, _, code, err := execute(t, nil, append([]string{"--dir", dir}, tt.args...)...)
			if code != exitUsage {
				t.Fatalf("exit %d (%v), want %d", code, err, exitUsage)
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q, want it to contain %q", err, tt.msg)
			}
			if out != "" {
				t.Errorf("a usage error printed to stdout: %q", out)
			}
			if _, statErr := os.Stat(dir); statErr == nil {
				t.Errorf("a usage error created the lab folder")
			}
		})
	}
}

// run --auto --json end to end through cobra against a fake lab: every
// line is a JSON object with the documented common fields and a
// documented event name.
func TestRunAutoJSON(t *testing.T) {
	lab := &fakeLab{}
	target := useFakeLab(t, lab)
	dir := filepath.Join(t.TempDir(), "lab")
	out, errOut, code, err := execute(t, nil, "--dir", dir, "--sandbox", "run", "--auto", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errOut)
	}
	documented := documentedEvents(t)
	var names []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		name, _ := obj["event"].(string)
		if _, ok := documented[name]; !ok {
			t.Errorf("event %q is not in docs/json-events.md", name)
		}
		ts, _ := obj["time"].(string)
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			t.Errorf("%s: time %q: %v", name, ts, err)
		}
		if _, ok := obj["step"].(float64); !ok {
			t.Errorf("%s: no step", name)
		}
		names = append(names, name)
		if name == steps.EventRunFinished {
			if obj["outcome"] != "complete" || obj["exit_code"] != 0.0 {
				t.Errorf("run_finished: %v", obj)
			}
		}
	}
	if len(names) < 20 || names[0] != steps.EventRunStarted || names[len(names)-1] != steps.EventRunFinished {
		t.Fatalf("events %v", names)
	}
	if got := slices.Index(names, steps.EventResponseComplete); got < 0 {
		t.Error("no response_complete")
	}
	o := target.opts
	if o.Target != steps.TargetSandbox || o.Logger == nil || o.BuildLambdaZip == nil ||
		o.Email != "learner@sandbox.test" || o.Region != "us-west-2" || o.Preflight == nil {
		t.Errorf("options given to the lab: %+v", o)
	}
	if !lab.closed || !target.sandboxClosed {
		t.Error("the lab or the sandbox was not closed")
	}
	if _, err := os.Stat(filepath.Join(dir, ".gdlab", "gdlab.log")); err != nil {
		t.Errorf("no log file: %v", err)
	}
}

func TestRunAutoOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		lab      func(cancel context.CancelFunc) *fakeLab
		args     []string
		wantCode int
		wantOut  []string
	}{
		{
			name: "a failing check exits 1 with its hint",
			lab: func(context.CancelFunc) *fakeLab {
				return &fakeLab{checks: map[int][]steps.CheckResult{4: {{Title: "threat list active",
					Status: steps.CheckFail, Detail: "INACTIVE", Hint: "reactivate it", Command: "aws guardduty list-threat-intel-sets"}}}}
			},
			wantCode: exitFailed,
			wantOut:  []string{"✗ threat list active — INACTIVE", "Stopped at step 4 (check failed)", "hint: reactivate it", "check by hand: aws guardduty"},
		},
		{
			name: "terraform failing exits 1 with terraform's hint",
			lab: func(context.CancelFunc) *fakeLab {
				return &fakeLab{applyErr: map[int]error{2: errors.New("exit status 1")}}
			},
			wantCode: exitFailed,
			wantOut:  []string{"error: boom", "Stopped at step 2 (error)", "hint: try the other thing"},
		},
		{
			name: "an interruption during an apply exits 130",
			lab: func(cancel context.CancelFunc) *fakeLab {
				return &fakeLab{onApply: func(n int) {
					if n == 3 {
						cancel()
					}
				}}
			},
			wantCode: exitInterrupted,
			wantOut:  []string{"Stopped at step 3: interrupted"},
		},
		{
			name:     "until stops early and succeeds",
			lab:      func(context.CancelFunc) *fakeLab { return &fakeLab{} },
			args:     []string{"--until", "2"},
			wantCode: 0,
			wantOut:  []string{"Step 2 ·", "Done: every step through 2 passed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			useFakeLab(t, tt.lab(cancel))
			t.Setenv("NO_COLOR", "")
			args := append([]string{"--dir", t.TempDir(), "--sandbox", "run", "--auto"}, tt.args...)
			out, errOut, code, err := execute(t, ctx, args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d\n%s\n%s", code, err, tt.wantCode, out, errOut)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("colour escapes in output that is not a terminal:\n%q", out)
			}
		})
	}
}

// A lab that cannot be opened still ends the JSON stream with run_finished.
func TestRunAutoJSONOpenFailure(t *testing.T) {
	useFakeLab(t, &fakeLab{})
	openLab = func(context.Context, steps.Options) (labHandle, error) {
		return nil, errors.New("terraform not found")
	}
	out, _, code, _ := execute(t, nil, "--dir", t.TempDir(), "--sandbox", "run", "--auto", "--json")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	var last map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &last); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if last["event"] != steps.EventRunFinished || last["outcome"] != "error" ||
		!strings.Contains(last["reason"].(string), "terraform not found") {
		t.Errorf("last event %v", last)
	}
}
