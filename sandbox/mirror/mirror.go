// Package mirror lays out the filesystem mirror from which terraform installs gdlab's sandbox
// provider as registry.terraform.io/hashicorp/aws, and the CLI configuration that takes only
// that provider from the mirror. Real runs never use either.
package mirror

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

const (
	// ProviderVersion satisfies the lab's `~> 6.0` and is used by no real release.
	ProviderVersion = "6.999.0"
	providerSource  = "registry.terraform.io/hashicorp/aws"
	// ExeEnv names the variable through which the launcher finds the gdlab binary. The path is
	// not written into the launcher so that the package's hash (recorded by terraform in
	// .terraform.lock.hcl) stays the same when gdlab moves or is rebuilt.
	ExeEnv = "GDLAB_SANDBOX_EXE"
)

// launcher is the mirrored "provider binary": terraform runs it, it runs gdlab's provider.
const launcher = `#!/bin/sh
# gdlab's sandbox stand-in for hashicorp/aws: serves the sandbox provider from the gdlab binary.
# terraform runs this with gdlab's environment; outside gdlab's sandbox it has nothing to serve.
if [ -z "$` + ExeEnv + `" ]; then
  echo "this provider only works inside gdlab's sandbox: ` + ExeEnv + ` is not set" >&2
  exit 1
fi
exec "$` + ExeEnv + `" sandbox provider "$@"
`

// Paths says where Prepare put things.
type Paths struct {
	Mirror     string // the filesystem mirror's root
	Launcher   string // the provider executable inside it
	CLIConfig  string // the terraform CLI configuration file
	SandboxDir string // <lab>/.gdlab/sandbox
}

// Layout returns where Prepare puts things for labDir, without touching the disk.
func Layout(labDir string) (Paths, error) {
	abs, err := filepath.Abs(labDir)
	if err != nil {
		return Paths{}, err
	}
	sandbox := filepath.Join(abs, ".gdlab", "sandbox")
	mirror := filepath.Join(sandbox, "mirror")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	return Paths{
		Mirror: mirror,
		Launcher: filepath.Join(mirror, filepath.FromSlash(providerSource), ProviderVersion, platform,
			"terraform-provider-aws_v"+ProviderVersion),
		CLIConfig:  filepath.Join(sandbox, "terraform.rc"),
		SandboxDir: sandbox,
	}, nil
}

// Prepare lays out the mirror and the CLI configuration under labDir (idempotent: files are
// rewritten only when their content differs) and returns the CLI configuration's path and the
// environment terraform needs for a sandbox run: TF_CLI_CONFIG_FILE, the gdlab binary for the
// launcher, and no checkpoint calls (the sandbox is offline).
func Prepare(labDir, gdlabExe string) (cliConfigPath string, env []string, err error) {
	if runtime.GOOS == "windows" {
		return "", nil, errors.New("the sandbox provider mirror needs a POSIX shell; use WSL on Windows")
	}
	if gdlabExe == "" {
		return "", nil, errors.New("the sandbox mirror needs the path of the gdlab binary")
	}
	exe, err := filepath.Abs(gdlabExe)
	if err != nil {
		return "", nil, err
	}
	if _, err := os.Stat(exe); err != nil {
		return "", nil, fmt.Errorf("the gdlab binary for the sandbox provider: %w", err)
	}
	p, err := Layout(labDir)
	if err != nil {
		return "", nil, err
	}
	if err := writeIfChanged(p.Launcher, []byte(launcher), 0o755); err != nil {
		return "", nil, fmt.Errorf("laying out the sandbox provider mirror: %w", err)
	}
	if err := writeIfChanged(p.CLIConfig, []byte(cliConfig(p.Mirror)), 0o644); err != nil {
		return "", nil, fmt.Errorf("writing the sandbox CLI configuration: %w", err)
	}
	env = []string{
		"TF_CLI_CONFIG_FILE=" + p.CLIConfig,
		ExeEnv + "=" + exe,
		"CHECKPOINT_DISABLE=1",
	}
	return p.CLIConfig, env, nil
}

// cliConfig takes hashicorp/aws from the mirror only, everything else as usual.
func cliConfig(mirror string) string {
	src := strconv.Quote(providerSource)
	return "# Written by gdlab for sandbox runs: hashicorp/aws comes from gdlab's sandbox mirror.\n" +
		"provider_installation {\n" +
		"  filesystem_mirror {\n" +
		"    path    = " + strconv.Quote(mirror) + "\n" +
		"    include = [" + src + "]\n" +
		"  }\n" +
		"  direct {\n" +
		"    exclude = [" + src + "]\n" +
		"  }\n" +
		"}\n"
}

func writeIfChanged(path string, content []byte, mode os.FileMode) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, content) {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() == mode {
			return nil
		}
		return os.Chmod(path, mode)
	}
	return atomicfile.Write(path, content, mode)
}
