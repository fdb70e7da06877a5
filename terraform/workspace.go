package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// Names inside the lab folder (docs/architecture.md, "Lab folder").
const (
	journalDir    = ".gdlab"
	VariablesFile = "gdlab.auto.tfvars.json"
	ModulesDir    = "modules"
	LogFile       = "terraform.log"
)

// Workspace is an open lab folder. Opening it takes the folder's lock, so
// one gdlab process at a time works in it; Close releases the lock.
type Workspace struct {
	dir  string
	lock *folderLock
}

// OpenWorkspace creates the lab folder and its .gdlab/ journal folder when
// missing and locks it. A folder locked by another process gives a
// *LockedError naming that process.
func OpenWorkspace(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, journalDir), 0o755); err != nil {
		return nil, fmt.Errorf("lab folder: %w", err)
	}
	lock, err := lockFolder(abs)
	if err != nil {
		return nil, err
	}
	return &Workspace{dir: abs, lock: lock}, nil
}

// Close releases the lab folder's lock.
func (w *Workspace) Close() error { return w.lock.unlock() }

// Dir is the absolute path of the lab folder.
func (w *Workspace) Dir() string { return w.dir }

// JournalDir is the absolute path of the .gdlab/ folder.
func (w *Workspace) JournalDir() string { return filepath.Join(w.dir, journalDir) }

// LogPath is the file that receives everything terraform prints.
func (w *Workspace) LogPath() string { return filepath.Join(w.dir, journalDir, LogFile) }

// Root says what the lab folder's root module should be.
type Root struct {
	// Files holds the embedded lab (terraform/lab's Files).
	Files fs.FS
	// RootDir and ModulesDir are the folders inside Files holding the root
	// fragments and the modules; they default to "root" and "modules".
	RootDir, ModulesDir string
	// Fragments are the root fragment file names of this step, in RootDir.
	Fragments []string
	// Variables are candidate values; the variables file gets only those the
	// written fragments declare, as terraform rejects values for undeclared ones.
	Variables map[string]any
}

// WriteOptions changes how Write treats files the learner edited.
type WriteOptions struct {
	// Restore overwrites (or removes, if no longer part of the lab) files
	// whose content differs from what gdlab last wrote.
	Restore bool
}

// EditedFile is a file gdlab wrote whose content changed since.
type EditedFile struct {
	Path          string // slash-separated, relative to the lab folder
	WrittenSHA256 string // what gdlab wrote (or would write, if it never did)
	CurrentSHA256 string
}

// WriteResult reports what Write did; paths are relative to the lab folder.
type WriteResult struct {
	Written  []string     // created or updated
	Removed  []string     // gdlab files no longer part of the root (a later step's fragment)
	Restored []string     // edited files overwritten or removed because Restore was set
	Edited   []EditedFile // edited files left as the learner has them
}

// Write makes the lab folder hold the given root: the fragments, every
// module, and the variables file. It is idempotent. Files the learner edited
// are kept and reported unless opts.Restore is set.
func (w *Workspace) Write(root Root, opts WriteOptions) (WriteResult, error) {
	want, err := root.files()
	if err != nil {
		return WriteResult{}, err
	}
	man, err := readManifest(w.dir)
	if err != nil {
		return WriteResult{}, err
	}
	next := manifest{Files: map[string]string{}}
	var res WriteResult

	for _, rel := range slices.Sorted(maps.Keys(want)) {
		content := want[rel]
		wantSum := sha256Hex(content)
		cur, err := os.ReadFile(w.abs(rel))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Missing (new, or deleted by the learner): writing it overwrites nothing.
		case err != nil:
			return res, err
		default:
			curSum := sha256Hex(cur)
			if curSum == wantSum {
				next.Files[rel] = wantSum
				continue
			}
			if written, ok := man.Files[rel]; !ok || written != curSum {
				if !opts.Restore {
					if !ok {
						written = wantSum
					}
					next.Files[rel] = written
					res.Edited = append(res.Edited, EditedFile{Path: rel, WrittenSHA256: written, CurrentSHA256: curSum})
					continue
				}
				res.Restored = append(res.Restored, rel)
			}
		}
		if err := atomicfile.Write(w.abs(rel), content, 0o644); err != nil {
			return res, err
		}
		next.Files[rel] = wantSum
		if !slices.Contains(res.Restored, rel) {
			res.Written = append(res.Written, rel)
		}
	}

	// Files gdlab wrote before that the new root no longer has.
	for _, rel := range slices.Sorted(maps.Keys(man.Files)) {
		if _, ok := want[rel]; ok {
			continue
		}
		cur, err := os.ReadFile(w.abs(rel))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return res, err
		}
		curSum := sha256Hex(cur)
		edited := curSum != man.Files[rel]
		switch {
		case edited && !opts.Restore:
			next.Files[rel] = man.Files[rel]
			res.Edited = append(res.Edited, EditedFile{Path: rel, WrittenSHA256: man.Files[rel], CurrentSHA256: curSum})
			continue
		case edited:
			res.Restored = append(res.Restored, rel)
		default:
			res.Removed = append(res.Removed, rel)
		}
		if err := os.Remove(w.abs(rel)); err != nil {
			return res, err
		}
	}
	return res, writeManifest(w.dir, next)
}

// EditedFiles lists the files gdlab wrote whose content differs now.
// Deleted files are not listed: the next Write recreates them.
func (w *Workspace) EditedFiles() ([]EditedFile, error) {
	man, err := readManifest(w.dir)
	if err != nil {
		return nil, err
	}
	var edited []EditedFile
	for _, rel := range slices.Sorted(maps.Keys(man.Files)) {
		cur, err := os.ReadFile(w.abs(rel))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if sum := sha256Hex(cur); sum != man.Files[rel] {
			edited = append(edited, EditedFile{Path: rel, WrittenSHA256: man.Files[rel], CurrentSHA256: sum})
		}
	}
	return edited, nil
}

func (w *Workspace) abs(rel string) string { return filepath.Join(w.dir, filepath.FromSlash(rel)) }

// files renders the root into lab-folder-relative paths and contents.
func (r Root) files() (map[string][]byte, error) {
	rootDir, modDir := r.RootDir, r.ModulesDir
	if rootDir == "" {
		rootDir = "root"
	}
	if modDir == "" {
		modDir = "modules"
	}
	out := map[string][]byte{}
	declared := map[string]bool{}
	for _, name := range r.Fragments {
		if name != path.Base(name) || !strings.HasSuffix(name, ".tf") {
			return nil, fmt.Errorf("root fragment %q: want a .tf file name", name)
		}
		b, err := fs.ReadFile(r.Files, path.Join(rootDir, name))
		if err != nil {
			return nil, fmt.Errorf("root fragment: %w", err)
		}
		vars, err := declaredVariables(name, b)
		if err != nil {
			return nil, err
		}
		for _, v := range vars {
			declared[v] = true
		}
		out[name] = b
	}
	err := fs.WalkDir(r.Files, modDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(r.Files, p)
		if err != nil {
			return err
		}
		out[path.Join(ModulesDir, strings.TrimPrefix(p, modDir+"/"))] = b
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("lab modules: %w", err)
	}
	vars := map[string]any{}
	for k, v := range r.Variables {
		if declared[k] {
			vars[k] = v
		}
	}
	b, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("variables: %w", err)
	}
	out[VariablesFile] = append(b, '\n')
	return out, nil
}
