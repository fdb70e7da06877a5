package terraform

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// manifestFile records the sha256 of every file gdlab wrote into the lab
// folder, which is how edits by the learner are told apart from gdlab's own.
const manifestFile = "manifest.json"

type manifest struct {
	// Files maps slash-separated lab-relative paths to hex sha256.
	Files map[string]string `json:"files"`
}

func readManifest(dir string) (manifest, error) {
	m := manifest{Files: map[string]string{}}
	b, err := os.ReadFile(filepath.Join(dir, journalDir, manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", manifestFile, err)
	}
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	return m, nil
}

func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, journalDir, manifestFile), append(b, '\n'), 0o644)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
