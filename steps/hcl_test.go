package steps

import (
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/gdlab-dev/gdlab/terraform/lab"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// rootDecl is what one root fragment declares and refers to.
type rootDecl struct {
	variables     []string
	outputs       []string
	moduleSources map[string]string // module block label -> source
	moduleRefs    []string          // names after "module." anywhere in expressions
}

// parseRoot parses one root fragment from the embedded lab.
func parseRoot(t *testing.T, name string) rootDecl {
	t.Helper()
	src, err := fs.ReadFile(lab.Files, path.Join(lab.RootDir, name))
	if err != nil {
		t.Fatalf("root fragment %s: %v", name, err)
	}
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %v", name, diags)
	}
	d := rootDecl{moduleSources: map[string]string{}}
	body := file.Body.(*hclsyntax.Body)
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			d.variables = append(d.variables, b.Labels[0])
		case "output":
			d.outputs = append(d.outputs, b.Labels[0])
		case "module":
			attr, ok := b.Body.Attributes["source"]
			if !ok {
				t.Fatalf("%s: module %q has no source", name, b.Labels[0])
			}
			v, diags := attr.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s: module %q source: %v", name, b.Labels[0], diags)
			}
			d.moduleSources[b.Labels[0]] = v.AsString()
		}
	}
	d.moduleRefs = moduleRefs(body)
	return d
}

// moduleRefs collects the module names that expressions in body refer to.
func moduleRefs(body *hclsyntax.Body) []string {
	var out []string
	for _, attr := range body.Attributes {
		for _, tr := range attr.Expr.Variables() {
			if tr.RootName() != "module" || len(tr) < 2 {
				continue
			}
			if a, ok := tr[1].(hcl.TraverseAttr); ok && !slices.Contains(out, a.Name) {
				out = append(out, a.Name)
			}
		}
	}
	for _, b := range body.Blocks {
		for _, name := range moduleRefs(b.Body) {
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// parseRoots merges the declarations of several root fragments.
func parseRoots(t *testing.T, names []string) rootDecl {
	t.Helper()
	all := rootDecl{moduleSources: map[string]string{}}
	for _, name := range names {
		d := parseRoot(t, name)
		all.variables = append(all.variables, d.variables...)
		all.outputs = append(all.outputs, d.outputs...)
		all.moduleRefs = append(all.moduleRefs, d.moduleRefs...)
		for k, v := range d.moduleSources {
			all.moduleSources[k] = v
		}
	}
	return all
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
