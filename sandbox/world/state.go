package world

import (
	"encoding/json"
	"sort"
	"time"
)

// Account is the sandbox account id; fixed so that lab names and ARNs are stable.
const Account = "123456789012"

// stateVersion is bumped when the JSON layout changes incompatibly.
const stateVersion = 1

// State is everything the world holds; it is what world.json contains.
type State struct {
	Version int    `json:"version"`
	Account string `json:"account"`
	Region  string `json:"region"`

	// Resources by Terraform type, in creation order.
	Resources map[string][]*Resource `json:"resources"`
	// Objects is the S3 object store: bucket name → key → object.
	Objects map[string]map[string]*Object `json:"objects"`

	Findings      []*Finding      `json:"findings"`
	Mail          []*Mail         `json:"mail"`
	QueueMessages []*QueueMessage `json:"queue_messages"`
	LogEvents     []*LogEvent     `json:"log_events"`
	Clock         Clock           `json:"clock"`

	// Incident is the incident engine's own persisted state (sandbox/incident
	// owns its layout): traffic cursors, the GuardDuty finding tracker and
	// deliveries not yet made, so a restarted gdlab neither repeats nor loses
	// what the previous one did.
	Incident json.RawMessage `json:"incident,omitempty"`

	// Seq numbers things that need a monotonic order (log event ids, messages).
	Seq uint64 `json:"seq"`
}

// Resource is one Terraform-managed (or world-made) resource.
type Resource struct {
	Type string `json:"type"`
	// ID is the value Terraform keeps as id.
	ID    string         `json:"id"`
	Attrs map[string]any `json:"attrs"`
	// Private holds world-only facts the provider never sees, such as a threat
	// intel set's status or a subscription's confirmation token.
	Private   map[string]string `json:"private,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// Object is one S3 object.
type Object struct {
	Body         []byte            `json:"body"`
	ContentType  string            `json:"content_type"`
	ETag         string            `json:"etag"` // hex MD5, without quotes
	LastModified time.Time         `json:"last_modified"`
	Metadata     map[string]string `json:"metadata,omitempty"`
}

// Finding is a GuardDuty finding. Detail is the finding exactly as GetFindings
// returns it on the wire (camelCase), which is also the `detail` of the
// EventBridge event that carries it.
type Finding struct {
	ID         string         `json:"id"`
	DetectorID string         `json:"detector_id"`
	Detail     map[string]any `json:"detail"`
}

// Mail is one email SNS sent (confirmation requests and notifications); part 2
// renders these into the lab's mbox outbox.
type Mail struct {
	ID              string    `json:"id"`
	Kind            string    `json:"kind"` // "confirmation" or "notification"
	From            string    `json:"from"`
	To              string    `json:"to"`
	Subject         string    `json:"subject"`
	Body            string    `json:"body"`
	Date            time.Time `json:"date"`
	TopicARN        string    `json:"topic_arn"`
	SubscriptionARN string    `json:"subscription_arn"`
	// Outboxed is set once the mail has been written to the lab's outbox.
	Outboxed bool `json:"outboxed,omitempty"`
}

// QueueMessage is one SQS message in a queue.
type QueueMessage struct {
	QueueARN      string            `json:"queue_arn"`
	MessageID     string            `json:"message_id"`
	Body          string            `json:"body"`
	MD5OfBody     string            `json:"md5_of_body"`
	SentAt        time.Time         `json:"sent_at"`
	SenderID      string            `json:"sender_id"`
	ReceiptHandle string            `json:"receipt_handle,omitempty"`
	VisibleAt     time.Time         `json:"visible_at"`
	ReceiveCount  int               `json:"receive_count"`
	FirstReceive  time.Time         `json:"first_receive,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"` // message attributes (String type)
}

// LogEvent is one CloudWatch Logs event.
type LogEvent struct {
	Group     string `json:"group"`
	Stream    string `json:"stream"`
	Timestamp int64  `json:"timestamp"` // ms since epoch
	Ingestion int64  `json:"ingestion"` // ms since epoch
	Message   string `json:"message"`
	EventID   string `json:"event_id"`
}

func newState(region string, now time.Time) *State {
	return &State{
		Version:   stateVersion,
		Account:   Account,
		Region:    region,
		Resources: map[string][]*Resource{},
		Objects:   map[string]map[string]*Object{},
		Clock:     Clock{Scale: 1, RealStart: now, SimStart: now},
	}
}

// normalise makes a decoded state safe to use (nil maps from old or empty files).
func (s *State) normalise() {
	if s.Resources == nil {
		s.Resources = map[string][]*Resource{}
	}
	if s.Objects == nil {
		s.Objects = map[string]map[string]*Object{}
	}
	if s.Clock.Scale == 0 {
		s.Clock.Scale = 1
	}
	for _, list := range s.Resources {
		for _, r := range list {
			if r.Attrs == nil {
				r.Attrs = map[string]any{}
			}
		}
	}
}

// List returns the resources of one type in creation order.
func (s *State) List(typ string) []*Resource { return s.Resources[typ] }

// Find returns the resource of a type with a Terraform id, or nil.
func (s *State) Find(typ, id string) *Resource {
	for _, r := range s.Resources[typ] {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// FindBy returns the first resource of a type whose string attribute equals value.
func (s *State) FindBy(typ, attr, value string) *Resource {
	for _, r := range s.Resources[typ] {
		if Str(r.Attrs, attr) == value {
			return r
		}
	}
	return nil
}

// Types returns the resource types present, sorted.
func (s *State) Types() []string {
	var out []string
	for t, list := range s.Resources {
		if len(list) > 0 {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// Count is the number of resources in the world.
func (s *State) Count() int {
	n := 0
	for _, list := range s.Resources {
		n += len(list)
	}
	return n
}

func (s *State) add(r *Resource) { s.Resources[r.Type] = append(s.Resources[r.Type], r) }

func (s *State) remove(r *Resource) {
	list := s.Resources[r.Type]
	for i, x := range list {
		if x == r {
			s.Resources[r.Type] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(s.Resources[r.Type]) == 0 {
		delete(s.Resources, r.Type)
	}
}

func (s *State) nextSeq() uint64 {
	s.Seq++
	return s.Seq
}
