package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// dialogKind says what a confirmation dialog guards.
type dialogKind int

const (
	dialogQuit    dialogKind = iota // quit while terraform runs: y/n
	dialogDestroy                   // destroy everything: type the lab id
)

// dialog is a modal question over the right pane. A dialog with want set
// is answered by typing want, which a reflexive "y" cannot do by accident.
type dialog struct {
	kind     dialogKind
	title    string
	lines    []string
	want     string
	input    textinput.Model
	mismatch bool
}

func newQuitDialog(what string) *dialog {
	return &dialog{
		kind:  dialogQuit,
		title: "Quit while terraform is " + what + "?",
		lines: []string{
			"gdlab interrupts terraform the way ctrl+c in a shell would and waits for it to stop, so its state stays valid; the next run resumes.",
			"",
			"y stop and quit · n keep going",
		},
	}
}

func newDestroyDialog(s styles, t steps.Target) *dialog {
	in := textinput.New()
	in.Prompt = "> "
	in.Placeholder = t.LabID
	in.CharLimit = 32
	in.Width = 20
	in.PromptStyle = s.Accent
	in.TextStyle = s.renderer.NewStyle()
	in.PlaceholderStyle = s.Dim
	in.Cursor.Style = s.renderer.NewStyle().Reverse(true)
	in.Cursor.TextStyle = s.renderer.NewStyle()
	// A static cursor: a blinking one would keep timers firing while the
	// dialog waits, and the screen must be idle when nothing happens.
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Focus()
	where := string(t.Kind)
	if t.Account != "" {
		where = fmt.Sprintf("%s account %s", t.Kind, t.Account)
	}
	lines := []string{
		fmt.Sprintf("Everything lab %s created in %s (%s) is destroyed,", t.LabID, where, t.Region),
		fmt.Sprintf("then the account is audited for anything tagged gdlab:lab=%s.", t.LabID),
	}
	if t.ReusesDetector {
		lines = append(lines, "The GuardDuty detector that existed before the lab is kept.")
	}
	lines = append(lines, "", "Type the lab id to confirm:")
	return &dialog{kind: dialogDestroy, title: "Destroy lab " + t.LabID + "?", lines: lines, want: t.LabID, input: in}
}

// dialogAnswer is what a key did to the dialog.
type dialogAnswer int

const (
	dialogOpen dialogAnswer = iota
	dialogYes
	dialogNo
)

// update handles one key. Typed dialogs pass keys to the input; y/n
// dialogs accept y/enter and n/esc/q.
func (d *dialog) update(msg tea.KeyMsg) (dialogAnswer, tea.Cmd) {
	if msg.Type == tea.KeyEsc {
		return dialogNo, nil
	}
	if d.want == "" {
		switch msg.String() {
		case "y", "Y", "enter":
			return dialogYes, nil
		case "n", "N", "q":
			return dialogNo, nil
		}
		return dialogOpen, nil
	}
	if msg.Type == tea.KeyEnter {
		if strings.TrimSpace(d.input.Value()) == d.want {
			return dialogYes, nil
		}
		d.mismatch = true
		return dialogOpen, nil
	}
	d.mismatch = false
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return dialogOpen, cmd
}

// view renders the dialog box for a pane width.
func (d *dialog) view(s styles, paneWidth int) string {
	inner := min(paneWidth-4, 72)
	var b strings.Builder
	b.WriteString(s.Bold.Render(d.title))
	b.WriteString("\n\n")
	for _, l := range d.lines {
		for _, w := range wrapOrBlank(l, inner) {
			b.WriteString(w + "\n")
		}
	}
	if d.want != "" {
		b.WriteString(d.input.View() + "\n")
		if d.mismatch {
			b.WriteString(s.Fail.Render("that is not the lab id") + "\n")
		} else {
			b.WriteString("\n")
		}
		b.WriteString(s.Dim.Render("enter destroy · esc cancel"))
	}
	return s.Dialog.Width(inner + 2).Render(strings.TrimRight(b.String(), "\n"))
}

func wrapOrBlank(s string, w int) []string {
	if s == "" {
		return []string{""}
	}
	return wrap(s, w)
}

// handleDialogKey answers the open dialog.
func (m Model) handleDialogKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	answer, cmd := m.dialog.update(msg)
	kind := m.dialog.kind
	switch answer {
	case dialogNo:
		m.dialog = nil
		if kind == dialogDestroy {
			m.notice = "cleanup cancelled; nothing was destroyed"
		}
	case dialogYes:
		m.dialog = nil
		switch kind {
		case dialogQuit:
			return m.confirmQuit()
		case dialogDestroy:
			return m.startDestroy()
		}
	}
	return m, cmd
}

// requestQuit quits at once when nothing needs stopping, else asks.
func (m Model) requestQuit() (Model, tea.Cmd) {
	if m.quitting {
		return m, nil // already waiting for terraform; a second q changes nothing
	}
	if m.op != nil && m.op.kind.usesTerraform() {
		m.dialog = newQuitDialog(m.op.kind.String())
		return m, nil
	}
	m.stopRuns()
	return m, tea.Quit
}

// confirmQuit interrupts terraform and quits once its run has returned, so
// no state lock or half-written state is left behind.
func (m Model) confirmQuit() (Model, tea.Cmd) {
	m.dialog = nil
	if m.op == nil || !m.op.kind.usesTerraform() {
		m.stopRuns()
		return m, tea.Quit
	}
	m.quitting = true
	p := m.pages[m.op.index]
	m.stopped = fmt.Sprintf("%s step %d was interrupted", m.op.kind, p.Step.Number)
	if p.Step.IsCleanup() {
		m.stopped = "the cleanup was interrupted"
	}
	m.stopRuns()
	return m, nil
}

// stopRuns cancels every run; their results still arrive and are handled.
func (m *Model) stopRuns() {
	if m.op != nil {
		m.op.cancel()
	}
	if m.watch != nil {
		m.watch.cancel()
	}
}
