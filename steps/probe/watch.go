package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// WatchOptions tune the incident watch; zero values take the defaults.
type WatchOptions struct {
	Clock Clock
	// CallsPerMinute caps all AWS calls of the watch together (default 15).
	CallsPerMinute int
	// TrafficDelay is how long the compromised instance's user data waits
	// after boot before it starts pinging (default 5 minutes).
	TrafficDelay time.Duration
	// Linger is how long the watch keeps reading the tap and the Lambda's
	// logs after the isolation, to catch the alert emails (default 3 minutes).
	Linger time.Duration
}

// Poll intervals. Waiting for GuardDuty takes tens of minutes, so the watch
// polls slowly and backs off; once the finding is there the Lambda acts
// within seconds, so it polls the instance fast for a while.
const (
	findingInterval      = 60 * time.Second
	findingMaxInterval   = 3 * time.Minute
	findingBackoff       = 1.5
	subscriptionInterval = 90 * time.Second
	groupsSlowInterval   = 2 * time.Minute
	// GroupsWaitInterval is how often the instance is looked at while the
	// finding is due: the Lambda may move it before gdlab sees the finding.
	GroupsWaitInterval = 30 * time.Second
	// GroupsFastInterval applies for a while after the finding is seen.
	GroupsFastInterval = 10 * time.Second
	tapFastInterval    = 20 * time.Second
	tapSlowInterval    = 60 * time.Second
	logsFastInterval   = 30 * time.Second
	logsSlowInterval   = 60 * time.Second
	fastPeriod         = 10 * time.Minute
)

// SampleFindingExplanation is what the "send a sample finding" action
// exercises and why the Lambda does not act on it.
const SampleFindingExplanation = "GuardDuty created a sample finding of the lab's type. It goes through EventBridge like a real one, " +
	"so the alert email arrives within minutes. Its title starts with [SAMPLE], it names a placeholder instance (i-99999999) and " +
	"carries service.additionalInfo.sample = true, so the remediation Lambda skips it on purpose: only real findings may move instances."

var errNoBudget = errors.New("call budget spent for this minute")

// Watch follows the incident of step 9 in the account.
type Watch struct {
	p     *Prober
	out   Outputs
	opts  WatchOptions
	clock Clock

	budget *CallBudget
	// tapWanted is set by SendSampleFinding from another goroutine.
	tapWanted atomic.Bool

	emit func(Event)

	started        time.Time
	trafficStart   time.Time
	etaLateSent    bool
	finding        *FindingSeen
	fastUntil      time.Time
	groups         []string
	groupsKnown    bool
	isolatedAt     time.Time
	subState       map[string]string
	firstTapSentAt time.Time
	tapCount       int
	tapSeenIDs     map[string]bool
	logsFrom       int64 // ms since epoch, exclusive lower bound
	timeline       []TimelineEntry
	findingDelay   time.Duration
	pollerList     []*poller
}

// NewWatch prepares a watch of the lab described by out.
func (p *Prober) NewWatch(out Outputs, opts WatchOptions) *Watch {
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.CallsPerMinute <= 0 {
		opts.CallsPerMinute = DefaultCallsPerMinute
	}
	if opts.TrafficDelay <= 0 {
		opts.TrafficDelay = 5 * time.Minute
	}
	if opts.Linger <= 0 {
		opts.Linger = 3 * time.Minute
	}
	return &Watch{
		p: p, out: out, opts: opts, clock: opts.Clock,
		budget:   NewCallBudget(opts.CallsPerMinute, time.Minute, opts.Clock),
		subState: map[string]string{}, tapSeenIDs: map[string]bool{},
	}
}

// Budget is the watch's call budget, to show or assert on.
func (w *Watch) Budget() *CallBudget { return w.budget }

// SendSampleFinding asks GuardDuty for one sample finding of the lab's type,
// which exercises the rule → topic → email path at once. It returns
// SampleFindingExplanation. Safe to call while Run is running.
func (w *Watch) SendSampleFinding(ctx context.Context) (string, error) {
	if w.out.DetectorID == "" {
		return "", errors.New("no detector yet: apply step 4 first")
	}
	if !w.budget.TryTake() {
		return "", fmt.Errorf("%w; try again in %s", errNoBudget, w.budget.NextFree().Sub(w.clock.Now()).Round(time.Second))
	}
	_, err := w.p.gd.CreateSampleFindings(ctx, &guardduty.CreateSampleFindingsInput{
		DetectorId: aws.String(w.out.DetectorID), FindingTypes: []string{EC2FindingType},
	})
	if err != nil {
		sentence, _ := explain(err, "")
		return "", errors.New(sentence)
	}
	w.tapWanted.Store(true)
	return SampleFindingExplanation, nil
}

// poller is one thing the watch looks at, with its own schedule.
type poller struct {
	name string
	next time.Time
	// active reports whether there is anything left to learn.
	active func() bool
	// poll looks once and returns the delay until the next look.
	poll func(ctx context.Context) (time.Duration, error)
}

// Run watches until the instance is isolated and the alerts have had time
// to arrive, or until ctx ends. emit receives every event, in order, on
// Run's goroutine. The returned timeline is also the last event.
func (w *Watch) Run(ctx context.Context, emit func(Event)) (Timeline, error) {
	w.emit = emit
	w.started = w.clock.Now()
	w.logsFrom = w.started.Add(-time.Minute).UnixMilli()
	pollers := w.pollers()
	for {
		if w.done() {
			tl := w.buildTimeline()
			w.emit(TimelineReady{Timeline: tl, Seen: w.clock.Now()})
			return tl, nil
		}
		now := w.clock.Now()
		wake := now.Add(findingMaxInterval)
		for _, pl := range pollers {
			if !pl.active() {
				continue
			}
			if !pl.next.After(now) {
				delay, err := pl.poll(ctx)
				switch {
				case errors.Is(err, errNoBudget):
					delay = max(w.budget.NextFree().Sub(w.clock.Now()), time.Second)
				case err != nil:
					if ctx.Err() != nil {
						return w.buildTimeline(), ctx.Err()
					}
					sentence, _ := explain(err, "")
					w.emit(PollFailed{What: pl.name, Detail: sentence, Seen: w.clock.Now()})
					delay = max(delay, time.Minute)
				}
				pl.next = w.clock.Now().Add(delay)
			}
			if pl.next.Before(wake) {
				wake = pl.next
			}
		}
		if err := w.clock.Sleep(ctx, max(wake.Sub(w.clock.Now()), 0)); err != nil {
			return w.buildTimeline(), err
		}
	}
}

func (w *Watch) done() bool {
	if w.isolatedAt.IsZero() {
		return false
	}
	lingered := w.clock.Now().Sub(w.isolatedAt) >= w.opts.Linger
	if lingered {
		return true
	}
	// An instance found isolated at once still needs its cause on the board.
	if w.finding == nil && w.out.DetectorID != "" {
		return false
	}
	// Two alerts: EventBridge's transformed finding and the Lambda's report.
	return lingered || w.out.SNSTapQueueURL == "" || w.tapCount >= 2 && w.clock.Now().Sub(w.isolatedAt) >= time.Minute
}

func (w *Watch) fast() bool { return w.clock.Now().Before(w.fastUntil) }

// pollers in priority order: when the budget is short, the instance's
// groups (the thing the learner waits for) go first.
func (w *Watch) pollers() []*poller {
	w.pollerList = []*poller{
		{name: "instance", active: func() bool { return w.isolatedAt.IsZero() }, poll: func(ctx context.Context) (time.Duration, error) {
			err := w.pollGroups(ctx)
			return w.groupsInterval(), err
		}},
		{name: "finding", active: func() bool { return w.finding == nil && w.out.DetectorID != "" }, poll: func(ctx context.Context) (time.Duration, error) {
			err := w.pollFinding(ctx)
			return w.nextFindingInterval(), err
		}},
		{name: "subscription", active: func() bool { return w.out.SNSTopicARN != "" && !w.allConfirmed() }, poll: func(ctx context.Context) (time.Duration, error) {
			return subscriptionInterval, w.pollSubscription(ctx)
		}},
		{name: "tap", active: func() bool {
			return w.out.SNSTapQueueURL != "" && (w.finding != nil || w.tapWanted.Load())
		}, poll: func(ctx context.Context) (time.Duration, error) {
			if err := w.pollTap(ctx); err != nil {
				return tapSlowInterval, err
			}
			if w.fast() {
				return tapFastInterval, nil
			}
			return tapSlowInterval, nil
		}},
		{name: "lambda logs", active: func() bool { return w.out.LambdaLogGroupName != "" && w.finding != nil }, poll: func(ctx context.Context) (time.Duration, error) {
			if err := w.pollLogs(ctx); err != nil {
				return logsSlowInterval, err
			}
			if w.fast() {
				return logsFastInterval, nil
			}
			return logsSlowInterval, nil
		}},
	}
	return w.pollerList
}

// due reports whether the finding is expected by now: from the ETA's
// earliest moment until well after its latest.
func (w *Watch) due() bool {
	if w.finding != nil || w.trafficStart.IsZero() {
		return false
	}
	now := w.clock.Now()
	return !now.Before(w.trafficStart.Add(etaEarliest)) && now.Before(w.trafficStart.Add(etaLatest+15*time.Minute))
}

func (w *Watch) groupsInterval() time.Duration {
	switch {
	case w.fast():
		return GroupsFastInterval
	case w.due():
		return GroupsWaitInterval
	default:
		return groupsSlowInterval
	}
}

// nextFindingInterval polls every minute while the finding is due, waits
// for the ETA before that, and backs off once the ETA has passed.
func (w *Watch) nextFindingInterval() time.Duration {
	now := w.clock.Now()
	if w.trafficStart.IsZero() {
		return findingInterval
	}
	if earliest := w.trafficStart.Add(etaEarliest); now.Before(earliest) {
		return min(max(earliest.Sub(now), findingInterval), findingMaxInterval)
	}
	if now.Before(w.trafficStart.Add(etaLatest)) {
		return findingInterval
	}
	if w.findingDelay == 0 {
		w.findingDelay = findingInterval
	}
	w.findingDelay = min(time.Duration(float64(w.findingDelay)*findingBackoff), findingMaxInterval)
	return w.findingDelay
}

// wake makes the named pollers look at once.
func (w *Watch) wake(names ...string) {
	now := w.clock.Now()
	for _, pl := range w.pollerList {
		if slices.Contains(names, pl.name) {
			pl.next = now
		}
	}
}

// call runs one AWS call if the budget allows it.
func (w *Watch) call(fn func() error) error {
	if !w.budget.TryTake() {
		return errNoBudget
	}
	return fn()
}

func (w *Watch) pollGroups(ctx context.Context) error {
	var err error
	var found bool
	var groups []string
	var launched time.Time
	if cerr := w.call(func() error {
		inst, e := w.p.describeInstance(ctx, w.out.CompromisedInstanceID)
		if e != nil {
			err = e
			return nil
		}
		if inst != nil {
			found = true
			groups = instanceGroupIDs(inst)
			launched = aws.ToTime(inst.LaunchTime)
		}
		return nil
	}); cerr != nil {
		return cerr
	}
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("instance %s does not exist", w.out.CompromisedInstanceID)
	}
	now := w.clock.Now()
	if !w.groupsKnown {
		w.groupsKnown = true
		w.groups = groups
		if w.isolated(groups) {
			// Isolated before the watch began (the Lambda was quicker than
			// the learner): say so rather than show the initial group.
			w.emit(GroupsChanged{InstanceID: w.out.CompromisedInstanceID, After: groups, Isolated: true, Seen: now})
		}
		if !launched.IsZero() {
			w.trafficStart = launched.Add(w.opts.TrafficDelay)
			w.emit(TrafficExpected{LaunchedAt: launched, StartsAt: w.trafficStart, Seen: now})
			w.timeline = append(w.timeline, TimelineEntry{At: launched, What: "compromised instance launched"},
				TimelineEntry{At: w.trafficStart, What: "pings to the malicious EIP expected to start"})
			if w.finding == nil {
				w.emit(EstimateFinding(w.trafficStart, now))
			}
		}
		if w.isolated(groups) {
			w.markIsolated(now)
		}
		return nil
	}
	if !w.etaLateSent && w.finding == nil && !w.trafficStart.IsZero() && now.After(w.trafficStart.Add(etaLatest)) {
		w.etaLateSent = true
		eta := EstimateFinding(w.trafficStart, now)
		eta.Late = true
		eta.Explanation = "Later than usual. Check that the threat intel set is ACTIVE and lists the EIP (gdlab verify --step 4), and that the instance is running; or send a sample finding to test the email path."
		w.emit(eta)
	}
	if !slices.Equal(groups, w.groups) {
		isolated := w.isolated(groups)
		w.emit(GroupsChanged{InstanceID: w.out.CompromisedInstanceID, Before: w.groups, After: groups, Isolated: isolated, Seen: now})
		w.groups = groups
		if isolated {
			w.markIsolated(now)
		}
	}
	return nil
}

func (w *Watch) isolated(groups []string) bool {
	return w.out.ForensicSGID != "" && slices.Equal(groups, []string{w.out.ForensicSGID})
}

func (w *Watch) markIsolated(now time.Time) {
	w.isolatedAt = now
	w.timeline = append(w.timeline, TimelineEntry{At: now, What: "instance seen isolated in the forensic group"})
}

func (w *Watch) pollFinding(ctx context.Context) error {
	var ids []string
	err := w.call(func() error {
		resp, err := w.p.gd.ListFindings(ctx, &guardduty.ListFindingsInput{
			DetectorId: aws.String(w.out.DetectorID), FindingCriteria: labFindingCriteria(w.out.CompromisedInstanceID),
			SortCriteria: &gdtypes.SortCriteria{AttributeName: aws.String("createdAt"), OrderBy: gdtypes.OrderByAsc},
			MaxResults:   aws.Int32(1),
		})
		if err == nil {
			ids = resp.FindingIds
		}
		return err
	})
	if err != nil || len(ids) == 0 {
		return err
	}
	seen := FindingSeen{ID: ids[0], Type: EC2FindingType}
	// Details are a nicety: the id alone already means the finding exists.
	_ = w.call(func() error {
		resp, err := w.p.gd.GetFindings(ctx, &guardduty.GetFindingsInput{DetectorId: aws.String(w.out.DetectorID), FindingIds: ids[:1]})
		if err == nil && len(resp.Findings) > 0 {
			f := resp.Findings[0]
			seen.Type = aws.ToString(f.Type)
			seen.Severity = aws.ToFloat64(f.Severity)
			seen.Title = aws.ToString(f.Title)
			seen.CreatedAt, _ = time.Parse(time.RFC3339, aws.ToString(f.CreatedAt))
		}
		return nil
	})
	now := w.clock.Now()
	seen.Seen = now
	w.finding = &seen
	w.fastUntil = now.Add(fastPeriod)
	// The Lambda acts seconds after EventBridge gets the finding: look now.
	w.wake("instance", "tap", "lambda logs")
	if !seen.CreatedAt.IsZero() {
		w.timeline = append(w.timeline, TimelineEntry{At: seen.CreatedAt, What: "GuardDuty created the finding"})
	}
	w.timeline = append(w.timeline, TimelineEntry{At: now, What: "gdlab saw the finding"})
	w.emit(seen)
	return nil
}

func (w *Watch) allConfirmed() bool {
	if len(w.subState) == 0 {
		return false
	}
	for _, s := range w.subState {
		if s != "confirmed" {
			return false
		}
	}
	return true
}

func (w *Watch) pollSubscription(ctx context.Context) error {
	var subsErr error
	var states = map[string]string{}
	err := w.call(func() error {
		resp, err := w.p.sns.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(w.out.SNSTopicARN)})
		if err != nil {
			subsErr = err
			return nil
		}
		for _, s := range resp.Subscriptions {
			if p := aws.ToString(s.Protocol); p != "email" && p != "email-json" {
				continue
			}
			state := "confirmed"
			if aws.ToString(s.SubscriptionArn) == pendingConfirmation {
				state = "pending"
			}
			states[aws.ToString(s.Endpoint)] = state
		}
		return nil
	})
	if err != nil {
		return err
	}
	if subsErr != nil {
		return subsErr
	}
	now := w.clock.Now()
	for endpoint, state := range states {
		if w.subState[endpoint] == state {
			continue
		}
		w.subState[endpoint] = state
		note := ""
		if state == "pending" {
			note = "Click \"Confirm subscription\" in the email from AWS Notifications, or no alert email arrives. " + PendingEmailExplanation
		}
		w.emit(SubscriptionChanged{Endpoint: endpoint, State: state, Note: note, Seen: now})
	}
	if len(states) == 0 && w.subState[""] != "missing" {
		w.subState[""] = "missing"
		w.emit(SubscriptionChanged{State: "missing", Note: "The topic has no email subscription; re-apply step 5 with --email.", Seen: now})
	}
	return nil
}

// snsEnvelope is the JSON SNS wraps a message in when delivering to SQS
// without raw message delivery.
type snsEnvelope struct {
	Type      string `json:"Type"`
	MessageID string `json:"MessageId"`
	Subject   string `json:"Subject"`
	Message   string `json:"Message"`
	Timestamp string `json:"Timestamp"`
}

func (w *Watch) pollTap(ctx context.Context) error {
	var msgs []sqstypes.Message
	err := w.call(func() error {
		resp, err := w.p.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(w.out.SNSTapQueueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 0,
		})
		if err == nil {
			msgs = resp.Messages
		}
		return err
	})
	if err != nil || len(msgs) == 0 {
		return err
	}
	now := w.clock.Now()
	var entries []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range msgs {
		body := aws.ToString(m.Body)
		event := TapMessage{MessageID: aws.ToString(m.MessageId), Message: body, Seen: now}
		var env snsEnvelope
		if json.Unmarshal([]byte(body), &env) == nil && env.Type == "Notification" {
			event.MessageID, event.Subject, event.Message = env.MessageID, env.Subject, env.Message
			event.SentAt, _ = time.Parse(time.RFC3339, env.Timestamp)
		}
		entries = append(entries, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
		if w.tapSeenIDs[event.MessageID] {
			continue
		}
		w.tapSeenIDs[event.MessageID] = true
		if w.firstTapSentAt.IsZero() && w.finding != nil {
			at := event.SentAt
			if at.IsZero() {
				at = now
			}
			w.firstTapSentAt = at
			w.timeline = append(w.timeline, TimelineEntry{At: at, What: "first alert delivered by SNS"})
		}
		w.tapCount++
		w.emit(event)
	}
	// Delete what was read so it is not shown twice; if the budget is
	// short the messages reappear after the visibility timeout, and the
	// id check below drops them.
	return w.call(func() error {
		_, err := w.p.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(w.out.SNSTapQueueURL), Entries: entries})
		return err
	})
}

func (w *Watch) pollLogs(ctx context.Context) error {
	var token *string
	for page := 0; page < 3; page++ {
		var resp *cloudwatchlogs.FilterLogEventsOutput
		var callErr error
		err := w.call(func() error {
			resp, callErr = w.p.logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
				LogGroupName: aws.String(w.out.LambdaLogGroupName), StartTime: aws.Int64(w.logsFrom + 1), NextToken: token,
			})
			return nil
		})
		if err != nil {
			return err
		}
		if callErr != nil {
			if isNotFound(callErr) {
				return nil // the function has not run yet
			}
			return callErr
		}
		now := w.clock.Now()
		newest := w.logsFrom
		for _, e := range resp.Events {
			ts := aws.ToInt64(e.Timestamp)
			newest = max(newest, ts)
			msg := strings.TrimRight(aws.ToString(e.Message), "\n")
			if msg == "" {
				continue
			}
			w.emit(LambdaLog{Logged: time.UnixMilli(ts).UTC(), Message: msg, Seen: now})
		}
		w.logsFrom = newest
		if aws.ToString(resp.NextToken) == "" {
			return nil
		}
		token = resp.NextToken
	}
	return nil
}

func (w *Watch) buildTimeline() Timeline {
	tl := Timeline{Entries: append([]TimelineEntry(nil), w.timeline...), Isolated: !w.isolatedAt.IsZero()}
	slices.SortStableFunc(tl.Entries, func(a, b TimelineEntry) int { return a.At.Compare(b.At) })
	if tl.Isolated && w.finding != nil {
		from := w.finding.CreatedAt
		if from.IsZero() {
			from = w.finding.Seen
		}
		tl.TimeToRespond = w.isolatedAt.Sub(from)
	}
	return tl
}
