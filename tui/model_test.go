package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
	"github.com/muesli/termenv"
)

func TestInitStartsNothing(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	if cmd := m.Init(); cmd != nil {
		t.Fatalf("Init returned a command; an idle screen must not schedule anything")
	}
	if _, cmd := m.Update(keyMsg("down")); cmd != nil {
		if msg := cmd(); msg != nil {
			t.Fatalf("moving the selection while idle produced %T", msg)
		}
	}
}

// TestSpinnerTicksOnlyWhileRunning: a tick chain starts with a run, keeps
// going while it runs, and the first tick after the run ends returns no
// further command, so an idle screen costs no CPU.
func TestSpinnerTicksOnlyWhileRunning(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = planStep2(t, m)
	next, cmd := m.Update(keyMsg("y"))
	m = next.(Model)
	if cmd == nil || !m.spinning {
		t.Fatalf("starting an apply did not start the spinner")
	}

	next, cmd = m.Update(m.spinner.Tick())
	m = next.(Model)
	if cmd == nil {
		t.Fatalf("a tick during the apply did not schedule the next one")
	}

	m = update(m, applyDoneMsg{run: m.op.id, checks: step2Checks()})
	next, cmd = m.Update(m.spinner.Tick())
	m = next.(Model)
	if cmd != nil {
		t.Fatalf("the tick after the apply ended scheduled another: timers keep firing while idle")
	}
	if m.spinning {
		t.Fatalf("spinner still marked as spinning after its chain ended")
	}
	// A stale tick (e.g. from an older tag) must not restart anything either.
	if _, cmd := m.Update(spinner.TickMsg{}); cmd != nil {
		t.Fatalf("a stray tick restarted the chain while idle")
	}
}

func TestStaleRunMessagesAreDropped(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = update(m, keys("down", "enter")...)
	id := m.op.id
	m = update(m, planDoneMsg{run: id + 7, plan: step2Plan()})
	if m.op == nil || m.state[1].reviewing {
		t.Fatalf("a result for another run ended the current one")
	}
	m = update(m, runEventMsg{run: id - 1, event: steps.ResourceStarted{Address: "x", Action: "create"}})
	if len(m.state[1].progress.lines) != 0 {
		t.Fatalf("an event for another run was recorded")
	}
}

func TestDiscardPlanRestoresState(t *testing.T) {
	lab := newFakeLab()
	lab.states = map[int]steps.StepState{2: steps.StateApplied}
	m := newTestModel(t, lab, newTestClock(), 80, 24)
	m.selected = 0
	m = planStep2(t, m)
	m = update(m, keyMsg("esc"))
	if m.state[1].reviewing || m.state[1].state != steps.StateApplied {
		t.Fatalf("after esc: reviewing=%v state=%v, want the plan gone and state applied", m.state[1].reviewing, m.state[1].state)
	}
	if !strings.Contains(m.View(), "plan discarded") {
		t.Fatalf("no notice that the plan was discarded")
	}
}

func TestApplyWhileBusyDoesNotStartAnotherRun(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = applyStep2Halfway(t, m, clock)
	id := m.op.id
	m = update(m, keys("down", "enter", "v", "D")...)
	if m.op.id != id || m.dialog != nil {
		t.Fatalf("a second run or dialog started while step 2 was applying")
	}
	if m.state[2].state != steps.StatePending {
		t.Fatalf("step 3 changed state while another step ran: %v", m.state[2].state)
	}
}

func TestRetryAfterErrorPlansAgain(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = applyStep2Halfway(t, m, clock)
	m = update(m, applyDoneMsg{run: m.op.id, err: errors.New("boom")})
	if m.state[1].state != steps.StateFailed {
		t.Fatalf("state after a failed apply = %v, want failed", m.state[1].state)
	}
	if !m.keys.Retry.Enabled() {
		t.Fatalf("r is not offered after a failure")
	}
	m = update(m, keyMsg("r"))
	if m.op == nil || m.op.kind != runPlan || m.op.index != 1 {
		t.Fatalf("r did not plan step 2 again")
	}
}

func TestApplyResultSetsStateFromChecks(t *testing.T) {
	cases := []struct {
		name   string
		checks []steps.CheckResult
		want   steps.StepState
	}{
		{"all pass", []steps.CheckResult{{Status: steps.CheckPass}, {Status: steps.CheckSkipped}}, steps.StateChecked},
		{"one fails", step2Checks(), steps.StateApplied},
		{"one pending", []steps.CheckResult{{Status: steps.CheckPass}, {Status: steps.CheckPending}}, steps.StateApplied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := newTestClock()
			m := newTestModel(t, newFakeLab(), clock, 80, 24)
			m = applyStep2Halfway(t, m, clock)
			m = update(m, applyDoneMsg{run: m.op.id, checks: tc.checks})
			if m.state[1].state != tc.want {
				t.Fatalf("state = %v, want %v", m.state[1].state, tc.want)
			}
			if m.currentTab() != tabChecks {
				t.Fatalf("after an apply the Checks tab should show, got %v", m.currentTab())
			}
		})
	}
}

// TestQuitDuringApplyWaitsForTerraform: q asks, y cancels the run's
// context, and the program quits only when the apply has returned.
func TestQuitDuringApplyWaitsForTerraform(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = applyStep2Halfway(t, m, clock)
	ctx, cancel := context.WithCancel(context.Background())
	m.op.cancel = cancel // observe the cancellation the model asks for

	next, cmd := m.Update(keyMsg("q"))
	m = next.(Model)
	if m.dialog == nil || m.dialog.kind != dialogQuit || isQuit(cmd) {
		t.Fatalf("q during an apply must ask first")
	}
	next, cmd = m.Update(keyMsg("y"))
	m = next.(Model)
	if ctx.Err() == nil {
		t.Fatalf("confirming the quit did not cancel the apply")
	}
	if isQuit(cmd) {
		t.Fatalf("quit before terraform returned")
	}
	if !strings.Contains(m.View(), "stopping terraform") {
		t.Fatalf("no sign that gdlab waits for terraform")
	}
	next, cmd = m.Update(applyDoneMsg{run: m.op.id, err: context.Canceled})
	m = next.(Model)
	if !isQuit(cmd) {
		t.Fatalf("the apply returned but the program did not quit")
	}
	if !strings.Contains(m.ExitMessage(), "applying step 2 was interrupted") {
		t.Fatalf("exit message does not say what was interrupted:\n%s", m.ExitMessage())
	}
}

func TestQuitWhenIdleQuitsAtOnce(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	if _, cmd := m.Update(keyMsg("q")); !isQuit(cmd) {
		t.Fatalf("q while idle did not quit")
	}
	if _, cmd := m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Fatalf("ctrl+c while idle did not quit")
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	msg := cmd()
	if _, ok := msg.(tea.QuitMsg); ok {
		return true
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if isQuit(c) {
				return true
			}
		}
	}
	return false
}

func TestDestroyNeedsTheLabID(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = update(m, keyMsg("D"))
	m = update(m, typed("k3x9q2a")...)
	m = update(m, keyMsg("enter"))
	if m.op != nil {
		t.Fatalf("destroy started with a wrong lab id")
	}
	m = update(m, typed("b")...)
	m = update(m, keyMsg("enter"))
	if m.op == nil || m.op.kind != runDestroy {
		t.Fatalf("destroy did not start with the right lab id")
	}
	m = update(m, destroyDoneMsg{run: m.op.id})
	if got := m.state[m.cleanupIndex()].state; got != steps.StateChecked {
		t.Fatalf("cleanup state after a clean audit = %v, want checked", got)
	}
	if m.ExitMessage() != "" {
		t.Fatalf("nothing is up after cleanup, yet the exit message says:\n%s", m.ExitMessage())
	}
}

func TestEscCancelsDestroy(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = update(m, keyMsg("D"))
	m = update(m, typed("k3x9q2ab")...)
	m = update(m, keyMsg("esc"))
	if m.dialog != nil || m.op != nil {
		t.Fatalf("esc did not cancel the cleanup dialog")
	}
}

func TestExitMessage(t *testing.T) {
	lab := newFakeLab()
	lab.target = steps.Target{Kind: steps.TargetAWS, Region: "eu-west-1", Account: "123456789012", LabID: "k3x9q2ab",
		Dir: "/home/me/my labs/gd", CostPerHour: 0.05}
	lab.states = map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateApplied}
	m := newTestModel(t, lab, newTestClock(), 80, 24)
	got := m.ExitMessage()
	for _, want := range []string{
		"Lab k3x9q2ab is still up in AWS account 123456789012 (eu-west-1)",
		"2 Terraform init",
		"$0.05/h",
		"gdlab destroy --dir '/home/me/my labs/gd'\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("exit message lacks %q:\n%s", want, got)
		}
	}
	if empty := newTestModel(t, newFakeLab(), newTestClock(), 80, 24).ExitMessage(); empty != "" {
		t.Errorf("a fresh lab has nothing up, yet the exit message says:\n%s", empty)
	}
}

func TestResumeSelectsFirstUncheckedStep(t *testing.T) {
	lab := newFakeLab()
	lab.states = map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateChecked, 3: steps.StateChecked}
	m := newTestModel(t, lab, newTestClock(), 80, 24)
	if m.selected != 3 {
		t.Fatalf("selected page %d, want 3 (step 4)", m.selected)
	}
	if !strings.Contains(m.View(), "resumed at step 4") {
		t.Fatalf("no resume notice")
	}
}

func TestIncidentActions(t *testing.T) {
	lab := newFakeLab()
	m := newTestModel(t, lab, newTestClock(), 80, 24)
	m.selected = m.indexOf(steps.LastLabStep)
	m = update(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	next, cmd := m.Update(keyMsg("s"))
	m = next.(Model)
	m = update(m, cmd())
	next, cmd = m.Update(keyMsg("c"))
	m = next.(Model)
	m = update(m, cmd())
	if got := strings.Join(lab.Calls(), ","); got != "sample,confirm" {
		t.Fatalf("calls = %s, want sample,confirm", got)
	}
	if m.board.subscription != "confirmed" {
		t.Fatalf("subscription not shown as confirmed")
	}

	lab.target.Kind = steps.TargetAWS
	m = newTestModel(t, lab, newTestClock(), 80, 24)
	m.selected = m.indexOf(steps.LastLabStep)
	m = update(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if _, cmd := m.Update(keyMsg("c")); cmd != nil {
		t.Fatalf("c offered against AWS, where only a click on the email link confirms")
	}
}

func TestWatchCompleteMarksStepChecked(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = incidentMidway(t, m, clock)
	id := m.watch.id
	m = update(m, incidentEvents(id, incidentRest()...)...)
	m = update(m, watchDoneMsg{run: id})
	if m.watch != nil || m.state[8].state != steps.StateChecked {
		t.Fatalf("after the response: watch=%v state=%v", m.watch != nil, m.state[8].state)
	}
	if m.animating() {
		t.Fatalf("still animating after the watch ended")
	}
}

// TestRenderCache: glamour renderers are made once per width, and docs
// are rendered in Update, not View.
func TestRenderCache(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = update(m, keys("down", "down", "up", "up")...)
	m = update(m, tea.WindowSizeMsg{Width: 160, Height: 48}, tea.WindowSizeMsg{Width: 80, Height: 24}, tea.WindowSizeMsg{Width: 160, Height: 48})
	if n := len(m.cache.glamours); n != 2 {
		t.Fatalf("%d glamour renderers for 2 widths", n)
	}
	before := len(m.cache.docs)
	for i := 0; i < 3; i++ {
		_ = m.View()
	}
	if len(m.cache.docs) != before {
		t.Fatalf("View rendered markdown")
	}
}

func TestColourWhenAllowed(t *testing.T) {
	old := detectColorProfile
	detectColorProfile = func() termenv.Profile { return termenv.TrueColor }
	defer func() { detectColorProfile = old }()
	m := New(newFakeLab(), Options{Now: newTestClock().Now, Pages: testPages()})
	m = update(m, tea.WindowSizeMsg{Width: 80, Height: 24}, keyMsg("down"), keyMsg("tab"))
	if !strings.Contains(m.View(), "\x1b[") {
		t.Fatalf("no colour although the terminal supports it")
	}
	code, _ := m.cache.codeOf(1)
	if !strings.Contains(code, "\x1b[") {
		t.Fatalf("code not highlighted")
	}
}

func TestNoColorFromEnv(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	if !OptionsFromEnv().NoColor {
		t.Fatalf("NO_COLOR set but OptionsFromEnv does not honour it")
	}
	t.Setenv("NO_COLOR", "")
	if OptionsFromEnv().NoColor {
		t.Fatalf("empty NO_COLOR must not disable colour")
	}
}

func TestShellQuote(t *testing.T) {
	cases := map[string]string{
		"./gdlab-lab":       "./gdlab-lab",
		"/tmp/a b":          "'/tmp/a b'",
		"it's":              `'it'\''s'`,
		"/home/x/lab_1.2-3": "/home/x/lab_1.2-3",
	}
	for in, want := range cases {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	cases := map[string]string{"0s": "0s", "6s": "6s", "62s": "1m02s", "3723s": "1h02m"}
	for in, want := range cases {
		d, _ := timeParse(in)
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestNewPlanDropsAnotherStepsReviewedPlan(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = planStep2(t, m)
	m = update(m, keys("down", "enter")...)
	if m.state[1].reviewing || m.state[1].state != steps.StatePending {
		t.Fatalf("step 2's plan still awaits confirmation after step 3 was planned")
	}
	if m.op == nil || m.op.index != 2 {
		t.Fatalf("step 3 did not start planning")
	}
}

func TestApplyMergesJournal(t *testing.T) {
	clock := newTestClock()
	m := newTestModel(t, newFakeLab(), clock, 80, 24)
	m = applyStep2Halfway(t, m, clock)
	m = update(m, applyDoneMsg{run: m.op.id, checks: step2Checks(),
		states: map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateChecked, 3: steps.StateRunning}})
	if m.state[0].state != steps.StateChecked {
		t.Fatalf("step 1 did not take the journal's state")
	}
	if m.state[1].state != steps.StateApplied {
		t.Fatalf("step 2 must follow its own checks (one failed), got %v", m.state[1].state)
	}
	if m.state[2].state != steps.StatePending {
		t.Fatalf("a running mark from the journal must not be copied, got %v", m.state[2].state)
	}
}

func TestJournalRunningMeansInterrupted(t *testing.T) {
	lab := newFakeLab()
	lab.states = map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateRunning}
	m := newTestModel(t, lab, newTestClock(), 80, 24)
	if m.state[1].state != steps.StateFailed || m.animating() {
		t.Fatalf("a step left running by a previous process shows as %v", m.state[1].state)
	}
}

// TestTinyTerminals: odd sizes must never panic, and from 40 columns up
// no line may be wider than the terminal.
func TestTinyTerminals(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {20, 5}, {40, 10}, {60, 15}, {79, 23}, {200, 60}} {
		clock := newTestClock()
		m := newTestModel(t, newFakeLab(), clock, 80, 24)
		m = applyStep2Halfway(t, m, clock)
		for _, st := range []Model{m, update(m, keyMsg("?")), update(m, keyMsg("q")), incidentMidway(t, newTestModel(t, newFakeLab(), clock, 80, 24), clock)} {
			st = update(st, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			view := st.View()
			if size[0] < 40 {
				continue
			}
			for i, l := range strings.Split(view, "\n") {
				if cellWidth(l) > size[0] {
					t.Errorf("%dx%d: line %d is %d wide", size[0], size[1], i+1, cellWidth(l))
				}
			}
		}
	}
}

func TestPageDownScrollsWithinContent(t *testing.T) {
	m := newTestModel(t, newFakeLab(), newTestClock(), 80, 24)
	m = update(m, keyMsg("?")) // less room: the doc no longer fits
	total := len(m.tabContent(m.paneWidth(), m.contentHeight()))
	if total <= m.contentHeight() {
		t.Fatalf("test needs content longer than the pane (%d ≤ %d)", total, m.contentHeight())
	}
	m = update(m, keys("pgdown", "pgdown", "pgdown")...)
	if want := total - m.contentHeight(); m.state[0].scroll != want {
		t.Fatalf("scroll = %d, want clamped to %d", m.state[0].scroll, want)
	}
	m = update(m, keyMsg("tab"))
	if m.state[0].scroll != 0 {
		t.Fatalf("switching tabs kept the scroll offset")
	}
}
