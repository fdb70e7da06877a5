package pack

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindModuleRoot(t *testing.T) {
	wd, _ := os.Getwd()
	root := FindModuleRoot(wd)
	if root == "" || !IsModuleRoot(root) {
		t.Fatalf("FindModuleRoot(%s) = %q, want the gdlab clone", wd, root)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "remediation", "main.go")); err != nil {
		t.Fatalf("root %s has no cmd/remediation: %v", root, err)
	}

	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := FindModuleRoot(filepath.Join(other)); got != "" {
		t.Errorf("FindModuleRoot in another module = %q, want \"\"", got)
	}
	if IsModuleRoot(other) {
		t.Error("IsModuleRoot accepted another module")
	}
	quoted := t.TempDir()
	os.WriteFile(filepath.Join(quoted, "go.mod"), []byte("// c\nmodule \""+ModulePath+"\"\n"), 0o644)
	if !IsModuleRoot(quoted) {
		t.Error("IsModuleRoot rejected a quoted module path")
	}
}
