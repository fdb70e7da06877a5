package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestStepsOneToEightThenVerifyThenDestroy: the lab through step 8 in one
// process, checked again by a second, looked at with the AWS CLI through a
// third (`gdlab sandbox serve`), destroyed by a fourth.
func TestStepsOneToEightThenVerifyThenDestroy(t *testing.T) {
	requireTools(t)
	lab := filepath.Join(t.TempDir(), "lab")

	run := startJSONRun(t, lab, "--until", "8")
	run.requireComplete(run.finish())
	run.requireAutoConfirmed()

	started := run.named("run_started")
	if len(started) != 1 || started[0].str("target") != "sandbox" || started[0].str("account") != "123456789012" {
		t.Errorf("run_started: %v", started)
	}
	isolated := isolatedNow(t, lab)
	checks := stepChecks(run.events)
	for n := 1; n <= 8; n++ {
		if len(checks[n]) == 0 {
			t.Errorf("step %d reported no checks", n)
		}
		for _, c := range checks[n] {
			if !passed(c.str("id"), c.str("status"), isolated) {
				t.Errorf("step %d check %s is %s: %s", n, c.str("id"), c.str("status"), c.str("detail"))
			}
		}
	}
	for _, e := range run.named("step_finished") {
		if e.str("state") != "checked" {
			t.Errorf("step %d finished %s", e.step(), e.str("state"))
		}
	}

	t.Run("verify in a new process", func(t *testing.T) {
		isolated := isolatedNow(t, lab)
		out, stderr, code := runGdlab(t, lab, "verify", "--sandbox", "--json")
		if code != 0 {
			t.Fatalf("verify exited %d\n%s\n%s", code, out, stderr)
		}
		var report struct {
			OK    bool `json:"ok"`
			Steps []struct {
				Step   int    `json:"step"`
				Error  string `json:"error"`
				Checks []struct {
					ID, Status, Detail string
				} `json:"checks"`
			} `json:"steps"`
		}
		if err := json.Unmarshal([]byte(out), &report); err != nil {
			t.Fatalf("verify --json: %v\n%s", err, out)
		}
		if !report.OK || len(report.Steps) < 8 {
			t.Errorf("verify: ok=%v over %d steps", report.OK, len(report.Steps))
		}
		for _, s := range report.Steps {
			if s.Error != "" {
				t.Errorf("verify step %d: %s", s.Step, s.Error)
			}
			for _, c := range s.Checks {
				if !passed(c.ID, c.Status, isolated) {
					t.Errorf("verify step %d check %s is %s: %s", s.Step, c.ID, c.Status, c.Detail)
				}
			}
		}
	})

	t.Run("AWS CLI against gdlab sandbox serve", func(t *testing.T) {
		awsCLIAgainstServe(t, lab)
	})

	t.Run("destroy in a new process", func(t *testing.T) {
		out, stderr, code := runGdlab(t, lab, "destroy", "--sandbox", "--yes")
		if code != 0 || !strings.Contains(out+stderr, "0 resources left") {
			t.Fatalf("destroy exited %d\n%s\n%s", code, out, stderr)
		}
		if n := openWorld(t, lab).Count(); n != 0 {
			t.Errorf("%d resources left in the sandbox world after destroy", n)
		}
	})
}

// passed: a check passed, or warned only because the simulated incident
// already ran its course. Sandbox time runs 60 times as fast, so the
// Lambda may isolate the instance before step 8 is checked; the check says
// so as a warning, which is right exactly when the world shows it isolated.
func passed(id, status string, isolated bool) bool {
	return status == "pass" || status == "warn" && id == "compute.compromised-instance" && isolated
}

// isolatedNow: the world has the compromised instance in the forensic group.
func isolatedNow(t *testing.T, lab string) bool {
	t.Helper()
	f := readIncident(t, lab)
	return f.forensicSG != "" && len(f.groups) == 1 && f.groups[0] == f.forensicSG
}
