package tui

import (
	"fmt"

	"github.com/gdlab-dev/gdlab/steps"
)

// checksView is the Checks tab: each check's mark, title and detail, the
// hint when it did not pass, and the CLI command to see the same by hand.
func (m *Model) checksView(width int) []string {
	s := m.styles
	ps := &m.state[m.selected]
	n := m.pages[m.selected].Step.Number
	var out []string
	if ps.verifying {
		out = append(out, m.spinner.View()+" checking step "+fmt.Sprint(n)+" against the "+targetNoun(m.target)+"…", "")
	}
	if ps.checksErr != nil {
		out = append(out, s.Fail.Render("✗ checks could not run: ")+firstLine(ps.checksErr.Error()))
		for _, w := range wrap(restLines(ps.checksErr.Error()), width-2) {
			out = append(out, "  "+w)
		}
		return append(out, "", s.Accent.Render("v")+" verify again")
	}
	if len(ps.checks) == 0 {
		if !ps.verifying {
			out = append(out, wrap(fmt.Sprintf("No checks run yet. They run after each apply; v verifies step %d against the %s now.", n, targetNoun(m.target)), width)...)
		}
		return out
	}
	passed, total := passCount(ps.checks)
	out = append(out, s.Bold.Render(fmt.Sprintf("%d of %d checks passed", passed, total)), "")
	for _, c := range ps.checks {
		head := checkMark(s, c.Status) + " " + s.Bold.Render(c.Title)
		out = append(out, truncate(head, width))
		for _, w := range wrap(c.Detail, width-2) {
			out = append(out, "  "+w)
		}
		if c.Hint != "" && c.Status != steps.CheckPass {
			for j, w := range wrap(c.Hint, width-8) {
				prefix := "        "
				if j == 0 {
					prefix = s.Warn.Render("  hint: ")
				}
				out = append(out, prefix+w)
			}
		}
		out = append(out, commandLines(s, c.Command, "  ", width)...)
	}
	return out
}

// checkMark is a check's verdict as one cell.
func checkMark(s styles, st steps.CheckStatus) string {
	switch st {
	case steps.CheckPass:
		return s.OK.Render("✓")
	case steps.CheckFail:
		return s.Fail.Render("✗")
	case steps.CheckPending:
		return s.Warn.Render("…")
	case steps.CheckWarn:
		return s.Warn.Render("!")
	case steps.CheckSkipped:
		return s.Dim.Render("-")
	}
	return "?"
}

// commandLines shows a CLI command to run by hand, wrapped with its
// continuation indented so it still reads as one command.
func commandLines(s styles, command, indent string, width int) []string {
	if command == "" {
		return nil
	}
	var out []string
	for i, w := range wrap(command, width-cellWidth(indent)-4) {
		prefix := indent + "$ "
		if i > 0 {
			prefix = indent + "    "
		}
		out = append(out, prefix+s.Command.Render(w))
	}
	return out
}
