package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Text helpers. Widths are terminal cells (ansi.StringWidth), the same
// measure lipgloss uses, so columns line up with styled text too.

// cellWidth is the cell width of s, ignoring escape sequences.
func cellWidth(s string) int { return ansi.StringWidth(s) }

// truncate cuts s to w cells with an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// truncateStart keeps the end of s, where a resource address carries its
// type and name, and marks the cut with an ellipsis.
func truncateStart(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if over := cellWidth(s) - w; over > 0 {
		return "…" + ansi.TruncateLeft(s, over+1, "")
	}
	return s
}

// wrap breaks plain text into lines of at most w cells, at spaces when it
// can and hard otherwise; existing newlines are kept.
func wrap(s string, w int) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	if w < 1 {
		w = 1
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapWords(line, w)...)
	}
	return out
}

// wrapWords fills lines word by word, breaking only at spaces, so ids such
// as sg-0abc… and the CLI commands stay whole and can be copied; only a
// word wider than the line is cut.
func wrapWords(line string, w int) []string {
	var out []string
	cur, curW := "", 0
	for _, word := range strings.Split(line, " ") {
		ww := ansi.StringWidth(word)
		switch {
		case curW == 0 && ww <= w:
			cur, curW = word, ww
		case curW > 0 && curW+1+ww <= w:
			cur, curW = cur+" "+word, curW+1+ww
		default:
			if curW > 0 || cur != "" {
				out = append(out, cur)
			}
			if ww > w {
				parts := strings.Split(ansi.Hardwrap(word, w, false), "\n")
				out = append(out, parts[:len(parts)-1]...)
				word = parts[len(parts)-1]
				ww = ansi.StringWidth(word)
			}
			cur, curW = word, ww
		}
	}
	return append(out, cur)
}

// pad fills s with spaces to exactly w cells, truncating if it is longer.
func pad(s string, w int) string {
	if cw := cellWidth(s); cw < w {
		return s + strings.Repeat(" ", w-cw)
	} else if cw > w {
		return truncate(s, w)
	}
	return s
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func restLines(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}

// trimTrailingSpace strips the padding glamour puts on every line, so panes
// can be truncated and compared cleanly.
func trimTrailingSpace(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

func itoa(n int) string { return strconv.Itoa(n) }
