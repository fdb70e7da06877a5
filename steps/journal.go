package steps

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// JournalFile is the progress journal inside the lab folder's .gdlab/.
const JournalFile = "journal.json"

// Journal is the lab's memory between gdlab processes: which lab this folder
// holds, where it runs, and how far each step got. Reopening a folder resumes
// from it.
type Journal struct {
	LabID   string             `json:"lab_id"`
	Target  TargetKind         `json:"target"`
	Region  string             `json:"region"`
	Email   string             `json:"email,omitempty"`
	Created time.Time          `json:"created"`
	Steps   map[int]StepRecord `json:"steps"`
	// ExistingDetectorID is the GuardDuty detector that was in the region
	// before the lab, decided once before step 4 and kept from then on:
	// once the lab has its own detector, a later preflight would see that
	// one and must not mistake it for the learner's.
	ExistingDetectorID string `json:"existing_detector_id,omitempty"`
	// Incident is what step 9 saw, for `gdlab status` in a later process.
	Incident *IncidentRecord `json:"incident,omitempty"`

	path string
}

// StepRecord is one step's progress.
type StepRecord struct {
	State     StepState `json:"state"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// MarshalJSON writes the state as a word so the journal reads well.
func (s StepState) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the word MarshalJSON wrote.
func (s *StepState) UnmarshalJSON(b []byte) error {
	var word string
	if err := json.Unmarshal(b, &word); err != nil {
		return err
	}
	for _, c := range []StepState{StatePending, StateRunning, StateApplied, StateChecked, StateFailed} {
		if c.String() == word {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("unknown step state %q", word)
}

// String names the state.
func (s StepState) String() string {
	switch s {
	case StatePending:
		return "pending"
	case StateRunning:
		return "running"
	case StateApplied:
		return "applied"
	case StateChecked:
		return "checked"
	case StateFailed:
		return "failed"
	}
	return "unknown"
}

// OpenJournal reads the journal of the lab folder's .gdlab directory, or
// starts a new one with a fresh lab id when there is none. A new journal is
// not written until Save.
func OpenJournal(stateDir string, target TargetKind, region string) (*Journal, bool, error) {
	path := filepath.Join(stateDir, JournalFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		id, err := NewLabID()
		if err != nil {
			return nil, false, err
		}
		return &Journal{LabID: id, Target: target, Region: region, Created: time.Now().UTC(),
			Steps: map[int]StepRecord{}, path: path}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	j := &Journal{path: path}
	if err := json.Unmarshal(data, j); err != nil {
		return nil, false, fmt.Errorf("the lab journal %s is damaged (%v); move it away to start a new lab", path, err)
	}
	if j.Steps == nil {
		j.Steps = map[int]StepRecord{}
	}
	// A step recorded as running was interrupted: the next run re-plans it.
	for n, r := range j.Steps {
		if r.State == StateRunning {
			r.State = StateFailed
			r.LastError = "interrupted"
			j.Steps[n] = r
		}
	}
	return j, true, nil
}

// Save writes the journal atomically, so a crash never leaves half a file.
func (j *Journal) Save() error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(j.path, append(data, '\n'), 0o600)
}

// Set records a step's new state and saves.
func (j *Journal) Set(n int, state StepState, errText string) error {
	r := j.Steps[n]
	r.State = state
	r.LastError = errText
	now := time.Now().UTC()
	switch state {
	case StateApplied:
		r.AppliedAt = now
	case StateChecked:
		if r.AppliedAt.IsZero() {
			r.AppliedAt = now
		}
		r.CheckedAt = now
	}
	j.Steps[n] = r
	return j.Save()
}

// States returns every step's state; steps never touched are pending.
func (j *Journal) States() map[int]StepState {
	out := make(map[int]StepState, len(j.Steps))
	for n, r := range j.Steps {
		out[n] = r.State
	}
	return out
}

// CurrentStep is the first step that is not applied or checked: where a
// reopened lab resumes.
func (j *Journal) CurrentStep() int {
	for n := 1; n <= LastLabStep; n++ {
		s := j.Steps[n].State
		if s != StateApplied && s != StateChecked {
			return n
		}
	}
	return LastLabStep
}

// labIDAlphabet keeps ids valid in bucket names and terraform's lab_id rule.
const labIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewLabID returns 8 random lowercase letters or digits.
func NewLabID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = labIDAlphabet[int(b[i])%len(labIDAlphabet)]
	}
	return string(b[:]), nil
}

// IncidentRecord is the outcome of the incident watch.
type IncidentRecord struct {
	FindingID         string          `json:"finding_id,omitempty"`
	FindingType       string          `json:"finding_type,omitempty"`
	Severity          float64         `json:"severity,omitempty"`
	FirstSeen         time.Time       `json:"first_seen,omitzero"`
	GroupsBefore      []string        `json:"groups_before,omitempty"`
	GroupsAfter       []string        `json:"groups_after,omitempty"`
	Isolated          bool            `json:"isolated"`
	TimeToRespond     time.Duration   `json:"time_to_respond_ns"`
	Simulated         bool            `json:"simulated,omitempty"`
	RealTimeToRespond time.Duration   `json:"real_time_to_respond_ns"`
	Timeline          []TimelineEntry `json:"timeline,omitempty"`
}

// record folds one watch event into the incident record.
func (r *IncidentRecord) record(e IncidentEvent) {
	switch e := e.(type) {
	case FindingSeen:
		if !e.Sample {
			r.FindingID, r.FindingType, r.Severity, r.FirstSeen = e.ID, e.Type, e.Severity, e.FirstSeen
		}
	case GroupsChanged:
		if len(r.GroupsBefore) == 0 {
			r.GroupsBefore = e.Before
		}
		r.GroupsAfter = e.After
	case ResponseComplete:
		r.Isolated = true
		r.TimeToRespond, r.Simulated, r.RealTimeToRespond = e.TimeToRespond, e.Simulated, e.RealTimeToRespond
		r.Timeline = e.Timeline
	}
}
