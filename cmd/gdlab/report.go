package main

import (
	"encoding/json"
	"io"
)

// writeReport prints a command's result as indented JSON or as text, and
// turns a failed result into exit status 1; doctor and verify share it.
func writeReport(out io.Writer, asJSON bool, report any, printText func(io.Writer), ok bool) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		printText(out)
	}
	if !ok {
		return &exitError{code: exitFailed}
	}
	return nil
}
