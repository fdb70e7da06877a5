package tui

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// sizes every snapshot is taken at: the smallest supported terminal and a
// roomy one.
var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"160x48", 160, 48}}

// scenario drives a fresh model to the state a snapshot shows.
type scenario func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model

func TestViews(t *testing.T) {
	cases := []struct {
		name string
		lab  func() *fakeLab
		run  scenario
	}{
		{"initial", newFakeLab, nil},
		{"help_expanded", newFakeLab, func(t *testing.T, _ *fakeLab, _ *testClock, m Model) Model {
			return update(m, keyMsg("?"))
		}},
		{"code_tab", newFakeLab, func(t *testing.T, _ *fakeLab, _ *testClock, m Model) Model {
			return update(m, keys("down", "tab")...)
		}},
		{"resumed", func() *fakeLab {
			lab := newFakeLab()
			lab.states = map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateChecked, 3: steps.StateApplied}
			lab.target.CostPerHour = 0.02
			return lab
		}, nil},
		{"plan_shown", newFakeLab, func(t *testing.T, lab *fakeLab, _ *testClock, m Model) Model {
			return planStep2(t, m)
		}},
		{"apply_in_progress", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			return applyStep2Halfway(t, m, clock)
		}},
		{"apply_in_progress_elsewhere", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = applyStep2Halfway(t, m, clock)
			return update(m, keys("down", "down")...)
		}},
		{"apply_error_with_hint", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = applyStep2Halfway(t, m, clock)
			id := m.op.id
			return update(m,
				runEventMsg{id, steps.ResourceFailed{Address: "module.compute.aws_instance.compromised", Elapsed: 9 * time.Second,
					Message: "creating EC2 Instance: UnauthorizedOperation"}},
				runEventMsg{id, steps.Diagnostic{Severity: "error", Summary: "creating EC2 Instance: operation error EC2: RunInstances, UnauthorizedOperation",
					Detail:  "You are not authorized to perform this operation. User: arn:aws:iam::000000000000:user/learner is not authorized to perform: ec2:RunInstances",
					Address: "module.compute.aws_instance.compromised",
					Hint:    "the profile lacks ec2:RunInstances; use a role with the permissions listed in docs/step1-initial-configuration.md"}},
				applyDoneMsg{run: id, err: errors.New("terraform apply: exit status 1")},
			)
		}},
		{"checks_tab", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = applyStep2Halfway(t, m, clock)
			return update(m, applyDoneMsg{run: m.op.id, checks: step2Checks(), target: lab.target})
		}},
		{"incident_midway", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			return incidentMidway(t, m, clock)
		}},
		{"incident_complete", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = incidentMidway(t, m, clock)
			id := m.watch.id
			m = update(m, incidentEvents(id, incidentRest()...)...)
			return update(m, watchDoneMsg{run: id})
		}},
		{"incident_complete_sandbox", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = incidentMidway(t, m, clock)
			id := m.watch.id
			rest := incidentRest()
			rc := rest[len(rest)-1].(steps.ResponseComplete)
			rc.Simulated, rc.RealTimeToRespond = true, 3*time.Second+383*time.Millisecond
			rest[len(rest)-1] = rc
			m = update(m, incidentEvents(id, rest...)...)
			return update(m, watchDoneMsg{run: id})
		}},
		{"cleanup_confirmation", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = update(m, keyMsg("D"))
			return update(m, typed("k3x9")...)
		}},
		{"cleanup_wrong_id", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = update(m, keyMsg("D"))
			m = update(m, typed("nope")...)
			return update(m, keyMsg("enter"))
		}},
		{"destroy_in_progress", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			return destroyHalfway(t, m, clock)
		}},
		{"audit_clean", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = destroyHalfway(t, m, clock)
			return update(m, destroyDoneMsg{run: m.op.id, audit: steps.AuditResult{}, target: lab.target})
		}},
		{"audit_leftovers", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = destroyHalfway(t, m, clock)
			return update(m, destroyDoneMsg{run: m.op.id, target: lab.target, audit: steps.AuditResult{
				Leftovers: []steps.Leftover{{
					ARN:           "arn:aws:s3:::gdlab-k3x9q2ab-flow-logs-000000000000",
					Kind:          "S3 bucket",
					Note:          "not empty: versioned objects remain",
					DeleteCommand: "aws s3 rb s3://gdlab-k3x9q2ab-flow-logs-000000000000 --force",
				}},
				Kept: []string{"GuardDuty detector 12abc34d567e8fa901bc2d34e56789f0 (it existed before the lab)"},
			}})
		}},
		{"outbox", sandboxWithMail, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			return openOutbox(t, lab, m)
		}},
		{"outbox_scrolled", sandboxWithMail, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			return update(openOutbox(t, lab, m), keyMsg("pgdown"))
		}},
		{"quit_during_apply", newFakeLab, func(t *testing.T, lab *fakeLab, clock *testClock, m Model) Model {
			m = applyStep2Halfway(t, m, clock)
			return update(m, keyMsg("q"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range sizes {
				t.Run(size.name, func(t *testing.T) {
					lab, clock := tc.lab(), newTestClock()
					m := newTestModel(t, lab, clock, size.w, size.h)
					if tc.run != nil {
						m = tc.run(t, lab, clock, m)
					}
					requireScreen(t, m, size.w, size.h)
				})
			}
		})
	}
}

// TestResizeReflows checks a model sized large and then shrunk draws the
// same frame as one that started small: nothing of the old size lingers.
func TestResizeReflows(t *testing.T) {
	big := newTestModel(t, newFakeLab(), newTestClock(), 160, 48)
	big = update(big, tea.WindowSizeMsg{Width: 80, Height: 24})
	small := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	if big.View() != small.View() {
		t.Fatalf("resized view differs from a fresh 80x24 view:\n%s\n---\n%s", big.View(), small.View())
	}
	requireScreen(t, big, 80, 24)
}

func sandboxWithMail() *fakeLab {
	lab := newFakeLab()
	lab.mail = sandboxMail()
	return lab
}

// openOutbox selects step 5, presses o and delivers what the lab's outbox
// holds, as the command o starts would.
func openOutbox(t testing.TB, lab *fakeLab, m Model) Model {
	t.Helper()
	m = update(m, keys("down", "down", "down", "down", "o")...)
	if m.outbox == nil {
		t.Fatalf("o did not open the outbox")
	}
	mails, err := lab.Outbox(context.Background())
	return update(m, outboxReadMsg{mails: mails, err: err})
}

// planStep2 selects step 2, plans it and shows the plan.
func planStep2(t testing.TB, m Model) Model {
	t.Helper()
	m = update(m, keys("down", "enter")...)
	if m.op == nil || m.op.kind != runPlan {
		t.Fatalf("enter on step 2 did not start a plan")
	}
	id := m.op.id
	m = update(m,
		runEventMsg{id, steps.Phase{Name: "init", Text: "terraform init"}},
		planDoneMsg{run: id, plan: step2Plan()},
	)
	if !m.state[1].reviewing {
		t.Fatalf("plan done but not shown for review")
	}
	return m
}

// applyStep2Halfway confirms step 2's plan and delivers events up to the
// third resource, which is still being created.
func applyStep2Halfway(t testing.TB, m Model, clock *testClock) Model {
	t.Helper()
	m = planStep2(t, m)
	m = update(m, keyMsg("y"))
	if m.op == nil || m.op.kind != runApply {
		t.Fatalf("y on a reviewed plan did not start the apply")
	}
	id := m.op.id
	events := step2ApplyEvents()[:6]
	for _, e := range events {
		m = update(m, runEventMsg{id, e})
	}
	clock.Advance(7 * time.Second)
	return update(m, runEventMsg{id, steps.ResourceProgress{Address: "module.compute.aws_instance.compromised", Elapsed: 7 * time.Second}})
}

var incidentT0 = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func incidentEvents(id int, evs ...steps.IncidentEvent) []tea.Msg {
	out := make([]tea.Msg, len(evs))
	for i, e := range evs {
		out[i] = incidentMsg{run: id, event: e}
	}
	return out
}

// incidentMidway starts the watch on step 9 and delivers the finding and
// the email, with isolation still to come.
func incidentMidway(t testing.TB, m Model, clock *testClock) Model {
	t.Helper()
	m = update(m, keys("down", "down", "down", "down", "down", "down", "down", "down", "enter")...)
	if m.watch == nil {
		t.Fatalf("enter on step 9 did not start the watch")
	}
	m = update(m, incidentEvents(m.watch.id,
		steps.SubscriptionChanged{State: "pending"},
		steps.TrafficExpected{Since: incidentT0.Add(time.Minute), Target: "198.51.100.7"},
		steps.FindingSeen{ID: "f-1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Severity: 5, FirstSeen: incidentT0.Add(4 * time.Minute)},
		steps.SubscriptionChanged{State: "confirmed"},
		steps.MessageDelivered{At: incidentT0.Add(4*time.Minute + 20*time.Second), Subject: "GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
			Text: "First seen 2026-03-14T12:04:00Z. Instance i-0compromised talked to 198.51.100.7, an address on the lab's threat list. Severity 5."},
		steps.LambdaLog{At: incidentT0.Add(4*time.Minute + 21*time.Second), Line: "START RequestId: 7f1e… Version: $LATEST"},
		steps.LambdaLog{At: incidentT0.Add(4*time.Minute + 22*time.Second), Line: "finding f-1: moving i-0compromised to sg-0forensic"},
		steps.WaitingETA{Waiting: "the Lambda to move the instance", ETA: 90 * time.Second},
	)...)
	clock.Advance(30 * time.Second)
	return update(m, keyMsg("tab"), keyMsg("shift+tab")) // a redraw at the new time
}

func incidentRest() []steps.IncidentEvent {
	return []steps.IncidentEvent{
		steps.GroupsChanged{At: incidentT0.Add(4*time.Minute + 23*time.Second), Before: []string{"sg-0initial"}, After: []string{"sg-0forensic"}},
		steps.LambdaLog{At: incidentT0.Add(4*time.Minute + 23*time.Second), Line: "i-0compromised isolated"},
		steps.ResponseComplete{TimeToRespond: 3*time.Minute + 23*time.Second, Timeline: []steps.TimelineEntry{
			{At: incidentT0.Add(time.Minute), What: "traffic to 198.51.100.7 started"},
			{At: incidentT0.Add(4 * time.Minute), What: "GuardDuty finding"},
			{At: incidentT0.Add(4*time.Minute + 20*time.Second), What: "email delivered"},
			{At: incidentT0.Add(4*time.Minute + 23*time.Second), What: "instance isolated"},
		}},
	}
}

// destroyHalfway confirms the cleanup and delivers a few destroy events.
func destroyHalfway(t testing.TB, m Model, clock *testClock) Model {
	t.Helper()
	m = update(m, keyMsg("D"))
	m = update(m, typed("k3x9q2ab")...)
	m = update(m, keyMsg("enter"))
	if m.op == nil || m.op.kind != runDestroy {
		t.Fatalf("typing the lab id and enter did not start the destroy")
	}
	id := m.op.id
	m = update(m,
		runEventMsg{id, steps.ResourceStarted{Address: "module.compute.aws_eip.malicious", Action: "delete"}},
		runEventMsg{id, steps.ResourceDone{Address: "module.compute.aws_eip.malicious", Action: "delete", Elapsed: time.Second}},
		runEventMsg{id, steps.ResourceStarted{Address: "module.compute.aws_instance.compromised", Action: "delete"}},
	)
	clock.Advance(5 * time.Second)
	return update(m, runEventMsg{id, steps.ResourceProgress{Address: "module.compute.aws_instance.compromised", Elapsed: 5 * time.Second}})
}
