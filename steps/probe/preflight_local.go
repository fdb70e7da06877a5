package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minTerraform is the oldest terraform the lab's HCL is written for
// (import/removed blocks and `terraform_data` arrived by 1.5).
var minTerraform = [2]int{1, 5}

func checkTerraformVersion(ctx context.Context, path string) (Result, string) {
	const command = "terraform version"
	const install = "Install terraform 1.5 or newer (https://developer.hashicorp.com/terraform/install) and put it on PATH."
	if path == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			return fail("terraform is not on PATH.", install, command), ""
		}
		path = found
	}
	out, err := runShort(ctx, path, "version", "-json")
	version := ""
	if err == nil {
		var v struct {
			Version string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil {
			version = v.Version
		}
	}
	if version == "" {
		// Versions before 0.13 have no -json; read "Terraform v0.12.31".
		plain, plainErr := runShort(ctx, path, "version")
		if plainErr != nil {
			return fail(fmt.Sprintf("%s does not run: %v.", path, plainErr), install, command), ""
		}
		version = firstVersion(string(plain))
	}
	major, minor, ok := majorMinor(version)
	if !ok {
		return fail(fmt.Sprintf("Could not read terraform's version from %s.", path), install, command), version
	}
	if major < minTerraform[0] || major == minTerraform[0] && minor < minTerraform[1] {
		return fail(fmt.Sprintf("terraform %s is older than 1.5.", version), install, command), version
	}
	return pass("terraform "+version+" at "+path+".", command), version
}

func checkGoToolchain(ctx context.Context, path string) (Result, string) {
	const command = "go version"
	const install = "Install Go from https://go.dev/dl/ and put it on PATH: the remediation Lambda is compiled on this machine."
	if path == "" {
		found, err := exec.LookPath("go")
		if err != nil {
			return fail("The Go toolchain (go) is not on PATH.", install, command), ""
		}
		path = found
	}
	out, err := runShort(ctx, path, "version")
	if err != nil {
		return fail(fmt.Sprintf("%s does not run: %v.", path, err), install, command), ""
	}
	// "go version go1.26.8 linux/amd64"
	fields := strings.Fields(string(out))
	version := ""
	if len(fields) >= 3 {
		version = strings.TrimPrefix(fields[2], "go")
	}
	if version == "" {
		return fail("Could not read Go's version.", install, command), ""
	}
	return pass("Go "+version+" at "+path+".", command), version
}

func checkEmail(address string) Result {
	if address == "" {
		return warn("No email address given yet; step 5 subscribes one to the alerts.",
			"Pass --email you@example.com (an inbox you can open: AWS sends a confirmation link).", "")
	}
	parsed, err := mail.ParseAddress(address)
	if err != nil || parsed.Address != address || !validDomain(address) {
		return fail(fmt.Sprintf("%q is not a plain email address.", address),
			"Pass just the address, like --email you@example.com.", "")
	}
	return pass(address+" will receive the alerts after it confirms the subscription.", "")
}

func validDomain(address string) bool {
	at := strings.LastIndexByte(address, '@')
	domain := address[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// runShort runs a local tool that should answer at once; 15 seconds is far
// more than `terraform version` needs even when it checks for updates.
func runShort(ctx context.Context, path string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(cmd.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && len(exitErr.Stderr) > 0 {
			return out, fmt.Errorf("%s", strings.TrimSpace(string(exitErr.Stderr)))
		}
		return out, err
	}
	return out, nil
}

var versionPattern = regexp.MustCompile(`v?(\d+\.\d+(?:\.\d+)?)`)

func firstVersion(s string) string {
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

func majorMinor(version string) (int, int, bool) {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorDigits := parts[1]
	if i := strings.IndexFunc(minorDigits, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorDigits = minorDigits[:i]
	}
	minor, err2 := strconv.Atoi(minorDigits)
	return major, minor, err1 == nil && err2 == nil
}
