package tui

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/gdlab-dev/gdlab/steps"
)

// waitFor waits until the program's output contains every one of want.
func waitFor(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		for _, w := range want {
			if !bytes.Contains(out, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// TestFlowApplyStepsOneAndTwo drives the real program loop against the
// fake lab: step 1 (plan, confirm, apply, checks), then step 2, then quit.
// Every Lab call runs through the commands and the event channel.
func TestFlowApplyStepsOneAndTwo(t *testing.T) {
	lab := newFakeLab()
	m := New(lab, Options{NoColor: true, Pages: testPages()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	waitFor(t, tm, "GuardDuty IR lab", "1 Initial configuration")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "Plan: no changes.")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "step 1 applied · checks 2/2 passed")

	tm.Send(keyMsg("down"))
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "4 to add, 0 to change", "module.compute.aws_eip.malicious")
	tm.Send(keyMsg("y"))
	waitFor(t, tm, "step 2 applied · checks 1/2 passed")
	tm.Send(keyMsg("q"))

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if got, want := lab.Calls(), []string{"plan 1", "apply 1", "plan 2", "apply 2"}; !slices.Equal(got, want) {
		t.Fatalf("lab calls = %v, want %v", got, want)
	}
	if final.state[0].state != steps.StateChecked || final.state[1].state != steps.StateApplied {
		t.Fatalf("final states: step 1 %v, step 2 %v; want checked, applied", final.state[0].state, final.state[1].state)
	}
	if final.animating() {
		t.Fatalf("a run is still active after quitting")
	}
	if got := len(final.state[1].progress.lines); got != 4 {
		t.Fatalf("apply progress recorded %d resources, want 4", got)
	}
	if final.target.CostPerHour == 0 {
		t.Fatalf("the header's cost was not refreshed after the apply")
	}
	exit := final.ExitMessage()
	if !strings.Contains(exit, "gdlab destroy --dir ./gdlab-lab --sandbox") || !strings.Contains(exit, "2 Terraform init") {
		t.Fatalf("exit message:\n%s", exit)
	}
}

// TestFlowQuitDuringApply: quitting mid-apply cancels the apply's context
// and the program ends only after the apply has returned.
func TestFlowQuitDuringApply(t *testing.T) {
	lab := newFakeLab()
	lab.holdApply = true
	m := New(lab, Options{NoColor: true, Pages: testPages()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	tm.Send(keyMsg("down"))
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "4 to add")
	tm.Send(keyMsg("y"))
	waitFor(t, tm, "step 2 · applying")
	tm.Send(keyMsg("q"))
	waitFor(t, tm, "Quit while terraform is applying?")
	tm.Send(keyMsg("y"))

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	calls := lab.Calls()
	if calls[len(calls)-1] != "apply 2 interrupted" {
		t.Fatalf("the apply was not interrupted before quitting: %v", calls)
	}
	if final.op != nil || final.state[1].state != steps.StateFailed {
		t.Fatalf("after the interrupted apply: op=%v state=%v", final.op != nil, final.state[1].state)
	}
	if !final.Interrupted() || !strings.Contains(final.ExitMessage(), "interrupted") {
		t.Fatalf("exit message does not mention the interruption:\n%s", final.ExitMessage())
	}
}

// TestFlowIncidentAndCleanup watches the scripted incident to the end,
// then destroys the lab from anywhere with D.
func TestFlowIncidentAndCleanup(t *testing.T) {
	lab := newFakeLab()
	lab.states = map[int]steps.StepState{}
	for n := 1; n <= 8; n++ {
		lab.states[n] = steps.StateChecked
	}
	lab.incident = append([]steps.IncidentEvent{
		steps.SubscriptionChanged{State: "confirmed"},
		steps.FindingSeen{ID: "f-1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Severity: 5, FirstSeen: incidentT0.Add(4 * time.Minute)},
	}, incidentRest()...)
	lab.destroy = []steps.Event{
		steps.ResourceStarted{Address: "module.vpc.aws_vpc.lab", Action: "delete"},
		steps.ResourceDone{Address: "module.vpc.aws_vpc.lab", Action: "delete", Elapsed: time.Second},
	}
	m := New(lab, Options{NoColor: true, Pages: testPages()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	waitFor(t, tm, "resumed at step 9")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "isolated in 3m23s")
	tm.Send(keyMsg("up"))
	tm.Send(keyMsg("D"))
	waitFor(t, tm, "Type the lab id")
	for _, msg := range typed("k3x9q2ab") {
		tm.Send(msg)
	}
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "0 resources left")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if got, want := lab.Calls(), []string{"watch", "destroy"}; !slices.Equal(got, want) {
		t.Fatalf("lab calls = %v, want %v", got, want)
	}
	if final.ExitMessage() != "" {
		t.Fatalf("everything was destroyed, yet the exit message says:\n%s", final.ExitMessage())
	}
}
