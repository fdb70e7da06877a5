package incident

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/sim/flowlog"
	"github.com/gdlab-dev/gdlab/sandbox/sim/snsmail"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// waitFor polls cond until it holds; the limit is generous because these are
// not timing assertions, only a bound on a hung chain.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func customFindings(w *world.World) []*world.Finding {
	var out []*world.Finding
	w.View(func(s *world.State) {
		for _, f := range s.Findings {
			if f.Detail["type"] == finding.TypeEC2MaliciousIPCallerCustom && world.LookupPath(f.Detail, "service.additionalInfo.sample") != true {
				out = append(out, f)
			}
		}
	})
	return out
}

func instanceGroups(w *world.World, id string) []string {
	var out []string
	w.View(func(s *world.State) { out = world.Strs(s.Find("aws_instance", id).Attrs, "vpc_security_group_ids") })
	return out
}

func logMessages(w *world.World, group string) []string {
	var out []string
	w.View(func(s *world.State) {
		for _, e := range s.LogEvents {
			if e.Group == group {
				out = append(out, e.Message)
			}
		}
	})
	return out
}

func countContaining(lines []string, sub string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

type flowFile struct {
	key     string
	text    string
	records []flowlog.Record
}

func flowFiles(t testing.TB, w *world.World, bucket string) []flowFile {
	t.Helper()
	var out []flowFile
	w.View(func(s *world.State) {
		for _, key := range world.SortedKeys(s.Objects[bucket]) {
			body := s.Objects[bucket][key].Body
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Errorf("%s is not gzip: %v", key, err)
				continue
			}
			text, _ := io.ReadAll(zr)
			recs, err := flowlog.ReadFile(body)
			if err != nil {
				t.Errorf("%s: %v", key, err)
			}
			out = append(out, flowFile{key: key, text: string(text), records: recs})
		}
	})
	return out
}

func hasAction(files []flowFile, action flowlog.Action) bool {
	for _, f := range files {
		for _, r := range f.records {
			if r.Action == action {
				return true
			}
		}
	}
	return false
}

func outbox(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msgs, err := snsmail.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		body, _ := io.ReadAll(m.Body)
		var h strings.Builder
		for k, v := range m.Header {
			h.WriteString(k + ": " + strings.Join(v, ",") + "\n")
		}
		out = append(out, h.String()+"\n"+string(body))
	}
	return out
}

func startEngine(t testing.TB, l *lab, scale float64, exe string) *Engine {
	t.Helper()
	e, err := Start(context.Background(), l.w, l.srv.URL, Options{TimeScale: scale, GdlabExe: exe, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestIncidentChain runs the whole incident on the lab's resources with the
// function's own bootstrap, then restarts on the reopened world.
func TestIncidentChain(t *testing.T) {
	needLinux(t)
	zipPath, err := nativeZip()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l := openLab(t, dir)
	arch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[goarch()]
	l.build(t, zipPath, arch)
	e := startEngine(t, l, 600, "")

	// The confirmation request lands in the outbox when the subscription exists.
	waitFor(t, "the confirmation mail", func() bool {
		return countContaining(outbox(t, e.OutboxPath()), snsmail.ConfirmationSubject) == 1
	})
	mails := outbox(t, e.OutboxPath())
	if !strings.Contains(mails[0], "X-Gdlab-Sandbox") || !strings.Contains(mails[0], l.srv.URL+"/_gdlab/v1/sns/confirm?Token=") {
		t.Errorf("confirmation mail lacks the sandbox label or link:\n%s", mails[0])
	}

	waitFor(t, "the finding", func() bool { return len(customFindings(l.w)) == 1 })
	f := customFindings(l.w)[0]
	checkFindingDetail(t, f.Detail, l)

	waitFor(t, "the instance in the forensic group", func() bool {
		return slices.Equal(instanceGroups(l.w, l.compromised), []string{l.forensicSG})
	})
	waitFor(t, "the function's report", func() bool {
		return countContaining(logMessages(l.w, l.logGroupName), "REPORT RequestId:") > 0
	})
	logs := logMessages(l.w, l.logGroupName)
	if countContaining(logs, "START RequestId:") == 0 || countContaining(logs, `"msg":"instance isolated"`) != 1 {
		t.Errorf("function log lines:\n%s", strings.Join(logs, "\n"))
	}

	// Confirm through the engine; the next publications reach the mailbox.
	if err := e.ConfirmSubscription(context.Background(), l.emailSub); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a notification mail", func() bool {
		return countContaining(outbox(t, e.OutboxPath()), "GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom") > 0
	})
	waitFor(t, "an SNS envelope in the SQS tap", func() bool { return tapEnvelope(t, l) })

	// Sample findings flow the same way; the function skips them.
	if _, err := l.w.CreateSampleFindings(l.detector, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sample finding's mail", func() bool {
		return countContaining(outbox(t, e.OutboxPath()), "Instance: "+finding.SampleInstanceID) > 0
	})

	waitFor(t, "REJECT flow records", func() bool { return hasAction(flowFiles(t, l.w, l.flowBucket), flowlog.Reject) })
	files := flowFiles(t, l.w, l.flowBucket)
	checkFlowFiles(t, files)

	isolatedBefore := countContaining(logMessages(l.w, l.logGroupName), `"msg":"instance isolated"`)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	l.stopEndpoint()

	// A new process on the same folder carries on: same finding, no second isolation.
	reopened := openLab(t, dir)
	l2 := &lab{}
	*l2 = *l
	l2.w, l2.srv = reopened.w, reopened.srv
	e2 := startEngine(t, l2, 600, "")
	start := l2.w.Now()
	waitFor(t, "an hour of simulated time after the restart", func() bool { return l2.w.Now().Sub(start) > time.Hour })
	t.Cleanup(func() {
		if t.Failed() {
			for _, m := range e2.Timeline() {
				t.Logf("timeline: %s %s %s", m.Sim.Format(time.TimeOnly), m.Name, m.Detail)
			}
			t.Logf("logs:\n%s", strings.Join(logMessages(l2.w, l2.logGroupName), "\n"))
		}
	})
	waitFor(t, "the restarted engine's deliveries", func() bool {
		return countContaining(logMessages(l2.w, l2.logGroupName), "already isolated") > 0
	})
	if n := len(customFindings(l2.w)); n != 1 {
		t.Errorf("%d custom findings after the restart, want 1", n)
	}
	if got := countContaining(logMessages(l2.w, l2.logGroupName), `"msg":"instance isolated"`); got != isolatedBefore {
		t.Errorf("isolated %d times in total, want %d", got, isolatedBefore)
	}
	if c := fmt.Sprint(world.LookupPath(customFindings(l2.w)[0].Detail, "service.count")); c == "0" || c == "1" {
		t.Errorf("finding count %v did not grow", c)
	}
	_ = e2
}

func checkFindingDetail(t *testing.T, d map[string]any, l *lab) {
	t.Helper()
	want := map[string]any{
		"type":                                finding.TypeEC2MaliciousIPCallerCustom,
		"severity":                            float64(finding.Severity),
		"accountId":                           world.Account,
		"resource.resourceType":               "Instance",
		"resource.instanceDetails.instanceId": l.compromised,
		"service.detectorId":                  l.detector,
		"service.action.networkConnectionAction.remoteIpDetails.ipAddressV4": l.eip,
		"service.additionalInfo.threatListName":                              labPrefix + "-malicious-ips",
	}
	for path, v := range want {
		if got := world.LookupPath(d, path); fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("finding %s = %v, want %v", path, got, v)
		}
	}
	for _, path := range []string{"service.eventFirstSeen", "service.eventLastSeen", "service.count", "createdAt", "updatedAt", "title", "service.additionalInfo.sandboxNote"} {
		if world.LookupPath(d, path) == nil {
			t.Errorf("finding lacks %s", path)
		}
	}
	enis, _ := world.LookupPath(d, "resource.instanceDetails.networkInterfaces").([]any)
	if len(enis) != 1 {
		t.Fatalf("network interfaces: %v", enis)
	}
	eni := enis[0].(map[string]any)
	if eni["privateIpAddress"] == "" || eni["publicIp"] == "" || eni["vpcId"] == "" {
		t.Errorf("network interface details incomplete: %v", eni)
	}
	b, _ := json.Marshal(world.LookupPath(d, "resource.instanceDetails.tags"))
	if !strings.Contains(string(b), "IAC-Tutorial: Compromised Instance") {
		t.Errorf("instance tags: %s", b)
	}
}

func checkFlowFiles(t *testing.T, files []flowFile) {
	t.Helper()
	if len(files) == 0 {
		t.Fatal("no flow log files")
	}
	for _, f := range files {
		if !strings.HasPrefix(f.key, "AWSLogs/"+world.Account+"/vpcflowlogs/us-west-2/") || !strings.HasSuffix(f.key, ".log.gz") {
			t.Errorf("flow log key %s", f.key)
		}
		if first, _, _ := strings.Cut(f.text, "\n"); first != flowlog.Header {
			t.Errorf("%s starts with %q", f.key, first)
		}
	}
	if !hasAction(files, flowlog.Accept) {
		t.Error("no ACCEPT records before the isolation")
	}
	// Once REJECT appears, no later file holds an accepted echo request.
	rejected := false
	for _, f := range files {
		for _, r := range f.records {
			if r.Action == flowlog.Reject {
				rejected = true
			} else if rejected && r.SrcAddr.IsPrivate() {
				t.Errorf("ACCEPT request after isolation in %s: %s", f.key, r)
			}
		}
	}
}

func tapEnvelope(t testing.TB, l *lab) bool {
	var bodies []string
	l.w.View(func(s *world.State) {
		arn := world.Str(s.QueueByURL(l.tapQueueURL).Attrs, "arn")
		for _, m := range s.QueueMessages {
			if m.QueueARN == arn {
				bodies = append(bodies, m.Body)
			}
		}
	})
	for _, b := range bodies {
		var env snsmail.Envelope
		if json.Unmarshal([]byte(b), &env) == nil && env.Type == "Notification" && env.TopicArn == l.topic &&
			strings.Contains(env.Message, "GuardDuty finding:") {
			return true
		}
	}
	return false
}
