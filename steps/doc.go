// Package steps describes the lab as data: the nine steps of the GuardDuty
// incident-response tutorial plus cleanup, the root fragments and modules
// each one adds, the variables its root declares, and its page in docs.
//
// Nothing here runs terraform or talks to AWS; orchestration builds on it.
package steps
