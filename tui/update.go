package tui

import (
	"context"
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// handleKey routes a key press: the quit signal first, then an open dialog,
// then the screen's bindings.
func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		if m.dialog != nil && m.dialog.kind == dialogQuit {
			return m.confirmQuit() // a second ctrl+c answers the question
		}
		return m.requestQuit()
	}
	if m.dialog != nil {
		return m.handleDialogKey(msg)
	}
	if m.outbox != nil {
		return m.handleOutboxKey(msg)
	}
	m.notice = ""
	k := m.keys
	ps := &m.state[m.selected]
	switch {
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Quit):
		return m.requestQuit()
	case key.Matches(msg, k.Up):
		m.selected = max(0, m.selected-1)
	case key.Matches(msg, k.Down):
		m.selected = min(len(m.pages)-1, m.selected+1)
	case key.Matches(msg, k.NextTab):
		m.cycleTab(1)
	case key.Matches(msg, k.PrevTab):
		m.cycleTab(-1)
	case key.Matches(msg, k.PageDown):
		m.scroll(m.bodyHeight() - 4)
	case key.Matches(msg, k.PageUp):
		m.scroll(-(m.bodyHeight() - 4))
	case key.Matches(msg, k.Discard) && ps.reviewing:
		ps.reviewing, ps.plan, ps.state = false, nil, ps.prevState
		m.notice = "plan discarded; nothing was changed"
	case key.Matches(msg, k.Apply), key.Matches(msg, k.Yes) && ps.reviewing:
		return m.act()
	case key.Matches(msg, k.Verify):
		return m.verify()
	case key.Matches(msg, k.Retry) && m.canRetry():
		return m.act()
	case key.Matches(msg, k.SampleFinding) && m.isWatchPage(m.selected):
		m.board.sampleRequested = true
		m.notice = "asking GuardDuty for a sample finding…"
		return m, sendSampleFinding(m.ctx, m.lab)
	case key.Matches(msg, k.ConfirmSubscr) && m.canConfirmSubscription():
		m.notice = "confirming the email subscription…"
		return m, confirmSubscription(m.ctx, m.lab)
	case key.Matches(msg, k.Outbox):
		return m.openOutbox()
	case key.Matches(msg, k.Destroy):
		return m.openDestroy()
	}
	return m, nil
}

// act is enter on the selected page: plan, apply the reviewed plan, start
// the watch, or open the cleanup.
func (m Model) act() (Model, tea.Cmd) {
	i := m.selected
	ps := &m.state[i]
	switch {
	case m.pages[i].Step.IsCleanup():
		return m.openDestroy()
	case m.isWatchPage(i):
		return m.startWatch()
	case m.op != nil:
		m.notice = m.busy()
		return m, nil
	case ps.reviewing:
		return m.startApply()
	}
	return m.startPlan(i)
}

func (m Model) startPlan(i int) (Model, tea.Cmd) {
	// The lab keeps one saved plan; a new plan replaces any other step's
	// plan still waiting for confirmation.
	for j := range m.state {
		if j != i && m.state[j].reviewing {
			m.state[j].reviewing, m.state[j].plan, m.state[j].state = false, nil, m.state[j].prevState
		}
	}
	ps := &m.state[i]
	if ps.state != steps.StateRunning {
		ps.prevState = ps.state
	}
	r, cmd := m.startRun(runPlan, i, planWork(m.lab, m.pages[i].Step.Number))
	m.op = r
	ps.state, ps.plan, ps.reviewing = steps.StateRunning, nil, false
	ps.progress = newRunProgress(runPlan, 0, m.at)
	m.showTab(i, tabPlan)
	return m, cmd
}

func (m Model) startApply() (Model, tea.Cmd) {
	i := m.selected
	ps := &m.state[i]
	r, cmd := m.startRun(runApply, i, applyWork(m.lab, m.pages[i].Step.Number))
	m.op = r
	ps.reviewing, ps.state = false, steps.StateRunning
	ps.progress = newRunProgress(runApply, changeCount(ps.plan), m.at)
	m.showTab(i, tabPlan)
	return m, cmd
}

func (m Model) verify() (Model, tea.Cmd) {
	i := m.selected
	if m.pages[i].Step.IsCleanup() {
		return m, nil
	}
	if m.op != nil {
		m.notice = m.busy()
		return m, nil
	}
	r, cmd := m.startRun(runVerify, i, verifyWork(m.lab, m.pages[i].Step.Number))
	m.op = r
	m.state[i].verifying = true
	m.showTab(i, tabChecks)
	return m, cmd
}

func (m Model) startWatch() (Model, tea.Cmd) {
	if m.watch != nil {
		m.notice = "already watching the incident"
		return m, nil
	}
	i := m.selected
	ps := &m.state[i]
	if ps.state != steps.StateRunning {
		ps.prevState = ps.state
	}
	r, cmd := m.startRun(runWatch, i, watchWork(m.lab))
	m.watch = r
	ps.state = steps.StateRunning
	m.board = incidentBoard{started: m.at, subscription: m.board.subscription}
	m.showTab(i, tabIncident)
	return m, cmd
}

// canRetry reports whether the selected page's last run failed.
// A failed cleanup (an error, or leftovers in the audit) can be retried
// too; it asks for the lab id again.
func (m *Model) canRetry() bool {
	if m.op != nil {
		return false
	}
	ps := m.state[m.selected]
	if m.pages[m.selected].Step.IsCleanup() {
		return ps.state == steps.StateFailed
	}
	return ps.progress != nil && ps.progress.failed()
}

func (m *Model) canConfirmSubscription() bool {
	n := m.pages[m.selected].Step.Number
	return m.target.Kind == steps.TargetSandbox && (n == 5 || n == steps.LastLabStep)
}

func (m *Model) scroll(delta int) {
	ps := &m.state[m.selected]
	limit := max(0, len(m.tabContent(m.paneWidth(), m.contentHeight()))-m.contentHeight())
	ps.scroll = min(max(0, ps.scroll+delta), limit)
}

// handleResult folds a Lab result or event into the model.
func (m Model) handleResult(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case runEventMsg:
		if m.op == nil || msg.run != m.op.id {
			return m, nil
		}
		if p := m.state[m.op.index].progress; p != nil {
			p.record(msg.event, m.at)
		}
		return m, waitForRun(m.op.events)
	case planDoneMsg:
		if m.op == nil || msg.run != m.op.id {
			return m, nil
		}
		return m.planDone(msg)
	case applyDoneMsg:
		if m.op == nil || msg.run != m.op.id {
			return m, nil
		}
		return m.applyDone(msg)
	case verifyDoneMsg:
		if m.op == nil || msg.run != m.op.id {
			return m, nil
		}
		return m.verifyDone(msg)
	case destroyDoneMsg:
		if m.op == nil || msg.run != m.op.id {
			return m, nil
		}
		return m.destroyDone(msg)
	case incidentMsg:
		if m.watch == nil || msg.run != m.watch.id {
			return m, nil
		}
		m.board.record(msg.event, m.at)
		if _, ok := msg.event.(steps.ResponseComplete); ok {
			m.state[m.watch.index].state = steps.StateChecked
		}
		if _, ok := msg.event.(steps.MessageDelivered); ok && m.outbox != nil {
			return m, tea.Batch(waitForRun(m.watch.events), readOutbox(m.ctx, m.lab)) // new mail
		}
		return m, waitForRun(m.watch.events)
	case watchDoneMsg:
		if m.watch == nil || msg.run != m.watch.id {
			return m, nil
		}
		return m.watchDone(msg)
	case sampleSentMsg:
		if msg.err != nil {
			m.notice = "sample finding: " + firstLine(msg.err.Error())
		} else {
			m.notice = "sample finding requested · it takes the email path within a minute or two"
		}
	case outboxReadMsg:
		if m.outbox != nil {
			m.outbox.read(msg)
		}
	case subscriptionConfirmedMsg:
		if msg.err != nil {
			m.notice = "confirming the subscription: " + firstLine(msg.err.Error())
		} else {
			m.notice = "email subscription confirmed (as clicking the link would)"
			m.board.subscription = "confirmed"
		}
	}
	return m, nil
}

func (m Model) planDone(msg planDoneMsg) (Model, tea.Cmd) {
	i := m.op.index
	ps := &m.state[i]
	m.op = nil
	ps.progress.finish(msg.err)
	if msg.err != nil {
		ps.state = steps.StateFailed
		if m.quitting || errors.Is(msg.err, context.Canceled) {
			ps.state = ps.prevState
		}
		return m.quitIfStopping()
	}
	plan := msg.plan
	ps.plan, ps.reviewing = &plan, true
	if m.quitting {
		return m, tea.Quit
	}
	return m, nil
}

// endRun closes the run that just ended: its progress, the target it
// reported, and a failed mark when it failed.
func (m *Model) endRun(err error, target steps.Target) (int, *pageState) {
	i := m.op.index
	ps := &m.state[i]
	m.op = nil
	ps.progress.finish(err)
	if target.Kind != "" {
		m.target = target
	}
	if err != nil {
		ps.state = steps.StateFailed
	}
	return i, ps
}

func (m Model) applyDone(msg applyDoneMsg) (Model, tea.Cmd) {
	i, ps := m.endRun(msg.err, msg.target)
	if msg.err != nil {
		return m.quitIfStopping()
	}
	m.mergeStates(msg.states, i)
	ps.checks, ps.checksErr = msg.checks, nil
	ps.state = stateAfterChecks(msg.checks)
	passed, total := passCount(msg.checks)
	m.notice = fmt.Sprintf("step %d applied · checks %d/%d passed", m.pages[i].Step.Number, passed, total)
	m.showTab(i, tabChecks)
	return m.quitIfStopping()
}

func (m Model) verifyDone(msg verifyDoneMsg) (Model, tea.Cmd) {
	i := m.op.index
	ps := &m.state[i]
	m.op = nil
	ps.verifying = false
	ps.checks, ps.checksErr = msg.checks, msg.err
	if msg.err == nil && ps.state != steps.StatePending && ps.state != steps.StateRunning {
		ps.state = stateAfterChecks(msg.checks)
	}
	return m.quitIfStopping()
}

func (m Model) watchDone(msg watchDoneMsg) (Model, tea.Cmd) {
	ps := &m.state[m.watch.index]
	m.watch = nil
	switch {
	case m.board.complete != nil:
		ps.state = steps.StateChecked
	case msg.err != nil && !errors.Is(msg.err, context.Canceled):
		m.board.err = msg.err
		ps.state = steps.StateFailed
	default:
		ps.state = ps.prevState
	}
	return m, nil
}

// mergeStates takes the journal's view of the other steps after a run,
// e.g. applying step 4 first also creates what steps 2 and 3 declare. Pages
// with something in flight or under review keep their own state.
func (m *Model) mergeStates(states map[int]steps.StepState, except int) {
	for j, p := range m.pages {
		st, ok := states[p.Step.Number]
		if !ok || j == except || m.state[j].reviewing || m.state[j].state == steps.StateRunning || st == steps.StateRunning {
			continue
		}
		m.state[j].state = st
	}
}

// quitIfStopping ends the program once the run a quit was waiting for has
// returned.
func (m Model) quitIfStopping() (Model, tea.Cmd) {
	if m.quitting && m.op == nil {
		return m, tea.Quit
	}
	return m, nil
}

// stateAfterChecks is checked when every check passed (warnings and skips
// do not hold a step back), else applied.
func stateAfterChecks(checks []steps.CheckResult) steps.StepState {
	for _, c := range checks {
		if c.Status == steps.CheckFail || c.Status == steps.CheckPending {
			return steps.StateApplied
		}
	}
	return steps.StateChecked
}

func passCount(checks []steps.CheckResult) (passed, total int) {
	for _, c := range checks {
		if c.Status == steps.CheckPass {
			passed++
		}
	}
	return passed, len(checks)
}

// changeCount is how many resources the apply will touch: what the
// progress bar counts to.
func changeCount(p *steps.PlanSummary) int {
	if p == nil {
		return 0
	}
	n := 0
	for _, r := range p.Resources {
		if r.Action != "no-op" && r.Action != "read" && r.Action != "" {
			n++
		}
	}
	if n == 0 {
		n = p.Add + p.Change + p.Destroy
	}
	return n
}
