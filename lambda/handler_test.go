package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

var fixedNow = time.Date(2025, 6, 1, 10, 22, 0, 0, time.UTC)

const initialSG = "sg-0aaa1111bbbb2222c"

type handlerCase struct {
	name     string
	event    func(t testing.TB) []byte
	groups   []GroupRef // the lab instance's groups before the call
	setup    func(*fakeEC2, *fakeSNS)
	ctx      func() (context.Context, context.CancelFunc)
	want     Result
	wantErr  bool
	modifies int
	publish  int
	logHas   string
}

func labEvent(edit func(*FindingEvent)) func(t testing.TB) []byte {
	return func(t testing.TB) []byte {
		data, err := json.Marshal(finding(t, edit))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}

func rawEvent(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

func TestHandle(t *testing.T) {
	initial := []GroupRef{{ID: initialSG, Name: "INITIAL_SG"}}
	forensic := []GroupRef{{ID: labConfig.ForensicsSG, Name: "FORENSIC_SG"}}
	isolated := Result{
		Outcome: OutcomeIsolated, FindingID: "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
		FindingType: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", InstanceID: labConfig.InstanceID,
		GroupsLeft: initial, GroupNow: labConfig.ForensicsSG, Notified: true, MessageID: "msg-1",
		Time: "2025-06-01T10:22:00Z",
	}
	withIDs := func(r Result) Result {
		r.FindingID, r.FindingType, r.InstanceID = isolated.FindingID, isolated.FindingType, isolated.InstanceID
		return r
	}
	cases := []handlerCase{
		{name: "isolates the lab instance and notifies", event: labEvent(nil), groups: initial,
			want: isolated, modifies: 1, publish: 1, logHas: `"msg":"instance isolated"`},
		{name: "leaves every other group, keeps none", event: labEvent(nil),
			groups: []GroupRef{{ID: initialSG, Name: "INITIAL_SG"}, {ID: "sg-0bbb", Name: "web"}, {ID: labConfig.ForensicsSG, Name: "FORENSIC_SG"}},
			want: func() Result {
				r := isolated
				r.GroupsLeft = []GroupRef{{ID: initialSG, Name: "INITIAL_SG"}, {ID: "sg-0bbb", Name: "web"}}
				return r
			}(), modifies: 1, publish: 1},
		{name: "already isolated: a repeated delivery does nothing", event: labEvent(nil), groups: forensic,
			want: withIDs(Result{Outcome: OutcomeAlreadyIsolated, GroupNow: labConfig.ForensicsSG}), logHas: "already isolated"},
		{name: "malformed event is skipped", event: rawEvent(`{"detail":`),
			want: Result{Outcome: OutcomeSkipped, Reason: "malformed event: decode GuardDuty finding event: unexpected end of JSON input"}, logHas: "skipped: malformed event"},
		{name: "empty event is skipped", event: rawEvent(``),
			want: Result{Outcome: OutcomeSkipped, Reason: "malformed event: empty event"}},
		{name: "sample finding is skipped and says so", event: func(t testing.TB) []byte { return readEvent(t, "sample_finding_event.json") },
			want: Result{Outcome: OutcomeSkipped, Reason: ReasonSampleFlag, FindingID: "00c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
				FindingType: "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", InstanceID: "i-99999999"},
			logHas: "sample finding"},
		{name: "another instance is skipped", event: labEvent(func(e *FindingEvent) { e.Detail.Resource.InstanceDetails.InstanceID = "i-0other" }),
			want: Result{Outcome: OutcomeSkipped, Reason: ReasonOtherInstance, FindingID: isolated.FindingID, FindingType: isolated.FindingType, InstanceID: "i-0other"}},
		{name: "not a GuardDuty event is skipped", event: rawEvent(`{"source":"aws.ec2","detail-type":"EC2 Instance State-change Notification","detail":{"instance-id":"i-1"}}`),
			want: Result{Outcome: OutcomeSkipped, Reason: ReasonNotFinding}},

		{name: "describe throttled: retried", event: labEvent(nil), groups: initial,
			setup: func(e *fakeEC2, _ *fakeSNS) { e.describeErr = errThrottled }, want: withIDs(Result{}), wantErr: true, logHas: `"retryable":true`},
		{name: "describe 503: retried", event: labEvent(nil), groups: initial,
			setup: func(e *fakeEC2, _ *fakeSNS) { e.describeErr = errUnavailable }, want: withIDs(Result{}), wantErr: true},
		{name: "describe denied: failed, not retried", event: labEvent(nil), groups: initial,
			setup:  func(e *fakeEC2, _ *fakeSNS) { e.describeErr = errDenied },
			want:   withIDs(Result{Outcome: OutcomeFailed, FailedAction: "ec2:DescribeInstances", Reason: "UnauthorizedOperation", Error: errDenied.Error()}),
			logHas: `"failedAction":"ec2:DescribeInstances"`},
		{name: "instance gone: failed, not retried", event: labEvent(nil),
			want: withIDs(Result{Outcome: OutcomeFailed, FailedAction: "ec2:DescribeInstances", Error: "instance i-0abc1234def567890 not found"})},
		{name: "modify server fault: retried", event: labEvent(nil), groups: initial,
			setup: func(e *fakeEC2, _ *fakeSNS) { e.modifyErr = errServerFault }, want: withIDs(Result{}), wantErr: true, modifies: 1},
		{name: "forensic group missing: failed, not retried, no message", event: labEvent(nil), groups: initial,
			setup:    func(e *fakeEC2, _ *fakeSNS) { e.modifyErr = errNoGroup },
			want:     withIDs(Result{Outcome: OutcomeFailed, FailedAction: "ec2:ModifyInstanceAttribute", Reason: "InvalidGroup.NotFound", Error: errNoGroup.Error()}),
			modifies: 1, logHas: `"failedAction":"ec2:ModifyInstanceAttribute"`},
		{name: "publish fails after isolating: reported, not retried", event: labEvent(nil), groups: initial,
			setup: func(_ *fakeEC2, s *fakeSNS) { s.err = errThrottled },
			want: func() Result {
				r := isolated
				r.Notified, r.MessageID, r.NotifyError = false, "", errThrottled.Error()
				return r
			}(), modifies: 1, publish: 1, logHas: `"failedAction":"sns:Publish"`},
		{name: "deadline already passed: retried, nothing changed", event: labEvent(nil), groups: initial,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			}, want: withIDs(Result{}), wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runHandlerCase(t, tc) })
	}
}

func runHandlerCase(t *testing.T, tc handlerCase) {
	ec2 := &fakeEC2{groups: map[string][]GroupRef{}}
	if tc.groups != nil {
		ec2.groups[labConfig.InstanceID] = tc.groups
	}
	sns := &fakeSNS{}
	if tc.setup != nil {
		tc.setup(ec2, sns)
	}
	var logs bytes.Buffer
	h := &Handler{Config: labConfig, EC2: ec2, SNS: sns,
		Log: slog.New(slog.NewJSONHandler(&logs, nil)), Now: func() time.Time { return fixedNow }}
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if tc.ctx != nil {
		ctx, cancel = tc.ctx()
	}
	defer cancel()

	got, err := h.Handle(ctx, tc.event(t))
	if (err != nil) != tc.wantErr {
		t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
	}
	if err != nil && !Retryable(err) {
		t.Errorf("returned error %v is not retryable; permanent errors must not be returned", err)
	}
	if !reflect.DeepEqual(got, tc.want) {
		t.Errorf("result\n got  %+v\n want %+v", got, tc.want)
	}
	if len(ec2.modifies) != tc.modifies {
		t.Errorf("ModifyInstanceAttribute called %d times, want %d", len(ec2.modifies), tc.modifies)
	}
	for _, m := range ec2.modifies {
		if aws.ToString(m.InstanceId) != labConfig.InstanceID || !reflect.DeepEqual(m.Groups, []string{labConfig.ForensicsSG}) {
			t.Errorf("ModifyInstanceAttribute(%s, %v), want (%s, [%s])", aws.ToString(m.InstanceId), m.Groups, labConfig.InstanceID, labConfig.ForensicsSG)
		}
	}
	if len(sns.published) != tc.publish {
		t.Errorf("Publish called %d times, want %d", len(sns.published), tc.publish)
	}
	if tc.want.Outcome == OutcomeSkipped && ec2.describes != 0 {
		t.Errorf("a skipped event called DescribeInstances %d times", ec2.describes)
	}
	assertJSONLines(t, logs.String())
	if tc.logHas != "" && !strings.Contains(logs.String(), tc.logHas) {
		t.Errorf("log does not contain %q:\n%s", tc.logHas, logs.String())
	}
}

func assertJSONLines(t *testing.T, logs string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no log lines")
	}
	for _, line := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("log line is not JSON: %q", line)
		}
		if v["outcome"] == nil && v["failedAction"] == nil {
			t.Errorf("log line has neither outcome nor failedAction: %q", line)
		}
	}
}

func TestHandlePublishesTheFacts(t *testing.T) {
	ec2 := &fakeEC2{groups: map[string][]GroupRef{labConfig.InstanceID: {{ID: initialSG, Name: "INITIAL_SG"}}}}
	sns := &fakeSNS{}
	h := &Handler{Config: labConfig, EC2: ec2, SNS: sns, Now: func() time.Time { return fixedNow }}
	if _, err := h.Handle(context.Background(), readEvent(t, "finding_event.json")); err != nil {
		t.Fatal(err)
	}
	p := sns.published[0]
	if aws.ToString(p.TopicArn) != labConfig.TopicARN {
		t.Errorf("topic %s", aws.ToString(p.TopicArn))
	}
	if s := aws.ToString(p.Subject); s != "GuardDuty: instance i-0abc1234def567890 isolated (Medium 5.0)" {
		t.Errorf("subject %q", s)
	}
	body := aws.ToString(p.Message)
	for _, line := range []string{
		"Finding: b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
		"Type: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
		"Severity: 5.0 (Medium)",
		"Instance: i-0abc1234def567890",
		"Remote IP: 203.0.113.25",
		"Groups left: sg-0aaa1111bbbb2222c (INITIAL_SG)",
		"Group now: " + labConfig.ForensicsSG,
		"Time: 2025-06-01T10:22:00Z",
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("message lacks %q:\n%s", line, body)
		}
	}
	if v := aws.ToString(p.MessageAttributes["finding_id"].StringValue); v != "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4" {
		t.Errorf("finding_id attribute %q", v)
	}
}

func TestHandleStopsWhenTheDeadlinePassesMidway(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ec2 := &fakeEC2{groups: map[string][]GroupRef{labConfig.InstanceID: {{ID: initialSG}}}, onDescribe: cancel}
	sns := &fakeSNS{}
	h := &Handler{Config: labConfig, EC2: ec2, SNS: sns}
	_, err := h.Handle(ctx, readEvent(t, "finding_event.json"))
	if !errors.Is(err, context.Canceled) || !Retryable(err) {
		t.Fatalf("err = %v, want a retryable context error", err)
	}
	if len(ec2.modifies) != 0 || len(sns.published) != 0 {
		t.Errorf("acted after the deadline: %d modifies, %d publishes", len(ec2.modifies), len(sns.published))
	}
}

func TestHandleLogsTheRequestID(t *testing.T) {
	var logs bytes.Buffer
	h := &Handler{Config: labConfig, EC2: &fakeEC2{}, SNS: &fakeSNS{}, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-42"})
	if _, err := h.Handle(ctx, readEvent(t, "sample_finding_event.json")); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["requestId"] != "req-42" || line["reason"] != ReasonSampleFlag {
		t.Errorf("log line %v, want requestId req-42 and the sample reason", line)
	}
}

func TestRetryable(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("plain"), false},
		{context.DeadlineExceeded, true},
		{fmt.Errorf("wrapped: %w", context.Canceled), true},
		{errThrottled, true},
		{apiError("Throttling", smithy.FaultUnknown), true},
		{apiError("RequestTimeout", smithy.FaultUnknown), true},
		{errUnavailable, true},
		{httpStatusError(500), true},
		{httpStatusError(429), true},
		{errServerFault, true},
		{errDenied, false},
		{errNoGroup, false},
		{httpStatusError(400), false},
	}
	for _, c := range cases {
		if got := Retryable(c.err); got != c.want {
			t.Errorf("Retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestNotificationSubjectFitsSNS(t *testing.T) {
	n := Notification{InstanceID: strings.Repeat("i", 200), SeverityName: "High", Severity: 8}
	if len(n.Subject()) > 100 {
		t.Errorf("subject is %d characters; SNS allows 100", len(n.Subject()))
	}
	if b := (Notification{}).Body(); !strings.Contains(b, "Remote IP: unknown\n") {
		t.Errorf("a missing remote IP should read unknown:\n%s", b)
	}
}
