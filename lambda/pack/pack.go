// Package pack builds the remediation function as a provided.al2023 zip:
// cmd/remediation cross-compiled as `bootstrap` and zipped deterministically,
// so the same source always gives the same bytes and the same
// source_code_hash, and terraform sees no change.
//
// From a clone it compiles the module's own source. From an installed gdlab
// with no source tree it fetches github.com/gdlab-dev/gdlab at this binary's
// version through the Go module proxy and compiles that. Either way the Go
// toolchain must be on PATH; see lambda/README.md.
package pack

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ModulePath is gdlab's module, whose cmd/remediation is the function.
const ModulePath = "github.com/gdlab-dev/gdlab"

// FunctionPackage is the main package of the function.
const FunctionPackage = ModulePath + "/cmd/remediation"

// Options says what to build and where.
type Options struct {
	// Arch is the function's architecture: "arm64" (the default) or "amd64".
	// It must match aws_lambda_function.architectures (amd64 = x86_64).
	Arch string
	// Output is the zip file to write. Required.
	Output string
	// SourceDir is the root of a gdlab source tree. Empty: look upward from
	// the working directory, then from the gdlab executable; when neither is
	// inside a clone, fetch the module at Version.
	SourceDir string
	// Version is the gdlab module version to fetch when there is no source
	// tree. Empty: this binary's own version (runtime/debug.ReadBuildInfo).
	Version string
	// Go is the go command. Empty: "go" from PATH.
	Go string

	// replace points the fetched module at a local directory instead of the
	// proxy; tests use it to exercise the no-source-tree path offline.
	replace string
}

// Result describes the zip that was written.
type Result struct {
	Path         string `json:"path"`
	Size         int64  `json:"size"`
	SHA256Base64 string `json:"sha256Base64"` // = terraform's filebase64sha256(path)
	Arch         string `json:"arch"`
	// Source says what was compiled: "source tree DIR" or "module PATH@VERSION".
	Source string `json:"source"`
}

// ErrNoGoToolchain means the go command was not found.
var ErrNoGoToolchain = errors.New("the Go toolchain is required to build the remediation Lambda (go was not found on PATH); install Go from https://go.dev/dl/ and try again")

// Build compiles the function and writes its deterministic zip.
func Build(ctx context.Context, opts Options) (Result, error) {
	arch := opts.Arch
	if arch == "" {
		arch = "arm64"
	}
	if arch != "arm64" && arch != "amd64" {
		return Result{}, fmt.Errorf("unsupported architecture %q: use arm64 or amd64", opts.Arch)
	}
	if opts.Output == "" {
		return Result{}, errors.New("no output zip path given")
	}
	goBin, err := findGo(opts.Go)
	if err != nil {
		return Result{}, err
	}

	tmp, err := os.MkdirTemp("", "gdlab-lambda-build-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(tmp)
	binary := filepath.Join(tmp, "bootstrap")

	source, err := compileFunction(ctx, goBin, opts, arch, tmp, binary)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(filepath.Dir(opts.Output), 0o755); err != nil {
		return Result{}, err
	}
	if err := writeZipFile(binary, opts.Output); err != nil {
		return Result{}, err
	}
	return describe(opts.Output, arch, source)
}

// compileFunction builds bootstrap from a source tree when one is found, and
// from the module proxy otherwise. It returns what it compiled.
func compileFunction(ctx context.Context, goBin string, opts Options, arch, tmp, binary string) (string, error) {
	root := opts.SourceDir
	if root != "" {
		if !IsModuleRoot(root) {
			return "", fmt.Errorf("%s is not the root of a %s source tree", root, ModulePath)
		}
	} else {
		root = findSourceTree()
	}
	if root != "" {
		if err := compile(ctx, goBin, root, "./cmd/remediation", arch, binary); err != nil {
			return "", err
		}
		return "source tree " + root, nil
	}
	version := opts.Version
	if version == "" {
		v, err := ownVersion()
		if err != nil {
			return "", err
		}
		version = v
	}
	if err := compileFromModule(ctx, goBin, version, opts.replace, arch, tmp, binary); err != nil {
		return "", err
	}
	return "module " + ModulePath + "@" + version, nil
}

func describe(path, arch, source string) (Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Result{}, err
	}
	sum := sha256.Sum256(data)
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return Result{
		Path:         abs,
		Size:         int64(len(data)),
		SHA256Base64: base64.StdEncoding.EncodeToString(sum[:]),
		Arch:         arch,
		Source:       source,
	}, nil
}
