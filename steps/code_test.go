package steps

import (
	"slices"
	"strings"
	"testing"
)

func TestCode(t *testing.T) {
	tests := []struct {
		number    int
		wantFirst string   // root files, in order
		wantPaths []string // must all be present
		empty     bool
	}{
		{number: 1, wantFirst: "main.tf", wantPaths: []string{"main.tf"}},
		{number: 2, wantFirst: "step2_network.tf", wantPaths: []string{
			"step2_network.tf", "modules/vpc/main.tf", "modules/compute/main.tf",
			"modules/compute/templates/compromised_user_data.sh.tftpl"}},
		{number: 4, wantFirst: "step4_guardduty.tf", wantPaths: []string{
			"step4_guardduty.tf", "modules/guardduty/main.tf", "modules/guardduty/variables.tf"}},
		{number: 7, wantFirst: "step7_lambda.tf", wantPaths: []string{
			"step7_lambda.tf", "modules/lambda/main.tf"}},
		{number: 8, empty: true},
		{number: 9, empty: true},
		{number: CleanupNumber, empty: true},
	}
	for _, tt := range tests {
		s, _ := ByNumber(tt.number)
		files, err := s.Code()
		if err != nil {
			t.Fatalf("step %d: %v", tt.number, err)
		}
		if tt.empty {
			if len(files) != 0 {
				t.Errorf("step %d: Code() = %d files, want none", tt.number, len(files))
			}
			continue
		}
		var paths []string
		for _, f := range files {
			paths = append(paths, f.Path)
			if strings.TrimSpace(f.Text) == "" {
				t.Errorf("step %d: %s is empty", tt.number, f.Path)
			}
		}
		if paths[0] != tt.wantFirst {
			t.Errorf("step %d: first file %s, want %s", tt.number, paths[0], tt.wantFirst)
		}
		for _, p := range tt.wantPaths {
			if !slices.Contains(paths, p) {
				t.Errorf("step %d: Code() lacks %s (has %v)", tt.number, p, paths)
			}
		}
		for _, p := range paths {
			if strings.Contains(p, "/.") || strings.HasPrefix(p, ".") {
				t.Errorf("step %d: hidden file %s in the lesson", tt.number, p)
			}
			if strings.HasPrefix(p, "modules/") && !slices.ContainsFunc(s.Modules, func(m string) bool {
				return strings.HasPrefix(p, "modules/"+m+"/")
			}) {
				t.Errorf("step %d: %s belongs to a module the step does not add", tt.number, p)
			}
		}
	}
}

// Each module's files appear in exactly one step's code: together the
// steps show the whole lab once.
func TestCodeCoversTheLabOnce(t *testing.T) {
	seen := map[string]int{}
	for _, s := range All() {
		files, err := s.Code()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			seen[f.Path]++
		}
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s shown by %d steps", p, n)
		}
	}
	for _, p := range FragmentsUpTo(CleanupNumber) {
		if seen[p] != 1 {
			t.Errorf("root fragment %s not shown by any step", p)
		}
	}
}

func TestHCLJoinsCodeUnderHeaders(t *testing.T) {
	s, _ := ByNumber(3)
	text, err := s.HCL()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := s.Code()
	last := -1
	for _, f := range files {
		header := "# ── " + f.Path + " ──\n"
		i := strings.Index(text, header)
		if i < 0 || !strings.Contains(text[i:], f.Text) {
			t.Errorf("HCL() lacks %s or its text", f.Path)
		}
		if i <= last {
			t.Errorf("HCL() has %s out of order", f.Path)
		}
		last = i
	}
	if !strings.Contains(text, `module "s3"`) || !strings.Contains(text, `resource "aws_flow_log"`) {
		t.Error("step 3 HCL lacks its module block or flow log")
	}
	empty, err := Cleanup().HCL()
	if err != nil || empty != "" {
		t.Errorf("cleanup HCL() = %q, %v; want empty", empty, err)
	}
}

func TestDocTextOfAMissingPageFails(t *testing.T) {
	s := Step{Number: 42, Doc: "no-such-page.md"}
	if _, err := s.DocText(); err == nil {
		t.Error("DocText of a missing page succeeded")
	}
	s.Fragments = []string{"no_such_fragment.tf"}
	if _, err := s.Code(); err == nil {
		t.Error("Code with a missing fragment succeeded")
	}
	s.Fragments, s.Modules = nil, []string{"no-such-module"}
	if _, err := s.Code(); err == nil {
		t.Error("Code with a missing module succeeded")
	}
}
