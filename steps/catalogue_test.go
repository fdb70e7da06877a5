package steps

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAllIsTheNineStepsThenCleanup(t *testing.T) {
	want := []struct {
		number int
		kind   Kind
		slug   string
		title  string
		doc    string
	}{
		{1, LabStep, "initial-configuration", "Initial configuration", "step1-initial-configuration.md"},
		{2, LabStep, "terraform-init", "Terraform init", "step2-terraform-init.md"},
		{3, LabStep, "s3", "S3 buckets", "step3-s3.md"},
		{4, LabStep, "guardduty", "GuardDuty", "step4-guardduty.md"},
		{5, LabStep, "sns", "SNS", "step5-sns.md"},
		{6, LabStep, "eventbridge", "EventBridge", "step6-eventbridge.md"},
		{7, LabStep, "lambda", "Lambda", "step7-lambda.md"},
		{8, LabStep, "apply-all", "Apply all", "step8-apply-all.md"},
		{9, LabStep, "verify-the-response", "Verify the response", "step9-verify-the-response.md"},
		{CleanupNumber, CleanupStep, "cleanup", "Cleanup", "cleanup.md"},
	}
	all := All()
	if len(all) != len(want) {
		t.Fatalf("All() has %d entries, want %d", len(all), len(want))
	}
	for i, w := range want {
		s := all[i]
		if s.Number != w.number || s.Kind != w.kind || s.Slug != w.slug ||
			s.Title != w.title || s.Doc != w.doc {
			t.Errorf("All()[%d] = {%d %v %q %q %q}, want %+v",
				i, s.Number, s.Kind, s.Slug, s.Title, s.Doc, w)
		}
		if s.IsCleanup() != (w.kind == CleanupStep) {
			t.Errorf("step %d: IsCleanup() = %v", s.Number, s.IsCleanup())
		}
	}
}

func TestStepTextFitsTheScreen(t *testing.T) {
	for _, s := range All() {
		// The step list is sized for the tutorial's longest name,
		// "Initial configuration" (21 columns, after a marker and number).
		if n := utf8.RuneCountInString(s.Title); n == 0 || n > 21 {
			t.Errorf("step %d: title %q is %d columns", s.Number, s.Title, n)
		}
		if s.Summary == "" || strings.Contains(s.Summary, "\n") ||
			utf8.RuneCountInString(s.Summary) > 76 {
			t.Errorf("step %d: summary %q is not one short line", s.Number, s.Summary)
		}
	}
}

// Only steps 2..7 add Terraform; 1 writes main.tf, 8, 9 and cleanup none.
func TestWhichStepsAddCode(t *testing.T) {
	for _, s := range All() {
		adds := s.Number >= 2 && s.Number <= 7
		if (len(s.Fragments) > 0) != adds || (len(s.Modules) > 0) != adds {
			t.Errorf("step %d: fragments %v, modules %v", s.Number, s.Fragments, s.Modules)
		}
	}
}

func TestByNumber(t *testing.T) {
	for _, n := range []int{1, 2, 5, 9, CleanupNumber} {
		s, ok := ByNumber(n)
		if !ok || s.Number != n {
			t.Errorf("ByNumber(%d) = %d, %v", n, s.Number, ok)
		}
	}
	for _, n := range []int{-1, 0, 11} {
		if _, ok := ByNumber(n); ok {
			t.Errorf("ByNumber(%d) found a step", n)
		}
	}
	if c := Cleanup(); !c.IsCleanup() || c.Number != CleanupNumber || c.Kind.String() != "cleanup" {
		t.Errorf("Cleanup() = %+v", c)
	}
}

func TestCallersCannotEditTheCatalogue(t *testing.T) {
	s, _ := ByNumber(2)
	s.Fragments[0] = "changed.tf"
	all := All()
	all[3].Modules[0] = "changed"
	all[0].Title = "changed"
	if again, _ := ByNumber(2); again.Fragments[0] != "step2_network.tf" {
		t.Errorf("ByNumber result shares the catalogue: %v", again.Fragments)
	}
	if again := All(); again[3].Modules[0] != "guardduty" || again[0].Title != "Initial configuration" {
		t.Errorf("All result shares the catalogue: %+v", again[3])
	}
}
