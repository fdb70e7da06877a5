package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// labFinding is the finding type the lab's traffic must produce.
const labFinding = "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"

// incidentFacts is what the world says happened, read independently of
// anything gdlab printed.
type incidentFacts struct {
	compromised, forensicSG, maliciousIP string
	groups                               []string // the compromised instance's groups now
	findings                             int      // real (not sample) findings of labFinding on the instance
	isolations                           int      // Lambda log lines saying it isolated the instance
	flow                                 []flowRecord
}

type flowRecord struct {
	start  string // unix seconds, as written
	action string
}

func readIncident(t *testing.T, lab string) incidentFacts {
	t.Helper()
	s := openWorld(t, lab)
	var f incidentFacts
	for _, r := range s.List("aws_instance") {
		if world.Tags(r)["Name"] == "IAC-Tutorial: Compromised Instance" {
			f.compromised = r.ID
			f.groups = world.Strs(r.Attrs, "vpc_security_group_ids")
		}
	}
	for _, r := range s.List("aws_security_group") {
		if strings.HasSuffix(world.Str(r.Attrs, "name"), "FORENSIC_SG") {
			f.forensicSG = r.ID
		}
	}
	for _, r := range s.List("aws_eip") {
		f.maliciousIP = world.Str(r.Attrs, "public_ip")
	}
	for _, fd := range s.Findings {
		sample, _ := world.LookupPath(fd.Detail, "service.additionalInfo.sample").(bool)
		instance, _ := world.LookupPath(fd.Detail, "resource.instanceDetails.instanceId").(string)
		if fd.Detail["type"] == labFinding && !sample && instance == f.compromised {
			f.findings++
		}
	}
	for _, e := range s.LogEvents {
		if strings.HasPrefix(e.Group, "/aws/lambda/") && strings.Contains(e.Message, `"msg":"instance isolated"`) {
			f.isolations++
		}
	}
	for bucket, objects := range s.Objects {
		if !strings.Contains(bucket, "flow-logs") {
			continue
		}
		for key, obj := range objects {
			if strings.HasSuffix(key, ".gz") {
				f.flow = append(f.flow, parseFlowLog(t, key, obj.Body, f.maliciousIP)...)
			}
		}
	}
	sort.Slice(f.flow, func(i, j int) bool { return f.flow[i].start < f.flow[j].start })
	return f
}

// parseFlowLog reads a gzip file in VPC flow logs' default format and keeps
// the records to or from ip.
func parseFlowLog(t *testing.T, key string, body []byte, ip string) []flowRecord {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("flow log %s is not gzip: %v", key, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("flow log %s: %v", key, err)
	}
	var out []flowRecord
	lines := bufio.NewScanner(bytes.NewReader(data))
	for lines.Scan() {
		// version account-id interface-id srcaddr dstaddr srcport dstport
		// protocol packets bytes start end action log-status
		f := strings.Fields(lines.Text())
		if len(f) != 14 || f[0] == "version" {
			continue
		}
		if f[3] == ip || f[4] == ip {
			out = append(out, flowRecord{start: f[10], action: f[12]})
		}
	}
	return out
}

// requireIsolatedOnce checks the end state of a finished incident.
func requireIsolatedOnce(t *testing.T, f incidentFacts) {
	t.Helper()
	if f.compromised == "" || f.forensicSG == "" || f.maliciousIP == "" {
		t.Fatalf("the world lacks the lab: instance %q, forensic group %q, malicious IP %q", f.compromised, f.forensicSG, f.maliciousIP)
	}
	if len(f.groups) != 1 || f.groups[0] != f.forensicSG {
		t.Errorf("the compromised instance is in %v, want only the forensic group %s", f.groups, f.forensicSG)
	}
	if f.findings != 1 {
		t.Errorf("%d %s findings on %s, want exactly 1 (later traffic updates its count)", f.findings, labFinding, f.compromised)
	}
	if f.isolations != 1 {
		t.Errorf("the Lambda logged %d isolations, want exactly 1", f.isolations)
	}
}

// requireFlowTurnsReject: pings were accepted before the isolation and are
// rejected after it, as the flow-log bucket shows.
func requireFlowTurnsReject(t *testing.T, f incidentFacts) {
	t.Helper()
	var accepted, rejected int
	for _, r := range f.flow {
		switch r.action {
		case "ACCEPT":
			accepted++
		case "REJECT":
			rejected++
		}
	}
	if accepted == 0 || rejected == 0 {
		t.Fatalf("flow records to %s: %d ACCEPT, %d REJECT; want both", f.maliciousIP, accepted, rejected)
	}
	if last := f.flow[len(f.flow)-1]; last.action != "REJECT" {
		t.Errorf("the latest flow record to %s is %s, want REJECT after the isolation", f.maliciousIP, last.action)
	}
}
