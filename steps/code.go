package steps

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/gdlab-dev/gdlab/docs"
	"github.com/gdlab-dev/gdlab/terraform/lab"
)

// SourceFile is one file of the lab's Terraform, named by its path in the
// lab folder ("step4_guardduty.tf", "modules/guardduty/main.tf").
type SourceFile struct {
	Path string
	Text string
}

// DocText returns the step's page from package docs.
func (s Step) DocText() (string, error) {
	return docs.Read(s.Doc)
}

// Code returns the files the step adds to the lab folder: its root
// fragments, then every file of the modules it introduces. Step 1 adds
// main.tf. Steps 8, 9 and cleanup add nothing.
func (s Step) Code() ([]SourceFile, error) {
	roots := s.Fragments
	if s.Number == 1 {
		roots = append([]string{BaseFragment}, roots...)
	}
	var out []SourceFile
	for _, name := range roots {
		text, err := fs.ReadFile(lab.Files, path.Join(lab.RootDir, name))
		if err != nil {
			return nil, fmt.Errorf("step %d: root fragment: %w", s.Number, err)
		}
		out = append(out, SourceFile{Path: name, Text: string(text)})
	}
	for _, module := range s.Modules {
		files, err := moduleFiles(module)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", s.Number, err)
		}
		out = append(out, files...)
	}
	return out, nil
}

// HCL returns the step's code as one text, each file under a comment that
// names its path; empty for steps that add nothing.
func (s Step) HCL() (string, error) {
	files, err := s.Code()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i, f := range files {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "# ── %s ──\n\n%s", f.Path, f.Text)
		if !strings.HasSuffix(f.Text, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// moduleFiles reads every file of one embedded module, templates included,
// in lexical order. Hidden files (tool settings) are not part of the lesson.
func moduleFiles(module string) ([]SourceFile, error) {
	dir := path.Join(lab.ModulesDir, module)
	var out []SourceFile
	err := fs.WalkDir(lab.Files, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		text, err := fs.ReadFile(lab.Files, p)
		if err != nil {
			return err
		}
		out = append(out, SourceFile{Path: p, Text: string(text)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", module, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("module %s: no files", module)
	}
	return out, nil
}
