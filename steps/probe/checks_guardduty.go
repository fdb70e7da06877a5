package probe

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func init() {
	register(
		Check{ID: "guardduty.detector", Step: StepGuardDuty, Title: "Detector is enabled and publishes every 15 minutes",
			Needs: []string{"detector_id"}, run: checkDetector},
		Check{ID: "guardduty.threat-intel-set", Step: StepGuardDuty, Title: "Threat intel set is ACTIVE",
			Needs: []string{"detector_id", "threat_intel_set_id", "threat_list_bucket", "threat_list_object_key"}, run: checkThreatIntelSet},
		Check{ID: "guardduty.threat-list", Step: StepGuardDuty, Title: "Threat list holds the malicious Elastic IP",
			Needs: []string{"threat_list_bucket", "threat_list_object_key", "malicious_ip"}, run: checkThreatListObject},
	)
}

func checkDetector(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws guardduty get-detector --detector-id " + out.DetectorID
	d, err := p.gd.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(out.DetectorID)})
	if err != nil {
		if isNotFound(err) || strings.Contains(err.Error(), "BadRequestException") {
			return fail("Detector "+out.DetectorID+" does not exist.", "Re-apply step 4.", command)
		}
		return errResult(err, command)
	}
	if d.Status != gdtypes.DetectorStatusEnabled {
		return fail(fmt.Sprintf("Detector %s is %s: GuardDuty produces no findings.", out.DetectorID, d.Status),
			"Enable it: `aws guardduty update-detector --detector-id "+out.DetectorID+" --enable`.", command)
	}
	if d.FindingPublishingFrequency != gdtypes.FindingPublishingFrequencyFifteenMinutes {
		detail := fmt.Sprintf("Detector %s is enabled but re-publishes updates every %s; new findings still arrive within about 5 minutes.",
			out.DetectorID, strings.ToLower(strings.ReplaceAll(string(d.FindingPublishingFrequency), "_", " ")))
		if !out.DetectorManaged {
			return warn(detail, "This detector existed before the lab, so gdlab leaves its settings alone.", command)
		}
		return fail(detail, "Set finding_publishing_frequency = \"FIFTEEN_MINUTES\" and re-apply step 4.", command)
	}
	owner := "created by the lab"
	if !out.DetectorManaged {
		owner = "existing, reused and kept at cleanup"
	}
	return pass(fmt.Sprintf("Detector %s (%s) is enabled and publishes every 15 minutes.", out.DetectorID, owner), command)
}

func checkThreatIntelSet(ctx context.Context, p *Prober, out Outputs) Result {
	setID := out.ThreatIntelSetID
	// Accept the provider's detector:set id too, in case a module passes it on.
	if _, after, ok := strings.Cut(setID, ":"); ok {
		setID = after
	}
	command := fmt.Sprintf("aws guardduty get-threat-intel-set --detector-id %s --threat-intel-set-id %s", out.DetectorID, setID)
	set, err := p.gd.GetThreatIntelSet(ctx, &guardduty.GetThreatIntelSetInput{
		DetectorId: aws.String(out.DetectorID), ThreatIntelSetId: aws.String(setID),
	})
	if err != nil {
		if isNotFound(err) || strings.Contains(err.Error(), "BadRequestException") {
			return fail("Threat intel set "+setID+" does not exist.", "Re-apply step 4.", command)
		}
		return errResult(err, command)
	}
	name, location := aws.ToString(set.Name), aws.ToString(set.Location)
	if !strings.Contains(location, out.ThreatListBucket) || !strings.HasSuffix(location, out.ThreatListObjectKey) {
		return fail(fmt.Sprintf("Threat intel set %s reads %s, not s3://%s/%s.", name, location, out.ThreatListBucket, out.ThreatListObjectKey),
			"Point location at the uploaded object and re-apply step 4.", command)
	}
	switch set.Status {
	case gdtypes.ThreatIntelSetStatusActive:
		return pass(fmt.Sprintf("Threat intel set %s (%s) is ACTIVE.", name, set.Format), command)
	case gdtypes.ThreatIntelSetStatusActivating:
		return pending(fmt.Sprintf("Threat intel set %s is still activating.", name),
			"GuardDuty takes a few minutes to load a list; verify again shortly.", command)
	case gdtypes.ThreatIntelSetStatusInactive, gdtypes.ThreatIntelSetStatusDeactivating:
		return fail(fmt.Sprintf("Threat intel set %s is %s: GuardDuty ignores it.", name, set.Status),
			"Set activate = true on aws_guardduty_threatintelset and re-apply step 4.", command)
	default:
		hint := "GuardDuty could not read the list: check the object exists, is TXT with one IP per line, and is not SSE-C or KMS-encrypted without a grant to AWSServiceRoleForAmazonGuardDuty."
		return fail(fmt.Sprintf("Threat intel set %s is %s.", name, set.Status), hint, command)
	}
}

func checkThreatListObject(ctx context.Context, p *Prober, out Outputs) Result {
	command := fmt.Sprintf("aws s3 cp s3://%s/%s -", out.ThreatListBucket, out.ThreatListObjectKey)
	obj, err := p.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(out.ThreatListBucket), Key: aws.String(out.ThreatListObjectKey)})
	if err != nil {
		if isNotFound(err) || isNoSuchBucket(err) {
			return fail(fmt.Sprintf("The threat list s3://%s/%s does not exist.", out.ThreatListBucket, out.ThreatListObjectKey),
				"Re-apply step 4.", command)
		}
		return errResult(err, command)
	}
	defer obj.Body.Close()
	entries, err := readThreatList(io.LimitReader(obj.Body, 1<<20))
	if err != nil {
		return fail("The threat list could not be read: "+err.Error()+".", "", command)
	}
	ip, err := netip.ParseAddr(out.MaliciousIP)
	if err != nil {
		return fail(fmt.Sprintf("Terraform output malicious_ip %q is not an IP address.", out.MaliciousIP), "Re-apply step 2.", command)
	}
	for _, prefix := range entries {
		if prefix.Contains(ip) {
			return pass(fmt.Sprintf("The threat list holds %s (entry %s).", ip, prefix), command)
		}
	}
	return fail(fmt.Sprintf("The threat list has %d entries but not the malicious EIP %s.", len(entries), ip),
		"It must list the public Elastic IP, not the private address; fix the object content and re-apply step 4 (the set must be re-activated to reload).", command)
}

// readThreatList parses a TXT threat list: one IP or CIDR per line; other
// lines are ignored as GuardDuty would skip them.
func readThreatList(r io.Reader) ([]netip.Prefix, error) {
	var entries []netip.Prefix
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if prefix, err := netip.ParsePrefix(line); err == nil {
			entries = append(entries, prefix.Masked())
			continue
		}
		if addr, err := netip.ParseAddr(line); err == nil {
			entries = append(entries, netip.PrefixFrom(addr, addr.BitLen()))
		}
	}
	return entries, scanner.Err()
}
