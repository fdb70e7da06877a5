package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Layout: header line, body (step list │ step pane), status line, help.

// separator between the step list and the pane.
const separator = " │ "

func (m *Model) paneWidth() int {
	return max(10, m.width-m.listWidth()-cellWidth(separator))
}

// bodyHeight is what is left between the header and the footer.
func (m *Model) bodyHeight() int {
	return m.bodyHeightWith(m.helpView())
}

func (m *Model) bodyHeightWith(help string) int {
	return max(3, m.height-1-1-(strings.Count(help, "\n")+1))
}

// contentHeight is the tab's area: the pane minus its title, tab bar and
// the blank line under them.
func (m *Model) contentHeight() int {
	return max(1, m.bodyHeight()-3)
}

// layout composes the whole screen from prepared parts.
func (m *Model) layout() string {
	var b strings.Builder
	b.WriteString(m.headerView())
	b.WriteByte('\n')

	help := m.helpView()
	h := m.bodyHeightWith(help)
	left := m.stepListView(h)
	right := m.paneView(m.paneWidth(), h)
	blankLeft := strings.Repeat(" ", m.listWidth())
	sep := m.styles.Rule.Render(separator)
	for row := 0; row < h; row++ {
		l := blankLeft
		if row < len(left) {
			l = left[row]
		}
		r := ""
		if row < len(right) {
			r = right[row]
		}
		b.WriteString(strings.TrimRight(l+sep+r, " "))
		b.WriteByte('\n')
	}
	footer := m.footerView(help)
	for i, f := range footer {
		b.WriteString(strings.TrimRight(f, " "))
		if i < len(footer)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// paneView is the right side: the selected page with its tabs, or the
// open dialog or outbox in its place.
func (m *Model) paneView(w, h int) []string {
	if m.dialog != nil {
		box := lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, m.dialog.view(m.styles, w),
			lipgloss.WithWhitespaceChars(" "))
		return clip(strings.Split(box, "\n"), w)
	}
	if m.outbox != nil {
		return m.outboxPane(w, h)
	}
	s := m.styles
	page := m.pages[m.selected]
	title := page.Step.Title
	if !page.Step.IsCleanup() {
		title = fmt.Sprintf("%d · %s", page.Step.Number, page.Step.Title)
	}
	head := s.Title.Render(title)
	if room := w - cellWidth(title) - 3; room > 10 && page.Step.Summary != "" {
		head += s.Dim.Render(" — " + truncate(page.Step.Summary, room))
	}

	ch := max(1, h-3)
	content := m.tabContent(w, ch)
	ps := m.state[m.selected]
	offset := min(ps.scroll, max(0, len(content)-ch))
	tabs := m.tabBar()
	if len(content) > ch {
		pos := fmt.Sprintf("%d–%d/%d", offset+1, min(offset+ch, len(content)), len(content))
		tabs += strings.Repeat(" ", max(1, w-cellWidth(tabs)-cellWidth(pos))) + s.Dim.Render(pos)
	}
	lines := clip([]string{head, tabs, ""}, w)
	end := min(len(content), offset+ch)
	visible := content[offset:end]
	if m.currentTab() != tabExplain { // rendered docs are clipped in the cache
		visible = clip(append([]string(nil), visible...), w)
	}
	return append(lines, visible...)
}

// tabContent is the current tab's lines at a pane width; height lets the
// progress view keep its newest rows in sight.
func (m *Model) tabContent(w, h int) []string {
	switch m.currentTab() {
	case tabExplain:
		if doc, ok := m.cache.doc(m.selected, docWidth(w)); ok {
			return doc
		}
		return []string{m.styles.Dim.Render("rendering…")}
	case tabCode:
		if code, ok := m.cache.codeOf(m.selected); ok {
			return strings.Split(code, "\n")
		}
		return nil
	case tabPlan:
		return m.planView(w, h)
	case tabChecks:
		return m.checksView(w)
	case tabIncident:
		return m.boardView(w)
	case tabCleanup:
		return m.cleanupView(w, h)
	}
	return nil
}

// clip cuts every line to w cells; nothing in the pane may push the
// layout wider than the terminal.
func clip(lines []string, w int) []string {
	for i, l := range lines {
		if cellWidth(l) > w {
			lines[i] = truncate(l, w)
		}
	}
	return lines
}
