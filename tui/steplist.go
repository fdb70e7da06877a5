package tui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/gdlab-dev/gdlab/steps"
)

// stepListWidth is the left column at 80 columns and up: room for the
// longest title ("Initial configuration") with its mark and number.
const stepListWidth = 26

func (m *Model) listWidth() int {
	if m.width >= 72 {
		return stepListWidth
	}
	return max(14, m.width/3)
}

// stepListView renders the nine steps and Cleanup, one per row, each
// padded to the column width.
func (m *Model) stepListView(height int) []string {
	w := m.listWidth()
	rows := make([]string, 0, height)
	for i, p := range m.pages {
		cursor := " "
		if i == m.selected {
			cursor = m.styles.Accent.Render("›")
		}
		label := fmt.Sprintf("%d %s", p.Step.Number, p.Step.Title)
		if p.Step.IsCleanup() {
			label = "  " + p.Step.Title
		}
		row := cursor + m.stateMark(i) + " " + label
		if i == m.selected {
			row = cursor + m.styles.Selected.Render(m.stateMarkPlain(i)+" "+truncate(label, w-3))
		}
		rows = append(rows, pad(row, w))
		if len(rows) == height {
			break
		}
	}
	return rows
}

// stateMark is the styled one-cell mark for page i.
func (m *Model) stateMark(i int) string {
	s := m.styles
	switch m.state[i].state {
	case steps.StateRunning:
		return s.Accent.Render(m.runningMark(i))
	case steps.StateApplied:
		return s.Dim.Render("✓")
	case steps.StateChecked:
		return s.OK.Render("✓")
	case steps.StateFailed:
		return s.Fail.Render("✗")
	}
	if m.pages[i].Step.IsCleanup() {
		return " "
	}
	return s.Dim.Render("·")
}

// stateMarkPlain is the mark without colour, for the highlighted row whose
// own style would otherwise be interrupted by the mark's reset.
func (m *Model) stateMarkPlain(i int) string {
	switch m.state[i].state {
	case steps.StateRunning:
		return m.runningMark(i)
	case steps.StateApplied, steps.StateChecked:
		return "✓"
	case steps.StateFailed:
		return "✗"
	}
	if m.pages[i].Step.IsCleanup() {
		return " "
	}
	return "·"
}

// runningMark spins while a run animates and rests as ▶ (a reviewed plan
// waiting for confirmation is running but not moving).
func (m *Model) runningMark(i int) string {
	if m.op != nil && m.op.index == i || m.watch != nil && m.watch.index == i {
		return ansi.Strip(m.spinner.View())
	}
	return "▶"
}
