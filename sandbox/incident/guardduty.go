package incident

import (
	"net/netip"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// detectorOf returns the account's detector when GuardDuty is enabled.
func detectorOf(s *world.State) (*world.Resource, finding.Detector, bool) {
	dets := s.List("aws_guardduty_detector")
	if len(dets) == 0 || world.DetectorStatus(dets[0]) != "ENABLED" {
		return nil, finding.Detector{}, false
	}
	det := dets[0]
	return det, finding.Detector{ID: det.ID, Account: s.Account, Region: s.Region,
		PublishingFrequency: world.Str(det.Attrs, "finding_publishing_frequency")}, true
}

// threatSets are the detector's sets as the world activated them (the world
// reads and parses the S3 object on activation; unreadable lists are ERROR).
func threatSets(s *world.State, detectorID string) []finding.ThreatSet {
	var out []finding.ThreatSet
	for _, r := range s.List("aws_guardduty_threatintelset") {
		if world.Str(r.Attrs, "detector_id") != detectorID {
			continue
		}
		set := finding.ThreatSet{Name: world.Str(r.Attrs, "name"), Status: world.ThreatIntelSetStatus(r)}
		for _, entry := range world.ThreatIntelSetEntries(r) {
			if p, err := netip.ParsePrefix(entry); err == nil {
				set.Prefixes = append(set.Prefixes, p)
			} else if a, err := netip.ParseAddr(entry); err == nil {
				set.Prefixes = append(set.Prefixes, netip.PrefixFrom(a, a.BitLen()))
			}
		}
		out = append(out, set)
	}
	return out
}

// guardDutyDue reports whether the tracker has work by now.
func guardDutyDue(s *world.State, st *state, now time.Time) bool {
	_, d, ok := detectorOf(s)
	if !ok {
		return false
	}
	at, due := st.Tracker.NextDue(d)
	return due && !at.After(now)
}

// advanceGuardDuty feeds the observations to the tracker and turns what it
// publishes into world findings and EventBridge events routed to targets.
func (e *Engine) advanceGuardDuty(tx *world.Tx, st *state, seen []finding.Connection) error {
	_, d, ok := detectorOf(tx.State)
	if !ok {
		return nil
	}
	if st.DetectorID != d.ID {
		st.DetectorID, st.Tracker = d.ID, finding.Tracker{}
	}
	sets := threatSets(tx.State, d.ID)
	for _, c := range seen {
		st.Tracker.Observe(c, sets, e.opts.DetectionDelay)
	}
	pubs := st.Tracker.Advance(d, tx.Now)
	// GetFindings shows the live count and times, published or not.
	for _, f := range st.Tracker.Findings {
		detail := f.Detail(d)
		if wf := tx.FindFinding(d.ID, f.ID); wf != nil {
			wf.Detail = detail
		} else {
			// Not AddFindings: its hook is for findings made elsewhere
			// (CreateSampleFindings); these are routed right here.
			tx.Findings = append(tx.Findings, &world.Finding{ID: f.ID, DetectorID: d.ID, Detail: detail})
		}
	}
	for _, pub := range pubs {
		detail := pub.Finding.Detail(d)
		name := "finding updated"
		if pub.New {
			name = "finding created"
		}
		id, at := pub.Finding.ID, tx.Now
		tx.After(func() { e.markAt(name, id, at) })
		if err := e.publishFinding(tx, st, detail); err != nil {
			return err
		}
	}
	return nil
}
