// Package probe observes the lab in an AWS account, read-only apart from two
// deliberate actions (sending a sample finding, deleting tap messages it has
// read): the preflight behind `gdlab doctor`, the checks of every step, the
// live incident watch of step 9, the cleanup audit and the cost estimate.
//
// Everything it needs to know about the lab comes from the terraform root
// outputs (docs/architecture.md), parsed into Outputs. It never imports steps,
// tui or cmd.
package probe
