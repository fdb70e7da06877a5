package probe

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/gdlab-dev/gdlab/internal/eventpattern"
)

func init() {
	register(
		Check{ID: "eventbridge.ec2-rule", Step: StepEventBridge, Title: "EC2 finding rule is enabled",
			Needs: []string{"ec2_finding_rule_name"}, run: func(ctx context.Context, p *Prober, out Outputs) Result {
				return checkRuleEnabled(ctx, p, out.EC2FindingRuleName)
			}},
		Check{ID: "eventbridge.ec2-rule-pattern", Step: StepEventBridge, Title: "EC2 rule's pattern matches the finding GuardDuty sends",
			Needs: []string{"ec2_finding_rule_name"}, run: func(ctx context.Context, p *Prober, out Outputs) Result {
				return checkRulePattern(ctx, p, out, out.EC2FindingRuleName, EC2FindingType)
			}},
		Check{ID: "eventbridge.iam-rule", Step: StepEventBridge, Title: "IAM finding rule is enabled and matches its type",
			Needs: []string{"iam_finding_rule_name"}, run: checkIAMRule},
		Check{ID: "eventbridge.sns-target", Step: StepEventBridge, Title: "EC2 rule sends to SNS through an input transformer",
			Needs: []string{"ec2_finding_rule_name", "sns_topic_arn"}, run: checkSNSTarget},
	)
}

func ruleCommand(name string) string { return "aws events describe-rule --name " + name }

func (p *Prober) describeRule(ctx context.Context, name string) (*eventbridge.DescribeRuleOutput, Result) {
	rule, err := p.events.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	if err != nil {
		if isNotFound(err) {
			return nil, fail("Rule "+name+" does not exist.", "Re-apply step 6.", ruleCommand(name))
		}
		return nil, errResult(err, ruleCommand(name))
	}
	return rule, Result{}
}

func checkRuleEnabled(ctx context.Context, p *Prober, name string) Result {
	rule, r := p.describeRule(ctx, name)
	if rule == nil {
		return r
	}
	if rule.State == ebtypes.RuleStateDisabled {
		return fail("Rule "+name+" is DISABLED: findings are not forwarded.",
			"Set state = \"ENABLED\" on aws_cloudwatch_event_rule and re-apply step 6.", ruleCommand(name))
	}
	return pass(fmt.Sprintf("Rule %s is %s on bus %s.", name, rule.State, aws.ToString(rule.EventBusName)), ruleCommand(name))
}

// checkRulePattern evaluates the rule's real pattern against a finding of
// findingType about the lab's instance: a renamed or mistyped finding type
// passes terraform validate but never fires.
func checkRulePattern(ctx context.Context, p *Prober, out Outputs, name, findingType string) Result {
	rule, r := p.describeRule(ctx, name)
	if rule == nil {
		return r
	}
	command := ruleCommand(name) + " --query EventPattern --output text"
	return evaluateRulePattern(aws.ToString(rule.EventPattern), findingType, p.region, out, command)
}

func evaluateRulePattern(pattern, findingType, region string, out Outputs, command string) Result {
	if pattern == "" {
		return fail("The rule has no event pattern.", "Set event_pattern on the rule and re-apply step 6.", command)
	}
	compiled, err := eventpattern.Compile([]byte(pattern))
	if err != nil {
		return fail("The rule's event pattern is invalid: "+err.Error()+".", "Fix event_pattern and re-apply step 6.", command)
	}
	event := FindingEvent(findingType, "123456789012", region, instanceOr(out.CompromisedInstanceID), ipOr(out.MaliciousIP), time.Now())
	ok, err := compiled.Match(event)
	if err != nil {
		return fail("The pattern could not be evaluated: "+err.Error()+".", "", command)
	}
	if !ok {
		return fail(fmt.Sprintf("The rule's pattern does not match a %s finding, so it never fires.", findingType),
			fmt.Sprintf("Check source \"aws.guardduty\", detail-type \"GuardDuty Finding\" and the exact spelling of detail.type %q.", findingType), command)
	}
	return pass(fmt.Sprintf("The pattern matches a %s finding event.", findingType), command)
}

func instanceOr(id string) string {
	if id == "" {
		return "i-0abc1234def567890"
	}
	return id
}

func ipOr(ip string) string {
	if ip == "" {
		return "203.0.113.25"
	}
	return ip
}

func checkIAMRule(ctx context.Context, p *Prober, out Outputs) Result {
	name := out.IAMFindingRuleName
	if r := checkRuleEnabled(ctx, p, name); r.Status != StatusPass {
		return r
	}
	r := checkRulePattern(ctx, p, out, name, IAMFindingType)
	if r.Status != StatusPass {
		return r
	}
	r.Detail = fmt.Sprintf("Rule %s is enabled and matches %s findings (practice only: the lab never triggers it).", name, IAMFindingType)
	return r
}

func (p *Prober) ruleTargets(ctx context.Context, rule string) ([]ebtypes.Target, error) {
	var targets []ebtypes.Target
	var token *string
	for {
		resp, err := p.events.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), NextToken: token})
		if err != nil {
			return nil, err
		}
		targets = append(targets, resp.Targets...)
		if aws.ToString(resp.NextToken) == "" {
			return targets, nil
		}
		token = resp.NextToken
	}
}

func targetsCommand(rule string) string { return "aws events list-targets-by-rule --rule " + rule }

func checkSNSTarget(ctx context.Context, p *Prober, out Outputs) Result {
	command := targetsCommand(out.EC2FindingRuleName)
	targets, err := p.ruleTargets(ctx, out.EC2FindingRuleName)
	if err != nil {
		if isNotFound(err) {
			return fail("Rule "+out.EC2FindingRuleName+" does not exist.", "Re-apply step 6.", command)
		}
		return errResult(err, command)
	}
	for _, t := range targets {
		if aws.ToString(t.Arn) != out.SNSTopicARN {
			continue
		}
		it := t.InputTransformer
		if it == nil || aws.ToString(it.InputTemplate) == "" {
			return fail("The SNS target sends the raw event JSON: it has no input transformer.",
				"Add input_transformer with input_paths and an input_template to the SNS target and re-apply step 6.", command)
		}
		var vars []string
		for k := range it.InputPathsMap {
			vars = append(vars, "<"+k+">")
		}
		detail := fmt.Sprintf("Target %s sends to the topic through a transformer", aws.ToString(t.Id))
		if len(vars) > 0 {
			detail += " using " + strings.Join(sortedStrings(vars), " ")
		}
		return pass(detail+".", command)
	}
	return fail("Rule "+out.EC2FindingRuleName+" has no target for topic "+out.SNSTopicARN+".",
		"Add an aws_cloudwatch_event_target with arn = the topic ARN and re-apply step 6.", command)
}
