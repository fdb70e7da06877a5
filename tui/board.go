package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

// incidentBoard is what the watch of step 9 has seen so far.
type incidentBoard struct {
	started         time.Time // when the watch began
	traffic         *steps.TrafficExpected
	finding         *steps.FindingSeen
	subscription    string // pending, confirmed; "" until known
	message         *steps.MessageDelivered
	groups          *steps.GroupsChanged
	logs            []steps.LambdaLog
	waiting         *steps.WaitingETA
	waitingSince    time.Time
	complete        *steps.ResponseComplete
	sampleRequested bool
	err             error
}

// maxLambdaLines bounds the log kept for the board; older lines are in the
// lab's log group for anyone who wants them.
const maxLambdaLines = 50

func (b *incidentBoard) record(e steps.IncidentEvent, now time.Time) {
	switch e := e.(type) {
	case steps.TrafficExpected:
		b.traffic = &e
	case steps.FindingSeen:
		b.finding = &e
	case steps.SubscriptionChanged:
		b.subscription = e.State
	case steps.MessageDelivered:
		b.message = &e
	case steps.GroupsChanged:
		b.groups = &e
	case steps.LambdaLog:
		b.logs = append(b.logs, e)
		if len(b.logs) > maxLambdaLines {
			b.logs = b.logs[len(b.logs)-maxLambdaLines:]
		}
	case steps.WaitingETA:
		b.waiting, b.waitingSince = &e, now
	case steps.ResponseComplete:
		b.complete, b.waiting = &e, nil
	}
}

// boardLabel is the width of the board's left column.
const boardLabel = 10

// boardView renders the incident board for the Incident tab.
func (m *Model) boardView(width int) []string {
	s := m.styles
	b := &m.board
	inner := max(10, width-boardLabel)
	var out []string
	row := func(label string, lines ...string) {
		for i, l := range lines {
			prefix := strings.Repeat(" ", boardLabel)
			if i == 0 {
				prefix = s.Label.Render(pad(label, boardLabel))
			}
			out = append(out, prefix+l)
		}
	}
	clock := func(t time.Time) string { return t.Format("15:04:05") }

	title := s.Bold.Render("Incident board")
	if m.target.Kind == steps.TargetSandbox {
		title += s.Warn.Render("  simulated")
	}
	switch {
	case b.complete != nil:
		title += "  " + s.OK.Render("✓ isolated in "+respondTime(b.complete))
	case m.watch != nil:
		title += "  " + m.spinner.View() + s.Dim.Render(" watching")
	}
	out = append(out, title, "")

	if m.watch == nil && b.complete == nil && b.started.IsZero() {
		out = append(out, wrap("enter starts watching: the compromised instance talks to the malicious address, GuardDuty reports it, EventBridge mails you and the Lambda isolates the instance.", width)...)
		out = append(out, "", s.Accent.Render("s")+" sends a sample finding now, to see the email path at once.")
		return out
	}

	// What is awaited now comes first: it is what the learner waits for.
	if w := b.waiting; w != nil && b.complete == nil && m.watch != nil {
		left := w.ETA - m.at.Sub(b.waitingSince)
		eta := "any moment now"
		if left > 0 {
			eta = "ETA " + formatDuration(left)
		}
		row("waiting", wrap(w.Waiting+" · "+eta, inner)...)
	}

	if f := b.finding; f != nil {
		kind := f.Type
		if f.Sample {
			kind += " (sample)"
		}
		row("finding", wrap(kind, inner)...)
		row("", fmt.Sprintf("severity %.1f %s · first seen %s", f.Severity, severityWord(f.Severity), clock(f.FirstSeen)))
	} else {
		row("finding", s.Dim.Render("not yet"))
	}

	sub := b.subscription
	if sub == "" {
		sub = "unknown"
	}
	mark := s.Warn.Render("…")
	if sub == "confirmed" {
		mark = s.OK.Render("✓")
	}
	row("email", mark+" subscription "+sub)
	if msg := b.message; msg != nil {
		row("", truncate(fmt.Sprintf("delivered %s · %s", clock(msg.At), msg.Headline()), inner))
	}

	if g := b.groups; g != nil && len(g.Before) == 0 {
		row("instance", wrap("already in "+strings.Join(g.After, ", ")+" when the watch began", inner)...)
	} else if g != nil {
		row("instance", wrap(strings.Join(g.Before, ", ")+" → "+strings.Join(g.After, ", "), inner)...)
	} else {
		row("instance", s.Dim.Render("in its initial security group"))
	}

	var lines []string
	for _, e := range b.timeline() {
		lines = append(lines, s.Dim.Render(clock(e.At)+" ")+truncate(e.What, inner-9))
	}
	if b.complete != nil {
		lines = append(lines, s.OK.Render("time to respond "+respondTime(b.complete)))
	}
	if len(lines) > 0 {
		row("timeline", lines...)
	}

	if len(b.logs) > 0 {
		lines = lines[:0]
		for _, l := range b.logs[max(0, len(b.logs)-4):] {
			lines = append(lines, s.Dim.Render(clock(l.At)+" ")+truncate(l.Line, inner-9))
		}
		row("lambda", lines...)
	}

	if msg := b.message; msg != nil {
		out = append(out, "", s.Label.Render("the email as delivered"))
		for _, l := range wrap(strings.TrimSpace(msg.Subject), width-2) {
			out = append(out, s.Dim.Render("│ ")+s.Bold.Render(l))
		}
		for _, l := range wrap(strings.TrimSpace(msg.Text), width-2) {
			out = append(out, s.Dim.Render("│ ")+l)
		}
	}

	if b.err != nil {
		out = append(out, "")
		row("error", wrap(b.err.Error(), inner)...)
	}
	return out
}

// timeline is the complete run's own timeline once it is known, else the
// moments the board has seen so far, in order.
func (b *incidentBoard) timeline() []steps.TimelineEntry {
	if b.complete != nil && len(b.complete.Timeline) > 0 {
		return b.complete.Timeline
	}
	var out []steps.TimelineEntry
	if b.traffic != nil && !b.traffic.Since.IsZero() {
		out = append(out, steps.TimelineEntry{At: b.traffic.Since, What: "traffic to " + b.traffic.Target + " started"})
	}
	if b.finding != nil {
		out = append(out, steps.TimelineEntry{At: b.finding.FirstSeen, What: "GuardDuty finding"})
	}
	if b.message != nil {
		out = append(out, steps.TimelineEntry{At: b.message.At, What: "email delivered"})
	}
	if b.groups != nil {
		out = append(out, steps.TimelineEntry{At: b.groups.At, What: "instance isolated"})
	}
	slices.SortStableFunc(out, func(a, b steps.TimelineEntry) int { return a.At.Compare(b.At) })
	return out
}

// severityWord is GuardDuty's band for a severity score.
func severityWord(sev float64) string {
	switch {
	case sev >= 7:
		return "high"
	case sev >= 4:
		return "medium"
	}
	return "low"
}

// respondTime says how long the response took; in the sandbox both the
// simulated time and what the learner really waited.
func respondTime(rc *steps.ResponseComplete) string {
	if !rc.Simulated {
		return formatDuration(rc.TimeToRespond)
	}
	return formatDuration(rc.TimeToRespond) + " simulated (" + formatDuration(rc.RealTimeToRespond) + " real)"
}
