package pack

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
)

// ownVersion is the gdlab module version this binary was built from, when it
// is one the module proxy can serve (an installed `go install ...@vX.Y.Z`).
func ownVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", noSourceError("this binary carries no build information")
	}
	if info.Main.Path != ModulePath {
		return "", noSourceError(fmt.Sprintf("this binary was built from module %q", info.Main.Path))
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" || strings.HasSuffix(v, "+dirty") {
		return "", noSourceError(fmt.Sprintf("this binary's version %q is not a published module version", v))
	}
	return v, nil
}

func noSourceError(why string) error {
	return fmt.Errorf("no gdlab source tree found (looked upward from the working directory and from the gdlab executable), "+
		"and %s, so the function's source cannot be fetched; run gdlab from a clone of %s, "+
		"or install a released version with `go install %s/cmd/gdlab@latest`", why, ModulePath, ModulePath)
}

// compileFromModule builds the function from gdlab@version in a throwaway
// module, fetching it through the module proxy (GOPROXY) like `go install`
// would. The throwaway module requires only gdlab, so minimal version
// selection picks exactly gdlab's own dependency versions.
func compileFromModule(ctx context.Context, goBin, version, replace, arch, tmp, binary string) error {
	dir, err := os.MkdirTemp(tmp, "module-")
	if err != nil {
		return err
	}
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	if err := runGo(ctx, goBin, dir, env, "mod", "init", "gdlab.invalid/lambda-build"); err != nil {
		return err
	}
	target := FunctionPackage + "@" + version
	if replace != "" {
		if err := runGo(ctx, goBin, dir, env, "mod", "edit", "-replace", ModulePath+"="+replace); err != nil {
			return err
		}
		target = FunctionPackage
	}
	if err := runGo(ctx, goBin, dir, env, "get", target); err != nil {
		return fmt.Errorf("fetch %s (needs the Go module proxy): %w", target, err)
	}
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", binary, FunctionPackage)
	return runGo(ctx, goBin, dir, append(env, "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0"), args...)
}
