package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gdlab-dev/gdlab/sandbox"
)

func requireIncidentEngine(t *testing.T) {
	t.Helper()
	requireTools(t)
	if !sandbox.HasIncidentEngine() {
		t.Skip("this build of the sandbox has no incident engine")
	}
}

// TestWholeIncidentThenDestroy: all nine steps in a fresh folder. The run
// must see the finding and the isolation; the world must hold one finding,
// the email in the outbox, the instance in the forensic group, flow records
// turning to REJECT; then destroy leaves nothing.
func TestWholeIncidentThenDestroy(t *testing.T) {
	requireIncidentEngine(t)
	lab := filepath.Join(t.TempDir(), "lab")

	run := startJSONRun(t, lab)
	run.requireComplete(run.finish())
	run.requireAutoConfirmed()

	var finding bool
	for _, e := range run.named("finding_seen") {
		if e.str("type") == labFinding && e["sample"] == false {
			finding = true
		}
	}
	if !finding {
		t.Errorf("no finding_seen event for a real %s finding", labFinding)
	}
	complete := run.named("response_complete")
	if len(complete) != 1 {
		t.Fatalf("%d response_complete events", len(complete))
	}
	if timeline, _ := complete[0]["timeline"].([]any); len(timeline) < 3 {
		t.Errorf("the timeline has %d entries: %v", len(timeline), complete[0])
	}

	facts := readIncident(t, lab)
	requireIsolatedOnce(t, facts)
	requireFlowTurnsReject(t, facts)
	requireNotificationInOutbox(t, lab, facts.compromised)

	out, stderr, code := runGdlab(t, lab, "destroy", "--sandbox", "--yes")
	if code != 0 || !strings.Contains(out+stderr, "0 resources left") {
		t.Fatalf("destroy exited %d\n%s\n%s", code, out, stderr)
	}
	if n := openWorld(t, lab).Count(); n != 0 {
		t.Errorf("%d resources left in the sandbox world after destroy", n)
	}
}

// requireNotificationInOutbox: the address got the confirmation email and,
// once gdlab confirmed it, an alert about the instance, in the mbox a mail
// reader opens.
func requireNotificationInOutbox(t *testing.T, lab, instance string) {
	t.Helper()
	data, err := os.ReadFile(outboxFile(lab))
	if err != nil {
		t.Fatalf("the outbox: %v", err)
	}
	var alerts, confirmations int
	for _, msg := range strings.Split("\n"+string(data), "\nFrom ")[1:] {
		switch {
		case !strings.Contains(msg, "To: learner@example.com"):
		case strings.Contains(msg, "Subject: AWS Notification - Subscription Confirmation"):
			confirmations++
		case strings.Contains(msg, instance):
			alerts++
		}
	}
	if confirmations != 1 {
		t.Errorf("%d confirmation emails in %s, want 1", confirmations, outboxFile(lab))
	}
	if alerts == 0 {
		t.Errorf("no alert about %s in %s:\n%s", instance, outboxFile(lab), data)
	}
}

// TestKilledDuringIncidentResumes: gdlab killed with SIGKILL at a point of
// the incident, then run again in the same folder, continues from the
// persisted world: it completes, with one finding and one isolation.
func TestKilledDuringIncidentResumes(t *testing.T) {
	requireIncidentEngine(t)
	for _, kill := range []struct {
		name  string
		event string
		step  int
	}{
		{"watching step 9", "step_started", 9},
		{"right after the Lambda is deployed", "step_finished", 7},
	} {
		t.Run(kill.name, func(t *testing.T) {
			lab := filepath.Join(t.TempDir(), "lab")
			first := startJSONRun(t, lab)
			for {
				e, ok := first.next()
				if !ok {
					t.Fatalf("the run ended before %s of step %d: %v", kill.event, kill.step, first.last())
				}
				if e.name() == kill.event && e.step() == kill.step {
					break
				}
			}
			// Only gdlab itself, as a crash would: its children are left to
			// notice on their own.
			if err := syscall.Kill(first.cmd.Process.Pid, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			first.abandon()
			first.requireAutoConfirmed()

			second := startJSONRun(t, lab)
			second.requireComplete(second.finish())
			facts := readIncident(t, lab)
			requireIsolatedOnce(t, facts)

			out, stderr, code := runGdlab(t, lab, "destroy", "--sandbox", "--yes")
			if code != 0 || !strings.Contains(out+stderr, "0 resources left") {
				t.Fatalf("destroy exited %d\n%s\n%s", code, out, stderr)
			}
		})
	}
}
