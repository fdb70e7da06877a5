// Package docs embeds gdlab's markdown: one page per lab step, the cleanup
// page, an index and the architecture notes. The TUI renders them; GitHub
// shows the same files.
package docs

import (
	"embed"
	"fmt"
)

// Files holds every markdown file of this folder, by base name.
//
//go:embed *.md
var Files embed.FS

// Read returns the text of one embedded page, e.g. "step4-guardduty.md".
func Read(name string) (string, error) {
	b, err := Files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("docs: %w", err)
	}
	return string(b), nil
}
