package probe

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// LabTagKey is the tag every lab resource carries through the provider's
// default_tags; its value is the lab id.
const LabTagKey = "gdlab:lab"

// AuditInput says which lab to look for. Outputs are the last root outputs
// known before destroy (the journal keeps them); they find what tags miss.
type AuditInput struct {
	LabID   string
	Outputs Outputs
}

// Leftover is a lab resource that still exists.
type Leftover struct {
	ARN  string `json:"arn"`
	Kind string `json:"kind"`
	// DeleteCommand removes it with the AWS CLI.
	DeleteCommand string `json:"delete_command"`
	// FoundBy says how the audit found it: "tag" or a direct look-up.
	FoundBy string `json:"found_by"`
}

// Kept is a resource the lab used but leaves in place on purpose.
type Kept struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}

// Expiring is something left that AWS removes by itself and that cannot be
// deleted before then (a pending email subscription).
type Expiring struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// AuditReport is what the cleanup audit found.
type AuditReport struct {
	LabID     string     `json:"lab_id"`
	Region    string     `json:"region"`
	Leftovers []Leftover `json:"leftovers"`
	Kept      []Kept     `json:"kept,omitempty"`
	Expiring  []Expiring `json:"expiring,omitempty"`
	// Incomplete lists look-ups that failed; a clean report with these is
	// not a proof.
	Incomplete []string `json:"incomplete,omitempty"`
}

// Clean reports whether nothing of the lab is left and every look-up ran.
func (r AuditReport) Clean() bool { return len(r.Leftovers) == 0 && len(r.Incomplete) == 0 }

// Summary is the one-line verdict.
func (r AuditReport) Summary() string {
	var s string
	switch n := len(r.Leftovers); n {
	case 0:
		s = "0 resources left"
	case 1:
		s = "1 resource left"
	default:
		s = fmt.Sprintf("%d resources left", n)
	}
	if len(r.Incomplete) > 0 {
		s += fmt.Sprintf(" (audit incomplete: %d look-ups failed)", len(r.Incomplete))
	}
	return s
}

// Audit proves nothing of the lab is left after destroy: everything tagged
// gdlab:lab=<id> through the tagging API, plus direct look-ups for what tags
// do not cover (subscriptions, threat intel sets, flow logs, the Lambda's
// log group, the role). A detector that existed before the lab is reported
// as kept, not as left over.
func (p *Prober) Audit(ctx context.Context, in AuditInput) AuditReport {
	a := &auditor{p: p, in: in, seen: map[string]bool{},
		report: AuditReport{LabID: in.LabID, Region: p.region, Leftovers: []Leftover{}}}
	if in.Outputs.DetectorID != "" && !in.Outputs.DetectorManaged {
		a.report.Kept = append(a.report.Kept, Kept{ID: in.Outputs.DetectorID,
			Why: "This GuardDuty detector existed before the lab; deleting it would disable GuardDuty and erase its findings, so gdlab leaves it alone."})
	}
	a.byTag(ctx)
	a.subscriptions(ctx)
	a.threatIntelSets(ctx)
	a.flowLogs(ctx)
	a.logGroups(ctx)
	a.role(ctx)
	sort.Slice(a.report.Leftovers, func(i, j int) bool { return a.report.Leftovers[i].ARN < a.report.Leftovers[j].ARN })
	return a.report
}

type auditor struct {
	p      *Prober
	in     AuditInput
	seen   map[string]bool
	report AuditReport
}

func (a *auditor) prefix() string { return "gdlab-" + a.in.LabID }

func (a *auditor) add(arn, foundBy string) {
	if a.seen[arn] {
		return
	}
	a.seen[arn] = true
	kind, command := deleteCommand(arn, a.p.region)
	a.report.Leftovers = append(a.report.Leftovers, Leftover{ARN: arn, Kind: kind, DeleteCommand: command, FoundBy: foundBy})
}

func (a *auditor) failed(what string, err error) {
	sentence, _ := explain(err, "")
	a.report.Incomplete = append(a.report.Incomplete, what+": "+sentence)
}

func (a *auditor) byTag(ctx context.Context) {
	var token *string
	var instances []string
	arns := map[string]string{}
	for {
		resp, err := a.p.tagging.GetResources(ctx, &tagging.GetResourcesInput{
			TagFilters:      []taggingtypes.TagFilter{{Key: aws.String(LabTagKey), Values: []string{a.in.LabID}}},
			PaginationToken: token,
		})
		if err != nil {
			a.failed("tagging get-resources", err)
			return
		}
		for _, m := range resp.ResourceTagMappingList {
			arn := aws.ToString(m.ResourceARN)
			if id, ok := strings.CutPrefix(arnResource(arn), "instance/"); ok && strings.Contains(arn, ":ec2:") {
				instances = append(instances, id)
				arns[id] = arn
				continue
			}
			if a.isKeptDetector(arn) {
				continue
			}
			a.add(arn, "tag")
		}
		if aws.ToString(resp.PaginationToken) == "" {
			break
		}
		token = resp.PaginationToken
	}
	// The tagging API lists terminated instances for about an hour; only
	// instances that still exist are leftovers.
	if len(instances) == 0 {
		return
	}
	resp, err := a.p.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: instances})
	if err != nil {
		if !isNotFound(err) {
			a.failed("ec2 describe-instances", err)
		}
		return
	}
	for _, r := range resp.Reservations {
		for _, inst := range r.Instances {
			if inst.State != nil && inst.State.Name == ec2types.InstanceStateNameTerminated {
				continue
			}
			a.add(arns[aws.ToString(inst.InstanceId)], "tag")
		}
	}
}

func (a *auditor) isKeptDetector(arn string) bool {
	for _, k := range a.report.Kept {
		if strings.HasSuffix(arn, ":detector/"+k.ID) {
			return true
		}
	}
	return false
}

func (a *auditor) subscriptions(ctx context.Context) {
	var token *string
	for {
		resp, err := a.p.sns.ListSubscriptions(ctx, &sns.ListSubscriptionsInput{NextToken: token})
		if err != nil {
			a.failed("sns list-subscriptions", err)
			return
		}
		for _, s := range resp.Subscriptions {
			topic := aws.ToString(s.TopicArn)
			if topic != a.in.Outputs.SNSTopicARN && !strings.Contains(topic, ":"+a.prefix()) {
				continue
			}
			if aws.ToString(s.SubscriptionArn) == pendingConfirmation {
				a.report.Expiring = append(a.report.Expiring, Expiring{
					What: fmt.Sprintf("pending %s subscription of %s to %s", aws.ToString(s.Protocol), aws.ToString(s.Endpoint), topic),
					Why:  "Nobody clicked its confirmation link. A pending subscription cannot be deleted; AWS removes it by itself within 48 hours, and it can never deliver anything.",
				})
				continue
			}
			a.add(aws.ToString(s.SubscriptionArn), "sns list-subscriptions")
		}
		if aws.ToString(resp.NextToken) == "" {
			return
		}
		token = resp.NextToken
	}
}

func (a *auditor) threatIntelSets(ctx context.Context) {
	detectors, err := a.p.gd.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
	if err != nil {
		a.failed("guardduty list-detectors", err)
		return
	}
	for _, det := range detectors.DetectorIds {
		if det == a.in.Outputs.DetectorID && a.in.Outputs.DetectorManaged {
			a.add(fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s", a.p.region, a.account(), det), "guardduty list-detectors")
		}
		sets, err := a.p.gd.ListThreatIntelSets(ctx, &guardduty.ListThreatIntelSetsInput{DetectorId: aws.String(det)})
		if err != nil {
			a.failed("guardduty list-threat-intel-sets", err)
			continue
		}
		for _, id := range sets.ThreatIntelSetIds {
			set, err := a.p.gd.GetThreatIntelSet(ctx, &guardduty.GetThreatIntelSetInput{DetectorId: aws.String(det), ThreatIntelSetId: aws.String(id)})
			if err != nil {
				a.failed("guardduty get-threat-intel-set", err)
				continue
			}
			if id == a.in.Outputs.ThreatIntelSetID || strings.HasPrefix(aws.ToString(set.Name), a.prefix()) {
				a.add(fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s/threatintelset/%s", a.p.region, a.account(), det, id), "guardduty list-threat-intel-sets")
			}
		}
	}
}

// account is the account id, taken from any ARN the outputs carry; the
// audit needs it only to print ARNs for what it found by id.
func (a *auditor) account() string {
	for _, arn := range []string{a.in.Outputs.SNSTopicARN, a.in.Outputs.LambdaFunctionARN, a.in.Outputs.EC2FindingRuleARN, a.in.Outputs.SNSTapQueueARN} {
		if parts := strings.Split(arn, ":"); len(parts) > 4 && parts[4] != "" {
			return parts[4]
		}
	}
	return "<account>"
}

func (a *auditor) flowLogs(ctx context.Context) {
	if a.in.Outputs.VPCID == "" {
		return
	}
	resp, err := a.p.ec2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{
		Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{a.in.Outputs.VPCID}}},
	})
	if err != nil {
		a.failed("ec2 describe-flow-logs", err)
		return
	}
	for _, fl := range resp.FlowLogs {
		a.add(fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/%s", a.p.region, a.account(), aws.ToString(fl.FlowLogId)), "ec2 describe-flow-logs")
	}
}

func (a *auditor) logGroups(ctx context.Context) {
	prefixes := []string{"/aws/lambda/" + a.prefix()}
	if g := a.in.Outputs.LambdaLogGroupName; g != "" && !strings.HasPrefix(g, prefixes[0]) {
		prefixes = append(prefixes, g)
	}
	for _, prefix := range prefixes {
		resp, err := a.p.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(prefix)})
		if err != nil {
			a.failed("logs describe-log-groups", err)
			continue
		}
		for _, g := range resp.LogGroups {
			arn := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
			if arn == "" {
				arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", a.p.region, a.account(), aws.ToString(g.LogGroupName))
			}
			a.add(arn, "logs describe-log-groups")
		}
	}
}

func (a *auditor) role(ctx context.Context) {
	name := a.in.Outputs.LambdaRoleName
	if name == "" {
		return
	}
	resp, err := a.p.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		if !isNotFound(err) {
			a.failed("iam get-role", err)
		}
		return
	}
	a.add(aws.ToString(resp.Role.Arn), "iam get-role")
}

// arnResource is the part of an ARN after the region and account.
func arnResource(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[5]
}

// deleteCommand names the kind of resource an ARN points at and the AWS CLI
// command that deletes it.
func deleteCommand(arn, region string) (kind, command string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "unknown", "aws resourcegroupstaggingapi get-resources --resource-arn-list " + arn
	}
	service, arnRegion, account, resource := parts[2], parts[3], parts[4], parts[5]
	if arnRegion == "" {
		arnRegion = region
	}
	typ, id, _ := strings.Cut(resource, "/")
	switch service {
	case "ec2":
		switch typ {
		case "instance":
			return "EC2 instance", "aws ec2 terminate-instances --instance-ids " + id
		case "security-group":
			return "security group", "aws ec2 delete-security-group --group-id " + id
		case "vpc":
			return "VPC", "aws ec2 delete-vpc --vpc-id " + id
		case "subnet":
			return "subnet", "aws ec2 delete-subnet --subnet-id " + id
		case "internet-gateway":
			return "internet gateway", fmt.Sprintf("aws ec2 detach-internet-gateway --internet-gateway-id %s --vpc-id <vpc-id> && aws ec2 delete-internet-gateway --internet-gateway-id %s", id, id)
		case "route-table":
			return "route table", "aws ec2 delete-route-table --route-table-id " + id
		case "elastic-ip":
			return "Elastic IP", "aws ec2 release-address --allocation-id " + id
		case "vpc-flow-log":
			return "flow log", "aws ec2 delete-flow-logs --flow-log-ids " + id
		case "network-interface":
			return "network interface", "aws ec2 delete-network-interface --network-interface-id " + id
		case "volume":
			return "EBS volume", "aws ec2 delete-volume --volume-id " + id
		}
	case "s3":
		return "S3 bucket", "aws s3 rb s3://" + resource + " --force"
	case "sns":
		if strings.Count(resource, ":") == 1 {
			return "SNS subscription", "aws sns unsubscribe --subscription-arn " + arn
		}
		return "SNS topic", "aws sns delete-topic --topic-arn " + arn
	case "sqs":
		return "SQS queue", fmt.Sprintf("aws sqs delete-queue --queue-url https://sqs.%s.amazonaws.com/%s/%s", arnRegion, account, resource)
	case "events":
		if typ == "rule" {
			return "EventBridge rule", fmt.Sprintf("aws events remove-targets --rule %s --ids $(aws events list-targets-by-rule --rule %s --query 'Targets[].Id' --output text) && aws events delete-rule --name %s", id, id, id)
		}
	case "lambda":
		if name, ok := strings.CutPrefix(resource, "function:"); ok {
			return "Lambda function", "aws lambda delete-function --function-name " + name
		}
	case "logs":
		if name, ok := strings.CutPrefix(resource, "log-group:"); ok {
			return "log group", "aws logs delete-log-group --log-group-name " + strings.TrimSuffix(name, ":*")
		}
	case "iam":
		if typ == "role" {
			return "IAM role", fmt.Sprintf("aws iam delete-role-policy --role-name %s --policy-name <each of: aws iam list-role-policies --role-name %s> && aws iam delete-role --role-name %s", id, id, id)
		}
	case "guardduty":
		segments := strings.Split(resource, "/")
		if len(segments) == 4 && segments[2] == "threatintelset" {
			return "threat intel set", fmt.Sprintf("aws guardduty delete-threat-intel-set --detector-id %s --threat-intel-set-id %s", segments[1], segments[3])
		}
		if len(segments) == 2 && segments[0] == "detector" {
			return "GuardDuty detector", "aws guardduty delete-detector --detector-id " + segments[1] + " (this disables GuardDuty in the region and deletes its findings)"
		}
	}
	return service + " " + typ, "aws resourcegroupstaggingapi get-resources --resource-arn-list " + arn + " (then delete it in the " + service + " console)"
}
