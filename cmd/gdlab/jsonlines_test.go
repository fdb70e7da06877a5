package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/steps"
)

var updateJSONGolden = flag.Bool("update-json-golden", false, "rewrite testdata/events.golden.jsonl")

var sampleTime = time.Date(2026, 5, 1, 10, 4, 12, 0, time.UTC)

// sampleEvents holds one event of every name, as a run would emit them.
func sampleEvents() []steps.AutoEvent {
	at := func(s int) time.Time { return sampleTime.Add(time.Duration(s) * time.Second) }
	return []steps.AutoEvent{
		steps.RunStarted{Target: steps.Target{Kind: steps.TargetSandbox, Region: "us-west-2",
			Account: "000000000000", LabID: "k3v9x2ab", Dir: "/home/me/gdlab-lab"}, From: 1, Until: 9},
		steps.StepStarted{Step: 3, Title: "S3 buckets"},
		steps.StepProgress{Step: 3, Event: steps.Phase{Name: "plan", Text: "terraform plan"}},
		steps.PlanReady{Step: 3, Plan: steps.PlanSummary{Add: 1, Resources: []steps.PlannedResource{
			{Address: "module.s3.aws_s3_bucket.flow_logs", Action: "create"}}}},
		steps.StepProgress{Step: 3, Event: steps.ResourceStarted{Address: "module.s3.aws_s3_bucket.flow_logs", Action: "create"}},
		steps.StepProgress{Step: 3, Event: steps.ResourceProgress{Address: "module.s3.aws_s3_bucket.flow_logs", Elapsed: 10 * time.Second}},
		steps.StepProgress{Step: 3, Event: steps.ResourceDone{Address: "module.s3.aws_s3_bucket.flow_logs", Action: "create", Elapsed: 12300 * time.Millisecond}},
		steps.StepProgress{Step: 3, Event: steps.ResourceFailed{Address: "module.s3.aws_s3_bucket.threat_list", Elapsed: time.Second, Message: "BucketAlreadyExists"}},
		steps.StepProgress{Step: 3, Event: steps.Diagnostic{Severity: "error", Summary: "creating S3 Bucket",
			Detail: "BucketAlreadyExists", Address: "module.s3.aws_s3_bucket.threat_list", Hint: "Bucket names are global."}},
		steps.SubscriptionConfirmed{Step: 5},
		steps.CheckReported{Step: 5, Check: steps.CheckResult{ID: "sns.subscription", Title: "Email subscription confirmed",
			Status: steps.CheckPending, Detail: "PendingConfirmation", Hint: "Click the link AWS mailed you.",
			Command: "aws sns list-subscriptions-by-topic --topic-arn arn"}},
		steps.StepFinished{Step: 5, State: steps.StateChecked, Passed: 3, Pending: 1},
		steps.IncidentProgress{Event: steps.TrafficExpected{Since: at(60), Target: "203.0.113.7"}},
		steps.IncidentProgress{Event: steps.WaitingETA{Waiting: "the GuardDuty finding", ETA: 5 * time.Minute}},
		steps.IncidentProgress{Event: steps.FindingSeen{ID: "f1", Type: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
			Severity: 5, FirstSeen: at(400)}},
		steps.IncidentProgress{Event: steps.SubscriptionChanged{State: "confirmed"}},
		steps.IncidentProgress{Event: steps.MessageDelivered{At: at(420), Subject: "GuardDuty finding", Text: "First seen ..."}},
		steps.IncidentProgress{Event: steps.GroupsChanged{At: at(430), Before: []string{"sg-1"}, After: []string{"sg-2"}}},
		steps.IncidentProgress{Event: steps.LambdaLog{At: at(429), Line: "isolating i-0abc"}},
		steps.IncidentProgress{Event: steps.WatchProblem{What: "finding", Detail: "throttled"}},
		steps.IncidentProgress{Event: steps.ResponseComplete{TimeToRespond: 30 * time.Second,
			Timeline: []steps.TimelineEntry{{At: at(400), What: "finding"}, {At: at(430), What: "isolated"}}}},
		steps.RunFinished{Result: steps.AutoResult{Outcome: steps.OutcomeComplete, Step: 9,
			TimeToRespond: 30 * time.Second, Elapsed: 754 * time.Second}},
	}
}

func encodeAll(t *testing.T, events []steps.AutoEvent) string {
	t.Helper()
	var b bytes.Buffer
	j := newJSONLines(&b)
	j.now = func() time.Time { return sampleTime }
	for _, e := range events {
		j.emit(e)
	}
	if j.err != nil {
		t.Fatal(j.err)
	}
	return b.String()
}

func TestJSONLinesGolden(t *testing.T) {
	got := encodeAll(t, sampleEvents())
	path := filepath.Join("testdata", "events.golden.jsonl")
	if *updateJSONGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-json-golden to create it)", err)
	}
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		g, w := lineAt(gotLines, i), lineAt(wantLines, i)
		if g != w {
			t.Errorf("line %d\n got: %s\nwant: %s", i+1, g, w)
		}
	}
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<none>"
}

// Every line is one object that starts with event, time and step, and
// every event name the steps package knows has a JSON form.
func TestJSONLinesShape(t *testing.T) {
	out := encodeAll(t, sampleEvents())
	var seen []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, `{"event":"`) || !strings.Contains(line, `","time":"2026-05-01T10:04:12Z","step":`) {
			t.Errorf("line does not start with event, time, step: %s", line)
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, line)
		}
		for key := range obj {
			if key != strings.ToLower(key) || strings.ContainsAny(key, "- ") {
				t.Errorf("%s: field %q is not snake_case", obj["event"], key)
			}
		}
		seen = append(seen, obj["event"].(string))
	}
	want := steps.AutoEventNames()
	slices.Sort(seen)
	slices.Sort(want)
	if !slices.Equal(seen, want) {
		t.Errorf("samples encode %v\nsteps names   %v", seen, want)
	}
}

func TestJSONLinesRejectsUnknownEvents(t *testing.T) {
	type strange struct{ steps.StepStarted }
	if _, err := encodeEvent(steps.StepProgress{Event: nil}, sampleTime); err == nil {
		t.Error("a progress event without a terraform event was encoded")
	}
	if _, err := encodeEvent(strange{}, sampleTime); err == nil {
		t.Error("an unknown event type was encoded")
	}
}

func TestExitCodeFor(t *testing.T) {
	for outcome, want := range map[steps.AutoOutcome]int{
		steps.OutcomeComplete: 0, steps.OutcomeCheckFailed: 1, steps.OutcomeError: 1,
		steps.OutcomeTimeout: 1, steps.OutcomeInterrupted: 130,
	} {
		if got := exitCodeFor(outcome); got != want {
			t.Errorf("%s: exit %d, want %d", outcome, got, want)
		}
	}
}

// Every event has a human form too: one line or more, none empty-handed.
func TestHumanLinesEveryEvent(t *testing.T) {
	for _, e := range sampleEvents() {
		var b bytes.Buffer
		newHumanLines(&b).emit(e)
		if strings.TrimSpace(b.String()) == "" {
			t.Errorf("%s prints nothing for people", e.Name())
		}
	}
	var b bytes.Buffer
	newHumanLines(&b).emit(steps.SubscriptionConfirmed{Step: 5})
	if !strings.Contains(b.String(), "confirmed automatically") {
		t.Errorf("subscription_confirmed prints %q", b.String())
	}
}
