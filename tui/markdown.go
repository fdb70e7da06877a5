package tui

import (
	"strings"
	"unicode"
)

// unwrapSoftBreaks joins the source lines of each paragraph and list item
// into one line. The docs are wrapped at 72 columns to read well on GitHub;
// glamour keeps those soft breaks inside list items and then wraps again at
// the pane's width, which leaves ragged half-empty lines.
func unwrapSoftBreaks(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	inFence := false
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			out = append(out, line)
			continue
		}
		if !inFence && len(out) > 0 && continuesPrevious(out[len(out)-1], trimmed) {
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " ") + " " + trimmed
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// continuesPrevious reports whether a line is a soft-wrapped continuation of
// prev rather than the start of a new block.
func continuesPrevious(prev, trimmed string) bool {
	p := strings.TrimSpace(prev)
	if p == "" || trimmed == "" || strings.HasSuffix(prev, "  ") {
		return false // blank lines separate blocks; two spaces are a hard break
	}
	for _, block := range []string{"#", "```", "|", ">"} {
		if strings.HasPrefix(p, block) && block != ">" || strings.HasPrefix(trimmed, block) {
			return false
		}
	}
	return !startsListItem(trimmed)
}

// startsListItem: "- x", "* x", "+ x" or "12. x".
func startsListItem(s string) bool {
	if len(s) >= 2 && strings.ContainsRune("-*+", rune(s[0])) && s[1] == ' ' {
		return true
	}
	i := 0
	for i < len(s) && unicode.IsDigit(rune(s[i])) {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}
