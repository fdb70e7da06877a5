package flowlog

import (
	"net/netip"
	"sort"
	"time"
)

// Packet is one IP packet seen at a network interface.
type Packet struct {
	At       time.Time
	Src, Dst netip.Addr
	SrcPort  uint16
	DstPort  uint16
	Protocol int
	Bytes    int
}

// Decide says whether the security groups in force at p.At let p through;
// the world supplies it because only it knows the groups (after isolation
// the compromised instance's traffic turns to REJECT).
type Decide func(p Packet) Action

// EchoRequestBytes is the IP size of a default `ping` packet: 20 bytes of IP
// header, 8 of ICMP header, 56 of data.
const EchoRequestBytes = 84

// Echo is the traffic one ping makes at the pinging instance's interface:
// the request out and, if the request was accepted and the remote answers,
// the reply in. ICMP records carry ports 0 in the default format.
func Echo(at time.Time, local, remote netip.Addr, remoteAnswers bool, decide Decide) []Packet {
	req := Packet{At: at, Src: local, Dst: remote, Protocol: ProtocolICMP, Bytes: EchoRequestBytes}
	out := []Packet{req}
	if remoteAnswers && decide(req) == Accept {
		// A reply to an accepted request is tracked traffic: security
		// groups are stateful, so it is accepted too.
		out = append(out, Packet{At: at.Add(time.Millisecond), Src: remote, Dst: local, Protocol: ProtocolICMP, Bytes: EchoRequestBytes})
	}
	return out
}

type flowKey struct {
	window           int64
	src, dst         netip.Addr
	srcPort, dstPort uint16
	protocol         int
	action           Action
}

// Aggregate turns packets seen at one interface into records, one per flow
// (5-tuple and action) per aggregation window, in order of window then first
// packet. interval is max_aggregation_interval (60s or 600s; 0 means 600s).
func Aggregate(account, interfaceID string, packets []Packet, interval time.Duration, decide Decide) []Record {
	if interval <= 0 {
		interval = IntervalDefault
	}
	records := map[flowKey]*Record{}
	var order []flowKey
	for _, p := range packets {
		k := flowKey{
			window: p.At.Unix() / int64(interval/time.Second),
			src:    p.Src, dst: p.Dst, srcPort: p.SrcPort, dstPort: p.DstPort,
			protocol: p.Protocol, action: decide(p),
		}
		if p.Protocol == ProtocolICMP {
			k.srcPort, k.dstPort = 0, 0
		}
		r, ok := records[k]
		if !ok {
			r = &Record{
				AccountID: account, InterfaceID: interfaceID,
				SrcAddr: k.src, DstAddr: k.dst, SrcPort: k.srcPort, DstPort: k.dstPort,
				Protocol: k.protocol, Start: p.At, End: p.At, Action: k.action, LogStatus: StatusOK,
			}
			records[k] = r
			order = append(order, k)
		}
		r.Packets++
		r.Bytes += int64(p.Bytes)
		if p.At.Before(r.Start) {
			r.Start = p.At
		}
		if p.At.After(r.End) {
			r.End = p.At
		}
	}
	out := make([]Record, 0, len(order))
	for _, k := range order {
		out = append(out, *records[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// WindowEnd is when the aggregation window holding t closes; a flow's record
// can be published only after it.
func WindowEnd(t time.Time, interval time.Duration) time.Time {
	if interval <= 0 {
		interval = IntervalDefault
	}
	return t.Truncate(interval).Add(interval)
}
