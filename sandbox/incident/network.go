package incident

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/sim/flowlog"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Security groups decide the fate of the beacon's ICMP echo requests. Only
// what ICMP needs is evaluated: protocol, ICMP type and IPv4 CIDR ranges.

// icmpEchoRequest is the ICMP type of a ping.
const icmpEchoRequest = 8

// rule is one security group rule in a common shape.
type rule struct {
	protocol string // "-1", "icmp", "1", "tcp", ...
	fromPort int
	cidrs    []netip.Prefix
}

func (r rule) allowsEcho(peer netip.Addr) bool {
	switch strings.ToLower(r.protocol) {
	case "-1", "all":
	case "icmp", "1":
		// For ICMP, from_port is the type; -1 means every type.
		if r.fromPort != -1 && r.fromPort != icmpEchoRequest {
			return false
		}
	default:
		return false
	}
	for _, p := range r.cidrs {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

func prefixes(cidrs []string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// rulesOf gathers a group's rules of one direction ("ingress"/"egress") from
// its inline blocks and from the separate rule resources.
func rulesOf(s *world.State, groupID, direction string) []rule {
	var out []rule
	if sg := s.Find("aws_security_group", groupID); sg != nil {
		for _, b := range world.Blocks(sg.Attrs, direction) {
			out = append(out, rule{protocol: world.Str(b, "protocol"), fromPort: int(world.Num(b, "from_port", -1)),
				cidrs: prefixes(world.Strs(b, "cidr_blocks"))})
		}
	}
	for _, r := range s.List("aws_vpc_security_group_" + direction + "_rule") {
		if world.Str(r.Attrs, "security_group_id") == groupID {
			out = append(out, rule{protocol: world.Str(r.Attrs, "ip_protocol"), fromPort: int(world.Num(r.Attrs, "from_port", -1)),
				cidrs: prefixes([]string{world.Str(r.Attrs, "cidr_ipv4")})})
		}
	}
	for _, r := range s.List("aws_security_group_rule") {
		if world.Str(r.Attrs, "security_group_id") == groupID && world.Str(r.Attrs, "type") == direction {
			out = append(out, rule{protocol: world.Str(r.Attrs, "protocol"), fromPort: int(world.Num(r.Attrs, "from_port", -1)),
				cidrs: prefixes(world.Strs(r.Attrs, "cidr_blocks"))})
		}
	}
	return out
}

// groupsAllowEcho: security groups are allow lists, so any rule of any group
// in force lets the echo request through.
func groupsAllowEcho(s *world.State, groups []string, direction string, peer netip.Addr) bool {
	for _, g := range groups {
		for _, r := range rulesOf(s, g, direction) {
			if r.allowsEcho(peer) {
				return true
			}
		}
	}
	return false
}

// egressAction is what the instance's groups do with a ping to remote.
func egressAction(s *world.State, inst *world.Resource, remote netip.Addr) flowlog.Action {
	if groupsAllowEcho(s, world.Strs(inst.Attrs, "vpc_security_group_ids"), "egress", remote) {
		return flowlog.Accept
	}
	return flowlog.Reject
}

// remoteAnswers says whether the pinged address replies. An address of the
// world (an instance's public IP or an Elastic IP) answers when its groups
// admit the echo request from the pinger's public address; any other address
// is the internet, which the sandbox assumes answers.
func remoteAnswers(s *world.State, remote, from netip.Addr) bool {
	target := ""
	for _, eip := range s.List("aws_eip") {
		if world.Str(eip.Attrs, "public_ip") == remote.String() {
			target = world.Str(eip.Attrs, "instance")
		}
	}
	if target == "" {
		if inst := s.FindBy("aws_instance", "public_ip", remote.String()); inst != nil {
			target = inst.ID
		}
	}
	if target == "" {
		return true
	}
	inst := s.Find("aws_instance", target)
	if inst == nil || world.Str(inst.Attrs, "instance_state") != "running" || !from.IsValid() {
		return false
	}
	return groupsAllowEcho(s, world.Strs(inst.Attrs, "vpc_security_group_ids"), "ingress", from)
}

// groupNames pairs group ids with names for the finding's instance details.
func groupName(s *world.State, id string) string {
	if sg := s.Find("aws_security_group", id); sg != nil {
		return world.Str(sg.Attrs, "name")
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
