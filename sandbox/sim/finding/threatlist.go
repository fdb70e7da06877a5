package finding

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strings"
)

// Threat intel set statuses (as GetThreatIntelSet reports them).
const (
	StatusActive   = "ACTIVE"
	StatusError    = "ERROR"
	StatusInactive = "INACTIVE"
)

// MaxListEntries is GuardDuty's limit of entries per threat list.
const MaxListEntries = 250_000

// ThreatSet is a threat intel set as GuardDuty holds it after activation.
type ThreatSet struct {
	Name     string         `json:"name"`
	Status   string         `json:"status"`
	Prefixes []netip.Prefix `json:"prefixes,omitempty"`
	// Reason explains an ERROR status.
	Reason string `json:"reason,omitempty"`
}

// ParseTXT reads a plaintext list: one IP address or CIDR range per line.
// Blank lines and lines starting with '#' are skipped; anything else that is
// not an address or range fails the whole list.
func ParseTXT(body []byte) ([]netip.Prefix, error) {
	var out []netip.Prefix
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a BOM from a Windows editor
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parseEntry(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %q is not an IP address or CIDR range", n, line)
		}
		if len(out) == MaxListEntries {
			return nil, fmt.Errorf("list has more than %d entries", MaxListEntries)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseEntry(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("bad address")
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Activate is what activating a set does: GuardDuty reads the object and the
// set becomes ACTIVE, or ERROR when the object can't be read or parsed.
// readErr is the error fetching the object (nil when body was read).
func Activate(name, format string, body []byte, readErr error) ThreatSet {
	set := ThreatSet{Name: name}
	switch {
	case readErr != nil:
		set.Status, set.Reason = StatusError, "cannot read the list: "+readErr.Error()
	case format != "TXT":
		set.Status, set.Reason = StatusError, "the sandbox reads only TXT lists, not "+format
	default:
		prefixes, err := ParseTXT(body)
		if err != nil {
			set.Status, set.Reason = StatusError, err.Error()
		} else {
			set.Status, set.Prefixes = StatusActive, prefixes
		}
	}
	return set
}

// Contains reports whether the set lists ip.
func (s ThreatSet) Contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range s.Prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// PubliclyRoutable is GuardDuty's precondition for list matching: lists
// apply only to traffic with public addresses.
func PubliclyRoutable(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() &&
		!ip.IsUnspecified() && !ip.IsMulticast() && !ip.IsLinkLocalMulticast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) // carrier-grade NAT
}

// MatchList returns the name of the first ACTIVE set (in the order given)
// listing ip; ok is false when none does or the address is not public.
func MatchList(sets []ThreatSet, ip netip.Addr) (name string, ok bool) {
	if !PubliclyRoutable(ip) {
		return "", false
	}
	for _, s := range sets {
		if s.Status == StatusActive && s.Contains(ip) {
			return s.Name, true
		}
	}
	return "", false
}
