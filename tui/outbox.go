package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// The sandbox's outbox: `o` shows, in place of the step pane, the mail the
// simulated SNS delivered (the subscription confirmation, the alerts),
// newest first, as a mail reader would. Real AWS has no outbox: its email
// goes to the learner's mailbox, so the key exists only in the sandbox.

// outboxFile is where the sandbox keeps the mbox inside the lab folder,
// for the learner who wants to open it with `mail -f`.
const outboxFile = ".gdlab/sandbox/outbox.mbox"

// outboxView is the open outbox. Update fills it; prepare lays it out for
// the pane width, so View only slices lines.
type outboxView struct {
	loading bool
	mails   []steps.Mail // newest first
	err     error
	scroll  int // first visible line

	width int      // lines are laid out for this width
	lines []string // the mails as the pane shows them
}

// outboxReadMsg answers a read of the outbox.
type outboxReadMsg struct {
	mails []steps.Mail
	err   error
}

func readOutbox(ctx context.Context, lab steps.Lab) tea.Cmd {
	return func() tea.Msg {
		mails, err := lab.Outbox(ctx)
		return outboxReadMsg{mails: mails, err: err}
	}
}

// openOutbox shows the outbox and reads it afresh.
func (m Model) openOutbox() (Model, tea.Cmd) {
	m.outbox = &outboxView{loading: true}
	return m, readOutbox(m.ctx, m.lab)
}

// read takes the mails in, newest first (the mbox is in delivery
// order; equal dates keep the later delivery first).
func (v *outboxView) read(msg outboxReadMsg) {
	mails := slices.Clone(msg.mails)
	slices.Reverse(mails)
	slices.SortStableFunc(mails, func(a, b steps.Mail) int { return b.Date.Compare(a.Date) })
	v.loading, v.mails, v.err, v.width = false, mails, msg.err, 0
}

// handleOutboxKey: while the outbox is open, keys scroll it or close it;
// quit and help still work, nothing else acts on the lab.
func (m Model) handleOutboxKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	page := max(1, m.outboxContentHeight()-2)
	switch {
	case key.Matches(msg, k.CloseOutbox):
		m.outbox = nil
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Quit):
		return m.requestQuit()
	case key.Matches(msg, k.Up):
		m.scrollOutbox(-1)
	case key.Matches(msg, k.Down):
		m.scrollOutbox(1)
	case key.Matches(msg, k.PageUp):
		m.scrollOutbox(-page)
	case key.Matches(msg, k.PageDown):
		m.scrollOutbox(page)
	}
	return m, nil
}

func (m *Model) scrollOutbox(delta int) {
	v := m.outbox
	limit := max(0, len(v.lines)-m.outboxContentHeight())
	v.scroll = min(max(0, v.scroll+delta), limit)
}

// outboxContentHeight is the room for mail under the outbox's two heading
// lines and the blank line after them.
func (m *Model) outboxContentHeight() int {
	return max(1, m.bodyHeight()-3)
}

// syncOutboxKeys: the outbox key in the sandbox, its hint in the short
// help on the steps where email matters, and, while it is open, only the
// keys that scroll and close it.
func (m *Model) syncOutboxKeys() {
	k := &m.keys
	open := m.outbox != nil
	sandbox := m.target.Kind == steps.TargetSandbox
	k.Outbox.SetEnabled(sandbox && !open)
	k.OutboxHint.SetEnabled(sandbox && !open && m.canConfirmSubscription())
	k.CloseOutbox.SetEnabled(open)
	k.NextTab.SetEnabled(!open)
	k.PrevTab.SetEnabled(!open)
	if !open {
		k.Up.SetHelp("↑/k", "previous step")
		k.Down.SetHelp("↓/j", "next step")
		k.Move.SetHelp("↑↓", "step")
		return
	}
	k.Up.SetHelp("↑/k", "scroll up")
	k.Down.SetHelp("↓/j", "scroll down")
	k.Move.SetHelp("↑↓", "scroll")
	for _, b := range []*key.Binding{&k.Apply, &k.Yes, &k.Discard, &k.Retry, &k.Verify,
		&k.SampleFinding, &k.ConfirmSubscr, &k.Destroy} {
		b.SetEnabled(false)
	}
}

// prepareOutbox lays the mails out for the pane width once per width.
func (m *Model) prepareOutbox() {
	v := m.outbox
	w := m.paneWidth()
	if v == nil || v.loading || v.width == w {
		return
	}
	v.width, v.lines = w, outboxLines(m.styles, v, m.target, w)
	m.scrollOutbox(0) // a narrower pane may have fewer lines
}

// outboxLabel is the width of the header names' column.
const outboxLabel = 9

// outboxLines renders every mail: date, from, to and subject, then the body.
func outboxLines(s styles, v *outboxView, t steps.Target, w int) []string {
	if v.err != nil {
		return append([]string{s.Fail.Render("✗ the outbox could not be read")}, wrap(v.err.Error(), w)...)
	}
	if len(v.mails) == 0 {
		return wrap("No mail yet. SNS sends the subscription confirmation here when step 5 subscribes your address, "+
			"and the alerts once the subscription is confirmed.", w)
	}
	var out []string
	field := func(name, value string) {
		for i, l := range wrap(value, max(1, w-outboxLabel)) {
			prefix := strings.Repeat(" ", outboxLabel)
			if i == 0 {
				prefix = s.Label.Render(pad(name, outboxLabel))
			}
			out = append(out, prefix+l)
		}
	}
	for i, mail := range v.mails {
		if i > 0 {
			out = append(out, "", s.Rule.Render(strings.Repeat("─", w)), "")
		}
		date := "(no date)"
		if !mail.Date.IsZero() {
			date = mail.Date.Format("2006-01-02 15:04:05 MST")
		}
		field("Date", date)
		field("From", plainText(mail.From))
		field("To", plainText(mail.To))
		out = append(out, "")
		field("Subject", plainText(mail.Subject))
		out = append(out, "")
		out = append(out, wrap(plainText(mail.Body), w)...)
	}
	return out
}

// outboxPane is the pane while the outbox is open.
func (m *Model) outboxPane(w, h int) []string {
	s := m.styles
	v := m.outbox
	head := s.Title.Render("Outbox") + "  " + s.Warn.Render("simulated mail (sandbox outbox)")
	var sub string
	var content []string
	switch {
	case v.loading:
		sub = "reading…"
	case v.err == nil:
		sub = fmt.Sprintf("%s, newest first · %s", plural(len(v.mails), "email"), filepath.Join(m.target.Dir, outboxFile))
		content = v.lines
	default:
		content = v.lines
	}
	ch := max(1, h-3)
	offset := min(v.scroll, max(0, len(content)-ch))
	status := truncate(sub, w)
	if len(content) > ch {
		pos := fmt.Sprintf("%d–%d/%d", offset+1, min(offset+ch, len(content)), len(content))
		left := truncate(sub, max(0, w-cellWidth(pos)-1))
		status = left + strings.Repeat(" ", max(1, w-cellWidth(left)-cellWidth(pos))) + pos
	}
	status = s.Dim.Render(status)
	lines := clip([]string{head, status, ""}, w)
	return append(lines, clip(slices.Clone(content[offset:min(len(content), offset+ch)]), w)...)
}

// plainText makes a mail body safe to draw: tabs become spaces and control
// characters (an escape sequence in a message would repaint the screen)
// are dropped.
func plainText(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\t", "    ")
	return strings.Map(func(r rune) rune {
		if r == '\n' || (r >= 0x20 && r != 0x7f && (r < 0x80 || r > 0x9f)) {
			return r
		}
		return -1
	}, body)
}
