package steps

// FragmentsUpTo lists the root files of the lab folder at step n: main.tf
// followed by the fragments of steps 1..n, in step order. The runner writes
// exactly these. n below 1 counts as step 1 (a lab folder always has
// main.tf); cleanup and anything above it get the full root, since destroy
// needs every resource in configuration.
func FragmentsUpTo(n int) []string {
	out := []string{BaseFragment}
	for _, s := range upTo(n) {
		out = append(out, s.Fragments...)
	}
	return out
}

// VariablesUpTo lists the variables the root of step n declares, in the
// order the steps introduce them. The variables file must carry only these.
func VariablesUpTo(n int) []string {
	var out []string
	for _, s := range upTo(n) {
		out = append(out, s.Variables...)
	}
	return out
}

// ModulesUpTo lists the local modules the root of step n refers to.
func ModulesUpTo(n int) []string {
	var out []string
	for _, s := range upTo(n) {
		out = append(out, s.Modules...)
	}
	return out
}

// upTo returns the catalogue entries numbered 1..n, with n clamped to at
// least 1.
func upTo(n int) []Step {
	n = max(n, 1)
	var out []Step
	for _, s := range catalogue {
		if s.Number <= n {
			out = append(out, s)
		}
	}
	return out
}
