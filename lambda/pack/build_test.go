package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBuildTwiceGivesIdenticalZips(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the function")
	}
	ctx := context.Background()
	root := FindModuleRoot(".")
	dir := t.TempDir()
	var results []Result
	for _, name := range []string{"a/fn.zip", "b/fn.zip"} {
		start := time.Now()
		res, err := Build(ctx, Options{Arch: "arm64", Output: filepath.Join(dir, name), SourceDir: root})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("arm64 zip: %d bytes (%.2f MB), sha256 %s, built in %v from %s",
			res.Size, float64(res.Size)/1e6, res.SHA256Base64, time.Since(start).Round(time.Millisecond), res.Source)
		results = append(results, res)
	}
	a, _ := os.ReadFile(results[0].Path)
	b, _ := os.ReadFile(results[1].Path)
	if !bytes.Equal(a, b) || results[0].SHA256Base64 != results[1].SHA256Base64 {
		t.Fatal("two builds of the same source gave different zips")
	}
	if results[0].Size > 15<<20 {
		t.Errorf("zip is %d bytes; Lambda's lab budget is well under 15 MB", results[0].Size)
	}
	assertBootstrap(t, results[0].Path, elf.EM_AARCH64)
}

func TestBuildFromModuleWithoutSourceTree(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the function")
	}
	// Offline: the module comes from this clone through a replace directive
	// and its dependencies from the module cache.
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOSUMDB", "off")
	root := FindModuleRoot(".")
	t.Chdir(t.TempDir())
	out := filepath.Join(t.TempDir(), "fn.zip")
	res, err := Build(context.Background(), Options{Arch: "amd64", Output: out, Version: "v0.0.0-test", replace: root})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Source, "module "+ModulePath+"@") {
		t.Errorf("Source = %q, want the module", res.Source)
	}
	assertBootstrap(t, out, elf.EM_X86_64)
}

func TestBuildExplainsWhatIsMissing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fn.zip")
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"no Go toolchain", Options{Output: out, Go: filepath.Join(t.TempDir(), "no-go-here")}, "Go toolchain is required"},
		{"bad arch", Options{Output: out, Arch: "x86_64"}, "use arm64 or amd64"},
		{"no output", Options{}, "no output"},
		{"not a clone", Options{Output: out, SourceDir: t.TempDir()}, "is not the root of"},
		// A test binary is "(devel)": nothing the module proxy could serve.
		{"no source and no version", Options{Output: out}, "no gdlab source tree found"},
	}
	t.Chdir(t.TempDir())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Error("a zip was written despite the error")
			}
		})
	}
	_, err := Build(context.Background(), Options{Output: out, Go: "/nonexistent/go"})
	if !errors.Is(err, ErrNoGoToolchain) {
		t.Errorf("missing toolchain error = %v, want ErrNoGoToolchain", err)
	}
}

func TestGoVersion(t *testing.T) {
	v, err := GoVersion(context.Background())
	if err != nil || !strings.HasPrefix(v, "go") {
		t.Fatalf("GoVersion = %q, %v", v, err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := GoVersion(context.Background()); !errors.Is(err, ErrNoGoToolchain) {
		t.Fatalf("GoVersion without go on PATH: %v, want ErrNoGoToolchain", err)
	}
}

// assertBootstrap checks the zip holds a static Linux executable for machine.
func assertBootstrap(t *testing.T, path string, machine elf.Machine) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("zip entries: want exactly bootstrap with mode 0755, got %d entries, first %q %v",
			len(zr.File), zr.File[0].Name, zr.File[0].Mode())
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("bootstrap is not an ELF binary: %v", err)
	}
	if f.Machine != machine || f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("bootstrap machine %v, want %v", f.Machine, machine)
	}
	if interp := f.Section(".interp"); interp != nil {
		t.Error("bootstrap is dynamically linked; CGO_ENABLED=0 should make it static")
	}
	if syms, _ := f.Symbols(); len(syms) > 0 {
		t.Error("bootstrap has a symbol table; -s -w should strip it")
	}
}
