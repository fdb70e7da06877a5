package pack

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteZipIsDeterministicAndExecutable(t *testing.T) {
	content := bytes.Repeat([]byte("\x7fELF fake bootstrap "), 1000)
	var first, second bytes.Buffer
	if err := writeZip(&first, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	// A different local time zone must not change the bytes.
	old := time.Local
	time.Local = time.FixedZone("elsewhere", 9*3600)
	t.Cleanup(func() { time.Local = old })
	if err := writeZip(&second, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatal("two zips of the same binary differ")
	}

	zr, err := zip.NewReader(bytes.NewReader(first.Bytes()), int64(first.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 {
		t.Fatalf("zip has %d entries, want 1", len(zr.File))
	}
	f := zr.File[0]
	if f.Name != "bootstrap" {
		t.Errorf("entry name %q, want bootstrap", f.Name)
	}
	if f.Mode().Perm() != 0o755 || !f.Mode().IsRegular() {
		t.Errorf("entry mode %v, want -rwxr-xr-x", f.Mode())
	}
	if !f.Modified.Equal(zipTime) {
		t.Errorf("entry time %v, want %v", f.Modified, zipTime)
	}
	if f.Method != zip.Deflate {
		t.Errorf("method %d, want deflate", f.Method)
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, content) {
		t.Error("entry content differs from the binary")
	}
}

func TestWriteZipFileReplacesOutputWhole(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(bin, []byte("binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "fn.zip")
	if err := os.WriteFile(out, []byte("old and much longer content than the new zip will have, surely"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeZipFile(bin, out); err != nil {
		t.Fatal(err)
	}
	if _, err := zip.OpenReader(out); err != nil {
		t.Fatalf("output is not a zip: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
