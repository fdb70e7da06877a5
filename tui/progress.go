package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/gdlab-dev/gdlab/steps"
)

// resourceStatus is where one resource of a terraform run is.
type resourceStatus int

const (
	resourceRunning resourceStatus = iota
	resourceDone
	resourceFailed
)

// resourceLine is one row of the progress list.
type resourceLine struct {
	address string
	action  string
	status  resourceStatus
	started time.Time     // when the model saw it start
	elapsed time.Duration // terraform's own figure, when it gave one
	message string
}

// runProgress follows one terraform run (plan, apply or destroy) of a page:
// the resources it touched, the phase, diagnostics and outcome.
type runProgress struct {
	kind     runKind
	total    int // resources the plan expects to change; 0 when unknown
	lines    []resourceLine
	phase    string
	diags    []steps.Diagnostic
	err      error
	started  time.Time
	finished bool
}

func newRunProgress(kind runKind, total int, now time.Time) *runProgress {
	return &runProgress{kind: kind, total: total, started: now}
}

// record folds one terraform event into the progress.
func (p *runProgress) record(e steps.Event, now time.Time) {
	switch e := e.(type) {
	case steps.Phase:
		p.phase = e.Text
		if p.phase == "" {
			p.phase = e.Name
		}
	case steps.ResourceStarted:
		l := p.line(e.Address, now)
		l.action, l.status, l.started = e.Action, resourceRunning, now
	case steps.ResourceProgress:
		p.line(e.Address, now).elapsed = e.Elapsed
	case steps.ResourceDone:
		l := p.line(e.Address, now)
		l.status, l.elapsed = resourceDone, e.Elapsed
		if e.Action != "" {
			l.action = e.Action
		}
	case steps.ResourceFailed:
		l := p.line(e.Address, now)
		l.status, l.elapsed, l.message = resourceFailed, e.Elapsed, e.Message
	case steps.Diagnostic:
		p.diags = append(p.diags, e)
	}
}

// line finds or appends the row for address; runs touch a few dozen
// resources at most, so a scan beats keeping an index in sync.
func (p *runProgress) line(address string, now time.Time) *resourceLine {
	for i := range p.lines {
		if p.lines[i].address == address {
			return &p.lines[i]
		}
	}
	p.lines = append(p.lines, resourceLine{address: address, started: now})
	return &p.lines[len(p.lines)-1]
}

func (p *runProgress) finish(err error) {
	p.finished, p.err = true, err
}

// done counts finished resources.
func (p *runProgress) done() int {
	n := 0
	for _, l := range p.lines {
		if l.status == resourceDone {
			n++
		}
	}
	return n
}

// current is the most recently started resource still running.
func (p *runProgress) current() (resourceLine, bool) {
	for i := len(p.lines) - 1; i >= 0; i-- {
		if p.lines[i].status == resourceRunning {
			return p.lines[i], true
		}
	}
	return resourceLine{}, false
}

// failed reports whether the run ended in an error.
func (p *runProgress) failed() bool { return p.finished && p.err != nil }

// elapsedOf is how long a resource has taken: terraform's figure once it
// has one, else the time since the model saw it start.
func (l resourceLine) elapsedOf(now time.Time) time.Duration {
	if l.status != resourceRunning || l.elapsed > 0 {
		return l.elapsed
	}
	return now.Sub(l.started)
}

// counter is "3/7" with a known total, else a count: a destroy does not
// know its total until terraform has walked the state.
func (p *runProgress) counter() string {
	if p.total > 0 {
		return fmt.Sprintf("%d/%d", p.done(), max(p.total, p.done()))
	}
	if p.kind == runDestroy {
		return fmt.Sprintf("%d destroyed", p.done())
	}
	return fmt.Sprintf("%d done", p.done())
}

// bar renders the progress bar. ViewAs draws a static frame, so the bar
// never schedules animation ticks of its own.
func (p *runProgress) bar(s styles, width int) string {
	bar := progress.New(progress.WithoutPercentage(), progress.WithWidth(width),
		progress.WithSolidFill(string(colorAccentFor(s))), progress.WithColorProfile(s.renderer.ColorProfile()))
	total := max(p.total, p.done())
	if total == 0 {
		if p.finished && p.err == nil {
			return bar.ViewAs(1)
		}
		return bar.ViewAs(0)
	}
	return bar.ViewAs(float64(p.done()) / float64(total))
}

// view renders the run: a headline with the bar, one row per resource (the
// most recent that fit in height) and, after a failure, the diagnostics.
func (p *runProgress) view(s styles, spin string, now time.Time, width, height int) []string {
	var out []string
	verb := map[runKind]string{runPlan: "Planning", runApply: "Applying", runDestroy: "Destroying"}[p.kind]
	switch {
	case !p.finished:
		head := fmt.Sprintf("%s %s  ", spin, verb)
		counter := "  " + p.counter()
		barWidth := min(30, width-cellWidth(head)-cellWidth(counter))
		if barWidth >= 8 && p.total > 0 {
			out = append(out, s.Bold.Render(head)+p.bar(s, barWidth)+counter)
		} else {
			out = append(out, s.Bold.Render(head)+counter)
		}
		if p.phase != "" {
			out = append(out, s.Dim.Render(p.phase))
		}
	case p.err != nil:
		out = append(out, s.Fail.Render(fmt.Sprintf("✗ %s failed after %d of %s", strings.ToLower(verb), p.done(), plural(max(p.total, len(p.lines)), "resource"))))
	default:
		out = append(out, s.OK.Render("✓ ")+s.Bold.Render(fmt.Sprintf("%s done", verb))+"  "+p.counter())
	}

	diag := p.diagnosticView(s, width)
	room := height - len(out) - 1 - len(diag)
	if len(diag) > 0 {
		room-- // blank line before the diagnostics
	}
	rows := p.resourceRows(s, spin, now, width, room)
	if len(rows) > 0 {
		out = append(out, "")
		out = append(out, rows...)
	}
	if len(diag) > 0 {
		out = append(out, "")
		out = append(out, diag...)
	}
	return out
}

// resourceRows renders one block per resource (its row, plus the error
// when terraform gave one and no diagnostic repeats it), keeping the newest
// blocks that fit in room and counting the older ones.
func (p *runProgress) resourceRows(s styles, spin string, now time.Time, width, room int) []string {
	if room < 1 {
		return nil
	}
	blocks := make([][]string, 0, len(p.lines))
	for _, l := range p.lines {
		var mark string
		switch l.status {
		case resourceRunning:
			mark = spin
		case resourceDone:
			mark = s.OK.Render("✓")
		case resourceFailed:
			mark = s.Fail.Render("✗")
		}
		elapsed := formatDuration(l.elapsedOf(now))
		action := actionSymbol(l.action)
		addrWidth := width - 2 - cellWidth(action) - 1 - cellWidth(elapsed) - 1
		addr := truncateStart(l.address, addrWidth)
		gap := max(1, width-2-cellWidth(action)-1-cellWidth(addr)-cellWidth(elapsed))
		block := []string{mark + " " + s.Dim.Render(action) + " " + addr + strings.Repeat(" ", gap) + s.Dim.Render(elapsed)}
		if l.status == resourceFailed && l.message != "" && len(p.diags) == 0 {
			for _, w := range wrap(l.message, width-4) {
				block = append(block, "    "+s.Fail.Render(w))
			}
		}
		blocks = append(blocks, block)
	}
	// Walk back from the newest block while it fits, leaving a line for
	// the "… n earlier" marker when something is left out.
	used, first := 0, len(blocks)
	for first > 0 {
		need := len(blocks[first-1])
		marker := 0
		if first-1 > 0 {
			marker = 1
		}
		if used+need+marker > room {
			break
		}
		used += need
		first--
	}
	var rows []string
	if first > 0 {
		if first == len(blocks) { // not even the newest fits whole: its first line
			return []string{blocks[first-1][0]}
		}
		rows = append(rows, s.Dim.Render(fmt.Sprintf("  … %d earlier", first)))
	}
	for _, b := range blocks[first:] {
		rows = append(rows, b...)
	}
	return rows
}

// diagnosticView shows terraform's errors (and warnings) with gdlab's hint.
func (p *runProgress) diagnosticView(s styles, width int) []string {
	if !p.finished || p.err == nil {
		return nil
	}
	var out []string
	errs := 0
	for _, d := range p.diags {
		if d.Severity == "warning" {
			out = append(out, s.Warn.Render("! Warning: ")+d.Summary)
			continue
		}
		errs++
		out = append(out, diagnosticLines(s, d, width)...)
	}
	if errs == 0 {
		out = append(out, s.Fail.Render("✗ Error: ")+firstLine(p.err.Error()))
		for _, w := range wrap(restLines(p.err.Error()), width-2) {
			out = append(out, "  "+w)
		}
	}
	out = append(out, "", s.Accent.Render("r")+" retry (plans again, then asks)")
	return out
}

func diagnosticLines(s styles, d steps.Diagnostic, width int) []string {
	var out []string
	for i, w := range wrap(d.Summary, width-9) {
		if i == 0 {
			out = append(out, s.Fail.Render("✗ Error: ")+w)
		} else {
			out = append(out, "         "+w)
		}
	}
	if d.Address != "" {
		out = append(out, "  "+s.Dim.Render("at "+d.Address))
	}
	for _, w := range wrap(d.Detail, width-2) {
		out = append(out, "  "+w)
	}
	if d.Hint != "" {
		hint := wrap(d.Hint, width-8)
		for i, w := range hint {
			prefix := "        "
			if i == 0 {
				prefix = s.Warn.Render("  hint: ")
			}
			out = append(out, prefix+w)
		}
	}
	return out
}

// actionSymbol is terraform's plan notation for an action.
func actionSymbol(action string) string {
	switch action {
	case "create":
		return "+"
	case "update":
		return "~"
	case "delete":
		return "-"
	case "replace":
		return "±"
	case "read":
		return "≤"
	case "no-op", "":
		return " "
	}
	return "?"
}

func colorAccentFor(s styles) string {
	if s.renderer.HasDarkBackground() {
		return colorAccent.Dark
	}
	return colorAccent.Light
}

// formatDuration is a compact elapsed time: 6s, 1m02s, 1h04m.
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
