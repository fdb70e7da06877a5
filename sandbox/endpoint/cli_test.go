package endpoint

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// awsCLI is the AWS CLI v2 the tests use (the first aws on PATH may be v1).
const awsCLI = "/usr/bin/aws"

func requireCLI(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(awsCLI); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AWS CLI v2 is required in CI at %s: %v", awsCLI, err)
		}
		t.Skipf("AWS CLI v2 not installed at %s", awsCLI)
	}
}

// TestAWSCLI runs read commands of every service through the real AWS CLI
// (query/XML, JSON, REST-JSON, REST-XML and the legacy SQS query protocol of
// CLI 2.9) and checks that each answer parses as JSON.
func TestAWSCLI(t *testing.T) {
	requireCLI(t)
	s, w := startSandbox(t)
	l := buildLab(t, s)
	create(t, s, "aws_s3_object", map[string]any{"bucket": l.bucket, "key": "AWSLogs/123456789012/vpcflowlogs/a.log.gz", "content": "x"})
	det, _ := create(t, s, "aws_guardduty_detector", map[string]any{"finding_publishing_frequency": "FIFTEEN_MINUTES"})
	create(t, s, "aws_s3_object", map[string]any{"bucket": l.bucket, "key": "list.txt", "content": "203.0.113.10\n"})
	set, _ := create(t, s, "aws_guardduty_threatintelset", map[string]any{"detector_id": det, "name": "MyThreatIntelSet",
		"format": "TXT", "location": "s3://" + l.bucket + "/list.txt", "activate": true})
	if _, err := w.CreateSampleFindings(det, []string{"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", "Recon:EC2/PortProbeUnprotectedPort", "Backdoor:EC2/C&CActivity.B"}); err != nil {
		t.Fatal(err)
	}
	topic, _ := create(t, s, "aws_sns_topic", map[string]any{"name": "gdlab-topic"})
	_, q := create(t, s, "aws_sqs_queue", map[string]any{"name": "gdlab-tap"})
	create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic, "protocol": "sqs", "endpoint": q["arn"]})
	create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic, "protocol": "email", "endpoint": "me@example.com"})
	role, _ := create(t, s, "aws_iam_role", map[string]any{"name": "gdlab-role", "assume_role_policy": `{"Version":"2012-10-17","Statement":[]}`})
	create(t, s, "aws_iam_role_policy", map[string]any{"role": role, "name": "inline", "policy": `{"Version":"2012-10-17","Statement":[]}`})
	roleARN := w.Snapshot().Find("aws_iam_role", role).Attrs["arn"]
	fn, _ := create(t, s, "aws_lambda_function", map[string]any{"function_name": "gdlab-fn", "role": roleARN, "runtime": "provided.al2023",
		"handler": "bootstrap", "filename": writeZip(t)})
	pattern := `{"source":["aws.guardduty"]}`
	_, rule := create(t, s, "aws_cloudwatch_event_rule", map[string]any{"name": "gdlab-rule", "event_pattern": pattern})
	create(t, s, "aws_cloudwatch_event_target", map[string]any{"rule": "gdlab-rule", "arn": topic, "target_id": "sns"})
	create(t, s, "aws_lambda_permission", map[string]any{"statement_id": "events", "action": "lambda:InvokeFunction", "function_name": fn,
		"principal": "events.amazonaws.com", "source_arn": rule["arn"]})
	create(t, s, "aws_cloudwatch_log_group", map[string]any{"name": "/aws/lambda/gdlab-fn"})
	if err := w.PutLogEvents("/aws/lambda/gdlab-fn", "s1", []world.LogEvent{{Message: "hello isolated"}}); err != nil {
		t.Fatal(err)
	}
	setID := strings.SplitN(set, ":", 2)[1]
	event := `{"id":"1","account":"123456789012","source":"aws.guardduty","time":"2025-01-01T00:00:00Z","region":"us-west-2","detail-type":"GuardDuty Finding","resources":[],"detail":{}}`

	cmds := []struct {
		args  []string
		check func(map[string]any) bool
	}{
		{[]string{"sts", "get-caller-identity"}, has("Account")},
		{[]string{"ec2", "describe-instances", "--page-size", "5"}, lenIs("Reservations", 2)},
		{[]string{"ec2", "describe-instances", "--filters", "Name=instance-id,Values=" + l.victim}, lenIs("Reservations", 1)},
		{[]string{"ec2", "describe-security-groups", "--group-ids", l.sg}, lenIs("SecurityGroups", 1)},
		{[]string{"ec2", "describe-vpcs"}, lenIs("Vpcs", 1)},
		{[]string{"ec2", "describe-subnets"}, lenIs("Subnets", 1)},
		{[]string{"ec2", "describe-internet-gateways"}, lenIs("InternetGateways", 1)},
		{[]string{"ec2", "describe-route-tables"}, lenIs("RouteTables", 2)},
		{[]string{"ec2", "describe-addresses"}, lenIs("Addresses", 1)},
		{[]string{"ec2", "describe-flow-logs"}, lenIs("FlowLogs", 1)},
		{[]string{"ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-2023.*-x86_64"}, lenIs("Images", 1)},
		{[]string{"ec2", "describe-availability-zones"}, lenIs("AvailabilityZones", 3)},
		{[]string{"ec2", "modify-instance-attribute", "--instance-id", l.victim, "--groups", l.forensicSG}, nil},
		{[]string{"s3api", "list-buckets"}, lenIs("Buckets", 1)},
		{[]string{"s3api", "list-objects-v2", "--bucket", l.bucket, "--page-size", "1"}, lenIs("Contents", 2)},
		{[]string{"s3api", "get-bucket-location", "--bucket", l.bucket}, has("LocationConstraint")},
		{[]string{"s3api", "get-public-access-block", "--bucket", l.bucket}, has("PublicAccessBlockConfiguration")},
		{[]string{"s3api", "get-bucket-encryption", "--bucket", l.bucket}, has("ServerSideEncryptionConfiguration")},
		{[]string{"guardduty", "list-detectors"}, lenIs("DetectorIds", 1)},
		{[]string{"guardduty", "get-detector", "--detector-id", det}, has("Status")},
		{[]string{"guardduty", "list-threat-intel-sets", "--detector-id", det}, lenIs("ThreatIntelSetIds", 1)},
		{[]string{"guardduty", "get-threat-intel-set", "--detector-id", det, "--threat-intel-set-id", setID}, equals("Status", "ACTIVE")},
		{[]string{"guardduty", "list-findings", "--detector-id", det, "--page-size", "1"}, lenIs("FindingIds", 3)},
		{[]string{"guardduty", "create-sample-findings", "--detector-id", det, "--finding-types", "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"}, nil},
		{[]string{"sns", "list-topics"}, lenIs("Topics", 1)},
		{[]string{"sns", "get-topic-attributes", "--topic-arn", topic}, has("Attributes")},
		{[]string{"sns", "list-subscriptions-by-topic", "--topic-arn", topic}, lenIs("Subscriptions", 2)},
		{[]string{"sns", "publish", "--topic-arn", topic, "--message", "hello"}, has("MessageId")},
		{[]string{"sqs", "get-queue-url", "--queue-name", "gdlab-tap"}, has("QueueUrl")},
		{[]string{"sqs", "get-queue-attributes", "--queue-url", q["url"].(string), "--attribute-names", "All"}, has("Attributes")},
		{[]string{"sqs", "receive-message", "--queue-url", q["url"].(string), "--attribute-names", "All"}, lenIs("Messages", 1)},
		{[]string{"events", "list-rules"}, lenIs("Rules", 1)},
		{[]string{"events", "describe-rule", "--name", "gdlab-rule"}, has("EventPattern")},
		{[]string{"events", "list-targets-by-rule", "--rule", "gdlab-rule"}, lenIs("Targets", 1)},
		{[]string{"events", "test-event-pattern", "--event-pattern", pattern, "--event", event}, equals("Result", true)},
		{[]string{"lambda", "list-functions"}, lenIs("Functions", 1)},
		{[]string{"lambda", "get-function", "--function-name", fn}, has("Configuration")},
		{[]string{"lambda", "get-policy", "--function-name", fn}, has("Policy")},
		{[]string{"logs", "describe-log-groups"}, lenIs("logGroups", 1)},
		{[]string{"logs", "filter-log-events", "--log-group-name", "/aws/lambda/gdlab-fn", "--filter-pattern", "isolated"}, lenIs("events", 1)},
		{[]string{"logs", "get-log-events", "--log-group-name", "/aws/lambda/gdlab-fn", "--log-stream-name", "s1"}, lenIs("events", 1)},
		{[]string{"iam", "get-role", "--role-name", role}, has("Role")},
		{[]string{"iam", "list-role-policies", "--role-name", role}, lenIs("PolicyNames", 1)},
		{[]string{"iam", "get-role-policy", "--role-name", role, "--policy-name", "inline"}, has("PolicyDocument")},
		{[]string{"resourcegroupstaggingapi", "get-resources", "--tag-filters", "Key=gdlab:lab,Values=abc12345"}, lenIs("ResourceTagMappingList", 11)},
	}
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox", "AWS_REGION=us-west-2",
		"AWS_DEFAULT_REGION=us-west-2", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	for _, c := range cmds {
		args := append([]string{"--endpoint-url", s.URL, "--output", "json"}, c.args...)
		cmd := exec.Command(awsCLI, args...)
		cmd.Env = env
		out, err := cmd.Output()
		name := strings.Join(c.args[:2], " ")
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Errorf("aws %s: %v\n%s", name, err, stderr)
			continue
		}
		if strings.TrimSpace(string(out)) == "" {
			if c.check != nil {
				t.Errorf("aws %s: empty output", name)
			}
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Errorf("aws %s: output is not JSON: %v\n%s", name, err, out)
			continue
		}
		if c.check != nil && !c.check(doc) {
			t.Errorf("aws %s: unexpected answer\n%s", name, out)
		}
	}
}

func has(key string) func(map[string]any) bool {
	return func(m map[string]any) bool { _, ok := m[key]; return ok }
}

func lenIs(key string, n int) func(map[string]any) bool {
	return func(m map[string]any) bool { l, ok := m[key].([]any); return ok && len(l) == n }
}

func equals(key string, v any) func(map[string]any) bool {
	return func(m map[string]any) bool { return m[key] == v }
}
