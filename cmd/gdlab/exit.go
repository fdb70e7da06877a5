package main

import (
	"fmt"

	"github.com/gdlab-dev/gdlab/steps"
)

// exitError carries the process exit code a command wants; main prints msg
// (when set) and exits with code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Exit codes shared by every command.
const (
	exitFailed      = 1   // a check failed, not ready, timeout
	exitUsage       = 2   // bad flags or a command that is not built yet
	exitInterrupted = 130 // interrupted; terraform was stopped gracefully
)

// notBuilt is what a command that does not exist yet returns: it says so
// and exits 2 instead of pretending to work.
func notBuilt(command string) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf("%q is not built yet in this version of gdlab", command)}
}

// exitCodeFor maps how an unattended run ended to the process exit code.
func exitCodeFor(o steps.AutoOutcome) int {
	switch o {
	case steps.OutcomeComplete:
		return 0
	case steps.OutcomeInterrupted:
		return exitInterrupted
	}
	return exitFailed
}

// usageError is a bad flag or a command used where it cannot work.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}
