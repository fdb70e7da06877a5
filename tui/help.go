package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

func newHelp(s styles) help.Model {
	h := help.New()
	h.ShortSeparator = " · "
	h.Styles.ShortKey = s.Accent
	h.Styles.ShortDesc = s.Dim
	h.Styles.ShortSeparator = s.Dim
	h.Styles.Ellipsis = s.Dim
	h.Styles.FullKey = s.Accent
	h.Styles.FullDesc = s.Dim
	h.Styles.FullSeparator = s.Dim
	return h
}

// syncKeys enables exactly the bindings that do something now; the help
// footer shows only enabled ones, and key.Matches ignores the rest.
func (m *Model) syncKeys() {
	k := &m.keys
	i := m.selected
	ps := &m.state[i]
	page := m.pages[i].Step
	idle := m.op == nil

	switch {
	case page.IsCleanup():
		k.Apply.SetEnabled(false)
	case m.isWatchPage(i):
		k.Apply.SetHelp("enter", "watch incident")
		k.Apply.SetEnabled(m.watch == nil)
	case ps.reviewing:
		k.Apply.SetHelp("enter", "apply plan")
		k.Apply.SetEnabled(idle)
	default:
		k.Apply.SetHelp("enter", "apply")
		k.Apply.SetEnabled(idle)
	}
	k.Yes.SetEnabled(ps.reviewing && idle)
	k.Discard.SetEnabled(ps.reviewing && idle)
	k.Retry.SetEnabled(m.canRetry())
	k.Verify.SetEnabled(idle && !page.IsCleanup())
	k.SampleFinding.SetEnabled(m.isWatchPage(i))
	k.ConfirmSubscr.SetEnabled(m.canConfirmSubscription())
	k.Destroy.SetEnabled(idle)
	m.syncOutboxKeys()
	if m.help.ShowAll {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "help")
	}
}

// footerView is the status line (the running operation, else the latest
// notice) above the key help.
func (m *Model) footerView(help string) []string {
	lines := []string{" " + truncate(m.statusLine(), m.width-2)}
	for _, l := range strings.Split(help, "\n") {
		lines = append(lines, " "+l)
	}
	return lines
}

// helpView is the short or full key help at the screen's width.
func (m *Model) helpView() string {
	if m.help.ShowAll {
		return m.help.FullHelpView(m.keys.FullHelp())
	}
	return m.help.ShortHelpView(m.fitShortHelp(m.help.Width - 1))
}

// fitShortHelp picks the bindings for one line of width cells: "? help"
// and "q quit" always, then as many of the others as fit, in order; "?"
// turns into "more" when some had to go. (bubbles' own truncation lets an
// item overflow when its ellipsis would not fit, so fitting happens here.)
func (m *Model) fitShortHelp(width int) []key.Binding {
	sep := cellWidth(m.help.ShortSeparator)
	size := func(b key.Binding) int { return cellWidth(b.Help().Key) + 1 + cellWidth(b.Help().Desc) + sep }
	help, quit := m.keys.Help, m.keys.Quit
	used := size(help) + size(quit)
	var out []key.Binding
	dropped := false
	for _, b := range m.keys.ShortHelp() {
		if !b.Enabled() || b.Help() == help.Help() || b.Help() == quit.Help() {
			continue
		}
		if used+size(b) > width+sep {
			dropped = true
			continue
		}
		used += size(b)
		out = append(out, b)
	}
	if dropped && !m.help.ShowAll {
		help.SetHelp("?", "more")
	}
	return append(out, help, quit)
}

// statusLine keeps a run visible while the learner reads other steps.
func (m *Model) statusLine() string {
	s := m.styles
	switch {
	case m.quitting:
		return m.spinner.View() + " stopping terraform so its state stays valid, then quitting…"
	case m.op != nil:
		return m.runStatus()
	case m.watch != nil && m.watch.index != m.selected:
		line := m.spinner.View() + " watching the incident"
		if w := m.board.waiting; w != nil {
			line += s.Dim.Render(" · " + w.Waiting)
		}
		return line
	}
	return s.Dim.Render(m.notice)
}

// runStatus is one line about the run in flight: which step, what, how far.
func (m *Model) runStatus() string {
	s := m.styles
	page := m.pages[m.op.index].Step
	who := "cleanup"
	if !page.IsCleanup() {
		who = "step " + itoa(page.Number)
	}
	line := m.spinner.View() + " " + who + " · " + m.op.kind.String()
	p := m.state[m.op.index].progress
	if p == nil || m.op.kind == runVerify {
		return line + "…"
	}
	line += " " + p.counter()
	if cur, ok := p.current(); ok {
		line += s.Dim.Render(" · " + cur.address + " " + formatDuration(cur.elapsedOf(m.at)))
	} else if p.phase != "" {
		line += s.Dim.Render(" · " + p.phase)
	}
	return line
}
