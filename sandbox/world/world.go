package world

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// World is the sandbox account of one lab folder. All access goes through
// View (read) and Update (change + persist) under one mutex.
type World struct {
	mu    sync.Mutex
	dir   string // <lab>/.gdlab/sandbox
	path  string // world.json
	state *State
	// saved is the JSON last written or read; Update restores it when a
	// change fails halfway, so a failed request leaves no trace.
	saved []byte
	// stamp identifies the file version we know, to notice another process's writes.
	stamp fileStamp

	endpoint string // base URL of the running endpoint (not persisted)
	hooks    Hooks
	now      func() time.Time
}

// Hooks let part 2 of the sandbox (incident simulation) react to what the
// endpoint changes. They run after the change is persisted, outside the lock,
// so they may call Update themselves.
type Hooks struct {
	// FindingsCreated is called with new findings (CreateSampleFindings and
	// simulated ones); part 2 routes them through EventBridge.
	FindingsCreated func(w *World, findings []*Finding)
	// Published is called after an SNS Publish has been delivered to the
	// world's subscriptions (mail, queues); part 2 adds Lambda and others.
	Published func(w *World, p Publication)
	// ResourceChanged is called after a resource is created, updated or deleted
	// through the private API (op is "create", "update" or "delete").
	ResourceChanged func(w *World, op string, r *Resource)
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// Open loads the world of a lab folder, or creates an empty one for region.
// An existing world keeps its region; asking for another region is an error
// unless the world is empty.
func Open(labDir, region string) (*World, error) {
	dir := filepath.Join(labDir, ".gdlab", "sandbox")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sandbox world: %w", err)
	}
	w := &World{dir: dir, path: filepath.Join(dir, "world.json"), now: time.Now}
	data, err := os.ReadFile(w.path)
	switch {
	case err == nil:
		if err := w.load(data); err != nil {
			return nil, err
		}
		if region != "" && region != w.state.Region {
			if w.state.Count() > 0 {
				return nil, fmt.Errorf("sandbox world %s is in region %s, not %s; destroy it first or use --region %s",
					w.path, w.state.Region, region, w.state.Region)
			}
			w.state.Region = region
			if err := w.persist(); err != nil {
				return nil, err
			}
		}
	case os.IsNotExist(err):
		if region == "" {
			region = "us-west-2"
		}
		w.state = newState(region, w.now())
		if err := w.persist(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("sandbox world: %w", err)
	}
	return w, nil
}

// Path is the world file.
func (w *World) Path() string { return w.path }

// Dir is the sandbox folder inside the lab folder (.gdlab/sandbox).
func (w *World) Dir() string { return w.dir }

// Region is the sandbox region.
func (w *World) Region() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state.Region
}

// SetEndpoint records the running endpoint's base URL (e.g. for SQS queue URLs).
func (w *World) SetEndpoint(base string) {
	w.mu.Lock()
	w.endpoint = base
	w.mu.Unlock()
}

// Endpoint is the running endpoint's base URL, or "" when none.
func (w *World) Endpoint() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.endpoint
}

// SetHooks installs the reactions of the incident simulation.
func (w *World) SetHooks(h Hooks) {
	w.mu.Lock()
	w.hooks = h
	w.mu.Unlock()
}

// SetNow replaces the real-time source (tests).
func (w *World) SetNow(now func() time.Time) {
	w.mu.Lock()
	w.now = now
	w.mu.Unlock()
}

// Now is the current simulated time.
func (w *World) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state.Clock.SimAt(w.now())
}

// View runs fn with the current state under the lock. fn must not keep
// references to the state or change it.
func (w *World) View(fn func(s *State)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.refresh()
	fn(w.state)
}

// Snapshot returns a deep copy of the state, safe to keep and read at leisure.
func (w *World) Snapshot() *State {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.refresh()
	var s State
	_ = json.Unmarshal(w.saved, &s)
	s.normalise()
	return &s
}

// Tx is one change to the world in progress.
type Tx struct {
	*State
	w     *World
	Now   time.Time // simulated time of the change
	after []func()
}

// World returns the world being changed.
func (tx *Tx) World() *World { return tx.w }

// Endpoint is the running endpoint's base URL.
func (tx *Tx) Endpoint() string { return tx.w.endpoint }

// After queues fn to run once the change is persisted, outside the lock.
func (tx *Tx) After(fn func()) { tx.after = append(tx.after, fn) }

// Update applies fn to the state and persists the result atomically. When fn
// fails (or persisting does), the state is restored to what it was.
func (w *World) Update(fn func(tx *Tx) error) error {
	w.mu.Lock()
	w.refresh()
	tx := &Tx{State: w.state, w: w, Now: w.state.Clock.SimAt(w.now())}
	err := fn(tx)
	if err == nil {
		err = w.persist()
	}
	if err != nil {
		w.restore()
		w.mu.Unlock()
		return err
	}
	after := tx.after
	w.mu.Unlock()
	for _, f := range after {
		f()
	}
	return nil
}

// SetClockScale makes simulated time run scale times as fast from now on.
func (w *World) SetClockScale(scale float64) error {
	return w.Update(func(tx *Tx) error {
		c, err := tx.Clock.Rescaled(w.now(), scale)
		if err != nil {
			return Invalid("%v", err)
		}
		tx.Clock = c
		return nil
	})
}

func (w *World) load(data []byte) error {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("sandbox world %s is corrupt: %w", w.path, err)
	}
	if s.Version > stateVersion {
		return fmt.Errorf("sandbox world %s was written by a newer gdlab (version %d)", w.path, s.Version)
	}
	s.normalise()
	w.state = &s
	w.saved = data
	if fi, err := os.Stat(w.path); err == nil {
		w.stamp = fileStamp{fi.ModTime(), fi.Size()}
	}
	return nil
}

// refresh reloads the file when another process has replaced it since we last
// read or wrote it (e.g. `gdlab destroy` while `gdlab sandbox serve` runs).
func (w *World) refresh() {
	fi, err := os.Stat(w.path)
	if err != nil || (fi.ModTime().Equal(w.stamp.mod) && fi.Size() == w.stamp.size) {
		return
	}
	data, err := os.ReadFile(w.path)
	if err != nil {
		return
	}
	_ = w.load(data)
}

func (w *World) restore() {
	var s State
	if err := json.Unmarshal(w.saved, &s); err == nil {
		s.normalise()
		w.state = &s
	}
}

// persist writes the state with write-temp + fsync + rename, so a crash leaves
// either the old or the new world, never a torn file.
func (w *World) persist() error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(w.state); err != nil {
		return fmt.Errorf("sandbox world: encode: %w", err)
	}
	if err := atomicfile.Write(w.path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("sandbox world: %w", err)
	}
	w.saved = buf.Bytes()
	if fi, err := os.Stat(w.path); err == nil {
		w.stamp = fileStamp{fi.ModTime(), fi.Size()}
	}
	return nil
}
