package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether f is an interactive terminal. Anything that is
// not an *os.File (a test buffer, a pipe wrapper) is not.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// colorWanted reports whether lines written to w may carry colour: only on
// a terminal, and never when NO_COLOR is set (https://no-color.org).
func colorWanted(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}
