package probe

import "time"

// Event is something the incident watch observed. The concrete types below
// are all there is; switch on them.
type Event interface {
	// Kind names the event in JSON lines ("finding_seen", …).
	Kind() string
	// At is when gdlab observed it (not when it happened in AWS; events
	// carry that separately where AWS reports it).
	At() time.Time
}

// TrafficExpected says when the compromised instance starts pinging the
// malicious EIP: its launch time plus the user data's initial sleep.
type TrafficExpected struct {
	LaunchedAt time.Time `json:"launched_at"`
	StartsAt   time.Time `json:"starts_at"`
	Seen       time.Time `json:"seen"`
}

// FindingETA is an honest estimate of when the finding will arrive.
type FindingETA struct {
	Earliest    time.Time `json:"earliest"`
	Likely      time.Time `json:"likely"`
	Latest      time.Time `json:"latest"`
	Explanation string    `json:"explanation"`
	// Late is set when Latest has passed without a finding.
	Late bool      `json:"late,omitempty"`
	Seen time.Time `json:"seen"`
}

// FindingSeen is the first GuardDuty finding about the compromised instance.
type FindingSeen struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Severity  float64   `json:"severity"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
	Seen      time.Time `json:"seen"`
}

// SubscriptionChanged reports the email subscription's state: "pending",
// "confirmed" or "missing".
type SubscriptionChanged struct {
	Endpoint string    `json:"endpoint"`
	State    string    `json:"state"`
	Note     string    `json:"note,omitempty"`
	Seen     time.Time `json:"seen"`
}

// TapMessage is one message the topic delivered, read from gdlab's SQS tap:
// Message is exactly the text the email carries.
type TapMessage struct {
	MessageID string    `json:"message_id"`
	Subject   string    `json:"subject,omitempty"`
	Message   string    `json:"message"`
	SentAt    time.Time `json:"sent_at"`
	Seen      time.Time `json:"seen"`
}

// GroupsChanged is the compromised instance's security groups before and
// after a change; Isolated is set when only the forensic group remains.
type GroupsChanged struct {
	InstanceID string    `json:"instance_id"`
	Before     []string  `json:"before"`
	After      []string  `json:"after"`
	Isolated   bool      `json:"isolated"`
	Seen       time.Time `json:"seen"`
}

// LambdaLog is one line the remediation function logged.
type LambdaLog struct {
	Logged  time.Time `json:"logged"`
	Message string    `json:"message"`
	Seen    time.Time `json:"seen"`
}

// PollFailed says one look-up failed; the watch keeps going.
type PollFailed struct {
	What   string    `json:"what"`
	Detail string    `json:"detail"`
	Seen   time.Time `json:"seen"`
}

// TimelineReady is the last event: the incident from traffic to isolation.
type TimelineReady struct {
	Timeline Timeline  `json:"timeline"`
	Seen     time.Time `json:"seen"`
}

// Timeline is the incident in order, with the time to respond.
type Timeline struct {
	Entries []TimelineEntry `json:"entries"`
	// TimeToRespond is from GuardDuty creating the finding to gdlab seeing
	// the instance isolated (an upper bound: the move happened at or
	// before it was seen).
	TimeToRespond time.Duration `json:"time_to_respond"`
	Isolated      bool          `json:"isolated"`
}

// TimelineEntry is one moment of the incident.
type TimelineEntry struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

func (e TrafficExpected) Kind() string     { return "traffic_expected" }
func (e FindingETA) Kind() string          { return "finding_eta" }
func (e FindingSeen) Kind() string         { return "finding_seen" }
func (e SubscriptionChanged) Kind() string { return "subscription_changed" }
func (e TapMessage) Kind() string          { return "tap_message" }
func (e GroupsChanged) Kind() string       { return "groups_changed" }
func (e LambdaLog) Kind() string           { return "lambda_log" }
func (e PollFailed) Kind() string          { return "poll_failed" }
func (e TimelineReady) Kind() string       { return "timeline" }

func (e TrafficExpected) At() time.Time     { return e.Seen }
func (e FindingETA) At() time.Time          { return e.Seen }
func (e FindingSeen) At() time.Time         { return e.Seen }
func (e SubscriptionChanged) At() time.Time { return e.Seen }
func (e TapMessage) At() time.Time          { return e.Seen }
func (e GroupsChanged) At() time.Time       { return e.Seen }
func (e LambdaLog) At() time.Time           { return e.Seen }
func (e PollFailed) At() time.Time          { return e.Seen }
func (e TimelineReady) At() time.Time       { return e.Seen }
