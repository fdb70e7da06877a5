package tui

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gdlab-dev/gdlab/steps"
)

// Model is the root model of the lab screen. It is a value: bubbletea copies
// it on every Update, and only the render cache is shared by pointer.
type Model struct {
	lab    steps.Lab
	ctx    context.Context
	now    func() time.Time
	at     time.Time // the clock as of the last Update; View reads only this
	styles styles
	keys   keyMap
	help   help.Model
	cache  *renderCache

	spinner  spinner.Model
	spinning bool // a tick is in flight; at most one chain at a time

	width, height int
	target        steps.Target
	pages         []Page
	state         []pageState
	selected      int

	op     *run // plan, apply, verify or destroy: one at a time, they share the lab folder
	watch  *run // the incident watch of step 9, which may run alongside verify
	runSeq int

	board    incidentBoard
	audit    *steps.AuditResult
	dialog   *dialog
	notice   string // one line above the footer: resume notice, results of short actions
	quitting bool   // quit confirmed; waiting for terraform to stop before quitting
	stopped  string // what a quit interrupted, for ExitMessage

	// outbox, while open, shows the sandbox's mail in place of the step pane.
	outbox *outboxView
}

// pageState is the model's view of one catalogue entry.
type pageState struct {
	state     steps.StepState
	prevState steps.StepState // restored when a reviewed plan is discarded
	tab       int             // index into tabsFor(page)
	scroll    int             // first visible line of the tab's content
	plan      *steps.PlanSummary
	reviewing bool         // the plan is shown and waits for enter/y
	progress  *runProgress // the page's latest terraform run
	checks    []steps.CheckResult
	checksErr error
	verifying bool
}

// Default size until the first WindowSizeMsg, the smallest supported.
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// New builds the root model for lab. It reads lab.Target and lab.States
// once, here, so a reopened lab folder starts at its step with a notice.
// Run it with tea.NewProgram(m, tea.WithAltScreen()); see the package doc.
func New(lab steps.Lab, opts Options) Model {
	st := newStyles(opts.NoColor, opts.LightBackground)
	pages := opts.Pages
	if pages == nil {
		pages = DefaultPages()
	}
	m := Model{
		lab:     lab,
		ctx:     opts.context(),
		now:     opts.clock(),
		styles:  st,
		keys:    newKeyMap(),
		help:    newHelp(st),
		cache:   newRenderCache(st, opts.LightBackground),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Accent)),
		width:   defaultWidth,
		height:  defaultHeight,
		target:  lab.Target(),
		pages:   pages,
		state:   make([]pageState, len(pages)),
	}
	m.at = m.now()
	m.help.Width = m.width
	m.restore(lab.States())
	m.syncKeys()
	m.prepare()
	return m
}

// restore applies the journal's states and, when the lab has progress,
// selects where it stopped and says so.
func (m *Model) restore(states map[int]steps.StepState) {
	progressed := false
	for i, p := range m.pages {
		s, ok := states[p.Step.Number]
		if !ok {
			continue
		}
		// Running in the journal means the last process stopped mid-run:
		// nothing runs now, and the step did not finish.
		if s == steps.StateRunning {
			s = steps.StateFailed
		}
		m.state[i].state = s
		if s != steps.StatePending {
			progressed = true
		}
	}
	if !progressed {
		return
	}
	resume := m.resumeIndex()
	m.selected = resume
	m.notice = fmt.Sprintf("resumed at step %d · the journal in %s keeps your progress", m.pages[resume].Step.Number, m.target.Dir)
	if m.target.Dir == "" {
		m.notice = fmt.Sprintf("resumed at step %d", m.pages[resume].Step.Number)
	}
}

// resumeIndex is the first lab step that is not yet checked.
func (m *Model) resumeIndex() int {
	last := 0
	for i, p := range m.pages {
		if p.Step.IsCleanup() {
			continue
		}
		last = i
		if m.state[i].state != steps.StateChecked {
			return i
		}
	}
	return last
}

// Init implements tea.Model. Nothing runs until the learner asks, so there
// is nothing to start: no timers while idle.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.at = m.now()
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 1), max(msg.Height, 1)
		m.help.Width = m.width
	case tea.KeyMsg:
		m, cmd = m.handleKey(msg)
	case spinner.TickMsg:
		// The chain of ticks ends here when nothing animates any more.
		if !m.animating() {
			m.spinning = false
			return m, nil
		}
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	default:
		m, cmd = m.handleResult(msg)
	}
	m.syncKeys()
	m.prepare()
	return m, tea.Batch(cmd, m.startSpinner())
}

// animating reports whether anything on screen moves: a run in flight.
func (m *Model) animating() bool {
	return m.op != nil || m.watch != nil
}

// startSpinner begins a tick chain when something started animating.
func (m *Model) startSpinner() tea.Cmd {
	if !m.animating() || m.spinning {
		return nil
	}
	m.spinning = true
	return m.spinner.Tick
}

// prepare renders into the cache what the next View needs, so View itself
// never renders markdown or highlights code.
func (m *Model) prepare() {
	if m.outbox != nil {
		m.prepareOutbox()
		return
	}
	page := m.pages[m.selected]
	switch m.currentTab() {
	case tabExplain:
		m.cache.renderDoc(m.selected, page.Doc, docWidth(m.paneWidth()))
	case tabCode:
		m.cache.renderCode(m.selected, page.HCL)
	}
}

// View implements tea.Model. It composes prepared state only.
func (m Model) View() string {
	return m.layout()
}

// busy is the one-line reason another terraform run cannot start now.
func (m *Model) busy() string {
	if m.op == nil {
		return ""
	}
	p := m.pages[m.op.index]
	if p.Step.IsCleanup() {
		return "wait for the cleanup to finish"
	}
	return fmt.Sprintf("wait until step %d has finished %s (q stops it)", p.Step.Number, m.op.kind)
}

// index of the page numbered n, or -1.
func (m *Model) indexOf(number int) int {
	for i, p := range m.pages {
		if p.Step.Number == number {
			return i
		}
	}
	return -1
}

func (m *Model) cleanupIndex() int {
	for i, p := range m.pages {
		if p.Step.IsCleanup() {
			return i
		}
	}
	return len(m.pages) - 1
}

func (m *Model) isWatchPage(i int) bool {
	return m.pages[i].Step.Number == steps.LastLabStep
}
