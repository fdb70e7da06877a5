// Package flowlog models VPC Flow Logs delivered to S3: records in the
// default format (version 2), aggregated per flow over the aggregation
// interval, written as gzip files under AWS's key layout.
//
// Differences from AWS: aggregation windows are aligned to multiples of the
// interval since the Unix epoch (AWS aligns them per network interface);
// start/end are the first and last packet of the flow in the window rather
// than capture times; no NODATA/SKIPDATA records; the file name's trailing
// hash is derived from the content, not random.
package flowlog

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Header is the first line of every default-format log file.
const Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

// Actions and the log status of a record with data.
const (
	Accept   Action = "ACCEPT"
	Reject   Action = "REJECT"
	StatusOK        = "OK"
)

// Action is what the security groups and network ACLs did with the traffic.
type Action string

// IANA protocol numbers the sandbox produces.
const (
	ProtocolICMP = 1
	ProtocolTCP  = 6
	ProtocolUDP  = 17
)

// Aggregation intervals a flow log accepts (max_aggregation_interval).
const (
	IntervalDefault = 600 * time.Second
	IntervalMinute  = 60 * time.Second
)

// Record is one line of a default-format flow log.
type Record struct {
	AccountID   string
	InterfaceID string
	SrcAddr     netip.Addr
	DstAddr     netip.Addr
	SrcPort     uint16
	DstPort     uint16
	Protocol    int
	Packets     int64
	Bytes       int64
	Start       time.Time
	End         time.Time
	Action      Action
	LogStatus   string
}

// String renders the record as a default-format line (version 2).
func (r Record) String() string {
	status := r.LogStatus
	if status == "" {
		status = StatusOK
	}
	return strings.Join([]string{
		"2", r.AccountID, r.InterfaceID, r.SrcAddr.String(), r.DstAddr.String(),
		strconv.Itoa(int(r.SrcPort)), strconv.Itoa(int(r.DstPort)), strconv.Itoa(r.Protocol),
		strconv.FormatInt(r.Packets, 10), strconv.FormatInt(r.Bytes, 10),
		strconv.FormatInt(r.Start.Unix(), 10), strconv.FormatInt(r.End.Unix(), 10),
		string(r.Action), status,
	}, " ")
}

// ParseRecord reads a default-format line back (for tests and for the
// sandbox's own readers); the header line is not a record.
func ParseRecord(line string) (Record, error) {
	f := strings.Fields(line)
	if len(f) != 14 {
		return Record{}, fmt.Errorf("flow log line has %d fields, want 14", len(f))
	}
	if f[0] != "2" {
		return Record{}, fmt.Errorf("flow log version %q, want 2", f[0])
	}
	var r Record
	var err error
	r.AccountID, r.InterfaceID = f[1], f[2]
	if r.SrcAddr, err = netip.ParseAddr(f[3]); err != nil {
		return Record{}, err
	}
	if r.DstAddr, err = netip.ParseAddr(f[4]); err != nil {
		return Record{}, err
	}
	ports := [2]uint16{}
	for i, s := range f[5:7] {
		p, err := strconv.ParseUint(s, 10, 16)
		if err != nil {
			return Record{}, fmt.Errorf("port %q: %w", s, err)
		}
		ports[i] = uint16(p)
	}
	r.SrcPort, r.DstPort = ports[0], ports[1]
	if r.Protocol, err = strconv.Atoi(f[7]); err != nil {
		return Record{}, err
	}
	if r.Packets, err = strconv.ParseInt(f[8], 10, 64); err != nil {
		return Record{}, err
	}
	if r.Bytes, err = strconv.ParseInt(f[9], 10, 64); err != nil {
		return Record{}, err
	}
	start, err := strconv.ParseInt(f[10], 10, 64)
	if err != nil {
		return Record{}, err
	}
	end, err := strconv.ParseInt(f[11], 10, 64)
	if err != nil {
		return Record{}, err
	}
	r.Start, r.End = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	r.Action, r.LogStatus = Action(f[12]), f[13]
	if r.Action != Accept && r.Action != Reject {
		return Record{}, fmt.Errorf("action %q", f[12])
	}
	return r, nil
}
