package finding

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Detector is the GuardDuty detector findings belong to.
type Detector struct {
	ID        string
	Account   string
	Region    string
	Partition string // "aws" when empty
	// PublishingFrequency is finding_publishing_frequency (FIFTEEN_MINUTES,
	// ONE_HOUR, SIX_HOURS; SIX_HOURS when empty).
	PublishingFrequency string
}

func (d Detector) partition() string {
	if d.Partition == "" {
		return "aws"
	}
	return d.Partition
}

// ARN is the detector's ARN.
func (d Detector) ARN() string {
	return fmt.Sprintf("arn:%s:guardduty:%s:%s:detector/%s", d.partition(), d.Region, d.Account, d.ID)
}

// RepublishEvery is the interval between re-publications of an updated
// finding.
func (d Detector) RepublishEvery() time.Duration {
	switch d.PublishingFrequency {
	case "FIFTEEN_MINUTES":
		return 15 * time.Minute
	case "ONE_HOUR":
		return time.Hour
	default:
		return 6 * time.Hour
	}
}

// Instance is the EC2 instance a finding is about, as the world knows it.
type Instance struct {
	ID               string            `json:"id"`
	Type             string            `json:"type"`
	ImageID          string            `json:"image_id"`
	LaunchTime       time.Time         `json:"launch_time"`
	AvailabilityZone string            `json:"availability_zone"`
	Interfaces       []Interface       `json:"interfaces"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// Interface is a network interface of the instance.
type Interface struct {
	ID             string          `json:"id"`
	PrivateIP      string          `json:"private_ip"`
	PublicIP       string          `json:"public_ip,omitempty"`
	SubnetID       string          `json:"subnet_id"`
	VpcID          string          `json:"vpc_id"`
	SecurityGroups []SecurityGroup `json:"security_groups"`
}

// SecurityGroup names a group attached to an interface.
type SecurityGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ID is the finding id for an instance talking to a remote IP: 32 hex
// digits like GuardDuty's, and stable so the same activity updates the same
// finding across restarts.
func ID(detectorID, instanceID string, remote netip.Addr, findingType string) string {
	sum := md5.Sum([]byte(detectorID + "|" + instanceID + "|" + remote.String() + "|" + findingType))
	return hex.EncodeToString(sum[:])
}

// Finding is the state of one finding; Detail renders it.
type Finding struct {
	ID             string     `json:"id"`
	Type           string     `json:"type"`
	Instance       Instance   `json:"instance"`
	RemoteIP       netip.Addr `json:"remote_ip"`
	ThreatListName string     `json:"threat_list_name"`
	Blocked        bool       `json:"blocked"`
	FirstSeen      time.Time  `json:"first_seen"`
	LastSeen       time.Time  `json:"last_seen"`
	Count          int        `json:"count"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	// PublishedAt and PublishedCount record the last publication to
	// EventBridge (zero before the first).
	PublishedAt    time.Time `json:"published_at"`
	PublishedCount int       `json:"published_count"`
}

// Severity of the finding type (Medium).
const Severity = 5

// placeholderOrg stands in for the remote address's owner: the sandbox has
// no geo or ASN database.
var placeholderOrg = map[string]any{"asn": "0", "asnOrg": "gdlab sandbox (simulated)", "isp": "gdlab sandbox (simulated)", "org": "gdlab sandbox (simulated)"}

// Detail is the finding in the GetFindings wire schema (camelCase), which is
// also the detail of the EventBridge event.
func (f Finding) Detail(d Detector) map[string]any {
	inst := f.Instance
	var localIP string
	if len(inst.Interfaces) > 0 {
		localIP = inst.Interfaces[0].PrivateIP
	}
	info, _ := json.Marshal(map[string]string{"threatListName": f.ThreatListName})
	return map[string]any{
		"schemaVersion": "2.0",
		"accountId":     d.Account,
		"region":        d.Region,
		"partition":     d.partition(),
		"id":            f.ID,
		"arn":           d.ARN() + "/finding/" + f.ID,
		"type":          f.Type,
		"severity":      Severity,
		"createdAt":     millis(f.CreatedAt),
		"updatedAt":     millis(f.UpdatedAt),
		"title":         fmt.Sprintf("EC2 instance %s is communicating with a host on a custom threat list.", inst.ID),
		"description":   fmt.Sprintf("EC2 instance %s is communicating with %s, an IP address on the custom threat list %s.", inst.ID, f.RemoteIP, f.ThreatListName),
		"resource": map[string]any{
			"resourceType":    "Instance",
			"instanceDetails": instanceDetails(inst),
		},
		"service": map[string]any{
			"serviceName": "guardduty",
			"detectorId":  d.ID,
			"action": map[string]any{
				"actionType": "NETWORK_CONNECTION",
				"networkConnectionAction": map[string]any{
					"connectionDirection": "OUTBOUND",
					"protocol":            "ICMP",
					"blocked":             f.Blocked,
					"localIpDetails":      map[string]any{"ipAddressV4": localIP},
					"remoteIpDetails": map[string]any{
						"ipAddressV4":  f.RemoteIP.String(),
						"organization": placeholderOrg,
						"country":      map[string]any{"countryName": "Unknown (simulated)"},
					},
				},
			},
			"evidence": map[string]any{"threatIntelligenceDetails": []any{
				map[string]any{"threatListName": f.ThreatListName, "threatNames": []any{}},
			}},
			"additionalInfo": map[string]any{"threatListName": f.ThreatListName, "value": string(info), "type": "default",
				// Where a learner reads the finding, it says it is not real.
				"sandboxNote": "Simulated by the gdlab sandbox from the lab's own resources; not produced by Amazon GuardDuty."},
			"resourceRole":   "TARGET",
			"eventFirstSeen": seconds(f.FirstSeen),
			"eventLastSeen":  seconds(f.LastSeen),
			"count":          f.Count,
			"archived":       false,
		},
	}
}

func instanceDetails(inst Instance) map[string]any {
	enis := make([]any, 0, len(inst.Interfaces))
	for _, n := range inst.Interfaces {
		groups := make([]any, 0, len(n.SecurityGroups))
		for _, g := range n.SecurityGroups {
			groups = append(groups, map[string]any{"groupId": g.ID, "groupName": g.Name})
		}
		eni := map[string]any{
			"networkInterfaceId": n.ID,
			"privateIpAddress":   n.PrivateIP,
			"privateIpAddresses": []any{map[string]any{"privateIpAddress": n.PrivateIP}},
			"subnetId":           n.SubnetID,
			"vpcId":              n.VpcID,
			"securityGroups":     groups,
			"ipv6Addresses":      []any{},
		}
		if n.PublicIP != "" {
			eni["publicIp"] = n.PublicIP
		}
		enis = append(enis, eni)
	}
	return map[string]any{
		"instanceId":        inst.ID,
		"instanceType":      inst.Type,
		"instanceState":     "running",
		"imageId":           inst.ImageID,
		"launchTime":        millis(inst.LaunchTime),
		"availabilityZone":  inst.AvailabilityZone,
		"networkInterfaces": enis,
		"productCodes":      []any{},
		"tags":              tagList(inst.Tags),
	}
}

// tagList renders tags as [{key, value}] sorted by key for stable output.
func tagList(tags map[string]string) []any {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{"key": k, "value": tags[k]})
	}
	return out
}
