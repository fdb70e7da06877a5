package lab

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// tfFile is one parsed .tf file of the embedded lab.
type tfFile struct {
	path string // inside Files, e.g. "modules/vpc/main.tf"
	body *hclsyntax.Body
}

// parseFiles parses the named files of the embedded lab; any HCL error fails the test.
func parseFiles(t *testing.T, paths ...string) []tfFile {
	t.Helper()
	parser := hclparse.NewParser()
	var files []tfFile
	for _, p := range paths {
		src, err := fs.ReadFile(Files, p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		f, diags := parser.ParseHCL(src, p)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", p, diags.Error())
		}
		files = append(files, tfFile{path: p, body: f.Body.(*hclsyntax.Body)})
	}
	return files
}

// parseModule parses every .tf file of one module.
func parseModule(t *testing.T, name string) []tfFile {
	t.Helper()
	dir := path.Join(ModulesDir, name)
	matches, err := fs.Glob(Files, dir+"/*.tf")
	if err != nil || len(matches) == 0 {
		t.Fatalf("module %s has no .tf files (%v)", name, err)
	}
	return parseFiles(t, matches...)
}

// parseFragment parses one root fragment.
func parseFragment(t *testing.T, name string) tfFile {
	t.Helper()
	return parseFiles(t, path.Join(RootDir, name))[0]
}

// blocksOf returns the top-level blocks of a type across files.
func blocksOf(files []tfFile, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, f := range files {
		for _, b := range f.body.Blocks {
			if b.Type == typ {
				out = append(out, b)
			}
		}
	}
	return out
}

// findBlock returns the top-level block with this type and labels, or fails the test.
func findBlock(t *testing.T, files []tfFile, typ string, labels ...string) *hclsyntax.Block {
	t.Helper()
	for _, b := range blocksOf(files, typ) {
		if slices.Equal(b.Labels, labels) {
			return b
		}
	}
	t.Fatalf("no %s %q block", typ, labels)
	return nil
}

// nestedBlocks returns the direct child blocks of a type.
func nestedBlocks(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// literal evaluates an attribute that must be a constant (no references, no functions).
func literal(t *testing.T, b *hclsyntax.Block, name string) cty.Value {
	t.Helper()
	attr, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s %q: no attribute %s", b.Type, b.Labels, name)
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s %q: %s is not a constant: %s", b.Type, b.Labels, name, diags.Error())
	}
	return v
}

// literalString is literal for string attributes.
func literalString(t *testing.T, b *hclsyntax.Block, name string) string {
	t.Helper()
	v := literal(t, b, name)
	if v.Type() != cty.String {
		t.Fatalf("%s %q: %s is %s, want a string", b.Type, b.Labels, name, v.Type().FriendlyName())
	}
	return v.AsString()
}

// literalStrings is literal for lists of strings.
func literalStrings(t *testing.T, b *hclsyntax.Block, name string) []string {
	t.Helper()
	v := literal(t, b, name)
	if !v.Type().IsTupleType() && !v.Type().IsListType() {
		t.Fatalf("%s %q: %s is %s, want a list", b.Type, b.Labels, name, v.Type().FriendlyName())
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() != cty.String {
			t.Fatalf("%s %q: %s holds a %s, want strings", b.Type, b.Labels, name, e.Type().FriendlyName())
		}
		out = append(out, e.AsString())
	}
	return out
}

// referenceList returns the traversals of a list of bare references, as in ignore_changes,
// depends_on and replace_triggered_by, rendered like "aws_s3_object.threat_list".
func referenceList(t *testing.T, b *hclsyntax.Block, name string) []string {
	t.Helper()
	attr, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s %q: no attribute %s", b.Type, b.Labels, name)
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		t.Fatalf("%s %q: %s is not a list: %s", b.Type, b.Labels, name, diags.Error())
	}
	var out []string
	for _, e := range exprs {
		trav, diags := hcl.AbsTraversalForExpr(e)
		if diags.HasErrors() {
			t.Fatalf("%s %q: %s holds a non-reference: %s", b.Type, b.Labels, name, diags.Error())
		}
		out = append(out, traversalString(trav))
	}
	return out
}

// traversalString renders the attribute steps of a traversal: module.vpc.vpc_id.
func traversalString(trav hcl.Traversal) string {
	parts := []string{trav.RootName()}
	for _, step := range trav[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			parts = append(parts, a.Name)
		} else {
			break
		}
	}
	return strings.Join(parts, ".")
}

// references lists every traversal used in a body, skipping what is not a reference: variable
// types and lifecycle ignore_changes, which name attributes of the resource itself.
func references(body *hclsyntax.Body, blockType string) []hcl.Traversal {
	var out []hcl.Traversal
	for name, attr := range body.Attributes {
		if (blockType == "variable" && name == "type") || (blockType == "lifecycle" && name == "ignore_changes") {
			continue
		}
		out = append(out, attr.Expr.Variables()...)
	}
	for _, b := range body.Blocks {
		out = append(out, references(b.Body, b.Type)...)
	}
	return out
}
