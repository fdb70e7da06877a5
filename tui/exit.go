package tui

import (
	"fmt"
	"strings"

	"github.com/gdlab-dev/gdlab/steps"
)

// ExitMessage is what to print after the program has left the alternate
// screen: when lab resources are still up, what is running, what it costs
// per hour and the exact command that removes it. Empty when nothing is up.
func (m Model) ExitMessage() string {
	var up []string
	for i, p := range m.pages {
		// Step 1 writes files only, step 9 watches: neither leaves anything
		// running in the account.
		if p.Step.IsCleanup() || p.Step.Number == 1 || p.Step.Number == steps.LastLabStep {
			continue
		}
		switch m.state[i].state {
		case steps.StateApplied, steps.StateChecked, steps.StateFailed, steps.StateRunning:
			up = append(up, fmt.Sprintf("  %s %d %s: %s", m.stateMarkPlain(i), p.Step.Number, p.Step.Title, p.Step.Summary))
		}
	}
	if len(up) == 0 {
		return ""
	}
	t := m.target
	where := string(t.Kind)
	if t.Kind == steps.TargetAWS {
		where = "AWS account " + t.Account
		if t.Account == "" {
			where = "your AWS account"
		}
	}
	var b strings.Builder
	if m.stopped != "" {
		fmt.Fprintf(&b, "gdlab: %s; terraform stopped cleanly and the next run resumes.\n", m.stopped)
	}
	fmt.Fprintf(&b, "Lab %s is still up in %s (%s):\n", t.LabID, where, t.Region)
	b.WriteString(strings.Join(up, "\n"))
	b.WriteString("\n")
	if t.Kind == steps.TargetSandbox {
		fmt.Fprintf(&b, "It runs in the offline sandbox: it costs nothing, and its state stays in %s.\n", t.Dir)
	} else {
		fmt.Fprintf(&b, "Estimated cost while it runs: $%.2f/h.\n", t.CostPerHour)
	}
	fmt.Fprintf(&b, "Remove everything:  %s\n", destroyCommand(t))
	fmt.Fprintf(&b, "Or carry on later:  %s\n", resumeCommand(t))
	return b.String()
}

func destroyCommand(t steps.Target) string {
	cmd := "gdlab destroy --dir " + shellQuote(dirOrDefault(t.Dir))
	if t.Kind == steps.TargetSandbox {
		cmd += " --sandbox"
	}
	return cmd
}

func resumeCommand(t steps.Target) string {
	cmd := "gdlab --dir " + shellQuote(dirOrDefault(t.Dir))
	if t.Kind == steps.TargetSandbox {
		cmd += " --sandbox"
	}
	return cmd
}

func dirOrDefault(dir string) string {
	if dir == "" {
		return "./gdlab-lab"
	}
	return dir
}

// shellQuote quotes a path for POSIX shells when it needs it, so the
// printed command can be pasted as is.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Interrupted reports whether quitting stopped a terraform run, for the
// caller's exit code (130, as for an interrupted command).
func (m Model) Interrupted() bool { return m.stopped != "" }
