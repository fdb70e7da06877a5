package lambda

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The envelope values EventBridge puts on every GuardDuty finding event.
const (
	FindingSource     = "aws.guardduty"
	FindingDetailType = "GuardDuty Finding"
)

// Envelope is an EventBridge event with its detail of type D. The Lambda
// decodes GuardDuty's events with it; the probes and the sandbox build
// events with the same envelope, so all three agree on its shape.
type Envelope[D any] struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     D        `json:"detail"`
}

// NewFindingEnvelope wraps a finding detail as GuardDuty publishes it:
// version "0", detail-type "GuardDuty Finding", source "aws.guardduty",
// no resources.
func NewFindingEnvelope[D any](id, account, region, at string, detail D) Envelope[D] {
	return Envelope[D]{Version: "0", ID: id, DetailType: FindingDetailType, Source: FindingSource,
		Account: account, Time: at, Region: region, Resources: []string{}, Detail: detail}
}

// FindingEvent is the EventBridge event GuardDuty sends for one finding. Its
// detail is the finding in the GetFindings schema. aws-lambda-go has no type
// for it, so these are written from the documented schema; only the fields
// the lab reads or shows are declared, the rest are ignored on decode.
type FindingEvent = Envelope[Finding]

// Finding is one GuardDuty finding.
type Finding struct {
	SchemaVersion string   `json:"schemaVersion"`
	AccountID     string   `json:"accountId"`
	Region        string   `json:"region"`
	Partition     string   `json:"partition"`
	ID            string   `json:"id"`
	Arn           string   `json:"arn"`
	Type          string   `json:"type"`
	Severity      float64  `json:"severity"`
	CreatedAt     string   `json:"createdAt"`
	UpdatedAt     string   `json:"updatedAt"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Resource      Resource `json:"resource"`
	Service       Service  `json:"service"`
}

// Resource is what the finding is about. InstanceDetails is set for EC2
// findings (resourceType "Instance").
type Resource struct {
	ResourceType    string           `json:"resourceType"`
	InstanceDetails *InstanceDetails `json:"instanceDetails,omitempty"`
}

// InstanceDetails describes the EC2 instance in an EC2 finding.
type InstanceDetails struct {
	InstanceID        string             `json:"instanceId"`
	InstanceType      string             `json:"instanceType"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces"`
}

// NetworkInterface is one ENI of the instance as GuardDuty saw it.
type NetworkInterface struct {
	PrivateIPAddress string          `json:"privateIpAddress"`
	PublicIP         string          `json:"publicIp"`
	VpcID            string          `json:"vpcId"`
	SubnetID         string          `json:"subnetId"`
	SecurityGroups   []SecurityGroup `json:"securityGroups"`
}

// SecurityGroup names a security group in a finding.
type SecurityGroup struct {
	GroupID   string `json:"groupId"`
	GroupName string `json:"groupName"`
}

// Service is GuardDuty's own part of the finding: what it observed and when.
type Service struct {
	ServiceName    string         `json:"serviceName"`
	DetectorID     string         `json:"detectorId"`
	Action         Action         `json:"action"`
	Evidence       *Evidence      `json:"evidence,omitempty"`
	AdditionalInfo AdditionalInfo `json:"additionalInfo"`
	ResourceRole   string         `json:"resourceRole"`
	EventFirstSeen string         `json:"eventFirstSeen"`
	EventLastSeen  string         `json:"eventLastSeen"`
	Archived       bool           `json:"archived"`
	Count          int64          `json:"count"`
}

// Action is the activity that raised the finding.
type Action struct {
	ActionType              string                   `json:"actionType"`
	NetworkConnectionAction *NetworkConnectionAction `json:"networkConnectionAction,omitempty"`
}

// NetworkConnectionAction is set for findings about network connections,
// such as UnauthorizedAccess:EC2/MaliciousIPCaller.Custom.
type NetworkConnectionAction struct {
	ConnectionDirection string          `json:"connectionDirection"`
	Protocol            string          `json:"protocol"`
	Blocked             bool            `json:"blocked"`
	RemoteIPDetails     RemoteIPDetails `json:"remoteIpDetails"`
	RemotePortDetails   PortDetails     `json:"remotePortDetails"`
	LocalPortDetails    PortDetails     `json:"localPortDetails"`
}

// RemoteIPDetails is the other end of the connection.
type RemoteIPDetails struct {
	IPAddressV4 string `json:"ipAddressV4"`
}

// PortDetails is a port and its well-known name.
type PortDetails struct {
	Port     int    `json:"port"`
	PortName string `json:"portName"`
}

// Evidence names the threat lists that matched.
type Evidence struct {
	ThreatIntelligenceDetails []ThreatIntelligenceDetail `json:"threatIntelligenceDetails"`
}

// ThreatIntelligenceDetail is one matching threat list.
type ThreatIntelligenceDetail struct {
	ThreatListName string   `json:"threatListName"`
	ThreatNames    []string `json:"threatNames"`
}

// AdditionalInfo holds the free-form service.additionalInfo object. Only the
// keys the lab needs are kept.
type AdditionalInfo struct {
	// Sample is true for findings made by CreateSampleFindings.
	Sample         bool
	ThreatListName string
}

// UnmarshalJSON is lenient because additionalInfo has no fixed schema: a
// sample flag written as the string "true" still counts, and keys of other
// types never fail the whole event.
func (a *AdditionalInfo) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*a = AdditionalInfo{}
	if v, ok := raw["sample"]; ok {
		var b bool
		var s string
		switch {
		case json.Unmarshal(v, &b) == nil:
			a.Sample = b
		case json.Unmarshal(v, &s) == nil:
			a.Sample = s == "true" || s == "TRUE" || s == "True"
		}
	}
	if v, ok := raw["threatListName"]; ok {
		_ = json.Unmarshal(v, &a.ThreatListName)
	}
	return nil
}

// MarshalJSON writes the keys back so a decoded event round-trips.
func (a AdditionalInfo) MarshalJSON() ([]byte, error) {
	out := map[string]any{}
	if a.Sample {
		out["sample"] = true
	}
	if a.ThreatListName != "" {
		out["threatListName"] = a.ThreatListName
	}
	return json.Marshal(out)
}

// DecodeFindingEvent parses an EventBridge event carrying a GuardDuty finding.
func DecodeFindingEvent(data []byte) (FindingEvent, error) {
	var ev FindingEvent
	if len(data) == 0 {
		return ev, errors.New("empty event")
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return FindingEvent{}, fmt.Errorf("decode GuardDuty finding event: %w", err)
	}
	return ev, nil
}

// InstanceID is the EC2 instance the finding is about, or "".
func (f Finding) InstanceID() string {
	if f.Resource.InstanceDetails == nil {
		return ""
	}
	return f.Resource.InstanceDetails.InstanceID
}

// RemoteIP is the address the instance talked to, or "".
func (f Finding) RemoteIP() string {
	if n := f.Service.Action.NetworkConnectionAction; n != nil {
		return n.RemoteIPDetails.IPAddressV4
	}
	return ""
}

// SeverityLabel is GuardDuty's name for the severity band.
func (f Finding) SeverityLabel() string {
	switch s := f.Severity; {
	case s >= 9:
		return "Critical"
	case s >= 7:
		return "High"
	case s >= 4:
		return "Medium"
	case s > 0:
		return "Low"
	}
	return "Unknown"
}
