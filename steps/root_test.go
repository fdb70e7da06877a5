package steps

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gdlab-dev/gdlab/terraform/lab"
)

func TestFragmentsUpTo(t *testing.T) {
	tests := []struct {
		n    int
		want []string
	}{
		{-3, []string{"main.tf"}},
		{0, []string{"main.tf"}},
		{1, []string{"main.tf"}},
		{2, []string{"main.tf", "step2_network.tf"}},
		{3, []string{"main.tf", "step2_network.tf", "step3_s3.tf"}},
		{4, []string{"main.tf", "step2_network.tf", "step3_s3.tf", "step4_guardduty.tf"}},
		{7, []string{"main.tf", "step2_network.tf", "step3_s3.tf", "step4_guardduty.tf",
			"step5_sns.tf", "step6_eventbridge.tf", "step7_lambda.tf"}},
	}
	for _, tt := range tests {
		if got := FragmentsUpTo(tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("FragmentsUpTo(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	full := FragmentsUpTo(7)
	for _, n := range []int{8, 9, CleanupNumber, 99} {
		if got := FragmentsUpTo(n); !slices.Equal(got, full) {
			t.Errorf("FragmentsUpTo(%d) = %v, want the full root %v", n, got, full)
		}
	}
}

func TestVariablesUpTo(t *testing.T) {
	tests := []struct {
		n    int
		want []string
	}{
		{0, []string{"region", "lab_id"}},
		{3, []string{"region", "lab_id"}},
		{4, []string{"region", "lab_id", "existing_detector_id"}},
		{5, []string{"region", "lab_id", "existing_detector_id", "email"}},
		{CleanupNumber, []string{"region", "lab_id", "existing_detector_id", "email", "lambda_zip_path"}},
	}
	for _, tt := range tests {
		if got := VariablesUpTo(tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("VariablesUpTo(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// Each root is the previous one plus something: files, variables and
// modules are never dropped or reordered from one step to the next.
func TestRootsGrowMonotonically(t *testing.T) {
	lists := map[string]func(int) []string{
		"fragments": FragmentsUpTo, "variables": VariablesUpTo, "modules": ModulesUpTo,
	}
	for what, upTo := range lists {
		for n := 0; n < CleanupNumber; n++ {
			prev, next := upTo(n), upTo(n+1)
			if len(next) < len(prev) || !slices.Equal(next[:len(prev)], prev) {
				t.Errorf("%s: step %d %v is not a prefix of step %d %v", what, n, prev, n+1, next)
			}
		}
		for _, s := range upTo(CleanupNumber) {
			if c := count(upTo(CleanupNumber), s); c != 1 {
				t.Errorf("%s: %q appears %d times in the full root", what, s, c)
			}
		}
	}
}

// The catalogue and the embedded lab agree: every fragment a step names
// exists, and every fragment in the lab belongs to a step.
func TestFragmentsMatchTheLab(t *testing.T) {
	inLab := lab.RootFragments()
	if !slices.Contains(inLab, BaseFragment) {
		t.Errorf("lab root has no %s: %v", BaseFragment, inLab)
	}
	if got, want := sorted(FragmentsUpTo(CleanupNumber)), sorted(inLab); !slices.Equal(got, want) {
		t.Errorf("catalogue fragments %v, lab root fragments %v", got, want)
	}
}

// The modules a step lists are exactly those its fragments call, each
// exists in the lab, and every lab module is introduced by one step.
func TestModulesMatchTheLab(t *testing.T) {
	for _, s := range All() {
		d := parseRoots(t, s.Fragments)
		var called []string
		for name, source := range d.moduleSources {
			if source != lab.ModuleSource(name) {
				t.Errorf("step %d: module %q has source %q, want %q",
					s.Number, name, source, lab.ModuleSource(name))
			}
			called = append(called, name)
		}
		if !slices.Equal(sorted(called), sorted(s.Modules)) {
			t.Errorf("step %d: fragments call modules %v, catalogue says %v",
				s.Number, sorted(called), s.Modules)
		}
		for _, m := range s.Modules {
			if !slices.Contains(lab.Modules(), m) {
				t.Errorf("step %d: module %q not in the lab (%v)", s.Number, m, lab.Modules())
			}
		}
	}
	if got, want := sorted(ModulesUpTo(CleanupNumber)), lab.Modules(); !slices.Equal(got, want) {
		t.Errorf("catalogue modules %v, lab modules %v", got, want)
	}
}

// The root of step n declares exactly VariablesUpTo(n), so the variables
// file gdlab writes never sets an undeclared variable (terraform warns)
// or misses one (terraform asks).
func TestVariablesMatchTheRoot(t *testing.T) {
	for n := 0; n <= CleanupNumber; n++ {
		d := parseRoots(t, FragmentsUpTo(n))
		if got, want := sorted(d.variables), sorted(VariablesUpTo(n)); !slices.Equal(got, want) {
			t.Errorf("root of step %d declares %v, VariablesUpTo says %v", n, got, want)
		}
	}
	for _, s := range All() {
		files := s.Fragments
		if s.Number == 1 {
			files = []string{BaseFragment}
		}
		if got := sorted(parseRoots(t, files).variables); !slices.Equal(got, sorted(s.Variables)) {
			t.Errorf("step %d: its files declare %v, catalogue says %v", s.Number, got, s.Variables)
		}
	}
}

// A partial root must plan: the root of step n refers only to modules
// that root calls.
func TestRootsReferOnlyToTheirModules(t *testing.T) {
	for n := 1; n <= CleanupNumber; n++ {
		d := parseRoots(t, FragmentsUpTo(n))
		for _, ref := range d.moduleRefs {
			if _, ok := d.moduleSources[ref]; !ok {
				t.Errorf("root of step %d refers to module.%s, which it does not call", n, ref)
			}
		}
	}
}

func count(list []string, s string) int {
	c := 0
	for _, x := range list {
		if x == s {
			c++
		}
	}
	return c
}

func ExampleFragmentsUpTo() {
	fmt.Println(FragmentsUpTo(3))
	// Output: [main.tf step2_network.tf step3_s3.tf]
}
