package incident

import (
	"encoding/json"
	"net/netip"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/sim/flowlog"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// state is what the engine persists in world.State.Incident.
type state struct {
	// Hosts are the beaconing instances, by instance id.
	Hosts map[string]*hostState `json:"hosts,omitempty"`
	// DetectorID is the detector the tracker's findings belong to; a new
	// detector (GuardDuty disabled and enabled again) starts afresh.
	DetectorID string          `json:"detector_id,omitempty"`
	Tracker    finding.Tracker `json:"tracker"`
	// Deliveries are EventBridge target invocations not yet completed.
	Deliveries []*delivery `json:"deliveries,omitempty"`
}

// hostState is the traffic of one beaconing instance.
type hostState struct {
	// Cursor: every ping before it has been generated.
	Cursor time.Time `json:"cursor"`
	// Packets not yet in every covering flow log's delivered windows.
	Packets []packet `json:"packets,omitempty"`
	// Delivered: per flow log id, the windows before this are written.
	Delivered map[string]time.Time `json:"delivered,omitempty"`
	// Groups are the security groups seen last (to notice isolation).
	Groups []string `json:"groups,omitempty"`
}

// packet is a flowlog.Packet with the security groups' verdict at the time.
type packet struct {
	At       time.Time      `json:"at"`
	Src      netip.Addr     `json:"src"`
	Dst      netip.Addr     `json:"dst"`
	Protocol int            `json:"protocol"`
	Bytes    int            `json:"bytes"`
	Action   flowlog.Action `json:"action"`
}

func (p packet) flow() flowlog.Packet {
	return flowlog.Packet{At: p.At, Src: p.Src, Dst: p.Dst, Protocol: p.Protocol, Bytes: p.Bytes}
}

// delivery is one EventBridge target invocation.
type delivery struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"` // sns, sqs or lambda
	RuleName  string    `json:"rule_name"`
	RuleARN   string    `json:"rule_arn"`
	TargetID  string    `json:"target_id"`
	TargetARN string    `json:"target_arn"`
	Payload   string    `json:"payload"`
	FindingID string    `json:"finding_id,omitempty"`
	Queued    time.Time `json:"queued"` // simulated
}

func loadState(s *world.State) *state {
	st := &state{}
	if len(s.Incident) > 0 {
		// A layout this build cannot read starts afresh rather than failing
		// the sandbox; findings already in the world stay.
		_ = json.Unmarshal(s.Incident, st)
	}
	if st.Hosts == nil {
		st.Hosts = map[string]*hostState{}
	}
	return st
}

func saveState(tx *world.Tx, st *state) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tx.Incident = b
	return nil
}
