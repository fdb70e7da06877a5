package finding

import (
	"net/netip"
	"sort"
	"time"
)

// DefaultDetectionDelay is how long after the traffic GuardDuty reports it
// in the sandbox (simulated time). AWS gives no figure; flow aggregation
// plus analysis usually takes several minutes.
const DefaultDetectionDelay = 5 * time.Minute

// Connection is one observed connection of an instance to a remote address
// (the world reports one per flow record, or per ping).
type Connection struct {
	Instance Instance   `json:"instance"`
	RemoteIP netip.Addr `json:"remote_ip"`
	At       time.Time  `json:"at"`
	// Blocked is true when the security groups rejected the traffic.
	Blocked bool `json:"blocked"`
}

// Tracker turns connections into findings and decides when each is
// published. It is plain data so the world can persist it.
type Tracker struct {
	Findings []*Finding `json:"findings"`
	// Pending holds connections GuardDuty has not processed yet.
	Pending []pendingConnection `json:"pending"`
}

type pendingConnection struct {
	Connection
	ListName string    `json:"list_name"`
	DueAt    time.Time `json:"due_at"`
}

// Publication is a finding to send to EventBridge now.
type Publication struct {
	Finding Finding // a copy, as published
	New     bool    // first publication of this finding id
}

// Observe records a connection if an ACTIVE set lists its remote address;
// GuardDuty processes it detectionDelay later. It reports whether the
// connection matched.
func (t *Tracker) Observe(c Connection, sets []ThreatSet, detectionDelay time.Duration) bool {
	name, ok := MatchList(sets, c.RemoteIP)
	if !ok {
		return false
	}
	t.Pending = append(t.Pending, pendingConnection{Connection: c, ListName: name, DueAt: c.At.Add(detectionDelay)})
	return true
}

// Advance processes the connections due by now (creating or updating
// findings) and returns what to publish now: every new finding at once, and
// an updated one when the detector's publishing frequency has passed since
// its last publication.
func (t *Tracker) Advance(d Detector, now time.Time) []Publication {
	sort.SliceStable(t.Pending, func(i, j int) bool { return t.Pending[i].DueAt.Before(t.Pending[j].DueAt) })
	due := 0
	for due < len(t.Pending) && !t.Pending[due].DueAt.After(now) {
		t.apply(d, t.Pending[due])
		due++
	}
	t.Pending = append(t.Pending[:0:0], t.Pending[due:]...)

	var out []Publication
	for _, f := range t.Findings {
		switch {
		case f.PublishedAt.IsZero():
			out = append(out, Publication{Finding: *f, New: true})
		case f.Count > f.PublishedCount && !now.Before(f.PublishedAt.Add(d.RepublishEvery())):
			out = append(out, Publication{Finding: *f})
		default:
			continue
		}
		f.PublishedAt, f.PublishedCount = now, f.Count
	}
	return out
}

func (t *Tracker) apply(d Detector, p pendingConnection) {
	id := ID(d.ID, p.Instance.ID, p.RemoteIP, TypeEC2MaliciousIPCallerCustom)
	if f := t.Find(id); f != nil {
		f.Count++
		if p.At.After(f.LastSeen) {
			f.LastSeen = p.At
		}
		if p.At.Before(f.FirstSeen) {
			f.FirstSeen = p.At
		}
		f.UpdatedAt = p.DueAt
		// The newest view of the instance wins: after isolation the
		// finding shows the forensic group.
		f.Instance, f.Blocked = p.Instance, p.Blocked
		return
	}
	t.Findings = append(t.Findings, &Finding{
		ID: id, Type: TypeEC2MaliciousIPCallerCustom, Instance: p.Instance, RemoteIP: p.RemoteIP,
		ThreatListName: p.ListName, Blocked: p.Blocked, FirstSeen: p.At, LastSeen: p.At, Count: 1,
		CreatedAt: p.DueAt, UpdatedAt: p.DueAt,
	})
}

// Find returns the finding with an id, or nil.
func (t *Tracker) Find(id string) *Finding {
	for _, f := range t.Findings {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// NextDue is when Advance next has work (the earliest pending connection or
// re-publication), so the world can sleep until then; ok is false if never.
func (t *Tracker) NextDue(d Detector) (at time.Time, ok bool) {
	consider := func(c time.Time) {
		if !ok || c.Before(at) {
			at, ok = c, true
		}
	}
	for _, p := range t.Pending {
		consider(p.DueAt)
	}
	for _, f := range t.Findings {
		if f.PublishedAt.IsZero() {
			consider(f.CreatedAt)
		} else if f.Count > f.PublishedCount {
			consider(f.PublishedAt.Add(d.RepublishEvery()))
		}
	}
	return at, ok
}
