package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

// writeJournal leaves a lab in dir as an earlier gdlab would have.
func writeJournal(t *testing.T, dir string, kind steps.TargetKind, states map[int]steps.StepState) *steps.Journal {
	t.Helper()
	j, _, err := steps.OpenJournal(filepath.Join(dir, ".gdlab"), kind, "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	for n, s := range states {
		if err := j.Set(n, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Save(); err != nil {
		t.Fatal(err)
	}
	return j
}

func TestVerify(t *testing.T) {
	applied := map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateChecked, 3: steps.StateApplied}
	failing := map[int][]steps.CheckResult{3: {
		{ID: "s3.private", Title: "buckets private", Status: steps.CheckPass, Detail: "both", Command: "aws s3api get-public-access-block --bucket b"},
		{ID: "s3.flowlog", Title: "flow log active", Status: steps.CheckFail, Detail: "no flow log", Hint: "apply step 3 again",
			Command: "aws ec2 describe-flow-logs"},
	}}
	t.Run("a failing check exits 1 with hint and command", func(t *testing.T) {
		dir := t.TempDir()
		writeJournal(t, dir, steps.TargetSandbox, applied)
		useFakeLab(t, &fakeLab{states: applied, checks: failing})
		out, _, code, err := execute(t, nil, "--dir", dir, "verify")
		if code != exitFailed {
			t.Fatalf("exit %d (%v), want 1\n%s", code, err, out)
		}
		for _, want := range []string{"Step 1 ·", "Step 3 · S3", "✓ buckets private — both",
			"✗ flow log active — no flow log", "hint: apply step 3 again", "by hand: aws ec2 describe-flow-logs", "1 problem to fix"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "Step 4") {
			t.Errorf("verified a step that is not applied:\n%s", out)
		}
	})
	t.Run("one step as JSON", func(t *testing.T) {
		dir := t.TempDir()
		writeJournal(t, dir, steps.TargetSandbox, applied)
		useFakeLab(t, &fakeLab{states: applied})
		out, _, code, err := execute(t, nil, "--dir", dir, "verify", "--step", "2", "--json")
		if code != 0 {
			t.Fatalf("exit %d (%v)", code, err)
		}
		var r verifyReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !r.OK || len(r.Steps) != 1 || r.Steps[0].Step != 2 || r.Steps[0].Checks[0].Status != "pass" {
			t.Errorf("report %+v", r)
		}
	})
	t.Run("no lab", func(t *testing.T) {
		useFakeLab(t, &fakeLab{})
		_, _, code, err := execute(t, nil, "--dir", t.TempDir(), "verify")
		if code != exitFailed || !strings.Contains(err.Error(), "no lab") {
			t.Errorf("exit %d, %v", code, err)
		}
	})
}

func TestDestroyYes(t *testing.T) {
	t.Run("leftovers exit 1 with their delete commands", func(t *testing.T) {
		dir := t.TempDir()
		writeJournal(t, dir, steps.TargetSandbox, map[int]steps.StepState{1: steps.StateChecked, 2: steps.StateChecked})
		useFakeLab(t, &fakeLab{audit: steps.AuditResult{
			Leftovers: []steps.Leftover{{ARN: "arn:aws:s3:::gdlab-k3v9x2ab-flow", Kind: "s3 bucket", Note: "found by tag",
				DeleteCommand: "aws s3 rb s3://gdlab-k3v9x2ab-flow --force"}},
			Kept: []string{"detector d1: existed before the lab"},
		}})
		out, _, code, err := execute(t, nil, "--dir", dir, "destroy", "--yes")
		if code != exitFailed {
			t.Fatalf("exit %d (%v)\n%s", code, err, out)
		}
		for _, want := range []string{"Destroying lab k3v9x2ab", "terraform destroy", "module.vpc.aws_vpc.lab deleted",
			"kept on purpose: detector d1", "1 resource left", "delete: aws s3 rb s3://gdlab-k3v9x2ab-flow --force"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("nothing left", func(t *testing.T) {
		dir := t.TempDir()
		writeJournal(t, dir, steps.TargetSandbox, map[int]steps.StepState{1: steps.StateChecked})
		useFakeLab(t, &fakeLab{})
		out, _, code, err := execute(t, nil, "--dir", dir, "destroy", "--yes")
		if code != 0 || !strings.Contains(out, "0 resources left tagged gdlab:lab=k3v9x2ab") {
			t.Errorf("exit %d (%v)\n%s", code, err, out)
		}
	})
}

func TestStatus(t *testing.T) {
	dir := t.TempDir()
	j := writeJournal(t, dir, steps.TargetAWS, map[int]steps.StepState{
		1: steps.StateChecked, 2: steps.StateChecked, 3: steps.StateChecked, 4: steps.StateFailed})
	outputs := `{"vpc_id":"vpc-1","compromised_instance_id":"i-c","malicious_instance_id":"i-m","malicious_ip":"203.0.113.7",
		"flow_log_bucket":"fl","threat_list_bucket":"tl"}`
	if err := os.WriteFile(filepath.Join(dir, ".gdlab", "outputs.json"), []byte(outputs), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code, err := execute(t, nil, "--dir", dir, "status")
	if code != 0 {
		t.Fatalf("exit %d (%v)", code, err)
	}
	for _, want := range []string{"Lab " + j.LabID + " · aws · us-west-2", "✓ 3 S3 buckets", "✗ 4 GuardDuty",
		"instances: i-c (compromised), i-m (malicious, 203.0.113.7)", "Estimated cost while it runs: $0.03/h",
		"gdlab destroy --dir " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _, _ = execute(t, nil, "--dir", dir, "status", "--json")
	var r statusReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.LabID != j.LabID || r.CurrentStep != 4 || r.Steps[3].State != steps.StateFailed || r.CostPerHour <= 0 || r.Busy {
		t.Errorf("status %+v", r)
	}
}

func TestStatusShowsTheIncident(t *testing.T) {
	dir := t.TempDir()
	j := writeJournal(t, dir, steps.TargetSandbox, map[int]steps.StepState{9: steps.StateChecked})
	j.Incident = &steps.IncidentRecord{FindingID: "f-1", FindingType: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
		Severity: 5, GroupsBefore: []string{"sg-initial"}, GroupsAfter: []string{"sg-forensic"}, Isolated: true,
		TimeToRespond: 73 * time.Minute, Simulated: true, RealTimeToRespond: 73 * time.Second}
	if err := j.Save(); err != nil {
		t.Fatal(err)
	}
	out, _, code, err := execute(t, nil, "--dir", dir, "status")
	if code != 0 {
		t.Fatalf("exit %d (%v)", code, err)
	}
	for _, want := range []string{"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom (severity 5) f-1",
		"sg-initial → sg-forensic", "isolated 1h13m0s after the finding (simulated; 1m13s real)"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	out, _, _, _ = execute(t, nil, "--dir", dir, "status", "--json")
	var r statusReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Incident == nil || r.Incident.FindingID != "f-1" || !r.Incident.Isolated {
		t.Errorf("status --json incident: %+v", r.Incident)
	}
}
