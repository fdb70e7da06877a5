package docs

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// fence is one fenced code block of a markdown page.
type fence struct {
	lang string
	body string
	line int // 1-based line of the opening fence
}

// fences returns the fenced code blocks of a page, in order, and the page
// with those blocks blanked out (so links in code are not taken as links).
func fences(t *testing.T, name, text string) ([]fence, string) {
	t.Helper()
	var out []fence
	var prose strings.Builder
	var cur *fence
	var body strings.Builder
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fence{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
			body.Reset()
		case cur != nil && trimmed == "```":
			cur.body = body.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body.WriteString(line + "\n")
		default:
			prose.WriteString(line + "\n")
		}
	}
	if cur != nil {
		t.Errorf("%s:%d: code fence never closed", name, cur.line)
	}
	return out, prose.String()
}

var linkPattern = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)

// links returns the targets of inline markdown links in prose.
func links(prose string) []string {
	var out []string
	for _, m := range linkPattern.FindAllStringSubmatch(prose, -1) {
		out = append(out, m[1])
	}
	return out
}

// pages returns every embedded markdown page by name.
func pages(t *testing.T) map[string]string {
	t.Helper()
	names, err := fs.Glob(Files, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range names {
		text, err := Read(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = text
	}
	if len(out) == 0 {
		t.Fatal("no markdown embedded")
	}
	return out
}

func TestFencesAndLinksParse(t *testing.T) {
	page := "see [a](a.md) and [web](https://x.test)\n" +
		"```sh\naws sts get-caller-identity # [no](link.md)\n```\n" +
		"```hcl\nx = 1\n```\n"
	fs, prose := fences(t, "sample", page)
	if len(fs) != 2 || fs[0].lang != "sh" || fs[1].lang != "hcl" {
		t.Fatalf("fences = %+v", fs)
	}
	if fs[1].body != "x = 1\n" || fs[1].line != 5 {
		t.Errorf("hcl fence = %+v", fs[1])
	}
	got := links(prose)
	if len(got) != 2 || got[0] != "a.md" || got[1] != "https://x.test" {
		t.Errorf("links = %v, want links outside code only", got)
	}
}
