package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// buildFlags make the binary reproducible and small: no VCS stamp (a dirty
// README must not change the hash), no paths, no build id, no symbols; and
// no RPC shim, which only the retired go1.x runtime used.
var buildFlags = []string{
	"-tags", "lambda.norpc",
	"-trimpath",
	"-buildvcs=false",
	"-ldflags", "-s -w -buildid=",
}

func findGo(goBin string) (string, error) {
	if goBin == "" {
		goBin = "go"
	}
	path, err := exec.LookPath(goBin)
	if err != nil {
		return "", ErrNoGoToolchain
	}
	return path, nil
}

// GoVersion reports the toolchain `gdlab lambda build` would use (for gdlab
// doctor), or ErrNoGoToolchain.
func GoVersion(ctx context.Context) (string, error) {
	goBin, err := findGo("")
	if err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("%s env GOVERSION: %w", goBin, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// compile cross-compiles pkg (relative to dir) for linux/arch into out.
func compile(ctx context.Context, goBin, dir, pkg, arch, out string) error {
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", out, pkg)
	return runGo(ctx, goBin, dir, []string{"GOOS=linux", "GOARCH=" + arch, "CGO_ENABLED=0"}, args...)
}

// runGo runs the go command in dir and puts its output in the error.
func runGo(ctx context.Context, goBin, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = errors.Join(ctxErr, err)
		}
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}
