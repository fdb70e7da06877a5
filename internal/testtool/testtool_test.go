package testtool

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindLooksInGOPATHBin(t *testing.T) {
	gopath := t.TempDir()
	bin := filepath.Join(gopath, "bin", "gdlab-testtool-probe")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPATH", gopath)
	if got := Find("gdlab-testtool-probe"); got != bin {
		t.Errorf("Find = %q, want %q", got, bin)
	}
	if got := Find("gdlab-testtool-no-such-tool"); got != "" {
		t.Errorf("Find of a missing tool = %q", got)
	}
}
