package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// openDestroy is D from anywhere: ask for the lab id, unless a terraform
// run holds the lab folder.
func (m Model) openDestroy() (Model, tea.Cmd) {
	if m.op != nil {
		m.notice = m.busy()
		return m, nil
	}
	m.selected = m.cleanupIndex()
	m.showTab(m.selected, tabCleanup)
	m.dialog = newDestroyDialog(m.styles, m.target)
	return m, nil
}

func (m Model) startDestroy() (Model, tea.Cmd) {
	if m.watch != nil {
		m.watch.cancel() // nothing left to watch once the instance is gone
	}
	i := m.cleanupIndex()
	ps := &m.state[i]
	r, cmd := m.startRun(runDestroy, i, destroyWork(m.lab))
	m.op = r
	ps.prevState, ps.state = ps.state, steps.StateRunning
	ps.progress = newRunProgress(runDestroy, 0, m.at)
	m.audit = nil
	m.selected = i
	m.showTab(i, tabCleanup)
	return m, cmd
}

func (m Model) destroyDone(msg destroyDoneMsg) (Model, tea.Cmd) {
	i, ps := m.endRun(msg.err, msg.target)
	if msg.err != nil {
		return m.quitIfStopping()
	}
	audit := msg.audit
	m.audit = &audit
	// The lab is gone: every step starts over.
	for j := range m.state {
		if j != i {
			m.state[j] = pageState{tab: m.state[j].tab}
		}
	}
	m.board = incidentBoard{}
	if len(audit.Leftovers) > 0 {
		ps.state = steps.StateFailed
		m.notice = fmt.Sprintf("cleanup finished with %s left · see the delete commands", plural(len(audit.Leftovers), "resource"))
	} else {
		ps.state = steps.StateChecked
		m.notice = "cleanup finished · 0 resources left"
	}
	return m.quitIfStopping()
}

// cleanupView is the Cleanup tab: what D does, the destroy progress, then
// the audit.
func (m *Model) cleanupView(width, height int) []string {
	s := m.styles
	ps := m.state[m.cleanupIndex()]
	t := m.target
	var out []string
	if ps.progress == nil {
		out = append(out, wrap(fmt.Sprintf("D destroys everything lab %s created, then audits the %s for anything still tagged gdlab:lab=%s.", t.LabID, targetNoun(t), t.LabID), width)...)
		if t.ReusesDetector {
			out = append(out, "", s.Dim.Render("The GuardDuty detector that existed before the lab is kept."))
		}
		out = append(out, "", s.Accent.Render("D")+" destroy all")
		return out
	}
	if m.audit == nil || ps.progress.failed() {
		return ps.progress.view(s, m.spinner.View(), m.at, width, height)
	}
	out = append(out, s.OK.Render("✓ ")+s.Bold.Render(fmt.Sprintf("Destroyed %s", plural(ps.progress.done(), "resource"))), "")
	a := m.audit
	if len(a.Leftovers) == 0 {
		out = append(out, s.OK.Render("✓ ")+fmt.Sprintf("audit: 0 resources left tagged gdlab:lab=%s", t.LabID))
	} else {
		out = append(out, s.Fail.Render("✗ ")+fmt.Sprintf("audit: %s still tagged gdlab:lab=%s", plural(len(a.Leftovers), "resource"), t.LabID), "")
		for _, l := range a.Leftovers {
			out = append(out, "  "+s.Fail.Render("✗ ")+s.Bold.Render(l.Kind))
			for _, w := range wrap(l.ARN, width-4) {
				out = append(out, "    "+w)
			}
			for _, w := range wrap(l.Note, width-4) {
				out = append(out, "    "+s.Dim.Render(w))
			}
			out = append(out, commandLines(s, l.DeleteCommand, "    ", width)...)
		}
	}
	if len(a.Kept) > 0 {
		out = append(out, "", s.Dim.Render("kept on purpose:"))
		for _, k := range a.Kept {
			for _, w := range wrap(k, width-4) {
				out = append(out, "  "+w)
			}
		}
	}
	return out
}

func targetNoun(t steps.Target) string {
	if t.Kind == steps.TargetSandbox {
		return "sandbox"
	}
	if t.Account != "" {
		return "account " + t.Account
	}
	return "account"
}
