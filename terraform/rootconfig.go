package terraform

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// declaredVariables lists the variable blocks of one .tf file.
func declaredVariables(name string, src []byte) ([]string, error) {
	body, err := parseBody(name, src)
	if err != nil {
		return nil, err
	}
	var vars []string
	for _, b := range body.Blocks {
		if b.Type == "variable" && len(b.Labels) == 1 {
			vars = append(vars, b.Labels[0])
		}
	}
	return vars, nil
}

func parseBody(name string, src []byte) (*hclsyntax.Body, error) {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", name, diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s: unexpected body type %T", name, f.Body)
	}
	return body, nil
}

// dependencyFingerprint hashes what `terraform init` installs for the
// configuration in dir: module calls (name, source, version), the
// required_providers entries and the providers that resource types imply,
// following local module sources. Editing resources leaves it unchanged, so
// init runs only when a step adds a module or a provider. installs reports
// whether init has anything to install (a module or a non-built-in provider),
// that is whether a missing .terraform folder matters.
func dependencyFingerprint(dir string) (fp string, installs bool, err error) {
	var lines []string
	seen := map[string]bool{}
	var visit func(module, dir string) error
	visit = func(module, dir string) error {
		if seen[dir] {
			return nil
		}
		seen[dir] = true
		files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
		if err != nil {
			return err
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			body, err := parseBody(file, src)
			if err != nil {
				return err
			}
			for _, b := range body.Blocks {
				switch {
				case b.Type == "module" && len(b.Labels) == 1:
					source := attrText(src, b.Body, "source")
					installs = true
					lines = append(lines, fmt.Sprintf("module %s.%s source=%s version=%s",
						module, b.Labels[0], source, attrText(src, b.Body, "version")))
					if local := strings.Trim(source, `"`); strings.HasPrefix(local, "./") || strings.HasPrefix(local, "../") {
						if err := visit(module+"."+b.Labels[0], filepath.Join(dir, local)); err != nil {
							return err
						}
					}
				case b.Type == "terraform":
					for _, tb := range b.Body.Blocks {
						if tb.Type != "required_providers" {
							continue
						}
						for name := range tb.Body.Attributes {
							installs = installs || name != "terraform"
							lines = append(lines, fmt.Sprintf("provider %s %s", name, attrText(src, tb.Body, name)))
						}
					}
				case (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2:
					if p, _, ok := strings.Cut(b.Labels[0], "_"); ok {
						installs = installs || p != "terraform"
						lines = append(lines, "implied provider "+p)
					}
				}
			}
		}
		return nil
	}
	if err := visit("root", dir); err != nil {
		return "", false, err
	}
	sort.Strings(lines)
	lines = compactStrings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:]), installs, nil
}

// attrText is an attribute's expression as written, whitespace collapsed.
func attrText(src []byte, body *hclsyntax.Body, name string) string {
	a, ok := body.Attributes[name]
	if !ok {
		return ""
	}
	r := a.Expr.Range()
	return strings.Join(strings.Fields(string(r.SliceBytes(src))), " ")
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
