// Package tui is gdlab's terminal interface: a bubbletea program that walks
// the learner through the nine steps of the GuardDuty incident-response lab,
// applies each step with a visible plan and progress, shows its checks,
// watches the incident on a live board and cleans everything up.
//
// The package talks to the lab only through steps.Lab. Every Lab call runs in
// a tea.Cmd; progress reaches Update through a channel that a re-armed "wait
// for the next event" command drains, so Update never blocks and View only
// composes what Update prepared.
//
// Starting it (the alternate screen keeps the learner's scrollback clean;
// ExitMessage is printed after it is left):
//
//	opts := tui.OptionsFromEnv() // NO_COLOR
//	opts.LightBackground = !lipgloss.HasDarkBackground() // ask before the program owns the terminal
//	m := tui.New(lab, opts)
//	final, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
//	if err != nil {
//		return err
//	}
//	if msg := final.(tui.Model).ExitMessage(); msg != "" {
//		fmt.Fprint(os.Stdout, msg)
//	}
//
// Quitting during a terraform run asks first, interrupts terraform through
// the run's context and ends the program only when the Lab call returned;
// Model.Interrupted tells the caller to exit with 130.
package tui
