package world

import (
	"net/http"
	"path"
	"regexp"
	"strings"
)

// Data sources the lab reads. Each answers from the world (or from fixed
// catalogues for what AWS owns, like zones and Amazon's images).

// ReadData answers a data source with its arguments; a NotFound error means
// the real provider would fail ("no results", "no detector").
func (w *World) ReadData(typ string, args map[string]any) (map[string]any, error) {
	var out map[string]any
	var err error
	w.View(func(s *State) {
		args = cloneAttrs(args)
		switch typ {
		case "aws_availability_zones":
			out = dataAvailabilityZones(s, args)
		case "aws_ami":
			out, err = dataAMI(s, args)
		case "aws_caller_identity":
			out = map[string]any{"id": s.Account, "account_id": s.Account, "arn": CallerARN, "user_id": CallerUserID}
		case "aws_region":
			out, err = dataRegion(s, args)
		case "aws_partition":
			out = map[string]any{"id": "aws", "partition": "aws", "dns_suffix": "amazonaws.com", "reverse_dns_prefix": "com.amazonaws"}
		case "aws_guardduty_detector":
			out, err = dataGuardDutyDetector(s, args)
		default:
			err = errorf(http.StatusNotFound, "UnsupportedDataSource", "the sandbox has no data source %q", typ)
		}
	})
	if err != nil {
		return nil, err
	}
	for k, v := range args {
		setDefault(out, k, v)
	}
	return out, nil
}

// The sandbox learner's identity.
const (
	CallerARN    = "arn:aws:iam::" + Account + ":user/sandbox-learner"
	CallerUserID = "AIDASANDBOXLEARNER01"
)

var regionNames = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
	"us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
	"eu-west-1": "Europe (Ireland)", "eu-west-2": "Europe (London)", "eu-west-3": "Europe (Paris)",
	"eu-central-1": "Europe (Frankfurt)", "eu-north-1": "Europe (Stockholm)",
	"ap-southeast-1": "Asia Pacific (Singapore)", "ap-southeast-2": "Asia Pacific (Sydney)",
	"ap-northeast-1": "Asia Pacific (Tokyo)", "ap-south-1": "Asia Pacific (Mumbai)",
	"ca-central-1": "Canada (Central)", "sa-east-1": "South America (Sao Paulo)",
}

// RegionDescription is the region's display name.
func RegionDescription(region string) string {
	if d, ok := regionNames[region]; ok {
		return d
	}
	return region
}

func dataRegion(s *State, args map[string]any) (map[string]any, error) {
	region := s.Region
	for _, k := range []string{"region", "name"} {
		if v := Str(args, k); v != "" {
			region = v
		}
	}
	if ep := Str(args, "endpoint"); ep != "" && ep != "ec2."+region+".amazonaws.com" {
		return nil, NotFound("region with endpoint %q not found", ep)
	}
	return map[string]any{"id": region, "name": region, "region": region,
		"description": RegionDescription(region), "endpoint": "ec2." + region + ".amazonaws.com"}, nil
}

// zoneNames are the three zones the sandbox offers in a region.
func zoneNames(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

func validZone(region, zone string) bool {
	for _, z := range zoneNames(region) {
		if z == zone {
			return true
		}
	}
	return false
}

func dataAvailabilityZones(s *State, args map[string]any) map[string]any {
	names := zoneNames(s.Region)
	if st := Str(args, "state"); st != "" && st != "available" {
		names = nil
	}
	exclude := map[string]bool{}
	for _, n := range Strs(args, "exclude_names") {
		exclude[n] = true
	}
	var ns, ids []string
	for _, n := range names {
		if !exclude[n] {
			ns = append(ns, n)
			ids = append(ids, zoneID(n))
		}
	}
	return map[string]any{"id": s.Region, "names": strList(ns), "zone_ids": strList(ids),
		"group_names": strList([]string{s.Region}), "state": Str(args, "state")}
}

// Image is an AMI of the sandbox's catalogue: Amazon Linux 2023 for both
// architectures, with ids derived from the region like real per-region AMIs.
type Image struct {
	ID, Name, Architecture, Description string
}

// AmazonOwnerID is the account that publishes Amazon Linux AMIs.
const AmazonOwnerID = "137112412989"

const al2023Version = "2023.6.20250101.0"

// Images is the AMI catalogue of a region.
func Images(region string) []Image {
	var out []Image
	for _, arch := range []string{"x86_64", "arm64"} {
		name := "al2023-ami-" + al2023Version + "-kernel-6.1-" + arch
		out = append(out, Image{
			ID:           "ami-0" + hashString(region+name) + hashString(name + region)[:8],
			Name:         name,
			Architecture: arch,
			Description:  "Amazon Linux 2023 AMI " + al2023Version + " " + arch + " HVM kernel-6.1",
		})
	}
	return out
}

func findImage(region, id string) *Image {
	for _, im := range Images(region) {
		if im.ID == id {
			return &im
		}
	}
	return nil
}

// ImageAttrs are an image's attributes in the aws_ami data source's names.
func ImageAttrs(region string, im Image) map[string]any {
	return map[string]any{
		"id": im.ID, "image_id": im.ID, "name": im.Name, "description": im.Description,
		"architecture": im.Architecture, "owner_id": AmazonOwnerID, "image_owner_alias": "amazon",
		"arn":              "arn:aws:ec2:" + region + "::image/" + im.ID,
		"image_location":   "amazon/" + im.Name,
		"root_device_name": "/dev/xvda", "root_device_type": "ebs", "virtualization_type": "hvm",
		"ena_support": true, "sriov_net_support": "simple", "hypervisor": "xen", "image_type": "machine",
		"creation_date": "2025-01-01T00:00:00.000Z", "deprecation_time": "2027-01-01T00:00:00.000Z",
		"platform_details": "Linux/UNIX", "usage_operation": "RunInstances", "platform": "",
		"state": "available", "public": true, "imds_support": "v2.0", "boot_mode": "uefi-preferred",
		"tpm_support": "", "kernel_id": "", "ramdisk_id": "", "product_codes": []any{},
		"root_snapshot_id": "snap-0" + hashString(im.ID) + hashString(im.Name)[:8],
		"state_reason":     map[string]any{"code": "UNSET", "message": "UNSET"},
		"block_device_mappings": []any{map[string]any{"device_name": "/dev/xvda", "no_device": "", "virtual_name": "",
			"ebs": map[string]any{"delete_on_termination": "true", "encrypted": "false", "iops": "3000",
				"snapshot_id": "snap-0" + hashString(im.ID) + hashString(im.Name)[:8], "throughput": "125",
				"volume_size": "8", "volume_type": "gp3"}}},
		"tags": map[string]any{},
	}
}

// ImageFilter is one EC2 Filter (name + values with * and ? wildcards).
type ImageFilter struct {
	Name   string
	Values []string
}

// MatchImages returns the images that pass owners and filters as DescribeImages does.
func MatchImages(region string, owners []string, ids []string, filters []ImageFilter) []Image {
	var out []Image
	for _, im := range Images(region) {
		if len(owners) > 0 && !anyEqual(owners, "amazon", AmazonOwnerID) {
			continue
		}
		if len(ids) > 0 && !anyEqual(ids, im.ID) {
			continue
		}
		ok := true
		for _, f := range filters {
			var v string
			switch f.Name {
			case "name":
				v = im.Name
			case "architecture":
				v = im.Architecture
			case "image-id":
				v = im.ID
			case "owner-alias":
				v = "amazon"
			case "owner-id":
				v = AmazonOwnerID
			case "virtualization-type":
				v = "hvm"
			case "root-device-type":
				v = "ebs"
			case "state":
				v = "available"
			case "image-type":
				v = "machine"
			case "is-public":
				v = "true"
			case "platform-details":
				v = "Linux/UNIX"
			case "description":
				v = im.Description
			case "ena-support":
				v = "true"
			default:
				v = "\x00unknown"
			}
			if !wildcardAny(f.Values, v) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, im)
		}
	}
	return out
}

func anyEqual(list []string, values ...string) bool {
	for _, x := range list {
		for _, v := range values {
			if x == v {
				return true
			}
		}
	}
	return false
}

// wildcardAny reports whether v matches one of EC2's filter patterns.
func wildcardAny(patterns []string, v string) bool {
	for _, p := range patterns {
		// path.Match's * and ? are EC2's wildcards; '/' never occurs in these values
		// except descriptions, where an exact match is the fallback.
		if ok, err := path.Match(p, v); (err == nil && ok) || p == v {
			return true
		}
	}
	return false
}

func dataAMI(s *State, args map[string]any) (map[string]any, error) {
	var filters []ImageFilter
	for _, f := range Blocks(args, "filter") {
		filters = append(filters, ImageFilter{Name: Str(f, "name"), Values: Strs(f, "values")})
	}
	images := MatchImages(s.Region, Strs(args, "owners"), nil, filters)
	if re := Str(args, "name_regex"); re != "" {
		rx, err := regexp.Compile(re)
		if err != nil {
			return nil, Invalid("name_regex: %v", err)
		}
		var kept []Image
		for _, im := range images {
			if rx.MatchString(im.Name) {
				kept = append(kept, im)
			}
		}
		images = kept
	}
	if len(images) == 0 {
		return nil, NotFound("Your query returned no results. Please change your search criteria and try again.")
	}
	if len(images) > 1 && !Bool(args, "most_recent", false) {
		return nil, errorf(http.StatusBadRequest, "MultipleResults",
			"Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.")
	}
	return ImageAttrs(s.Region, images[0]), nil
}

// GuardDutyServiceRole is the service-linked role GuardDuty uses.
const GuardDutyServiceRole = "arn:aws:iam::" + Account + ":role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"

func dataGuardDutyDetector(s *State, args map[string]any) (map[string]any, error) {
	var det *Resource
	if id := Str(args, "id"); id != "" {
		det = s.Find("aws_guardduty_detector", id)
	} else if list := s.List("aws_guardduty_detector"); len(list) == 1 {
		det = list[0]
	}
	if det == nil {
		return nil, NotFound("no GuardDuty Detector found")
	}
	return map[string]any{
		"id": det.ID, "arn": Str(det.Attrs, "arn"), "status": DetectorStatus(det),
		"finding_publishing_frequency": Str(det.Attrs, "finding_publishing_frequency"),
		"service_role_arn":             GuardDutyServiceRole, "features": []any{},
		"tags": det.Attrs["tags_all"],
	}, nil
}

// DetectorStatus is ENABLED or DISABLED, from the detector's enable argument.
func DetectorStatus(det *Resource) string {
	if Bool(det.Attrs, "enable", true) {
		return "ENABLED"
	}
	return "DISABLED"
}

func trimQuotes(s string) string { return strings.Trim(s, "\"") }
