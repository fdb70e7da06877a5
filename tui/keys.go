package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every binding of the screen with its help text. Bindings that
// make no sense in the current state are disabled by Model.syncKeys, which
// also hides them from the help footer, so help and behaviour cannot drift.
type keyMap struct {
	Up, Down      key.Binding
	Move          key.Binding // help-only: "↑↓ step" in the short help
	NextTab       key.Binding
	PrevTab       key.Binding
	PageUp        key.Binding
	PageDown      key.Binding
	Apply         key.Binding // enter: plan, confirm, watch — help text follows the state
	Yes           key.Binding // y confirms a reviewed plan
	Discard       key.Binding // esc drops a reviewed plan
	Verify        key.Binding
	Retry         key.Binding
	SampleFinding key.Binding
	ConfirmSubscr key.Binding
	Outbox        key.Binding // o: the sandbox's outbox
	OutboxHint    key.Binding // help-only: "o outbox" in the short help where email matters
	CloseOutbox   key.Binding // esc or o again closes the outbox
	Destroy       key.Binding
	Help          key.Binding
	Quit          key.Binding
	Interrupt     key.Binding // ctrl+c: like q, but never typed into a dialog
}

func newKeyMap() keyMap {
	return keyMap{
		Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous step")),
		Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next step")),
		Move:          key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "step")),
		NextTab:       key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab", "view")),
		PrevTab:       key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab", "previous view")),
		PageUp:        key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll up")),
		PageDown:      key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "scroll down")),
		Apply:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Yes:           key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "apply plan")),
		Discard:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "discard plan")),
		Verify:        key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verify")),
		Retry:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		SampleFinding: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sample finding")),
		ConfirmSubscr: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "confirm email")),
		Outbox:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "outbox")),
		OutboxHint:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "outbox")),
		CloseOutbox:   key.NewBinding(key.WithKeys("esc", "o"), key.WithHelp("esc", "close outbox")),
		Destroy:       key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "destroy all")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:          key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp implements help.KeyMap: the footer line, most useful first so
// truncation at 80 columns drops the least useful.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Apply, k.CloseOutbox, k.Discard, k.Retry, k.SampleFinding, k.ConfirmSubscr,
		k.OutboxHint, k.NextTab, k.Move, k.Verify, k.Destroy, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap: the `?` view, grouped by subject.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.NextTab, k.PrevTab, k.PageUp, k.PageDown},
		{k.Apply, k.Yes, k.Discard, k.Verify, k.Retry},
		{k.SampleFinding, k.ConfirmSubscr, k.Outbox, k.CloseOutbox, k.Destroy},
		{k.Help, k.Quit, k.Interrupt},
	}
}
