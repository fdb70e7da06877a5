package steps

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gdlab-dev/gdlab/terraform/lab"
)

// Every step page has these sections, in this order. Pages of steps that
// add or explain HCL also have "## The code" after "## Why it matters".
var (
	labSections     = []string{"## What it builds", "## Why it matters", "## Check it by hand", "## What goes wrong", "## Changes from the tutorial"}
	cleanupSections = []string{"## What it removes", "## Why it matters", "## Check it by hand", "## What goes wrong", "## Changes from the tutorial"}
)

// hasCodeSection: steps 1..7 add code, step 8 explains the line that keeps
// its plan empty; step 9 and cleanup add none.
func hasCodeSection(s Step) bool { return s.Number <= 8 }

type pageFence struct {
	lang string
	body []string
	line int
}

// pageFences splits a page into its fenced code blocks and its prose.
func pageFences(text string) ([]pageFence, string) {
	var out []pageFence
	var prose strings.Builder
	var cur *pageFence
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &pageFence{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body = append(cur.body, line)
		default:
			prose.WriteString(line + "\n")
		}
	}
	return out, prose.String()
}

// sections returns the level-2 headings of a page's prose and the text
// under each.
func sections(prose string) ([]string, map[string]string) {
	var order []string
	body := map[string]string{}
	current := ""
	for _, line := range strings.Split(prose, "\n") {
		if strings.HasPrefix(line, "## ") {
			current = strings.TrimSpace(line)
			order = append(order, current)
			continue
		}
		if current != "" {
			body[current] += line + "\n"
		}
	}
	return order, body
}

func docText(t *testing.T, s Step) string {
	t.Helper()
	text, err := s.DocText()
	if err != nil {
		t.Fatalf("step %d: %v", s.Number, err)
	}
	return text
}

func TestEveryStepHasItsPage(t *testing.T) {
	for _, s := range All() {
		text := docText(t, s)
		title := fmt.Sprintf("# Step %d · %s\n", s.Number, s.Title)
		want := labSections
		if s.IsCleanup() {
			title, want = "# Cleanup\n", cleanupSections
		}
		if hasCodeSection(s) {
			want = slices.Insert(slices.Clone(want), 2, "## The code")
		}
		if !strings.HasPrefix(text, title) {
			t.Errorf("%s: does not start with %q", s.Doc, title)
		}
		_, prose := pageFences(text)
		order, body := sections(prose)
		if !slices.Equal(order, want) {
			t.Errorf("%s: sections %q, want %q", s.Doc, order, want)
		}
		for _, h := range order {
			if words := len(strings.Fields(body[h])); words < 25 {
				t.Errorf("%s: %q has only %d words", s.Doc, h, words)
			}
		}
	}
}

// Pages name the modules their step adds, the way the lab does.
func TestPagesNameTheirModules(t *testing.T) {
	for _, s := range All() {
		text := docText(t, s)
		for _, m := range s.Modules {
			if !strings.Contains(text, fmt.Sprintf("Module `%s`", m)) {
				t.Errorf("%s: never introduces module `%s`", s.Doc, m)
			}
		}
	}
}

// Each page ends by pointing at the next one, so the docs read in order
// on GitHub too.
func TestPagesLinkTheNextStep(t *testing.T) {
	all := All()
	for i, s := range all {
		next := "README.md"
		if i+1 < len(all) {
			next = all[i+1].Doc
		}
		if !strings.Contains(docText(t, s), "]("+next+")") {
			t.Errorf("%s: no link to %s", s.Doc, next)
		}
	}
}

// Pages of steps that add code show some of it; every HCL (or unit file)
// excerpt must be a faithful quote: its lines, in order, appear in one
// file of the lab, with "# ..." or "..." standing for skipped lines.
func TestExcerptsQuoteTheLab(t *testing.T) {
	files := labFiles(t)
	for _, s := range All() {
		fences, _ := pageFences(docText(t, s))
		quoted := 0
		for _, f := range fences {
			if f.lang != "hcl" && f.lang != "ini" {
				continue
			}
			quoted++
			if !quotedInAny(f.body, files) {
				t.Errorf("%s:%d: %s excerpt is not a quote of any file in terraform/lab",
					s.Doc, f.line, f.lang)
			}
		}
		if hasCodeSection(s) && quoted == 0 {
			t.Errorf("%s: has a code section but no HCL excerpt", s.Doc)
		}
	}
}

func TestQuotedInAny(t *testing.T) {
	files := map[string][]string{"a.tf": {"resource \"x\" \"y\" {", "  a = 1", "  b = 2", "}"}}
	tests := []struct {
		excerpt []string
		ok      bool
	}{
		{[]string{"resource \"x\" \"y\" {", "  # ...", "b = 2", "}"}, true},
		{[]string{"a = 1", "", "b = 2"}, true},
		{[]string{"b = 2", "a = 1"}, false}, // order matters
		{[]string{"a = 3"}, false},
		{[]string{"# ..."}, false}, // nothing quoted
	}
	for _, tt := range tests {
		if got := quotedInAny(tt.excerpt, files); got != tt.ok {
			t.Errorf("quotedInAny(%q) = %v, want %v", tt.excerpt, got, tt.ok)
		}
	}
}

// quotedInAny reports whether the excerpt's lines, trimmed and without
// blanks and elision marks, form a subsequence of one file's lines.
func quotedInAny(excerpt []string, files map[string][]string) bool {
	var want []string
	for _, l := range excerpt {
		l = strings.TrimSpace(l)
		if l != "" && l != "# ..." && l != "..." {
			want = append(want, l)
		}
	}
	if len(want) == 0 {
		return false
	}
	for _, lines := range files {
		i := 0
		for _, l := range lines {
			if i < len(want) && strings.TrimSpace(l) == want[i] {
				i++
			}
		}
		if i == len(want) {
			return true
		}
	}
	return false
}

// labFiles reads every file of the embedded lab as lines.
func labFiles(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := fs.WalkDir(lab.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(lab.Files, p)
		out[p] = strings.Split(string(b), "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var outputRef = regexp.MustCompile(`terraform\s+output\s+-raw\s+([a-z0-9_]+)`)

// A hand check of step n may only read outputs that the root of step n
// has: what a learner runs after that step must work then.
func TestPagesReadOnlyExistingOutputs(t *testing.T) {
	for _, s := range All() {
		outputs := parseRoots(t, FragmentsUpTo(s.Number)).outputs
		text := strings.ReplaceAll(docText(t, s), "\\\n", " ")
		for _, m := range outputRef.FindAllStringSubmatch(text, -1) {
			if !slices.Contains(outputs, m[1]) {
				t.Errorf("%s: reads output %q, not in the root of step %d", s.Doc, m[1], s.Number)
			}
		}
	}
}

// "Check it by hand" always offers the AWS CLI, not only the console.
func TestPagesShowAnAWSCommand(t *testing.T) {
	for _, s := range All() {
		fences, _ := pageFences(docText(t, s))
		found := false
		for _, f := range fences {
			if f.lang == "sh" && len(f.body) > 0 && strings.HasPrefix(f.body[0], "aws ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no AWS CLI command", s.Doc)
		}
	}
}
