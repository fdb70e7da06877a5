package tui

import (
	"fmt"
	"strings"

	"github.com/gdlab-dev/gdlab/steps"
)

// headerView is the top line: what the lab is, where it runs, what it
// costs, and which step is selected.
func (m *Model) headerView() string {
	s := m.styles
	t := m.target
	parts := []string{s.Title.Render("GuardDuty IR lab")}
	kind := string(t.Kind)
	if t.Kind == steps.TargetAWS {
		kind = "AWS"
	}
	for _, p := range []string{kind, t.Region, t.Account, fmt.Sprintf("est. $%.2f/h", t.CostPerHour)} {
		if p != "" {
			parts = append(parts, s.Dim.Render(p))
		}
	}
	left := " " + strings.Join(parts, s.Dim.Render(" · "))

	page := m.pages[m.selected].Step
	right := fmt.Sprintf("step %d/%d", page.Number, steps.LastLabStep)
	if page.IsCleanup() {
		right = "cleanup"
	}
	room := m.width - cellWidth(right) - 2
	if cellWidth(left) > room {
		left = truncate(left, room)
	}
	gap := max(1, m.width-cellWidth(left)-cellWidth(right)-1)
	return left + strings.Repeat(" ", gap) + s.Bold.Render(right)
}
