package terraform

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"
)

// labFS is a small lab in terraform/lab's layout.
func labFS() fstest.MapFS {
	return fstest.MapFS{
		"root/main.tf":            {Data: []byte("variable \"region\" {}\nvariable \"lab_id\" {}\n")},
		"root/step2_network.tf":   {Data: []byte("module \"vpc\" {\n  source = \"./modules/vpc\"\n}\n")},
		"root/step5_sns.tf":       {Data: []byte("variable \"email\" {}\nmodule \"sns\" {\n  source = \"./modules/sns\"\n}\n")},
		"modules/vpc/main.tf":     {Data: []byte("resource \"terraform_data\" \"vpc\" {}\n")},
		"modules/vpc/outputs.tf":  {Data: []byte("output \"id\" { value = terraform_data.vpc.id }\n")},
		"modules/sns/main.tf":     {Data: []byte("resource \"terraform_data\" \"topic\" {}\n")},
		"modules/sns/nested/x.tf": {Data: []byte("# nested\n")},
	}
}

var allVars = map[string]any{"region": "us-west-2", "lab_id": "ab12cd34", "email": "me@example.com", "unused": 1}

func root(fragments ...string) Root {
	return Root{Files: labFS(), Fragments: fragments, Variables: allVars}
}

func openTestWorkspace(t *testing.T) *Workspace {
	t.Helper()
	ws, err := OpenWorkspace(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func readVars(t *testing.T, ws *Workspace) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ws.Dir(), VariablesFile))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWorkspaceWriteMaterialisesTheRoot(t *testing.T) {
	ws := openTestWorkspace(t)
	res, err := ws.Write(root("main.tf", "step2_network.tf"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{VariablesFile, "main.tf", "modules/sns/main.tf", "modules/sns/nested/x.tf", "modules/vpc/main.tf", "modules/vpc/outputs.tf", "step2_network.tf"}
	if !reflect.DeepEqual(res.Written, want) {
		t.Errorf("written = %v\nwant      %v", res.Written, want)
	}
	if _, err := os.Stat(filepath.Join(ws.Dir(), "step5_sns.tf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("step5 fragment written for step 2: %v", err)
	}
	// Only variables the written root declares: terraform rejects the others.
	if got := readVars(t, ws); !reflect.DeepEqual(got, map[string]any{"region": "us-west-2", "lab_id": "ab12cd34"}) {
		t.Errorf("variables = %v", got)
	}
	if _, err := os.Stat(filepath.Join(ws.JournalDir(), manifestFile)); err != nil {
		t.Errorf("manifest: %v", err)
	}

	again, err := ws.Write(root("main.tf", "step2_network.tf"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Written)+len(again.Removed)+len(again.Edited)+len(again.Restored) != 0 {
		t.Errorf("second write not idempotent: %+v", again)
	}
}

func TestWorkspaceWriteNextStepAndBack(t *testing.T) {
	ws := openTestWorkspace(t)
	if _, err := ws.Write(root("main.tf", "step2_network.tf"), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := ws.Write(root("main.tf", "step2_network.tf", "step5_sns.tf"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Written, []string{VariablesFile, "step5_sns.tf"}) {
		t.Errorf("written = %v", res.Written)
	}
	if readVars(t, ws)["email"] != "me@example.com" {
		t.Errorf("email variable missing once step 5 declares it")
	}
	back, err := ws.Write(root("main.tf", "step2_network.tf"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Removed, []string{"step5_sns.tf"}) {
		t.Errorf("removed = %v", back.Removed)
	}
}

func TestWorkspaceLearnerEdits(t *testing.T) {
	tests := []struct {
		name string
		// edit changes the lab folder after a step-5 write.
		edit         func(dir string) error
		next         Root
		opts         WriteOptions
		wantEdited   []string
		wantRestored []string
		wantWritten  []string
		// wantContent: file → content after the second write.
		wantContent map[string]string
	}{
		{
			name:        "edited fragment is kept and reported",
			edit:        func(dir string) error { return os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# mine\n"), 0o644) },
			next:        root("main.tf", "step2_network.tf", "step5_sns.tf"),
			wantEdited:  []string{"main.tf"},
			wantContent: map[string]string{"main.tf": "# mine\n"},
		},
		{
			name:         "restore overwrites an edited fragment",
			edit:         func(dir string) error { return os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# mine\n"), 0o644) },
			next:         root("main.tf", "step2_network.tf", "step5_sns.tf"),
			opts:         WriteOptions{Restore: true},
			wantRestored: []string{"main.tf"},
			wantContent:  map[string]string{"main.tf": "variable \"region\" {}\nvariable \"lab_id\" {}\n"},
		},
		{
			name: "edited module file is kept",
			edit: func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "modules/vpc/main.tf"), []byte("# tuned\n"), 0o644)
			},
			next:        root("main.tf", "step2_network.tf", "step5_sns.tf"),
			wantEdited:  []string{"modules/vpc/main.tf"},
			wantContent: map[string]string{"modules/vpc/main.tf": "# tuned\n"},
		},
		{
			name:        "deleted file is recreated",
			edit:        func(dir string) error { return os.Remove(filepath.Join(dir, "step2_network.tf")) },
			next:        root("main.tf", "step2_network.tf", "step5_sns.tf"),
			wantWritten: []string{"step2_network.tf"},
		},
		{
			name: "edited fragment of a later step is kept when going back",
			edit: func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "step5_sns.tf"), []byte("# mine\n"), 0o644)
			},
			next:        root("main.tf", "step2_network.tf"),
			wantEdited:  []string{"step5_sns.tf"},
			wantWritten: []string{VariablesFile},
			wantContent: map[string]string{"step5_sns.tf": "# mine\n"},
		},
		{
			name: "a file gdlab never wrote is not overwritten",
			edit: func(dir string) error {
				os.Remove(filepath.Join(dir, ".gdlab", manifestFile))
				return os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# mine\n"), 0o644)
			},
			next:        root("main.tf", "step2_network.tf", "step5_sns.tf"),
			wantEdited:  []string{"main.tf"},
			wantContent: map[string]string{"main.tf": "# mine\n"},
		},
		{
			name: "learner's own files are left alone",
			edit: func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "extra.tf"), []byte("# extra\n"), 0o644)
			},
			next:        root("main.tf", "step2_network.tf"),
			wantWritten: []string{VariablesFile},
			wantContent: map[string]string{"extra.tf": "# extra\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := openTestWorkspace(t)
			if _, err := ws.Write(root("main.tf", "step2_network.tf", "step5_sns.tf"), WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(ws.Dir()); err != nil {
				t.Fatal(err)
			}
			res, err := ws.Write(tt.next, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var edited []string
			for _, e := range res.Edited {
				edited = append(edited, e.Path)
				if e.CurrentSHA256 == e.WrittenSHA256 {
					t.Errorf("%s: reported edited with equal hashes", e.Path)
				}
			}
			if !slices.Equal(edited, tt.wantEdited) || !slices.Equal(res.Restored, tt.wantRestored) || !slices.Equal(res.Written, tt.wantWritten) {
				t.Errorf("edited %v restored %v written %v\nwant   %v restored %v written %v",
					edited, res.Restored, res.Written, tt.wantEdited, tt.wantRestored, tt.wantWritten)
			}
			for f, want := range tt.wantContent {
				got, err := os.ReadFile(filepath.Join(ws.Dir(), f))
				if err != nil || string(got) != want {
					t.Errorf("%s = %q, %v; want %q", f, got, err, want)
				}
			}
			// EditedFiles reports the same edits later, from the manifest alone.
			later, err := ws.EditedFiles()
			if err != nil {
				t.Fatal(err)
			}
			var laterPaths []string
			for _, e := range later {
				laterPaths = append(laterPaths, e.Path)
			}
			if !slices.Equal(laterPaths, tt.wantEdited) {
				t.Errorf("EditedFiles = %v, want %v", laterPaths, tt.wantEdited)
			}
		})
	}
}

func TestWorkspaceWriteRejectsBadFragments(t *testing.T) {
	ws := openTestWorkspace(t)
	for _, frag := range []string{"../main.tf", "missing.tf", "notes.md"} {
		if _, err := ws.Write(root("main.tf", frag), WriteOptions{}); err == nil {
			t.Errorf("fragment %q accepted", frag)
		}
	}
	broken := labFS()
	broken["root/bad.tf"] = &fstest.MapFile{Data: []byte("variable \"x\" {")}
	if _, err := ws.Write(Root{Files: broken, Fragments: []string{"bad.tf"}}, WriteOptions{}); err == nil {
		t.Error("unparsable fragment accepted")
	}
}

func TestDependencyFingerprint(t *testing.T) {
	write := func(t *testing.T, dir string, files map[string]string) {
		for name, content := range files {
			p := filepath.Join(dir, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	base := map[string]string{
		"main.tf":             "terraform {\n required_providers {\n aws = { source = \"hashicorp/aws\", version = \"~> 6.0\" }\n }\n}\nmodule \"vpc\" {\n source = \"./modules/vpc\"\n}\n",
		"modules/vpc/main.tf": "resource \"aws_vpc\" \"this\" {\n cidr_block = \"10.0.0.0/16\"\n}\n",
	}
	tests := []struct {
		name       string
		change     map[string]string
		wantChange bool
	}{
		{name: "resource argument edit", change: map[string]string{"modules/vpc/main.tf": "resource \"aws_vpc\" \"this\" {\n cidr_block = \"10.1.0.0/16\"\n}\n"}},
		{name: "whitespace", change: map[string]string{"main.tf": "terraform {\n required_providers {\n aws = {   source = \"hashicorp/aws\",   version = \"~> 6.0\" }\n }\n}\nmodule \"vpc\" {\n   source =    \"./modules/vpc\"\n}\n"}},
		{name: "new module", change: map[string]string{"step3.tf": "module \"s3\" {\n source = \"./modules/s3\"\n}\n"}, wantChange: true},
		{name: "provider version", change: map[string]string{"main.tf": "terraform {\n required_providers {\n aws = { source = \"hashicorp/aws\", version = \"~> 6.1\" }\n }\n}\nmodule \"vpc\" {\n source = \"./modules/vpc\"\n}\n"}, wantChange: true},
		{name: "provider implied in a module", change: map[string]string{"modules/vpc/zip.tf": "data \"archive_file\" \"z\" {}\n"}, wantChange: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, base)
			before, installs, err := dependencyFingerprint(dir)
			if err != nil || !installs {
				t.Fatalf("fingerprint: %v, installs %v", err, installs)
			}
			write(t, dir, tt.change)
			after, _, err := dependencyFingerprint(dir)
			if err != nil {
				t.Fatal(err)
			}
			if (before != after) != tt.wantChange {
				t.Errorf("fingerprint changed = %v, want %v", before != after, tt.wantChange)
			}
		})
	}
	t.Run("built-in only installs nothing", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, map[string]string{"main.tf": "resource \"terraform_data\" \"x\" {}\n"})
		if _, installs, err := dependencyFingerprint(dir); err != nil || installs {
			t.Errorf("installs = %v, %v; want false", installs, err)
		}
	})
}
