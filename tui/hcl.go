package tui

import "github.com/gdlab-dev/gdlab/steps"

// stepHCL returns the HCL step s adds to the lab folder.
func stepHCL(s steps.Step) string {
	return ""
}
