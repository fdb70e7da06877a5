package tui

import (
	"github.com/gdlab-dev/gdlab/steps"
)

// Messages from Lab calls. Each carries the id of the run it belongs to, so
// a message from a run that was replaced or cancelled is recognised and
// dropped instead of corrupting the current one.

// runEventMsg is terraform progress (plan, apply, destroy) of run.
type runEventMsg struct {
	run   int
	event steps.Event
}

// planDoneMsg ends a plan run.
type planDoneMsg struct {
	run  int
	plan steps.PlanSummary
	err  error
}

// applyDoneMsg ends an apply run; target and states are re-read because
// what is running, and so the cost estimate and the journal, changed.
type applyDoneMsg struct {
	run    int
	checks []steps.CheckResult
	target steps.Target
	states map[int]steps.StepState // the journal after the run
	err    error
}

// verifyDoneMsg ends a verify run.
type verifyDoneMsg struct {
	run    int
	checks []steps.CheckResult
	err    error
}

// destroyDoneMsg ends the cleanup run.
type destroyDoneMsg struct {
	run    int
	audit  steps.AuditResult
	target steps.Target
	err    error
}

// incidentMsg is one observation of the incident watch.
type incidentMsg struct {
	run   int
	event steps.IncidentEvent
}

// watchDoneMsg ends the incident watch.
type watchDoneMsg struct {
	run int
	err error
}

// sampleSentMsg answers the sample-finding request.
type sampleSentMsg struct{ err error }

// subscriptionConfirmedMsg answers the sandbox's email confirmation.
type subscriptionConfirmedMsg struct{ err error }
