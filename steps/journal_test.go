package steps

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

func TestJournalNewSaveReopen(t *testing.T) {
	dir := t.TempDir()
	j, existed, err := OpenJournal(dir, TargetSandbox, "us-west-2")
	if err != nil || existed {
		t.Fatalf("OpenJournal new: existed=%v err=%v", existed, err)
	}
	if !regexp.MustCompile(`^[a-z0-9]{8}$`).MatchString(j.LabID) {
		t.Fatalf("lab id %q does not match the lab_id rule", j.LabID)
	}
	if _, err := os.Stat(filepath.Join(dir, JournalFile)); !os.IsNotExist(err) {
		t.Fatalf("a new journal must not be written before Save")
	}
	if err := j.Set(1, StateChecked, ""); err != nil {
		t.Fatal(err)
	}
	if err := j.Set(2, StateApplied, ""); err != nil {
		t.Fatal(err)
	}
	if err := j.Set(3, StateRunning, ""); err != nil {
		t.Fatal(err)
	}

	again, existed, err := OpenJournal(dir, TargetAWS, "eu-west-1")
	if err != nil || !existed {
		t.Fatalf("reopen: existed=%v err=%v", existed, err)
	}
	if again.LabID != j.LabID || again.Target != TargetSandbox || again.Region != "us-west-2" {
		t.Fatalf("reopened journal lost identity: %+v", again)
	}
	tests := []struct {
		step int
		want StepState
	}{
		{1, StateChecked},
		{2, StateApplied},
		{3, StateFailed}, // running at exit means interrupted
		{4, StatePending},
	}
	states := again.States()
	for _, tt := range tests {
		if got := states[tt.step]; got != tt.want {
			t.Errorf("step %d: state %v, want %v", tt.step, got, tt.want)
		}
	}
	if got := again.CurrentStep(); got != 3 {
		t.Errorf("CurrentStep = %d, want 3", got)
	}
}

func TestJournalDamaged(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, JournalFile), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenJournal(dir, TargetAWS, "us-west-2"); err == nil {
		t.Fatal("a damaged journal must be reported, not silently replaced")
	}
}

func TestStepStateJSONRoundTrip(t *testing.T) {
	for _, s := range []StepState{StatePending, StateRunning, StateApplied, StateChecked, StateFailed} {
		b, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back StepState
		if err := back.UnmarshalJSON(b); err != nil || back != s {
			t.Errorf("%v: round trip gave %v (%v)", s, back, err)
		}
	}
	var s StepState
	if err := s.UnmarshalJSON([]byte(`"bogus"`)); err == nil {
		t.Error("unknown state word must fail")
	}
}

// TestDetectorDecisionSticksAfterStep4: once the lab applied its own
// detector, a later preflight that sees it must not switch the lab to
// "reuse", which would make terraform delete the lab's detector.
func TestDetectorDecisionSticksAfterStep4(t *testing.T) {
	o := &Orchestrator{journal: &Journal{Steps: map[int]StepRecord{}, path: filepath.Join(t.TempDir(), JournalFile)}}
	o.log = discardLogger()
	o.applyPreflight(probeReport(""))
	if got := o.journal.ExistingDetectorID; got != "" {
		t.Fatalf("no detector before the lab: got %q", got)
	}
	o.journal.Steps[4] = StepRecord{State: StateChecked}
	o.applyPreflight(probeReport("labs-own-detector"))
	if got := o.journal.ExistingDetectorID; got != "" {
		t.Fatalf("after step 4 the decision must stick, got %q", got)
	}
	o.journal.Steps[4] = StepRecord{State: StatePending}
	o.applyPreflight(probeReport("learners-detector"))
	if got := o.journal.ExistingDetectorID; got != "learners-detector" || !o.target.ReusesDetector {
		t.Fatalf("before step 4 a found detector is reused, got %q", got)
	}
}

func TestIncidentRecordFoldsWatchEvents(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var r IncidentRecord
	for _, e := range []IncidentEvent{
		FindingSeen{ID: "sample", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Sample: true},
		FindingSeen{ID: "f-1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", Severity: 5, FirstSeen: at},
		GroupsChanged{Before: []string{"sg-initial"}, After: []string{"sg-forensic"}},
		ResponseComplete{TimeToRespond: time.Hour, Simulated: true, RealTimeToRespond: time.Minute},
	} {
		r.record(e)
	}
	if r.FindingID != "f-1" || r.Severity != 5 || !r.FirstSeen.Equal(at) {
		t.Errorf("the real finding, not the sample, must be recorded: %+v", r)
	}
	if !r.Isolated || r.GroupsBefore[0] != "sg-initial" || r.GroupsAfter[0] != "sg-forensic" ||
		r.RealTimeToRespond != time.Minute || !r.Simulated {
		t.Errorf("isolation not recorded: %+v", r)
	}
}
