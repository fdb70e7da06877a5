package tui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// press sends one key and returns the model and the command it started.
func press(m Model, name string) (Model, tea.Cmd) {
	next, cmd := m.Update(keyMsg(name))
	return next.(Model), cmd
}

func TestOutboxOpensReadsAndCloses(t *testing.T) {
	lab := sandboxWithMail()
	m := newTestModel(t, lab, newTestClock(), 160, 48)
	m, cmd := press(m, "o")
	if m.outbox == nil || cmd == nil {
		t.Fatalf("o in the sandbox: outbox %v, command %v", m.outbox, cmd)
	}
	if !strings.Contains(m.View(), "reading…") {
		t.Errorf("no reading notice before the mail arrives:\n%s", m.View())
	}
	m = update(m, cmd())
	if got := lab.Calls(); !slices.Equal(got, []string{"outbox"}) {
		t.Fatalf("lab calls %v, want one outbox read", got)
	}
	view := m.View()
	if !strings.Contains(view, "simulated mail (sandbox outbox)") {
		t.Errorf("the outbox is not labelled as simulated:\n%s", view)
	}
	alert, confirmation := strings.Index(view, "Subject  GuardDuty finding"), strings.Index(view, "Subject  AWS Notification - Subscription Confirmation")
	if alert < 0 || confirmation < 0 || alert > confirmation {
		t.Errorf("want both mails, newest (the alert) first:\n%s", view)
	}
	for _, want := range []string{"Date     2026-03-14 12:04:20 UTC", "From     AWS Notifications <no-reply@sns.amazonaws.com>",
		"To       learner@example.com", "Instance i-0compromised talked to 198.51.100.7"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q", want)
		}
	}

	// Open, the outbox takes the keys: nothing acts on the lab.
	selected := m.selected
	for _, k := range []string{"enter", "v", "D", "tab", "c"} {
		m, _ = press(m, k)
	}
	if m.op != nil || m.dialog != nil || m.selected != selected || len(lab.Calls()) != 1 {
		t.Fatalf("keys leaked past the outbox: op %v, dialog %v, selected %d, calls %v", m.op, m.dialog, m.selected, lab.Calls())
	}
	m, _ = press(m, "esc")
	if m.outbox != nil {
		t.Fatal("esc did not close the outbox")
	}
	m, _ = press(m, "o")
	m, _ = press(m, "o")
	if m.outbox != nil {
		t.Fatal("o did not close the outbox it opened")
	}
}

func TestOutboxScrolls(t *testing.T) {
	lab := sandboxWithMail()
	m := openOutbox(t, lab, newTestModel(t, lab, newTestClock(), 80, 24))
	m, _ = press(m, "down")
	m, _ = press(m, "down")
	if m.outbox.scroll != 2 {
		t.Fatalf("two downs scrolled to %d", m.outbox.scroll)
	}
	m, _ = press(m, "up")
	if m.outbox.scroll != 1 || m.selected != m.indexOf(5) {
		t.Fatalf("up: scroll %d, selected %d", m.outbox.scroll, m.selected)
	}
	for range 20 {
		m, _ = press(m, "pgdown")
	}
	limit := len(m.outbox.lines) - m.outboxContentHeight()
	if m.outbox.scroll != limit {
		t.Fatalf("scrolled to %d past the end, limit %d", m.outbox.scroll, limit)
	}
	if last := m.outbox.lines[len(m.outbox.lines)-1]; !strings.Contains(m.View(), last) {
		t.Errorf("at the end the last line %q is not shown", last)
	}
}

// Real email goes to the learner's mailbox: against AWS there is no key.
func TestOutboxOnlyInSandbox(t *testing.T) {
	lab := newFakeLab()
	lab.target.Kind = steps.TargetAWS
	m := newTestModel(t, lab, newTestClock(), 160, 48)
	m.selected = m.indexOf(5)
	m = update(m, keyMsg("?"))
	if strings.Contains(m.View(), "outbox") {
		t.Errorf("the AWS help offers an outbox:\n%s", m.View())
	}
	m, cmd := press(m, "o")
	if m.outbox != nil || cmd != nil || len(lab.Calls()) != 0 {
		t.Fatalf("o against AWS opened %v, command %v, calls %v", m.outbox, cmd, lab.Calls())
	}
}

func TestOutboxEmptyAndError(t *testing.T) {
	lab := newFakeLab()
	m := openOutbox(t, lab, newTestModel(t, lab, newTestClock(), 80, 24))
	if view := m.View(); !strings.Contains(view, "0 emails") || !strings.Contains(view, "No mail yet") {
		t.Errorf("empty outbox:\n%s", view)
	}
	m = update(m, outboxReadMsg{err: errors.New("open outbox.mbox: permission denied")})
	if view := m.View(); !strings.Contains(view, "could not be read") || !strings.Contains(view, "open outbox.mbox: permission denied") {
		t.Errorf("outbox error:\n%s", view)
	}
}

// New mail seen by the watch is read into an open outbox.
func TestOutboxRereadsWhenMailIsDelivered(t *testing.T) {
	lab := sandboxWithMail()
	clock := newTestClock()
	m := incidentMidway(t, newTestModel(t, lab, clock, 160, 48), clock)
	m, cmd := press(m, "o")
	m = update(m, cmd())
	calls := len(lab.Calls())
	next, cmd := m.Update(incidentMsg{run: m.watch.id, event: steps.MessageDelivered{At: incidentT0, Subject: "again"}})
	m = next.(Model)
	m.watch.events <- nil // lets the watch's re-armed read return
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatalf("no batch of commands after new mail")
	}
	var reread bool
	for _, c := range batch {
		if c == nil {
			continue
		}
		if _, ok := c().(outboxReadMsg); ok {
			reread = true
		}
	}
	if !reread || len(lab.Calls()) != calls+1 {
		t.Fatalf("the outbox was not read again: calls %v", lab.Calls())
	}
}

func TestPlainText(t *testing.T) {
	got := plainText("a\tb\r\nc\x1b[2Jd\x07\u009be\n")
	if got != "a    b\nc[2Jde\n" {
		t.Errorf("plainText = %q", got)
	}
}
