package endpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
	"github.com/gdlab-dev/gdlab/steps/probe"
)

// requireBoto3 skips when python3 cannot import boto3, except in CI where a
// missing SDK is a broken machine.
func requireBoto3(t *testing.T) {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("boto3 is required in CI but python3 cannot import it: %v", err)
		}
		t.Skipf("boto3 not installed for python3: %v", err)
	}
}

// boto3Seed is what the Go side created; the script gets it as GDLAB_SEED.
type boto3Seed struct {
	Lab          string   `json:"lab"`
	Victim       string   `json:"victim"`
	Malicious    string   `json:"malicious"`
	SG           string   `json:"sg"`
	ForensicSG   string   `json:"forensicSG"`
	Bucket       string   `json:"bucket"`
	Bucket2      string   `json:"bucket2"`
	ListKey      string   `json:"listKey"`
	Detector     string   `json:"detector"`
	Sets         []string `json:"sets"`
	Topic        string   `json:"topic"`
	Token        string   `json:"token"`
	QueueName    string   `json:"queueName"`
	QueueURL     string   `json:"queueUrl"`
	Rule         string   `json:"rule"`
	Pattern      string   `json:"pattern"`
	OtherPattern string   `json:"otherPattern"`
	Event        string   `json:"event"`
	Function     string   `json:"function"`
	LogGroup     string   `json:"logGroup"`
	LogStream    string   `json:"logStream"`
	Role         string   `json:"role"`

	// Go side only.
	labIDs       labIDs
	emailSub     string
	queueARN     string
	roleARN      string
	functionARN  string
	ruleARN      string
	policy       map[string]any
	fillerGroups []string
	fillerInst   []string
	otherRule    string
}

const threatList = "203.0.113.10\n198.51.100.7\n"

// ec2RulePattern is the lab's EC2 rule (terraform/lab/modules/eventbridge).
const ec2RulePattern = `{"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]},"detail-type":["GuardDuty Finding"],"source":["aws.guardduty"]}`

// iamRulePattern is the lab's IAM-user rule.
const iamRulePattern = `{"detail":{"type":["UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"]},"detail-type":["GuardDuty Finding"],"source":["aws.guardduty"]}`

// seedBoto3World builds a lab-like world through the private API (as
// terraform does), with enough of each listable thing that a page size of
// one (five where EC2 insists) really pages.
func seedBoto3World(t *testing.T, s *Server, w *world.World) boto3Seed {
	t.Helper()
	l := buildLab(t, s)
	sd := boto3Seed{Lab: "abc12345", labIDs: l, Victim: l.victim, Malicious: l.malicious, SG: l.sg, ForensicSG: l.forensicSG,
		Bucket: l.bucket, ListKey: "threat-list.txt"}
	tags := map[string]any{"gdlab:lab": sd.Lab}
	ami := world.Images("us-west-2")[0].ID
	for i := range 4 {
		id, _ := create(t, s, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro", "subnet_id": l.subnet,
			"vpc_security_group_ids": []any{l.sg}, "tags_all": map[string]any{"Name": fmt.Sprintf("filler-%d", i)}})
		sd.fillerInst = append(sd.fillerInst, id)
		g, _ := create(t, s, "aws_security_group", map[string]any{"name": fmt.Sprintf("FILLER_%d", i), "vpc_id": l.vpc})
		sd.fillerGroups = append(sd.fillerGroups, g)
	}
	// A second flow log (rejected traffic only) so DescribeFlowLogs pages.
	create(t, s, "aws_flow_log", map[string]any{"vpc_id": l.vpc, "traffic_type": "REJECT", "log_destination_type": "s3",
		"log_destination": "arn:aws:s3:::" + l.bucket + "/rejects"})

	// S3: the flow-log bucket gets two log objects and the threat list; a
	// second bucket carries a policy.
	for _, k := range []string{"AWSLogs/123456789012/vpcflowlogs/us-west-2/2025/01/01/a.log.gz", "AWSLogs/123456789012/vpcflowlogs/us-west-2/2025/01/01/b.log.gz"} {
		create(t, s, "aws_s3_object", map[string]any{"bucket": l.bucket, "key": k, "content": "flow " + k})
	}
	create(t, s, "aws_s3_object", map[string]any{"bucket": l.bucket, "key": sd.ListKey, "content": threatList})
	sd.Bucket2, _ = create(t, s, "aws_s3_bucket", map[string]any{"bucket": "gdlab-abc12345-threat-list-123456789012", "tags": tags, "tags_all": tags})
	create(t, s, "aws_s3_bucket_public_access_block", map[string]any{"bucket": l.bucket, "block_public_acls": true,
		"block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": false})
	sd.policy = map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Sid": "DenyInsecure", "Effect": "Deny",
		"Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::" + sd.Bucket2 + "/*",
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}}}
	pol, _ := json.Marshal(sd.policy)
	create(t, s, "aws_s3_bucket_policy", map[string]any{"bucket": sd.Bucket2, "policy": string(pol)})

	// GuardDuty: detector, two threat intel sets, three sample findings.
	sd.Detector, _ = create(t, s, "aws_guardduty_detector", map[string]any{"finding_publishing_frequency": "FIFTEEN_MINUTES", "tags_all": tags})
	for i, name := range []string{"MyThreatIntelSet", "SecondSet"} {
		id, _ := create(t, s, "aws_guardduty_threatintelset", map[string]any{"detector_id": sd.Detector, "name": name,
			"format": "TXT", "location": fmt.Sprintf("https://s3.amazonaws.com/%s/%s", l.bucket, sd.ListKey), "activate": i == 0})
		sd.Sets = append(sd.Sets, strings.SplitN(id, ":", 2)[1])
	}
	if _, err := w.CreateSampleFindings(sd.Detector, []string{"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
		"Recon:EC2/PortProbeUnprotectedPort", "Backdoor:EC2/C&CActivity.B"}); err != nil {
		t.Fatal(err)
	}

	// SNS + SQS: a topic with an SQS tap and a pending email subscription.
	sd.Topic, _ = create(t, s, "aws_sns_topic", map[string]any{"name": "gdlab-abc12345-findings", "tags_all": tags})
	var q map[string]any
	sd.QueueName = "gdlab-abc12345-tap"
	sd.QueueURL, q = create(t, s, "aws_sqs_queue", map[string]any{"name": sd.QueueName})
	sd.queueARN, _ = q["arn"].(string)
	create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": sd.Topic, "protocol": "sqs", "endpoint": sd.queueARN})
	sd.emailSub, _ = create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": sd.Topic, "protocol": "email", "endpoint": "learner@example.com"})
	sd.Token = world.SubscriptionToken(w.Snapshot().Find("aws_sns_topic_subscription", sd.emailSub))

	// IAM + Lambda: the remediation role with two inline policies, two functions.
	sd.Role, _ = create(t, s, "aws_iam_role", map[string]any{"name": "gdlab-abc12345-remediation",
		"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	sd.roleARN = world.Str(w.Snapshot().Find("aws_iam_role", sd.Role).Attrs, "arn")
	for _, p := range []string{"inline", "logs"} {
		create(t, s, "aws_iam_role_policy", map[string]any{"role": sd.Role, "name": p,
			"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:ModifyInstanceAttribute","Resource":"*"}]}`})
	}
	var fa map[string]any
	sd.Function, fa = create(t, s, "aws_lambda_function", map[string]any{"function_name": "gdlab-abc12345-isolate", "role": sd.roleARN,
		"runtime": "provided.al2023", "handler": "bootstrap", "filename": writeZip(t), "tags_all": tags})
	sd.functionARN, _ = fa["arn"].(string)
	create(t, s, "aws_lambda_function", map[string]any{"function_name": "gdlab-abc12345-other", "role": sd.roleARN,
		"runtime": "provided.al2023", "handler": "bootstrap", "filename": writeZip(t)})

	// EventBridge: the lab's two rules; the EC2 one has the topic and the function as targets.
	sd.Rule, sd.Pattern, sd.OtherPattern = "gdlab-abc12345-ec2-malicious-ip-caller", ec2RulePattern, iamRulePattern
	var ra map[string]any
	_, ra = create(t, s, "aws_cloudwatch_event_rule", map[string]any{"name": sd.Rule, "event_pattern": sd.Pattern, "tags_all": tags})
	sd.ruleARN, _ = ra["arn"].(string)
	sd.otherRule = "gdlab-abc12345-iam-malicious-ip-caller"
	create(t, s, "aws_cloudwatch_event_rule", map[string]any{"name": sd.otherRule, "event_pattern": sd.OtherPattern})
	create(t, s, "aws_cloudwatch_event_target", map[string]any{"rule": sd.Rule, "arn": sd.Topic, "target_id": "findings-topic"})
	create(t, s, "aws_cloudwatch_event_target", map[string]any{"rule": sd.Rule, "arn": sd.functionARN, "target_id": "isolate"})
	create(t, s, "aws_lambda_permission", map[string]any{"statement_id": "AllowEventBridge", "action": "lambda:InvokeFunction",
		"function_name": sd.Function, "principal": "events.amazonaws.com", "source_arn": sd.ruleARN})
	sd.Event = string(probe.FindingEvent(probe.EC2FindingType, world.Account, "us-west-2", l.victim, "203.0.113.10",
		time.Date(2025, 6, 1, 10, 21, 7, 0, time.UTC)))

	// CloudWatch Logs: two groups; three events, two mentioning isolation.
	sd.LogGroup, sd.LogStream = "/aws/lambda/gdlab-abc12345-isolate", "2025/06/01/[$LATEST]abc"
	create(t, s, "aws_cloudwatch_log_group", map[string]any{"name": sd.LogGroup})
	create(t, s, "aws_cloudwatch_log_group", map[string]any{"name": "/aws/lambda/gdlab-abc12345-other"})
	if err := w.PutLogEvents(sd.LogGroup, sd.LogStream, []world.LogEvent{{Message: "START"}, {Message: "instance isolated"},
		{Message: "instance isolated again"}}); err != nil {
		t.Fatal(err)
	}
	return sd
}

type boto3Line struct {
	Op      string         `json:"op"`
	OK      bool           `json:"ok"`
	R       map[string]any `json:"r"`
	Error   string         `json:"error"`
	Message string         `json:"message"`
	Status  int            `json:"status"`
	Exc     string         `json:"exc"`
}

// TestBoto3 calls every operation issue 7 lists through boto3 (a second,
// independent SDK with its own parsers) against the sandbox, with paginators
// and small page sizes, and checks the parsed values against the world.
func TestBoto3(t *testing.T) {
	requireBoto3(t)
	s, w := startSandbox(t)
	sd := seedBoto3World(t, s, w)
	seed, _ := json.Marshal(sd)
	dir := t.TempDir()
	script := filepath.Join(dir, "calls.py")
	if err := os.WriteFile(script, []byte(boto3Script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "python3", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "AWS_ENDPOINT_URL=" + s.URL,
		"AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox", "AWS_DEFAULT_REGION=us-west-2", "AWS_REGION=us-west-2",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1", "PYTHONDONTWRITEBYTECODE=1", "GDLAB_SEED=" + string(seed)}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s\n%s", err, out, stderr.String())
	}
	got := map[string]boto3Line{}
	var order []string
	for _, raw := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var l boto3Line
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("script line is not JSON: %v\n%s", err, raw)
		}
		got[l.Op] = l
		order = append(order, l.Op)
	}

	snap := w.Snapshot()
	l := sd.labIDs
	arnOf := func(typ, id string) string { return world.Str(snap.Find(typ, id).Attrs, "arn") }

	// ok fetches the result of an operation that must have succeeded.
	ok := func(op string) map[string]any {
		t.Helper()
		line, found := got[op]
		switch {
		case !found:
			t.Errorf("%s: the script printed nothing", op)
			return map[string]any{}
		case !line.OK:
			t.Errorf("%s failed: %s %s (%s, HTTP %d)", op, line.Error, line.Message, line.Exc, line.Status)
			return map[string]any{}
		}
		return line.R
	}
	// eq compares a JSON-decoded value with the expected Go value by their JSON.
	eq := func(op, field string, gotV, want any) {
		t.Helper()
		a, _ := json.Marshal(gotV)
		b, _ := json.Marshal(want)
		var x, y any
		_ = json.Unmarshal(a, &x)
		_ = json.Unmarshal(b, &y)
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s %s: got %s, want %s", op, field, a, b)
		}
	}
	// paged checks a paginator's items (as a set) and that it took more than one page.
	paged := func(op string, want []any, minPages int) {
		t.Helper()
		r := ok(op)
		items, _ := r["items"].([]any)
		eq(op, "items", sortedJSON(items), sortedJSON(want))
		if p, _ := r["pages"].(float64); int(p) < minPages {
			t.Errorf("%s: %v pages, want at least %d (pagination did not happen)", op, r["pages"], minPages)
		}
	}
	strs := func(v ...string) []any {
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out
	}

	// STS
	eq("sts", "identity", ok("sts.GetCallerIdentity"), map[string]any{"Account": world.Account, "Arn": world.CallerARN, "UserId": world.CallerUserID})

	// EC2
	paged("ec2.DescribeInstances", strs(append([]string{l.victim, l.malicious}, sd.fillerInst...)...), 2)
	v := ok("ec2.DescribeInstances.victim")
	eq("victim", "id/state/subnet/vpc", []any{v["InstanceId"], v["State"], v["SubnetId"], v["VpcId"], v["Groups"], v["LaunchTimeType"]},
		[]any{l.victim, "running", l.subnet, l.vpc, []string{l.sg}, "datetime"})
	eq("victim", "tags", v["Tags"], map[string]string{"gdlab:lab": "abc12345", "Name": "IAC-Tutorial: Compromised Instance"})
	victimAttrs := snap.Find("aws_instance", l.victim).Attrs
	eq("victim", "public ip", v["PublicIpAddress"], world.Str(victimAttrs, "public_ip"))
	eq("victim", "eni", v["ENI"], world.Str(victimAttrs, "primary_network_interface_id"))
	// The VPC's default group exists too, as in EC2.
	defaultSG := world.Str(snap.Find("aws_vpc", l.vpc).Attrs, "default_security_group_id")
	paged("ec2.DescribeSecurityGroups", strs(append([]string{l.sg, l.forensicSG, defaultSG}, sd.fillerGroups...)...), 2)
	eq("initial sg", "rules", ok("ec2.DescribeSecurityGroups.initial"), map[string]any{"GroupName": "INITIAL_SG", "VpcId": l.vpc,
		"Ingress": []any{[]any{"icmp", []any{"10.0.0.0/24"}}}, "Egress": []any{"-1"}})
	paged("ec2.DescribeVpcs", []any{[]any{l.vpc, "10.0.0.0/24"}}, 1)
	paged("ec2.DescribeSubnets", []any{[]any{l.subnet, l.vpc, "10.0.0.0/26", true}}, 1)
	var igw, rtb string
	for _, r := range snap.List("aws_internet_gateway") {
		igw = r.ID
	}
	for _, r := range snap.List("aws_route_table") {
		rtb = r.ID
	}
	paged("ec2.DescribeInternetGateways", []any{[]any{igw, []any{l.vpc}}}, 1)
	var mainRtb string
	for _, r := range snap.List("aws_default_route_table") {
		mainRtb = r.ID
	}
	rts := ok("ec2.DescribeRouteTables")["items"]
	if items, _ := rts.([]any); len(items) != 2 {
		t.Errorf("route tables: %v (want the lab's and the VPC's main table %s)", rts, mainRtb)
	} else {
		found := false
		for _, it := range items {
			row := it.([]any)
			if row[0] == rtb {
				found = true
				eq("route table", "routes+assoc", row[1:], []any{[]any{"0.0.0.0/0", "10.0.0.0/24"}, []any{l.subnet}})
			}
		}
		if !found {
			t.Errorf("route table %s missing from %v", rtb, items)
		}
	}
	eipAttrs := snap.Find("aws_eip", l.eip).Attrs
	eq("ec2.DescribeAddresses", "items", ok("ec2.DescribeAddresses")["items"], []any{[]any{l.eip, l.malicious, world.Str(eipAttrs, "public_ip"), "vpc"}})
	var flowIDs []any
	for _, r := range snap.List("aws_flow_log") {
		flowIDs = append(flowIDs, []any{r.ID, l.vpc, world.Str(r.Attrs, "traffic_type"), world.Str(r.Attrs, "log_destination"), "ACTIVE"})
	}
	paged("ec2.DescribeFlowLogs", flowIDs, 2)
	imgs := ok("ec2.DescribeImages")["items"]
	if items, _ := imgs.([]any); len(items) != 1 || !strings.HasPrefix(items[0].([]any)[1].(string), "al2023-ami-2023.") {
		t.Errorf("images: %v", imgs)
	}
	eq("ec2.DescribeAvailabilityZones", "zones", ok("ec2.DescribeAvailabilityZones")["items"], []string{"us-west-2a", "us-west-2b", "us-west-2c"})
	eq("ec2.ModifyInstanceAttribute", "groups", ok("ec2.ModifyInstanceAttribute")["Groups"], []string{l.forensicSG})
	if g := world.Strs(w.Snapshot().Find("aws_instance", l.victim).Attrs, "vpc_security_group_ids"); !reflect.DeepEqual(g, []string{l.forensicSG}) {
		t.Errorf("world after ModifyInstanceAttribute: groups %v", g)
	}

	// S3
	paged("s3.ListBuckets", strs(l.bucket, sd.Bucket2), 2)
	var objs []any
	for _, k := range world.SortedKeys(snap.Objects[l.bucket]) {
		o := snap.Objects[l.bucket][k]
		objs = append(objs, []any{k, len(o.Body), `"` + o.ETag + `"`})
	}
	paged("s3.ListObjectsV2", objs, 3)
	paged("s3.ListObjectsV2.delimiter", strs("AWSLogs/", sd.ListKey), 2)
	listObj := snap.Objects[l.bucket][sd.ListKey]
	eq("s3.GetObject", "object", ok("s3.GetObject"), map[string]any{"Body": threatList, "ContentLength": len(threatList),
		"ETag": `"` + listObj.ETag + `"`, "LastModifiedType": "datetime"})
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(listObj.ETag) {
		t.Errorf("ETag of a single-part upload should be the hex MD5, got %q", listObj.ETag)
	}
	eq("s3.HeadObject", "object", ok("s3.HeadObject"), map[string]any{"ContentLength": len(threatList), "ETag": `"` + listObj.ETag + `"`})
	eq("s3.HeadBucket", "status", ok("s3.HeadBucket")["status"], 200)
	eq("s3.GetBucketLocation", "location", ok("s3.GetBucketLocation")["LocationConstraint"], "us-west-2")
	eq("s3.GetPublicAccessBlock", "config", ok("s3.GetPublicAccessBlock"), map[string]bool{"BlockPublicAcls": true,
		"BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": false})
	eq("s3.GetBucketEncryption", "algorithm", ok("s3.GetBucketEncryption")["SSEAlgorithm"], "AES256")
	eq("s3.GetBucketAcl", "grants", ok("s3.GetBucketAcl")["Grants"], []any{[]any{"CanonicalUser", "FULL_CONTROL"}})
	eq("s3.GetBucketPolicy", "policy", ok("s3.GetBucketPolicy")["Policy"], sd.policy)
	eq("s3.GetBucketVersioning", "status", ok("s3.GetBucketVersioning")["Status"], "")
	eq("s3.GetBucketTagging", "tags", ok("s3.GetBucketTagging")["Tags"], map[string]string{"gdlab:lab": "abc12345"})

	// GuardDuty
	paged("guardduty.ListDetectors", strs(sd.Detector), 1)
	eq("guardduty.GetDetector", "detector", ok("guardduty.GetDetector"), map[string]any{"Status": "ENABLED", "FindingPublishingFrequency": "FIFTEEN_MINUTES",
		"ServiceRole": "arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"})
	paged("guardduty.ListThreatIntelSets", strs(sd.Sets...), 2)
	loc := fmt.Sprintf("https://s3.amazonaws.com/%s/%s", l.bucket, sd.ListKey)
	eq("guardduty.GetThreatIntelSet", "sets", ok("guardduty.GetThreatIntelSet"), map[string]any{
		sd.Sets[0]: map[string]any{"Name": "MyThreatIntelSet", "Format": "TXT", "Location": loc, "Status": "ACTIVE"},
		sd.Sets[1]: map[string]any{"Name": "SecondSet", "Format": "TXT", "Location": loc, "Status": "INACTIVE"}})
	eq("guardduty.CreateSampleFindings", "status", ok("guardduty.CreateSampleFindings")["status"], 200)
	after := w.Snapshot()
	var findingIDs []string
	ec2Findings := 0
	for _, f := range after.Findings {
		if f.DetectorID == sd.Detector {
			findingIDs = append(findingIDs, f.ID)
			if world.Str(f.Detail, "type") == probe.EC2FindingType {
				ec2Findings++
			}
		}
	}
	if len(findingIDs) < 3 {
		t.Errorf("world holds %d findings after CreateSampleFindings", len(findingIDs))
	}
	paged("guardduty.ListFindings", strs(findingIDs...), len(findingIDs))
	gf, _ := ok("guardduty.GetFindings")["items"].([]any)
	if len(gf) != ec2Findings || len(gf) == 0 {
		t.Errorf("GetFindings: %d EC2 findings, world has %d", len(gf), ec2Findings)
	}
	for _, f := range gf {
		m := f.(map[string]any)
		if m["Type"] != probe.EC2FindingType || m["Severity"] != 5.0 || !strings.HasPrefix(m["Title"].(string), "[SAMPLE]") ||
			m["InstanceId"] == "" || m["RemoteIp"] == "" || m["Count"].(float64) < 1 {
			t.Errorf("GetFindings: finding %v", m)
		}
	}

	// SNS
	paged("sns.ListTopics", strs(sd.Topic), 1)
	eq("sns.GetTopicAttributes", "attributes", ok("sns.GetTopicAttributes"), map[string]string{"TopicArn": sd.Topic, "Owner": world.Account,
		"SubscriptionsPending": "1", "SubscriptionsConfirmed": "1", "DisplayName": ""})
	var sqsSub string
	for _, r := range snap.List("aws_sns_topic_subscription") {
		if world.Str(r.Attrs, "protocol") == "sqs" {
			sqsSub = r.ID
		}
	}
	paged("sns.ListSubscriptionsByTopic", []any{[]any{"sqs", sd.queueARN, sqsSub}, []any{"email", "learner@example.com", "PendingConfirmation"}}, 1)
	if id, _ := ok("sns.Publish")["MessageId"].(string); !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(id) {
		t.Errorf("Publish: message id %q", id)
	}
	eq("sns.ConfirmSubscription", "arn", ok("sns.ConfirmSubscription")["SubscriptionArn"], sd.emailSub)
	if st := world.Str(w.Snapshot().Find("aws_sns_topic_subscription", sd.emailSub).Attrs, "pending_confirmation"); st == "true" {
		t.Errorf("email subscription still pending after ConfirmSubscription")
	}

	// SQS: the message SNS delivered, received, deleted and gone.
	eq("sqs", "flow", ok("sqs.GetQueueUrl+ReceiveMessage+DeleteMessage+GetQueueAttributes"), map[string]any{
		"QueueUrl": sd.QueueURL, "QueueArn": sd.queueARN, "Before": "1",
		"Messages": []any{[]any{"Notification", "GuardDuty", "instance isolated", sd.Topic}},
		"After":    map[string]string{"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, "Again": 0})

	// EventBridge
	paged("events.ListRules", strs(sd.Rule, sd.otherRule), 2)
	var pat any
	_ = json.Unmarshal([]byte(sd.Pattern), &pat)
	eq("events.DescribeRule", "rule", ok("events.DescribeRule"), map[string]any{"Name": sd.Rule, "Arn": sd.ruleARN, "State": "ENABLED", "EventPattern": pat})
	paged("events.ListTargetsByRule", []any{[]any{"findings-topic", sd.Topic}, []any{"isolate", sd.functionARN}}, 2)
	eq("events.TestEventPattern", "results", ok("events.TestEventPattern"), map[string]bool{"match": true, "nomatch": false})

	// Lambda
	paged("lambda.ListFunctions", strs(sd.Function, "gdlab-abc12345-other"), 2)
	eq("lambda.GetFunction", "configuration", ok("lambda.GetFunction"), map[string]string{"FunctionName": sd.Function, "FunctionArn": sd.functionARN,
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Role": sd.roleARN, "State": "Active"})
	eq("lambda.GetPolicy", "policy", ok("lambda.GetPolicy"), map[string]any{"Sids": []string{"AllowEventBridge"}, "Principal": map[string]string{"Service": "events.amazonaws.com"}})

	// CloudWatch Logs
	paged("logs.DescribeLogGroups", strs(sd.LogGroup, "/aws/lambda/gdlab-abc12345-other"), 2)
	paged("logs.FilterLogEvents", strs("instance isolated", "instance isolated again"), 2)
	eq("logs.GetLogEvents", "messages", ok("logs.GetLogEvents")["items"], []string{"START", "instance isolated", "instance isolated again"})

	// IAM
	role := ok("iam.GetRole")
	eq("iam.GetRole", "role", []any{role["RoleName"], role["Arn"], role["CreateDateType"]}, []any{sd.Role, sd.roleARN, "datetime"})
	if doc, _ := role["AssumeRolePolicyDocument"].(map[string]any); doc["Version"] != "2012-10-17" {
		t.Errorf("GetRole: AssumeRolePolicyDocument should reach boto3 URL-decoded and parsed, got %v", role["AssumeRolePolicyDocument"])
	}
	paged("iam.ListRolePolicies", strs("inline", "logs"), 2)
	eq("iam.GetRolePolicy", "document", ok("iam.GetRolePolicy")["PolicyDocument"], map[string]any{"Version": "2012-10-17",
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": "ec2:ModifyInstanceAttribute", "Resource": "*"}}})

	// Tagging: every resource carrying the lab tag, and the lab's instances.
	var tagged []any
	for _, typ := range snap.Types() {
		for _, r := range snap.List(typ) {
			if world.Tags(r)["gdlab:lab"] == sd.Lab && world.Str(r.Attrs, "arn") != "" {
				tagged = append(tagged, world.Str(r.Attrs, "arn"))
			}
		}
	}
	if len(tagged) < 15 {
		t.Errorf("seed tagged only %d resources", len(tagged))
	}
	paged("tagging.GetResources", tagged, 5)
	paged("tagging.GetResources.instances", strs(arnOf("aws_instance", l.victim), arnOf("aws_instance", l.malicious)), 2)

	// Mistakes and unimplemented operations: a ClientError with a proper
	// AWS error code, never a parse failure.
	wantErr := map[string]string{
		"s3.GetBucketPolicy.none":                          "NoSuchBucketPolicy",
		"s3.GetObject.missing":                             "NoSuchKey",
		"events.TestEventPattern.invalid":                  "InvalidEventPatternException",
		"unimplemented.ec2.DescribeKeyPairs":               "InvalidAction",
		"unimplemented.sns.CreatePlatformApplication":      "InvalidAction",
		"unimplemented.sqs.ListQueueTags":                  "",
		"unimplemented.guardduty.ListFilters":              "UnknownOperationException",
		"unimplemented.lambda.ListLayers":                  "",
		"unimplemented.events.ListArchives":                "UnknownOperationException",
		"unimplemented.logs.DescribeDestinations":          "UnknownOperationException",
		"unimplemented.iam.ListUsers":                      "InvalidAction",
		"unimplemented.s3.GetBucketLifecycleConfiguration": "NotImplemented",
		"unimplemented.tagging.GetTagKeys":                 "UnknownOperationException",
		"unimplemented.sts.AssumeRole":                     "InvalidAction",
	}
	for op, code := range wantErr {
		line, found := got[op]
		switch {
		case !found:
			t.Errorf("%s: the script printed nothing", op)
		case line.OK:
			t.Errorf("%s: succeeded, want an error", op)
		case line.Exc != "ClientError":
			t.Errorf("%s: boto3 raised %s, not a ClientError: %s", op, line.Exc, line.Message)
		case line.Error == "" || regexp.MustCompile(`^\d+$`).MatchString(line.Error):
			t.Errorf("%s: botocore could not parse an error code (got %q, HTTP %d): %s", op, line.Error, line.Status, line.Message)
		case line.Status < 400:
			t.Errorf("%s: HTTP %d", op, line.Status)
		case code != "" && line.Error != code:
			t.Errorf("%s: code %s, want %s", op, line.Error, code)
		}
	}

	// Every line is accounted for: no operation the script ran went unchecked.
	for _, op := range order {
		if line := got[op]; !line.OK {
			if _, expected := wantErr[op]; !expected {
				t.Errorf("%s: unexpected error %s %s", op, line.Error, line.Message)
			}
		}
	}
	if t.Failed() {
		t.Logf("script output:\n%s\nstderr:\n%s", out, stderr.String())
	}
}

// sortedJSON orders a list by each element's JSON, for set comparison.
func sortedJSON(items []any) []any {
	type kv struct {
		k string
		v any
	}
	var tmp []kv
	for _, it := range items {
		b, _ := json.Marshal(it)
		tmp = append(tmp, kv{string(b), it})
	}
	sort.Slice(tmp, func(i, j int) bool { return tmp[i].k < tmp[j].k })
	out := make([]any, len(tmp))
	for i, e := range tmp {
		out[i] = e.v
	}
	return out
}
