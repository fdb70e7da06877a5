// Package e2e runs gdlab end to end against its offline sandbox: the gdlab
// binary is built once per test run and driven as a learner would drive it,
// one process per command, in a fresh lab folder, with the real terraform.
// The tests read what gdlab printed (JSON lines) and, independently, the
// world it left in the lab folder.
//
// bench.sh beside the tests measures the sandbox lab's wall time; the tests
// assert behaviour only, never speed.
package e2e
