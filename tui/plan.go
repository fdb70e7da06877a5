package tui

import (
	"fmt"

	"github.com/gdlab-dev/gdlab/steps"
)

// planView is the Plan tab: nothing yet, planning, the plan waiting for
// confirmation, or the apply's progress (which replaces the list it came
// from, with the counts kept on top).
func (m *Model) planView(width, height int) []string {
	s := m.styles
	i := m.selected
	ps := &m.state[i]
	n := m.pages[i].Step.Number
	switch {
	case ps.reviewing && ps.plan != nil:
		out := []string{planCounts(s, ps.plan), ""}
		out = append(out, planRows(s, ps.plan, width)...)
		out = append(out, "")
		if changeCount(ps.plan) == 0 {
			out = append(out, wrap("Nothing to change: the account already matches the code. enter runs the step's checks.", width)...)
		}
		out = append(out, s.Accent.Render("enter")+"/"+s.Accent.Render("y")+" apply this plan · "+s.Accent.Render("esc")+" discard")
		return out
	case ps.progress != nil && (ps.progress.kind == runApply || !ps.progress.finished || ps.progress.failed()):
		var out []string
		if ps.plan != nil && ps.progress.kind == runApply {
			out = append(out, planCounts(s, ps.plan), "")
		}
		out = append(out, ps.progress.view(s, m.spinner.View(), m.at, width, height-len(out))...)
		if ps.progress.finished && !ps.progress.failed() {
			passed, total := passCount(ps.checks)
			out = append(out, "", fmt.Sprintf("checks: %d/%d passed · see Checks", passed, total))
		}
		return out
	}
	return wrap(fmt.Sprintf("No plan yet. enter plans step %d: terraform shows what it would create, and nothing changes until you confirm.", n), width)
}

// planCounts is terraform's summary line.
func planCounts(s styles, p *steps.PlanSummary) string {
	if p.Add+p.Change+p.Destroy == 0 {
		return s.Bold.Render("Plan: no changes.")
	}
	return s.Bold.Render("Plan: ") + fmt.Sprintf("%s to add, %d to change, %d to destroy.", s.OK.Render(fmt.Sprint(p.Add)), p.Change, p.Destroy)
}

// planRows lists the planned resources with terraform's action symbols.
func planRows(s styles, p *steps.PlanSummary, width int) []string {
	rows := make([]string, 0, len(p.Resources))
	for _, r := range p.Resources {
		if r.Action == "no-op" {
			continue
		}
		sym := actionSymbol(r.Action)
		style := s.OK
		switch r.Action {
		case "delete", "replace":
			style = s.Fail
		case "update":
			style = s.Warn
		case "read":
			style = s.Dim
		}
		rows = append(rows, style.Render(sym)+" "+truncateStart(r.Address, width-2))
	}
	return rows
}
