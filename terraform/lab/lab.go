// Package lab embeds the lab's Terraform: the fragments of the root module (root/) and the local
// modules they call (modules/<name>/). The runner copies root fragments to the top of the lab
// folder and each module to ./modules/<name>/ there; docs/architecture.md lists which fragment
// belongs to which step, which variables it declares and which outputs it exports.
package lab

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Files holds root/*.tf and modules/<name>/..., with paths relative to this folder.
//
//go:embed all:root all:modules
var Files embed.FS

// Folders inside Files.
const (
	RootDir    = "root"
	ModulesDir = "modules"
)

// MainFragment is the root fragment present at every step: terraform settings, the provider
// with its default tags, and the region and lab_id variables.
const MainFragment = "main.tf"

// RootFragments lists the root fragment file names (main.tf, step2_network.tf, ...), sorted.
func RootFragments() []string {
	var names []string
	for _, e := range mustReadDir(RootDir) {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".tf") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// Modules lists the names of the local modules (vpc, compute, ...), sorted.
func Modules() []string {
	var names []string
	for _, e := range mustReadDir(ModulesDir) {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// FragmentsThrough lists the root fragments that make up the root at step: main.tf plus the
// fragments of steps 2..step (named step<N>_<what>.tf), in step order.
func FragmentsThrough(step int) []string {
	names := []string{MainFragment}
	for _, name := range RootFragments() {
		if n, ok := FragmentStep(name); ok && n >= 2 && n <= step {
			names = append(names, name)
		}
	}
	sort.SliceStable(names[1:], func(i, j int) bool {
		a, _ := FragmentStep(names[1+i])
		b, _ := FragmentStep(names[1+j])
		return a < b
	})
	return names
}

// FragmentStep is the step that adds a root fragment: 1 for main.tf, N for step<N>_*.tf.
func FragmentStep(name string) (int, bool) {
	if name == MainFragment {
		return 1, true
	}
	rest, ok := strings.CutPrefix(name, "step")
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "_")
	if !ok || !strings.HasSuffix(name, ".tf") {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 {
		return 0, false
	}
	return n, true
}

// ModuleSource is the source a root fragment uses for module name: "./modules/<name>".
func ModuleSource(name string) string {
	return "./" + path.Join(ModulesDir, name)
}

// mustReadDir reads a folder of the embedded tree. The folders are compiled in, so a failure
// is a build defect, not a runtime condition.
func mustReadDir(dir string) []fs.DirEntry {
	entries, err := fs.ReadDir(Files, dir)
	if err != nil {
		panic("terraform/lab: embedded folder " + dir + ": " + err.Error())
	}
	return entries
}
