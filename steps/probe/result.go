package probe

// Status is the verdict of one check.
type Status string

const (
	// StatusPass: the account shows what the step should have built.
	StatusPass Status = "pass"
	// StatusFail: something is missing or wrong; Hint says how to fix it.
	StatusFail Status = "fail"
	// StatusPending: correct so far but waiting on something outside gdlab
	// (an email confirmation, an instance still starting, a list activating).
	StatusPending Status = "pending"
	// StatusWarn: works, but not as the lab intends (e.g. a reused detector
	// publishing every six hours).
	StatusWarn Status = "warn"
	// StatusSkipped: could not be checked, usually because the step's
	// terraform outputs are not there yet or an earlier check failed.
	StatusSkipped Status = "skipped"
)

// Symbol is the one-character mark the text views print for s.
func (s Status) Symbol() string {
	switch s {
	case StatusPass:
		return "✓"
	case StatusFail:
		return "✗"
	case StatusPending:
		return "…"
	case StatusWarn:
		return "!"
	default:
		return "-"
	}
}

// Result is what one check found.
type Result struct {
	Status Status `json:"status"`
	// Detail is one line on what was seen.
	Detail string `json:"detail"`
	// Hint says what to do when the status is not pass; empty otherwise.
	Hint string `json:"hint,omitempty"`
	// Command is the AWS CLI command that shows the same thing by hand.
	Command string `json:"command,omitempty"`
}

// CheckResult is a Result with the identity of the check that produced it.
type CheckResult struct {
	ID    string `json:"id"`
	Step  int    `json:"step"`
	Title string `json:"title"`
	Result
}

// OK reports whether the result lets the lab go on (pass or warn).
func (r Result) OK() bool { return r.Status == StatusPass || r.Status == StatusWarn }

func pass(detail, command string) Result {
	return Result{Status: StatusPass, Detail: detail, Command: command}
}

func fail(detail, hint, command string) Result {
	return Result{Status: StatusFail, Detail: detail, Hint: hint, Command: command}
}

func pending(detail, hint, command string) Result {
	return Result{Status: StatusPending, Detail: detail, Hint: hint, Command: command}
}

func warn(detail, hint, command string) Result {
	return Result{Status: StatusWarn, Detail: detail, Hint: hint, Command: command}
}

func skipped(detail, hint string) Result {
	return Result{Status: StatusSkipped, Detail: detail, Hint: hint}
}

// AllOK reports whether every result is pass or warn.
func AllOK(results []CheckResult) bool {
	for _, r := range results {
		if !r.OK() {
			return false
		}
	}
	return true
}
