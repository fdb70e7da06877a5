package probe

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// simClock is simulated time: Sleep advances it at once.
type simClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// incidentWorld is the account during step 9, driven by the simulated
// clock: the finding appears at findingAt, the Lambda moves the instance at
// moveAt. It records the time of every call.
type incidentWorld struct {
	ec2API
	guardDutyAPI
	snsAPI
	sqsAPI
	logsAPI

	clock       *simClock
	launched    time.Time
	confirmAt   time.Time
	findingAt   time.Time
	moveAt      time.Time
	initialSG   string
	forensicSG  string
	calls       []time.Time
	callsByName map[string]int
	firstCall   map[string]time.Time
	delivered   map[string]bool
	samples     int
}

func (w *incidentWorld) record(name string) time.Time {
	now := w.clock.Now()
	w.calls = append(w.calls, now)
	w.callsByName[name]++
	if _, ok := w.firstCall[name]; !ok {
		w.firstCall[name] = now
	}
	return now
}

func (w *incidentWorld) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	now := w.record("DescribeInstances")
	group := w.initialSG
	if !now.Before(w.moveAt) {
		group = w.forensicSG
	}
	return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{Instances: []ec2types.Instance{{
		InstanceId: aws.String(in.InstanceIds[0]), LaunchTime: aws.Time(w.launched),
		State:          &ec2types.InstanceState{Name: ec2types.InstanceStateNameRunning},
		SecurityGroups: []ec2types.GroupIdentifier{{GroupId: aws.String(group)}},
	}}}}}, nil
}

func (w *incidentWorld) ListFindings(context.Context, *guardduty.ListFindingsInput, ...func(*guardduty.Options)) (*guardduty.ListFindingsOutput, error) {
	if now := w.record("ListFindings"); now.Before(w.findingAt) {
		return &guardduty.ListFindingsOutput{FindingIds: []string{}}, nil
	}
	return &guardduty.ListFindingsOutput{FindingIds: []string{"f-1"}}, nil
}

func (w *incidentWorld) GetFindings(context.Context, *guardduty.GetFindingsInput, ...func(*guardduty.Options)) (*guardduty.GetFindingsOutput, error) {
	w.record("GetFindings")
	return &guardduty.GetFindingsOutput{Findings: []gdtypes.Finding{{Id: aws.String("f-1"), Type: aws.String(EC2FindingType),
		Severity: aws.Float64(5), Title: aws.String("EC2 instance is communicating with a host on a custom threat list."),
		CreatedAt: aws.String(w.findingAt.Add(-time.Minute).Format(time.RFC3339))}}}, nil
}

func (w *incidentWorld) CreateSampleFindings(context.Context, *guardduty.CreateSampleFindingsInput, ...func(*guardduty.Options)) (*guardduty.CreateSampleFindingsOutput, error) {
	w.record("CreateSampleFindings")
	w.samples++
	return &guardduty.CreateSampleFindingsOutput{}, nil
}

func (w *incidentWorld) ListSubscriptionsByTopic(context.Context, *sns.ListSubscriptionsByTopicInput, ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error) {
	arn := pendingConfirmation
	if now := w.record("ListSubscriptionsByTopic"); !now.Before(w.confirmAt) {
		arn = "arn:aws:sns:us-west-2:123456789012:gdlab-x-alerts:1"
	}
	return &sns.ListSubscriptionsByTopicOutput{Subscriptions: []snstypes.Subscription{{
		Protocol: aws.String("email"), Endpoint: aws.String("learner@example.com"), SubscriptionArn: aws.String(arn)}}}, nil
}

// tapMessages are the two alerts: EventBridge's transformed finding 30s
// after the finding, the Lambda's report 2s after the move.
func (w *incidentWorld) tapMessages() []struct {
	id, text string
	at       time.Time
} {
	return []struct {
		id, text string
		at       time.Time
	}{
		{"m-1", `"First GuardDuty finding for the lab: f-1 on i-compromised."`, w.findingAt.Add(30 * time.Second)},
		{"m-2", "Instance i-compromised was isolated in sg-forensic.", w.moveAt.Add(2 * time.Second)},
	}
}

func (w *incidentWorld) ReceiveMessage(context.Context, *sqs.ReceiveMessageInput, ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error) {
	now := w.record("ReceiveMessage")
	var out []sqstypes.Message
	for _, m := range w.tapMessages() {
		if now.Before(m.at) || w.delivered[m.id] {
			continue
		}
		body, _ := json.Marshal(snsEnvelope{Type: "Notification", MessageID: m.id, Subject: "AWS Notification Message", Message: m.text, Timestamp: m.at.Format(time.RFC3339)})
		out = append(out, sqstypes.Message{MessageId: aws.String("sqs-" + m.id), Body: aws.String(string(body)), ReceiptHandle: aws.String(m.id)})
	}
	return &sqs.ReceiveMessageOutput{Messages: out}, nil
}

func (w *incidentWorld) DeleteMessageBatch(_ context.Context, in *sqs.DeleteMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error) {
	w.record("DeleteMessageBatch")
	for _, e := range in.Entries {
		w.delivered[aws.ToString(e.ReceiptHandle)] = true
	}
	return &sqs.DeleteMessageBatchOutput{}, nil
}

func (w *incidentWorld) FilterLogEvents(_ context.Context, in *cloudwatchlogs.FilterLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	now := w.record("FilterLogEvents")
	var events []logstypes.FilteredLogEvent
	lines := []struct {
		at  time.Time
		msg string
	}{
		{w.moveAt.Add(-time.Second), "finding f-1 names i-compromised\n"},
		{w.moveAt, "moved i-compromised from [sg-initial] to [sg-forensic]\n"},
	}
	for _, l := range lines {
		if !now.Before(l.at) && l.at.UnixMilli() >= aws.ToInt64(in.StartTime) {
			events = append(events, logstypes.FilteredLogEvent{Timestamp: aws.Int64(l.at.UnixMilli()), Message: aws.String(l.msg)})
		}
	}
	return &cloudwatchlogs.FilterLogEventsOutput{Events: events}, nil
}

func newIncident(start time.Time, waitForFinding, lambdaDelay time.Duration) (*incidentWorld, *Prober, Outputs) {
	clock := &simClock{now: start}
	w := &incidentWorld{clock: clock, launched: start.Add(-2 * time.Minute), confirmAt: start.Add(8 * time.Minute),
		findingAt: start.Add(waitForFinding), initialSG: "sg-initial", forensicSG: "sg-forensic",
		callsByName: map[string]int{}, firstCall: map[string]time.Time{}, delivered: map[string]bool{}}
	w.moveAt = w.findingAt.Add(lambdaDelay)
	p := &Prober{region: testRegion, ec2: w, gd: w, sns: w, sqs: w, logs: w}
	out, _ := NewOutputs(map[string]any{
		"compromised_instance_id": "i-compromised", "initial_sg_id": "sg-initial", "forensic_sg_id": "sg-forensic",
		"detector_id": "det-1", "sns_topic_arn": "arn:aws:sns:us-west-2:123456789012:gdlab-x-alerts",
		"sns_tap_queue_url":     "https://sqs.us-west-2.amazonaws.com/123456789012/gdlab-x-tap",
		"lambda_log_group_name": "/aws/lambda/gdlab-x-remediation",
	})
	return w, p, out
}

// maxPerWindow counts the most calls in any sliding window.
func maxPerWindow(calls []time.Time, window time.Duration) int {
	most, start := 0, 0
	for end := range calls {
		for calls[end].Sub(calls[start]) >= window {
			start++
		}
		most = max(most, end-start+1)
	}
	return most
}

func TestWatchFollowsIncidentWithinBudget(t *testing.T) {
	tests := []struct {
		name                        string
		waitForFinding, lambdaDelay time.Duration
	}{
		// The move lands before gdlab's next finding poll: the instance
		// poll, not the finding poll, sees it.
		{"move before the finding is seen", 30 * time.Minute, 47 * time.Second},
		// The Lambda is slow (cold start, retries): gdlab sees the finding
		// first and polls fast.
		{"move after the finding is seen", 30 * time.Minute, 4 * time.Minute},
		{"finding late", 50 * time.Minute, 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testWatchIncident(t, tt.waitForFinding, tt.lambdaDelay) })
	}
}

func testWatchIncident(t *testing.T, waitForFinding, lambdaDelay time.Duration) {
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	world, p, out := newIncident(start, waitForFinding, lambdaDelay)
	watch := p.NewWatch(out, WatchOptions{Clock: world.clock})

	var events []Event
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tl, err := watch.Run(ctx, func(e Event) { events = append(events, e) })
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	if got := maxPerWindow(world.calls, time.Minute); got > DefaultCallsPerMinute {
		t.Errorf("%d AWS calls in one minute, budget is %d", got, DefaultCallsPerMinute)
	}
	if got := watch.Budget().MaxInWindow(); got > DefaultCallsPerMinute {
		t.Errorf("budget recorded %d calls in one minute", got)
	}
	if len(world.calls) != len(watch.Budget().Calls()) {
		t.Errorf("world saw %d calls, the budget accounted for %d", len(world.calls), len(watch.Budget().Calls()))
	}
	// While waiting, only the finding, the instance and the pending
	// subscription are polled: nothing reads the tap or the logs.
	for _, c := range []string{"ReceiveMessage", "FilterLogEvents", "GetFindings"} {
		if first, ok := world.firstCall[c]; !ok || first.Before(world.findingAt) {
			t.Errorf("%s first called at %v, the finding appeared at %v", c, first, world.findingAt)
		}
	}
	if n := world.callsByName["ListSubscriptionsByTopic"]; n > int(world.confirmAt.Sub(start)/subscriptionInterval)+2 {
		t.Errorf("subscription polled %d times; it should stop once confirmed", n)
	}

	var moved *GroupsChanged
	var found *FindingSeen
	kinds := map[string]int{}
	for _, e := range events {
		kinds[e.Kind()]++
		switch e := e.(type) {
		case GroupsChanged:
			moved = &e
		case FindingSeen:
			found = &e
		}
	}
	if moved == nil || found == nil {
		t.Fatalf("no GroupsChanged or FindingSeen event; events: %v", kinds)
	}
	// The instance is polled every GroupsWaitInterval while the finding is
	// due, and every GroupsFastInterval once gdlab has seen it.
	interval := GroupsWaitInterval
	if found.Seen.Before(world.moveAt) {
		interval = GroupsFastInterval
	}
	if lag := moved.Seen.Sub(world.moveAt); lag < 0 || lag > interval {
		t.Errorf("SG move reported %v after it happened; want within one poll interval (%v)", lag, interval)
	}
	if !moved.Isolated || strings.Join(moved.Before, ",") != "sg-initial" || strings.Join(moved.After, ",") != "sg-forensic" {
		t.Errorf("groups event %+v", moved)
	}
	// A finding later than the ETA's latest bound gets a second, "late" ETA.
	wantETA := 1
	if world.findingAt.After(world.launched.Add(5*time.Minute + etaLatest)) {
		wantETA = 2
	}
	for kind, want := range map[string]int{"traffic_expected": 1, "finding_eta": wantETA, "finding_seen": 1,
		"subscription_changed": 2, "tap_message": 2, "lambda_log": 2, "timeline": 1} {
		if kinds[kind] != want {
			t.Errorf("%s events: got %d, want %d (all: %v)", kind, kinds[kind], want, kinds)
		}
	}
	for _, e := range events {
		if m, ok := e.(TapMessage); ok && m.MessageID == "m-1" && m.Message != `"First GuardDuty finding for the lab: f-1 on i-compromised."` {
			t.Errorf("tap message text changed on the way: %q", m.Message)
		}
	}
	if want := world.moveAt.Sub(world.findingAt.Add(-time.Minute)); !tl.Isolated || tl.TimeToRespond < want || tl.TimeToRespond > want+GroupsWaitInterval {
		t.Errorf("timeline: isolated %v, time to respond %v", tl.Isolated, tl.TimeToRespond)
	}
	if _, ok := events[len(events)-1].(TimelineReady); !ok {
		t.Errorf("last event is %T, want TimelineReady", events[len(events)-1])
	}
}

func TestWatchSampleFinding(t *testing.T) {
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	world, p, out := newIncident(start, time.Hour, time.Minute)
	watch := p.NewWatch(out, WatchOptions{Clock: world.clock})
	why, err := watch.SendSampleFinding(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if world.samples != 1 || !strings.Contains(why, "skips it") || !strings.Contains(why, "sample") {
		t.Errorf("samples %d, explanation %q", world.samples, why)
	}
	if !watch.tapWanted.Load() {
		t.Error("the tap is not polled after a sample finding")
	}
	for range DefaultCallsPerMinute {
		watch.Budget().TryTake()
	}
	if _, err := watch.SendSampleFinding(context.Background()); err == nil {
		t.Error("a sample finding was sent past the call budget")
	}
}

func TestCallBudgetSlidingWindow(t *testing.T) {
	clock := &simClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := NewCallBudget(3, time.Minute, clock)
	for i := range 3 {
		if !b.TryTake() {
			t.Fatalf("call %d refused", i)
		}
		_ = clock.Sleep(context.Background(), 20*time.Second)
	}
	// t=60s: the first call (t=0) has just left the window.
	if !b.TryTake() {
		t.Fatal("call refused after the oldest left the window")
	}
	if b.TryTake() {
		t.Fatal("a 4th call within one minute was allowed")
	}
	if got, want := b.NextFree(), clock.Now().Add(20*time.Second); !got.Equal(want) {
		t.Errorf("NextFree = %v, want %v", got, want)
	}
	if b.MaxInWindow() != 3 {
		t.Errorf("MaxInWindow = %d", b.MaxInWindow())
	}
}

// TestWatchStartsAfterIsolation: in a slow walk through the lab (or a fast
// sandbox) the Lambda isolates the instance before step 9 starts watching.
// The watch must say so, and still show the finding that caused it.
func TestWatchStartsAfterIsolation(t *testing.T) {
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	// The finding came 20 minutes before the watch, the move a minute later.
	world, p, out := newIncident(start, -20*time.Minute, time.Minute)
	watch := p.NewWatch(out, WatchOptions{Clock: world.clock})
	var events []Event
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tl, err := watch.Run(ctx, func(e Event) { events = append(events, e) })
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var moved *GroupsChanged
	var found bool
	for _, e := range events {
		switch e := e.(type) {
		case GroupsChanged:
			moved = &e
		case FindingSeen:
			found = true
		}
	}
	if moved == nil || !moved.Isolated || len(moved.Before) != 0 || strings.Join(moved.After, ",") != "sg-forensic" {
		t.Errorf("want one GroupsChanged saying the instance was already isolated, got %+v", moved)
	}
	if !found {
		t.Error("the finding that caused the isolation must be reported before the watch ends")
	}
	if !tl.Isolated {
		t.Error("timeline must record the isolation")
	}
}
