package lab

import (
	"maps"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// The contract of docs/architecture.md: which fragment adds which module blocks, declares which
// variables and exports which root outputs. Other packages code against these names.
var contract = []struct {
	fragment  string
	modules   []string
	variables []string
	outputs   []string
}{
	{"main.tf", nil, []string{"region", "lab_id"}, nil},
	{"step2_network.tf", []string{"vpc", "compute"}, nil, []string{
		"vpc_id", "subnet_id", "initial_sg_id", "compromised_instance_id", "malicious_instance_id",
		"malicious_ip", "malicious_eip_allocation_id"}},
	{"step3_s3.tf", []string{"s3"}, nil, []string{"threat_list_bucket", "flow_log_bucket", "flow_log_id"}},
	{"step4_guardduty.tf", []string{"guardduty"}, []string{"existing_detector_id"}, []string{
		"detector_id", "detector_managed", "threat_intel_set_id", "threat_list_object_key"}},
	{"step5_sns.tf", []string{"sns"}, []string{"email"}, []string{
		"sns_topic_arn", "email_subscription_arn", "sns_tap_queue_url", "sns_tap_queue_arn"}},
	{"step6_eventbridge.tf", []string{"eventbridge"}, nil, []string{
		"ec2_finding_rule_name", "ec2_finding_rule_arn", "iam_finding_rule_name", "iam_finding_rule_arn"}},
	{"step7_lambda.tf", []string{"lambda"}, []string{"lambda_zip_path"}, []string{
		"forensic_sg_id", "lambda_function_name", "lambda_function_arn", "lambda_role_name",
		"lambda_log_group_name"}},
}

func TestEmbeddedLayout(t *testing.T) {
	var wantFragments, wantModules []string
	for _, c := range contract {
		wantFragments = append(wantFragments, c.fragment)
		wantModules = append(wantModules, c.modules...)
	}
	sort.Strings(wantFragments)
	sort.Strings(wantModules)
	if got := RootFragments(); !slices.Equal(got, wantFragments) {
		t.Errorf("RootFragments() = %v, want %v", got, wantFragments)
	}
	if got := Modules(); !slices.Equal(got, wantModules) {
		t.Errorf("Modules() = %v, want %v", got, wantModules)
	}
	for _, m := range Modules() {
		for _, f := range []string{"main.tf", "variables.tf", "outputs.tf", "versions.tf"} {
			if _, err := Files.Open(ModulesDir + "/" + m + "/" + f); err != nil {
				t.Errorf("module %s lacks %s: %v", m, f, err)
			}
		}
	}
}

func TestFragmentsThrough(t *testing.T) {
	tests := []struct {
		step int
		want []string
	}{
		{1, []string{"main.tf"}},
		{2, []string{"main.tf", "step2_network.tf"}},
		{4, []string{"main.tf", "step2_network.tf", "step3_s3.tf", "step4_guardduty.tf"}},
		{9, []string{"main.tf", "step2_network.tf", "step3_s3.tf", "step4_guardduty.tf",
			"step5_sns.tf", "step6_eventbridge.tf", "step7_lambda.tf"}},
	}
	for _, tt := range tests {
		if got := FragmentsThrough(tt.step); !slices.Equal(got, tt.want) {
			t.Errorf("FragmentsThrough(%d) = %v, want %v", tt.step, got, tt.want)
		}
	}
	for name, want := range map[string]int{"main.tf": 1, "step2_network.tf": 2, "step7_lambda.tf": 7, "step10_x.tf": 10} {
		if got, ok := FragmentStep(name); !ok || got != want {
			t.Errorf("FragmentStep(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
	for _, name := range []string{"notes.md", "step_x.tf", "stepx_y.tf", "step1_init.tf", "step3_s3.tf.bak"} {
		if n, ok := FragmentStep(name); ok {
			t.Errorf("FragmentStep(%q) = %d, want not a fragment", name, n)
		}
	}
}

// moduleInterface is what a module offers its caller.
type moduleInterface struct {
	required map[string]bool // variable name -> no default
	outputs  map[string]bool
}

func loadInterface(t *testing.T, name string) moduleInterface {
	t.Helper()
	files := parseModule(t, name)
	mi := moduleInterface{required: map[string]bool{}, outputs: map[string]bool{}}
	for _, v := range blocksOf(files, "variable") {
		_, hasDefault := v.Body.Attributes["default"]
		mi.required[v.Labels[0]] = !hasDefault
	}
	for _, o := range blocksOf(files, "output") {
		mi.outputs[o.Labels[0]] = true
	}
	return mi
}

// Module blocks pass exactly the variables their module has (all required ones among them),
// module.X.Y names an output Y of a module X added at this step or earlier, and var.X names a
// variable declared in main.tf or in the same fragment.
func TestRootWiring(t *testing.T) {
	interfaces := map[string]moduleInterface{}
	for _, m := range Modules() {
		interfaces[m] = loadInterface(t, m)
	}
	mainVars := declaredVariables(parseFragment(t, MainFragment))
	moduleStep := map[string]int{} // module block name -> step of its fragment
	for _, c := range contract {
		step, ok := FragmentStep(c.fragment)
		if !ok {
			t.Fatalf("%s is not a fragment name", c.fragment)
		}
		for _, m := range c.modules {
			moduleStep[m] = step
		}
	}

	for _, c := range contract {
		f := parseFragment(t, c.fragment)
		step, _ := FragmentStep(c.fragment)

		if got := declaredVariables(f); !slices.Equal(sortedKeys(got), sorted(c.variables)) {
			t.Errorf("%s declares variables %v, want %v", c.fragment, sortedKeys(got), sorted(c.variables))
		}
		var outputs, blocks []string
		for _, b := range blocksOf([]tfFile{f}, "output") {
			outputs = append(outputs, b.Labels[0])
		}
		if !slices.Equal(sorted(outputs), sorted(c.outputs)) {
			t.Errorf("%s has outputs %v, want %v", c.fragment, sorted(outputs), sorted(c.outputs))
		}

		for _, b := range blocksOf([]tfFile{f}, "module") {
			name := b.Labels[0]
			blocks = append(blocks, name)
			mi, ok := interfaces[name]
			if !ok {
				t.Errorf("%s: module %q has no folder under modules/", c.fragment, name)
				continue
			}
			if src := literalString(t, b, "source"); src != ModuleSource(name) {
				t.Errorf("%s: module %q source = %q, want %q", c.fragment, name, src, ModuleSource(name))
			}
			for arg := range b.Body.Attributes {
				if isModuleMetaArgument(arg) {
					continue
				}
				if _, ok := mi.required[arg]; !ok {
					t.Errorf("%s: module %q passes %q, which modules/%s does not declare", c.fragment, name, arg, name)
				}
			}
			for v, required := range mi.required {
				if _, passed := b.Body.Attributes[v]; required && !passed {
					t.Errorf("%s: module %q does not pass required variable %q", c.fragment, name, v)
				}
			}
		}
		if !slices.Equal(sorted(blocks), sorted(c.modules)) {
			t.Errorf("%s has module blocks %v, want %v", c.fragment, sorted(blocks), sorted(c.modules))
		}

		fragmentVars := declaredVariables(f)
		for _, trav := range references(f.body, "") {
			where := trav.SourceRange().String()
			switch trav.RootName() {
			case "var":
				name := attrStep(trav, 1)
				if !mainVars[name] && !fragmentVars[name] {
					t.Errorf("%s: var.%s is declared neither in main.tf nor in this fragment", where, name)
				}
			case "module":
				mod, out := attrStep(trav, 1), attrStep(trav, 2)
				modStep, known := moduleStep[mod]
				switch {
				case !known:
					t.Errorf("%s: module.%s is not a module of the lab", where, mod)
				case modStep > step:
					t.Errorf("%s: step %d refers to module.%s of step %d", where, step, mod, modStep)
				case !interfaces[mod].outputs[out]:
					t.Errorf("%s: module.%s has no output %q", where, mod, out)
				}
			default:
				t.Errorf("%s: unexpected reference %s in a root fragment", where, traversalString(trav))
			}
		}
	}
}

// Inside each module, every reference names something the module declares. terraform validate
// would catch these, but it needs the aws provider, which cannot be installed offline.
func TestModuleReferencesResolve(t *testing.T) {
	for _, m := range Modules() {
		t.Run(m, func(t *testing.T) {
			files := parseModule(t, m)
			declared := map[string]bool{}
			for _, f := range files {
				for _, b := range f.body.Blocks {
					switch b.Type {
					case "variable":
						declared["var."+b.Labels[0]] = true
					case "resource":
						declared[b.Labels[0]+"."+b.Labels[1]] = true
					case "data":
						declared["data."+b.Labels[0]+"."+b.Labels[1]] = true
					case "locals":
						for name := range b.Body.Attributes {
							declared["local."+name] = true
						}
					}
				}
			}
			for _, f := range files {
				for _, trav := range references(f.body, "") {
					var key string
					switch root := trav.RootName(); root {
					case "path", "terraform", "count", "each", "self":
						continue
					case "var", "local":
						key = root + "." + attrStep(trav, 1)
					case "data":
						key = "data." + attrStep(trav, 1) + "." + attrStep(trav, 2)
					default:
						key = root + "." + attrStep(trav, 1)
					}
					if !declared[key] {
						t.Errorf("%s: %s is not declared in modules/%s", trav.SourceRange(), key, m)
					}
				}
			}
		})
	}
}

func isModuleMetaArgument(name string) bool {
	switch name {
	case "source", "version", "count", "for_each", "providers", "depends_on":
		return true
	}
	return false
}

func declaredVariables(f tfFile) map[string]bool {
	vars := map[string]bool{}
	for _, b := range blocksOf([]tfFile{f}, "variable") {
		vars[b.Labels[0]] = true
	}
	return vars
}

// attrStep is the name of the i-th step of a traversal ("" when it is not an attribute step).
func attrStep(trav hcl.Traversal, i int) string {
	if i >= len(trav) {
		return ""
	}
	if a, ok := trav[i].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

func sortedKeys(m map[string]bool) []string { return sorted(slices.Collect(maps.Keys(m))) }

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}
