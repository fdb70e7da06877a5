package pack

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// IsModuleRoot reports whether dir holds gdlab's go.mod.
func IsModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok {
			path := strings.Trim(strings.TrimSpace(rest), `"`)
			return path == ModulePath
		}
	}
	return false
}

// FindModuleRoot walks up from dir to the root of a gdlab source tree, or
// returns "".
func FindModuleRoot(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if IsModuleRoot(dir) {
			if _, err := os.Stat(filepath.Join(dir, "cmd", "remediation")); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// findSourceTree looks for a clone around the working directory first (the
// usual `go run ./cmd/gdlab` or ./gdlab in a clone), then around the gdlab
// executable (a binary built in a clone and run from elsewhere).
func findSourceTree() string {
	if wd, err := os.Getwd(); err == nil {
		if root := FindModuleRoot(wd); root != "" {
			return root
		}
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			return FindModuleRoot(filepath.Dir(exe))
		}
	}
	return ""
}
