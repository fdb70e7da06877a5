package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
)

// lineStyles colour the human output; on a pipe or with NO_COLOR they
// render plain text.
type lineStyles struct {
	heading, ok, bad, pending, faint lipgloss.Style
}

func newLineStyles(w io.Writer) lineStyles {
	r := lipgloss.NewRenderer(w)
	if !colorWanted(w) {
		r.SetColorProfile(termenv.Ascii)
	}
	return lineStyles{
		heading: r.NewStyle().Bold(true),
		ok:      r.NewStyle().Foreground(lipgloss.Color("2")),
		bad:     r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		pending: r.NewStyle().Foreground(lipgloss.Color("3")),
		faint:   r.NewStyle().Faint(true),
	}
}

// humanLines prints each event of an unattended run (and destroy's
// progress) as one or a few readable lines.
type humanLines struct {
	w io.Writer
	s lineStyles
}

func newHumanLines(w io.Writer) *humanLines { return &humanLines{w: w, s: newLineStyles(w)} }

func (h *humanLines) printf(format string, args ...any) { fmt.Fprintf(h.w, format+"\n", args...) }

// emit prints one event; steps.RunAuto never calls it concurrently.
func (h *humanLines) emit(e steps.AutoEvent) {
	switch e := e.(type) {
	case steps.RunStarted:
		t := e.Target
		where := string(t.Kind)
		if t.Account != "" {
			where += " · account " + t.Account
		}
		h.printf("%s", h.s.heading.Render(fmt.Sprintf("gdlab run · lab %s · %s · %s · steps 1 to %d",
			t.LabID, where, t.Region, e.Until)))
		if e.From > 1 {
			h.printf("  %s", h.s.faint.Render(fmt.Sprintf("resuming: steps before %d were applied earlier and are checked again", e.From)))
		}
	case steps.StepStarted:
		note := ""
		if e.Resumed {
			note = h.s.faint.Render(" (applied earlier: checking it again)")
		}
		h.printf("\n%s%s", h.s.heading.Render(fmt.Sprintf("Step %d · %s", e.Step, e.Title)), note)
	case steps.StepProgress:
		h.progress(e.Event)
	case steps.PlanReady:
		p := e.Plan
		if p.Add+p.Change+p.Destroy == 0 {
			h.printf("  plan: no changes")
			break
		}
		h.printf("  plan: %d to add, %d to change, %d to destroy", p.Add, p.Change, p.Destroy)
	case steps.SubscriptionConfirmed:
		h.printf("  %s email subscription %s", h.s.ok.Render("✓"), steps.SubscriptionConfirmedText)
	case steps.CheckReported:
		h.check(e.Check)
	case steps.StepFinished:
		h.stepFinished(e)
	case steps.IncidentProgress:
		h.incident(e.Event)
	case steps.RunFinished:
		h.finished(e.Result)
	}
}

// progress prints terraform's events of a plan, apply or destroy.
func (h *humanLines) progress(e steps.Event) {
	switch e := e.(type) {
	case steps.Phase:
		h.printf("  %s", h.s.faint.Render("· "+e.Text))
	case steps.ResourceStarted:
		h.printf("  %s %s", h.s.faint.Render("→ "+e.Action), e.Address)
	case steps.ResourceProgress:
		h.printf("  %s", h.s.faint.Render(fmt.Sprintf("… %s still working (%s)", e.Address, e.Elapsed.Round(time.Second))))
	case steps.ResourceDone:
		h.printf("  %s %s %s", h.s.ok.Render("✓"), e.Address, h.s.faint.Render(fmt.Sprintf("%s in %s", pastTense(e.Action), e.Elapsed.Round(time.Second))))
	case steps.ResourceFailed:
		h.printf("  %s %s: %s", h.s.bad.Render("✗"), e.Address, e.Message)
	case steps.Diagnostic:
		label := h.s.pending.Render("warning:")
		if e.Severity == "error" {
			label = h.s.bad.Render("error:")
		}
		h.printf("  %s %s", label, e.Summary)
		if e.Detail != "" {
			h.printf("    %s", oneLine(e.Detail))
		}
		if e.Hint != "" {
			h.printf("    hint: %s", e.Hint)
		}
	}
}

func (h *humanLines) check(c steps.CheckResult) {
	h.printf("  %s %s%s", h.mark(c.Status), c.Title, detailSuffix(c.Detail))
	if c.Status != steps.CheckPass && c.Hint != "" {
		h.printf("    hint: %s", c.Hint)
	}
	if c.Status == steps.CheckFail && c.Command != "" {
		h.printf("    check by hand: %s", c.Command)
	}
}

func (h *humanLines) mark(s steps.CheckStatus) string {
	sym := probe.Status(s).Symbol()
	switch s {
	case steps.CheckPass:
		return h.s.ok.Render(sym)
	case steps.CheckFail:
		return h.s.bad.Render(sym)
	case steps.CheckPending, steps.CheckWarn:
		return h.s.pending.Render(sym)
	}
	return h.s.faint.Render(sym)
}

func (h *humanLines) stepFinished(e steps.StepFinished) {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{e.Passed, "passed"}, {e.Pending, "pending"}, {e.Warned, "warned"}, {e.Failed, "failed"}, {e.Skipped, "skipped"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	counts := ""
	if len(parts) > 0 {
		counts = ": " + strings.Join(parts, ", ")
	}
	h.printf("  %s", h.s.faint.Render(fmt.Sprintf("step %d %s%s", e.Step, e.State, counts)))
}

func (h *humanLines) incident(e steps.IncidentEvent) {
	switch e := e.(type) {
	case steps.TrafficExpected:
		h.printf("  traffic to the malicious address expected from %s", clock(e.Since))
	case steps.WaitingETA:
		h.printf("  %s", h.s.faint.Render(fmt.Sprintf("waiting for %s, expected in about %s", e.Waiting, e.ETA.Round(time.Second))))
	case steps.FindingSeen:
		sample := ""
		if e.Sample {
			sample = " (sample)"
		}
		h.printf("  %s finding %s%s, severity %.1f, first seen %s", h.s.pending.Render("!"), e.Type, sample, e.Severity, clock(e.FirstSeen))
	case steps.SubscriptionChanged:
		h.printf("  email subscription: %s", e.State)
	case steps.MessageDelivered:
		h.printf("  email delivered at %s: %s", clock(e.At), e.Headline())
	case steps.GroupsChanged:
		h.printf("  %s instance security groups %s → %s", h.s.ok.Render("✓"), strings.Join(e.Before, ","), strings.Join(e.After, ","))
	case steps.LambdaLog:
		h.printf("  %s", h.s.faint.Render("lambda: "+strings.TrimSpace(e.Line)))
	case steps.WatchProblem:
		h.printf("  %s %s: %s (the watch goes on)", h.s.pending.Render("!"), e.What, e.Detail)
	case steps.ResponseComplete:
		if e.Simulated {
			h.printf("  %s response complete: isolated %s (simulated; %s real) after the finding", h.s.ok.Render("✓"),
				e.TimeToRespond.Round(time.Second), e.RealTimeToRespond.Round(time.Millisecond))
		} else {
			h.printf("  %s response complete: isolated %s after the finding", h.s.ok.Render("✓"), e.TimeToRespond.Round(time.Second))
		}
		for _, t := range e.Timeline {
			h.printf("    %s  %s", clock(t.At), t.What)
		}
	}
}

func (h *humanLines) finished(r steps.AutoResult) {
	took := r.Elapsed.Round(time.Second)
	switch r.Outcome {
	case steps.OutcomeComplete:
		h.printf("\n%s", h.s.ok.Render(fmt.Sprintf("Done: every step through %d passed (%s).", r.Step, took)))
		return
	case steps.OutcomeInterrupted:
		h.printf("\n%s", h.s.pending.Render(fmt.Sprintf("Stopped at step %d: %s.", r.Step, r.Reason)))
		return
	}
	if r.Step == 0 {
		h.printf("%s", h.s.bad.Render("Did not start: "+r.Reason))
		return
	}
	h.printf("\n%s", h.s.bad.Render(fmt.Sprintf("Stopped at step %d (%s): %s", r.Step, strings.ReplaceAll(string(r.Outcome), "_", " "), r.Reason)))
	if r.Hint != "" {
		h.printf("  hint: %s", r.Hint)
	}
	if r.Command != "" {
		h.printf("  check by hand: %s", r.Command)
	}
}

func detailSuffix(detail string) string {
	if detail == "" {
		return ""
	}
	return " — " + oneLine(detail)
}

// oneLine keeps multi-line terraform details on one output line each event.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "(unknown)"
	}
	return t.Local().Format("15:04:05")
}

func pastTense(action string) string {
	switch action {
	case "create":
		return "created"
	case "update":
		return "updated"
	case "delete":
		return "deleted"
	case "replace":
		return "replaced"
	case "read":
		return "read"
	}
	return action
}
