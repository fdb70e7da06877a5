package sandbox

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// endpointFile records, inside the lab folder, the URL of the sandbox that
// a running gdlab serves, so a second process that finds the folder locked
// can point the learner at it instead of serving the same world twice.
const endpointFile = ".gdlab/sandbox/endpoint.url"

// RecordEndpoint writes the running endpoint's URL for dir.
func RecordEndpoint(dir, url string) error {
	return atomicfile.Write(filepath.Join(dir, filepath.FromSlash(endpointFile)), []byte(url+"\n"), 0o644)
}

// ForgetEndpoint removes the record when the endpoint stops.
func ForgetEndpoint(dir string) error {
	err := os.Remove(filepath.Join(dir, filepath.FromSlash(endpointFile)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// RunningEndpoint is the URL another gdlab recorded for dir, or "".
func RunningEndpoint(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(endpointFile)))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
