package incident

import (
	"net/netip"
	"slices"
	"sort"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/beacon"
	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/sim/flowlog"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// maxCatchUp bounds how much simulated past a step generates at once (a world
// reopened days later must not produce days of pings).
const maxCatchUp = 2 * time.Hour

// host is a running instance whose user data carries a beacon.
type host struct {
	inst     *world.Resource
	cfg      beacon.Config
	first    time.Time // the beacon timer's first run
	private  netip.Addr
	public   netip.Addr
	eni      string
	vpcID    string
	subnetID string
	groups   []string
}

// hosts finds the compromised instances from their user data.
func (e *Engine) hosts(s *world.State) []host {
	var out []host
	for _, inst := range s.List("aws_instance") {
		if world.Str(inst.Attrs, "instance_state") != "running" {
			continue
		}
		ud := world.Str(inst.Attrs, "user_data")
		if ud == "" {
			ud = world.Str(inst.Attrs, "user_data_base64")
		}
		if ud == "" {
			continue
		}
		cfg, err := beacon.ParseUserData(ud)
		if err != nil || !cfg.Target.IsValid() {
			continue
		}
		h := host{inst: inst, cfg: cfg, first: beacon.FirstRun(inst.CreatedAt, e.opts.BootDelay),
			eni: world.Str(inst.Attrs, "primary_network_interface_id"), subnetID: world.Str(inst.Attrs, "subnet_id"),
			groups: world.Strs(inst.Attrs, "vpc_security_group_ids")}
		h.private, _ = netip.ParseAddr(world.Str(inst.Attrs, "private_ip"))
		h.public, _ = netip.ParseAddr(world.Str(inst.Attrs, "public_ip"))
		if sn := s.Find("aws_subnet", h.subnetID); sn != nil {
			h.vpcID = world.Str(sn.Attrs, "vpc_id")
		}
		out = append(out, h)
	}
	return out
}

// flowLogsOf are the S3 flow logs that capture a host's interface.
func flowLogsOf(s *world.State, h host) []*world.Resource {
	var out []*world.Resource
	for _, fl := range s.List("aws_flow_log") {
		if world.Str(fl.Attrs, "log_destination_type") != "s3" {
			continue
		}
		a := fl.Attrs
		if (h.vpcID != "" && world.Str(a, "vpc_id") == h.vpcID) || world.Str(a, "subnet_id") == h.subnetID ||
			(h.eni != "" && world.Str(a, "eni_id") == h.eni) {
			out = append(out, fl)
		}
	}
	return out
}

func intervalOf(fl *world.Resource) time.Duration {
	return time.Duration(world.Num(fl.Attrs, "max_aggregation_interval", 600)) * time.Second
}

// cursorOf is where a host's ping generation resumes.
func cursorOf(st *state, h host, now time.Time) time.Time {
	c := h.first
	if hs := st.Hosts[h.inst.ID]; hs != nil && hs.Cursor.After(c) {
		c = hs.Cursor
	}
	if now.Sub(c) > maxCatchUp {
		c = now.Add(-maxCatchUp)
	}
	return c
}

// deliveredFrom is the start of the first window a flow log still owes.
func deliveredFrom(hs *hostState, fl *world.Resource) time.Time {
	from := fl.CreatedAt
	if d, ok := hs.Delivered[fl.ID]; ok && d.After(from) {
		from = d
	}
	return from
}

// trafficDue reports whether a step has traffic work: pings to generate,
// a flow-log window to write, or a changed set of security groups.
func (e *Engine) trafficDue(s *world.State, st *state, now time.Time) bool {
	for _, h := range e.hosts(s) {
		hs := st.Hosts[h.inst.ID]
		if hs == nil || !slices.Equal(hs.Groups, h.groups) {
			return true
		}
		if len(h.cfg.Pings(h.first, cursorOf(st, h, now), now)) > 0 {
			return true
		}
		for _, fl := range flowLogsOf(s, h) {
			from := deliveredFrom(hs, fl)
			for _, p := range hs.Packets {
				if !p.At.Before(from) && !flowlog.WindowEnd(p.At, intervalOf(fl)).After(now) {
					return true
				}
			}
		}
	}
	return false
}

// advanceTraffic generates the pings up to tx.Now, judges them by the groups
// in force now, writes the flow-log windows that have closed, and returns
// one GuardDuty observation per beacon run.
func (e *Engine) advanceTraffic(tx *world.Tx, st *state) []finding.Connection {
	now := tx.Now
	var seen []finding.Connection
	live := map[string]bool{}
	for _, h := range e.hosts(tx.State) {
		live[h.inst.ID] = true
		hs := st.Hosts[h.inst.ID]
		if hs == nil {
			hs = &hostState{Delivered: map[string]time.Time{}}
			st.Hosts[h.inst.ID] = hs
		}
		if hs.Delivered == nil {
			hs.Delivered = map[string]time.Time{}
		}
		if hs.Groups != nil && !slices.Equal(hs.Groups, h.groups) {
			id, groups := h.inst.ID, h.groups
			tx.After(func() { e.markAt("instance security groups changed", id+" → "+joinComma(groups), now) })
		}
		hs.Groups = h.groups
		pings := h.cfg.Pings(h.first, cursorOf(st, h, now), now)
		hs.Cursor = now
		action := egressAction(tx.State, h.inst, h.cfg.Target)
		answers := remoteAnswers(tx.State, h.cfg.Target, h.public)
		for _, p := range pings {
			decide := func(flowlog.Packet) flowlog.Action { return action }
			for _, fp := range flowlog.Echo(p.At, h.private, h.cfg.Target, answers, decide) {
				hs.Packets = append(hs.Packets, packet{At: fp.At, Src: fp.Src, Dst: fp.Dst, Protocol: fp.Protocol, Bytes: fp.Bytes, Action: decide(fp)})
			}
			if p.Seq == 1 {
				seen = append(seen, finding.Connection{Instance: findingInstance(tx.State, h), RemoteIP: h.cfg.Target,
					At: p.At, Blocked: action == flowlog.Reject})
			}
		}
		if len(pings) > 0 {
			id, at := h.inst.ID, pings[0].At
			tx.After(func() { e.markAt("beacon pinging", id+" → "+h.cfg.Target.String(), at) })
			if action == flowlog.Reject {
				tx.After(func() { e.markAt("beacon blocked", id, at) })
			}
		}
		e.writeFlowLogs(tx, h, hs)
	}
	for id := range st.Hosts {
		if !live[id] {
			delete(st.Hosts, id)
		}
	}
	return seen
}

// writeFlowLogs writes each covering flow log's closed windows as one file
// per window, then forgets the packets every flow log has written.
func (e *Engine) writeFlowLogs(tx *world.Tx, h host, hs *hostState) {
	now := tx.Now
	logs := flowLogsOf(tx.State, h)
	keepFrom := now.Add(-20 * time.Minute) // uncovered traffic is not kept for long
	if len(logs) > 0 {
		keepFrom = now
	}
	for _, fl := range logs {
		interval := intervalOf(fl)
		from := deliveredFrom(hs, fl)
		closedUntil := flowlog.WindowEnd(now, interval).Add(-interval)
		windows := map[time.Time][]packet{}
		for _, p := range hs.Packets {
			if !p.At.Before(from) && p.At.Before(closedUntil) {
				end := flowlog.WindowEnd(p.At, interval)
				windows[end] = append(windows[end], p)
			}
		}
		ends := make([]time.Time, 0, len(windows))
		for end := range windows {
			ends = append(ends, end)
		}
		sort.Slice(ends, func(i, j int) bool { return ends[i].Before(ends[j]) })
		for _, end := range ends {
			e.writeFlowLogFile(tx, fl, h, windows[end], interval)
		}
		if closedUntil.After(from) {
			hs.Delivered[fl.ID] = closedUntil
		}
		if d := hs.Delivered[fl.ID]; d.Before(keepFrom) {
			keepFrom = d
		}
	}
	kept := hs.Packets[:0]
	for _, p := range hs.Packets {
		if !p.At.Before(keepFrom) {
			kept = append(kept, p)
		}
	}
	hs.Packets = kept
}

func (e *Engine) writeFlowLogFile(tx *world.Tx, fl *world.Resource, h host, pkts []packet, interval time.Duration) {
	actions := map[flowlog.Packet]flowlog.Action{}
	flows := make([]flowlog.Packet, 0, len(pkts))
	for _, p := range pkts {
		fp := p.flow()
		actions[fp] = p.Action
		flows = append(flows, fp)
	}
	records := flowlog.Aggregate(tx.Account, h.eni, flows, interval, func(p flowlog.Packet) flowlog.Action { return actions[p] })
	traffic := world.Str(fl.Attrs, "traffic_type")
	kept := records[:0]
	for _, r := range records {
		if traffic == "" || traffic == "ALL" || string(r.Action) == traffic {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return
	}
	bucket, prefix, err := flowlog.ParseDestinationARN(world.Str(fl.Attrs, "log_destination"))
	if err != nil || tx.Objects[bucket] == nil && tx.Find("aws_s3_bucket", bucket) == nil {
		e.log.Warn("sandbox flow log: no destination bucket", "flow_log", fl.ID, "destination", world.Str(fl.Attrs, "log_destination"))
		return
	}
	dest := flowlog.Destination{Bucket: bucket, Prefix: prefix, Account: tx.Account, Region: tx.Region, FlowLogID: fl.ID}
	file, err := dest.BuildFile(tx.Now, kept)
	if err != nil {
		e.log.Warn("sandbox flow log file", "error", err)
		return
	}
	tx.PutObject(file.Bucket, file.Key, file.Body, "application/octet-stream", nil)
	at := tx.Now
	tx.After(func() { e.markAt("flow log file written", fl.ID, at) })
	for _, r := range kept {
		if r.Action == flowlog.Reject {
			tx.After(func() { e.markAt("flow log REJECT record", fl.ID, at) })
			break
		}
	}
}

// findingInstance is the instance as GuardDuty describes it in a finding.
func findingInstance(s *world.State, h host) finding.Instance {
	groups := make([]finding.SecurityGroup, 0, len(h.groups))
	for _, g := range h.groups {
		groups = append(groups, finding.SecurityGroup{ID: g, Name: groupName(s, g)})
	}
	launch, _ := time.Parse(time.RFC3339, world.Str(h.inst.Attrs, "launch_time"))
	return finding.Instance{
		ID: h.inst.ID, Type: world.Str(h.inst.Attrs, "instance_type"), ImageID: world.Str(h.inst.Attrs, "ami"),
		LaunchTime: launch, AvailabilityZone: world.Str(h.inst.Attrs, "availability_zone"),
		Interfaces: []finding.Interface{{ID: h.eni, PrivateIP: h.private.String(), PublicIP: world.Str(h.inst.Attrs, "public_ip"),
			SubnetID: h.subnetID, VpcID: h.vpcID, SecurityGroups: groups}},
		Tags: world.Tags(h.inst),
	}
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
