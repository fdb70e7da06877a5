package probe

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// Outputs are the lab's terraform root outputs (docs/architecture.md, "Root
// outputs"). A field is empty when its step has not been applied yet; Has
// tells a missing output from an empty one.
type Outputs struct {
	// step 2: network and compute
	VPCID                    string `json:"vpc_id,omitempty"`
	SubnetID                 string `json:"subnet_id,omitempty"`
	InitialSGID              string `json:"initial_sg_id,omitempty"`
	CompromisedInstanceID    string `json:"compromised_instance_id,omitempty"`
	MaliciousInstanceID      string `json:"malicious_instance_id,omitempty"`
	MaliciousIP              string `json:"malicious_ip,omitempty"`
	MaliciousEIPAllocationID string `json:"malicious_eip_allocation_id,omitempty"`
	// step 3: S3 and the flow log
	ThreatListBucket string `json:"threat_list_bucket,omitempty"`
	FlowLogBucket    string `json:"flow_log_bucket,omitempty"`
	FlowLogID        string `json:"flow_log_id,omitempty"`
	// step 4: GuardDuty
	DetectorID string `json:"detector_id,omitempty"`
	// DetectorManaged is false when the lab reuses a detector that existed
	// before it; cleanup must then leave the detector alone.
	DetectorManaged     bool   `json:"detector_managed,omitempty"`
	ThreatIntelSetID    string `json:"threat_intel_set_id,omitempty"`
	ThreatListObjectKey string `json:"threat_list_object_key,omitempty"`
	// step 5: SNS
	SNSTopicARN          string `json:"sns_topic_arn,omitempty"`
	EmailSubscriptionARN string `json:"email_subscription_arn,omitempty"`
	SNSTapQueueURL       string `json:"sns_tap_queue_url,omitempty"`
	SNSTapQueueARN       string `json:"sns_tap_queue_arn,omitempty"`
	// step 6: EventBridge
	EC2FindingRuleName string `json:"ec2_finding_rule_name,omitempty"`
	EC2FindingRuleARN  string `json:"ec2_finding_rule_arn,omitempty"`
	IAMFindingRuleName string `json:"iam_finding_rule_name,omitempty"`
	IAMFindingRuleARN  string `json:"iam_finding_rule_arn,omitempty"`
	// step 7: Lambda
	ForensicSGID       string `json:"forensic_sg_id,omitempty"`
	LambdaFunctionName string `json:"lambda_function_name,omitempty"`
	LambdaFunctionARN  string `json:"lambda_function_arn,omitempty"`
	LambdaRoleName     string `json:"lambda_role_name,omitempty"`
	LambdaLogGroupName string `json:"lambda_log_group_name,omitempty"`

	present map[string]bool
}

// outputFields maps each output name to the field it fills.
func (o *Outputs) outputFields() map[string]*string {
	return map[string]*string{
		"vpc_id": &o.VPCID, "subnet_id": &o.SubnetID, "initial_sg_id": &o.InitialSGID,
		"compromised_instance_id": &o.CompromisedInstanceID, "malicious_instance_id": &o.MaliciousInstanceID,
		"malicious_ip": &o.MaliciousIP, "malicious_eip_allocation_id": &o.MaliciousEIPAllocationID,
		"threat_list_bucket": &o.ThreatListBucket, "flow_log_bucket": &o.FlowLogBucket, "flow_log_id": &o.FlowLogID,
		"detector_id": &o.DetectorID, "threat_intel_set_id": &o.ThreatIntelSetID,
		"threat_list_object_key": &o.ThreatListObjectKey,
		"sns_topic_arn":          &o.SNSTopicARN, "email_subscription_arn": &o.EmailSubscriptionARN,
		"sns_tap_queue_url": &o.SNSTapQueueURL, "sns_tap_queue_arn": &o.SNSTapQueueARN,
		"ec2_finding_rule_name": &o.EC2FindingRuleName, "ec2_finding_rule_arn": &o.EC2FindingRuleARN,
		"iam_finding_rule_name": &o.IAMFindingRuleName, "iam_finding_rule_arn": &o.IAMFindingRuleARN,
		"forensic_sg_id": &o.ForensicSGID, "lambda_function_name": &o.LambdaFunctionName,
		"lambda_function_arn": &o.LambdaFunctionARN, "lambda_role_name": &o.LambdaRoleName,
		"lambda_log_group_name": &o.LambdaLogGroupName,
	}
}

// NewOutputs builds Outputs from terraform root outputs keyed by name. Each
// value may be the plain value, a json.RawMessage or []byte of it (as
// terraform-exec returns), or the {"value": …, "type": …} object that
// `terraform output -json` prints. Unknown names are ignored, so newer roots
// with more outputs still parse.
func NewOutputs(values map[string]any) (Outputs, error) {
	var o Outputs
	o.present = map[string]bool{}
	fields := o.outputFields()
	for name, raw := range values {
		v, err := plainOutputValue(raw)
		if err != nil {
			return Outputs{}, fmt.Errorf("terraform output %s: %w", name, err)
		}
		if v == nil {
			continue
		}
		if name == "detector_managed" {
			b, err := asBool(v)
			if err != nil {
				return Outputs{}, fmt.Errorf("terraform output detector_managed: %w", err)
			}
			o.DetectorManaged = b
			o.present[name] = true
			continue
		}
		field, known := fields[name]
		if !known {
			continue
		}
		s, err := asString(v)
		if err != nil {
			return Outputs{}, fmt.Errorf("terraform output %s: %w", name, err)
		}
		*field = s
		o.present[name] = true
	}
	return o, nil
}

// ParseOutputsJSON parses the output of `terraform output -json`.
func ParseOutputsJSON(data []byte) (Outputs, error) {
	var values map[string]any
	if err := json.Unmarshal(data, &values); err != nil {
		return Outputs{}, fmt.Errorf("terraform outputs are not JSON: %w", err)
	}
	return NewOutputs(values)
}

// Has reports whether the named output was present and not null.
func (o Outputs) Has(name string) bool { return o.present[name] }

// Missing returns the names among want that are not present, sorted.
func (o Outputs) Missing(want ...string) []string {
	var missing []string
	for _, name := range want {
		if !o.present[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

func plainOutputValue(raw any) (any, error) {
	switch v := raw.(type) {
	case json.RawMessage:
		return decodeOutputJSON(v)
	case []byte:
		return decodeOutputJSON(v)
	case map[string]any:
		// `terraform output -json` wraps each value with its type.
		if inner, ok := v["value"]; ok {
			if _, typed := v["type"]; typed {
				return plainOutputValue(inner)
			}
		}
		return v, nil
	default:
		return v, nil
	}
}

func decodeOutputJSON(data []byte) (any, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return plainOutputValue(v)
}

func asString(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(s), nil
	default:
		return "", fmt.Errorf("want a string, got %T", v)
	}
}

func asBool(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		return strconv.ParseBool(b)
	default:
		return false, fmt.Errorf("want a bool, got %T", v)
	}
}
