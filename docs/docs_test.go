package docs

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/x/ansi"
)

func TestRead(t *testing.T) {
	text, err := Read("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "# ") {
		t.Errorf("README.md starts with %q, want a title", text[:min(len(text), 20)])
	}
	if _, err := Read("no-such-page.md"); err == nil {
		t.Error("Read of a missing page succeeded")
	}
}

// Relative links must resolve: inside this folder against the embedded
// files, outside it (../) against the repository on disk.
func TestLocalLinksResolve(t *testing.T) {
	for name, text := range pages(t) {
		_, prose := fences(t, name, text)
		for _, target := range links(prose) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") ||
				strings.HasPrefix(target, "#") {
				continue
			}
			file, _, _ := strings.Cut(target, "#")
			clean := path.Clean(file)
			if strings.HasPrefix(clean, "../") {
				if _, err := os.Stat(filepath.FromSlash(clean)); err != nil {
					t.Errorf("%s: link %q: %v", name, target, err)
				}
				continue
			}
			if _, err := Files.Open(clean); err != nil {
				t.Errorf("%s: link %q points at no page in docs/", name, target)
			}
		}
	}
}

// Every page reached from the index, so nothing is orphaned.
func TestIndexLinksEveryPage(t *testing.T) {
	all := pages(t)
	_, prose := fences(t, "README.md", all["README.md"])
	linked := map[string]bool{}
	for _, target := range links(prose) {
		linked[target] = true
	}
	for name := range all {
		if name != "README.md" && !linked[name] {
			t.Errorf("README.md does not link %s", name)
		}
	}
}

// Code fences carry a language so glamour and GitHub highlight them.
func TestCodeFencesHaveLanguage(t *testing.T) {
	known := map[string]bool{"sh": true, "hcl": true, "ini": true, "json": true, "text": true, "go": true}
	for name, text := range pages(t) {
		fs, _ := fences(t, name, text)
		for _, f := range fs {
			if name == "architecture.md" && f.lang == "" {
				continue // the lead's page draws diagrams in untagged fences
			}
			if !known[f.lang] {
				t.Errorf("%s:%d: fence language %q, want one of sh, hcl, ini, json, text, go",
					name, f.line, f.lang)
			}
		}
	}
}

// The TUI shows the pages in an 80-column terminal: rendered, no line may
// be wider than that (tables are what this catches; glamour wraps prose).
func TestRenderedPagesFitEightyColumns(t *testing.T) {
	const width = 80
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"),
		glamour.WithWordWrap(width-4))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range pages(t) {
		if name == "architecture.md" {
			continue // written for GitHub, not shown in the TUI
		}
		out, err := r.Render(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("%s: rendered line %d is %d columns: %q", name, i+1, w,
					strings.TrimSpace(line))
			}
		}
	}
}

// Source lines stay short too, so the files read well in an editor or a
// pager, and prose wraps the same on GitHub.
func TestSourceLinesFitEightyColumns(t *testing.T) {
	for name, text := range pages(t) {
		if name == "architecture.md" {
			continue
		}
		for i, line := range strings.Split(text, "\n") {
			if utf8.RuneCountInString(line) > 80 && !strings.HasPrefix(line, "|") {
				t.Errorf("%s:%d is %d characters", name, i+1, utf8.RuneCountInString(line))
			}
		}
	}
}

// glamour indents code by four columns and wraps it, mid-command, at the
// word-wrap width; a wrapped command no longer copies and pastes. At 76
// columns of wrap, code lines may be 72 long.
func TestCodeLinesRenderUnwrapped(t *testing.T) {
	const limit = 72
	for name, text := range pages(t) {
		if name == "architecture.md" {
			continue
		}
		fs, _ := fences(t, name, text)
		for _, f := range fs {
			for i, line := range strings.Split(f.body, "\n") {
				if n := utf8.RuneCountInString(line); n > limit {
					t.Errorf("%s:%d: code line is %d characters, limit %d",
						name, f.line+1+i, n, limit)
				}
			}
		}
	}
}
