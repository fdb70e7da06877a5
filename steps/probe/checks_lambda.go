package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func init() {
	register(
		Check{ID: "lambda.function", Step: StepLambda, Title: "Function is active with its three settings",
			Needs: []string{"lambda_function_name", "compromised_instance_id", "forensic_sg_id", "sns_topic_arn"}, run: checkFunction},
		Check{ID: "lambda.permission", Step: StepLambda, Title: "EventBridge may invoke the function (from the EC2 rule only)",
			Needs: []string{"lambda_function_name", "ec2_finding_rule_arn"}, run: checkInvokePermission},
		Check{ID: "eventbridge.lambda-target", Step: StepLambda, Title: "EC2 rule targets the function",
			Needs: []string{"ec2_finding_rule_name", "lambda_function_arn"}, run: checkLambdaTarget},
		Check{ID: "ec2.forensic-sg", Step: StepLambda, Title: "Forensic security group has no rules",
			Needs: []string{"forensic_sg_id"}, run: checkForensicGroup},
	)
}

func checkFunction(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws lambda get-function-configuration --function-name " + out.LambdaFunctionName
	fn, err := p.lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(out.LambdaFunctionName)})
	if err != nil {
		if isNotFound(err) {
			return fail("Function "+out.LambdaFunctionName+" does not exist.", "Re-apply step 7.", command)
		}
		return errResult(err, command)
	}
	cfg := fn.Configuration
	if cfg == nil {
		return fail("Function "+out.LambdaFunctionName+" has no configuration.", "Re-apply step 7.", command)
	}
	switch cfg.State {
	case lambdatypes.StatePending:
		return pending("Function "+out.LambdaFunctionName+" is still being created.", "Verify again in a few seconds.", command)
	case lambdatypes.StateFailed, lambdatypes.StateInactive:
		return fail(fmt.Sprintf("Function %s is %s: %s.", out.LambdaFunctionName, cfg.State, aws.ToString(cfg.StateReason)),
			"Rebuild the zip with `gdlab lambda build` and re-apply step 7.", command)
	}
	if cfg.LastUpdateStatus == lambdatypes.LastUpdateStatusFailed {
		return fail("The function's last update failed: "+aws.ToString(cfg.LastUpdateStatusReason)+".", "Re-apply step 7.", command)
	}
	env := map[string]string{}
	if cfg.Environment != nil {
		env = cfg.Environment.Variables
	}
	// The handler needs three values; check them by value so the variable
	// names stay the lambda package's choice.
	want := map[string]string{
		"the compromised instance id": out.CompromisedInstanceID,
		"the forensic group id":       out.ForensicSGID,
		"the topic ARN":               out.SNSTopicARN,
	}
	var names, missing []string
	for what, value := range want {
		found := ""
		for k, v := range env {
			if v == value {
				found = k
			}
		}
		if found == "" {
			missing = append(missing, what)
		} else {
			names = append(names, found)
		}
	}
	if len(missing) > 0 {
		return fail("The function's environment lacks "+strings.Join(sortedStrings(missing), ", ")+".",
			"Set environment.variables from the module inputs and re-apply step 7.", command)
	}
	return pass(fmt.Sprintf("Function %s is Active (%s) with %s set.", out.LambdaFunctionName, cfg.Runtime, strings.Join(sortedStrings(names), ", ")), command)
}

func checkInvokePermission(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws lambda get-policy --function-name " + out.LambdaFunctionName + " --query Policy --output text"
	resp, err := p.lambda.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(out.LambdaFunctionName)})
	const hint = "Add aws_lambda_permission with principal events.amazonaws.com, action lambda:InvokeFunction and source_arn = the EC2 rule's ARN, then re-apply step 7."
	if err != nil {
		if isNotFound(err) {
			return fail("The function has no resource policy, so EventBridge cannot invoke it.", hint, command)
		}
		return errResult(err, command)
	}
	doc, err := parsePolicy(aws.ToString(resp.Policy))
	if err != nil {
		return fail("The function's policy is not valid JSON.", hint, command)
	}
	for _, st := range doc.Statement {
		if !strings.EqualFold(st.Effect, "Allow") || !containsFold(st.Principal.Service, "events.amazonaws.com") ||
			!matchesAny(st.Action, "lambda:InvokeFunction") {
			continue
		}
		source := conditionValue(st.Condition, "aws:SourceArn")
		switch {
		case source == out.EC2FindingRuleARN:
			return pass("EventBridge may invoke the function, from rule "+out.EC2FindingRuleName+" only.", command)
		case source == "":
			return warn("EventBridge may invoke the function from any rule in any account (no source ARN).",
				"Set source_arn on aws_lambda_permission to the EC2 rule's ARN, as AWS recommends.", command)
		default:
			return fail("The invoke permission is for "+source+", not for the EC2 rule.", hint, command)
		}
	}
	return fail("The function's policy does not let events.amazonaws.com invoke it.", hint, command)
}

// conditionValue finds key in any condition operator, case-insensitively,
// as IAM treats condition keys.
func conditionValue(cond map[string]map[string]any, key string) string {
	for _, kv := range cond {
		for k, v := range kv {
			if !strings.EqualFold(k, key) {
				continue
			}
			switch t := v.(type) {
			case string:
				return t
			case []any:
				if len(t) > 0 {
					s, _ := t[0].(string)
					return s
				}
			}
		}
	}
	return ""
}

func checkLambdaTarget(ctx context.Context, p *Prober, out Outputs) Result {
	command := targetsCommand(out.EC2FindingRuleName)
	targets, err := p.ruleTargets(ctx, out.EC2FindingRuleName)
	if err != nil {
		return errResult(err, command)
	}
	for _, t := range targets {
		if arn := aws.ToString(t.Arn); arn == out.LambdaFunctionARN || strings.HasPrefix(arn, out.LambdaFunctionARN+":") {
			return pass("Rule "+out.EC2FindingRuleName+" invokes "+out.LambdaFunctionName+".", command)
		}
	}
	return fail("Rule "+out.EC2FindingRuleName+" has no target for the function.",
		"Add an aws_cloudwatch_event_target with arn = the function's ARN and re-apply step 7.", command)
}

func checkForensicGroup(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws ec2 describe-security-groups --group-ids " + out.ForensicSGID
	resp, err := p.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{out.ForensicSGID}})
	if err != nil {
		if isNotFound(err) {
			return fail("Security group "+out.ForensicSGID+" does not exist.", "Re-apply step 7.", command)
		}
		return errResult(err, command)
	}
	if len(resp.SecurityGroups) == 0 {
		return fail("Security group "+out.ForensicSGID+" does not exist.", "Re-apply step 7.", command)
	}
	g := resp.SecurityGroups[0]
	in, eg := len(g.IpPermissions), len(g.IpPermissionsEgress)
	if in+eg > 0 {
		return fail(fmt.Sprintf("Forensic group %s has %d inbound and %d outbound rules, so isolation leaks.", out.ForensicSGID, in, eg),
			"Remove every ingress and egress block (terraform deletes AWS's default egress rule for you) and re-apply step 7.", command)
	}
	return pass(fmt.Sprintf("Forensic group %s (%s) has no rules: an instance in it can talk to nothing.", out.ForensicSGID, aws.ToString(g.GroupName)), command)
}
