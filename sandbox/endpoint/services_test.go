package endpoint

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	tagtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

func TestSTS(t *testing.T) {
	s, _ := startSandbox(t)
	out, err := sts.NewFromConfig(sdkConfig(s)).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != "123456789012" || aws.ToString(out.Arn) != world.CallerARN {
		t.Fatalf("%v %+v", err, out)
	}
}

func TestS3(t *testing.T) {
	s, w := startSandbox(t)
	create(t, s, "aws_s3_bucket", map[string]any{"bucket": "lists-123", "tags_all": map[string]any{"gdlab:lab": "x"}})
	create(t, s, "aws_s3_object", map[string]any{"bucket": "lists-123", "key": "MyThreatIntelSet", "content": "203.0.113.10\n"})
	create(t, s, "aws_s3_bucket_public_access_block", map[string]any{"bucket": "lists-123", "block_public_acls": true,
		"block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": false})
	c := s3.NewFromConfig(sdkConfig(s), func(o *s3.Options) { o.UsePathStyle = true })

	lb, err := c.ListBuckets(ctx(t), &s3.ListBucketsInput{})
	if err != nil || len(lb.Buckets) != 1 || aws.ToString(lb.Buckets[0].Name) != "lists-123" {
		t.Fatalf("list buckets %v %+v", err, lb)
	}
	if _, err := c.PutObject(ctx(t), &s3.PutObjectInput{Bucket: aws.String("lists-123"), Key: aws.String("AWSLogs/a b+c.log"),
		Body: strings.NewReader("flow records")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("lists-123"), Key: aws.String("AWSLogs/a b+c.log")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != "flow records" {
		t.Errorf("body %q", body)
	}
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("lists-123"), MaxKeys: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	if strings.Join(keys, ",") != "AWSLogs/a b+c.log,MyThreatIntelSet" {
		t.Errorf("paged keys %v", keys)
	}
	delim, err := c.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: aws.String("lists-123"), Delimiter: aws.String("/")})
	if err != nil || len(delim.CommonPrefixes) != 1 || aws.ToString(delim.CommonPrefixes[0].Prefix) != "AWSLogs/" {
		t.Errorf("delimiter %v %+v", err, delim)
	}
	if h, err := c.HeadObject(ctx(t), &s3.HeadObjectInput{Bucket: aws.String("lists-123"), Key: aws.String("MyThreatIntelSet")}); err != nil || aws.ToInt64(h.ContentLength) != 13 {
		t.Errorf("head %v %+v", err, h)
	}
	pab, err := c.GetPublicAccessBlock(ctx(t), &s3.GetPublicAccessBlockInput{Bucket: aws.String("lists-123")})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) || aws.ToBool(pab.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Errorf("public access block %v %+v", err, pab)
	}
	enc, err := c.GetBucketEncryption(ctx(t), &s3.GetBucketEncryptionInput{Bucket: aws.String("lists-123")})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != "AES256" {
		t.Errorf("encryption %v %+v", err, enc)
	}
	loc, err := c.GetBucketLocation(ctx(t), &s3.GetBucketLocationInput{Bucket: aws.String("lists-123")})
	if err != nil || loc.LocationConstraint != "us-west-2" {
		t.Errorf("location %v %+v", err, loc)
	}
	acl, err := c.GetBucketAcl(ctx(t), &s3.GetBucketAclInput{Bucket: aws.String("lists-123")})
	if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Grantee.Type != "CanonicalUser" {
		t.Errorf("acl %v %+v", err, acl)
	}
	for name, call := range map[string]func() error{
		"NoSuchBucketPolicy": func() error {
			_, err := c.GetBucketPolicy(ctx(t), &s3.GetBucketPolicyInput{Bucket: aws.String("lists-123")})
			return err
		},
		"NoSuchKey": func() error {
			_, err := c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("lists-123"), Key: aws.String("absent")})
			return err
		},
		"NoSuchBucket": func() error {
			_, err := c.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: aws.String("absent-bucket")})
			return err
		},
		"NotFound": func() error {
			_, err := c.HeadObject(ctx(t), &s3.HeadObjectInput{Bucket: aws.String("lists-123"), Key: aws.String("absent")})
			return err
		},
		"NotImplemented": func() error {
			_, err := c.CreateBucket(ctx(t), &s3.CreateBucketInput{Bucket: aws.String("new-bucket")})
			return err
		},
	} {
		if got := apiCode(call()); got != name {
			t.Errorf("want %s, got %q", name, got)
		}
	}
	if n := len(w.Snapshot().Objects["lists-123"]); n != 2 {
		t.Errorf("objects in world %d", n)
	}
}

func TestGuardDuty(t *testing.T) {
	s, _ := startSandbox(t)
	c := guardduty.NewFromConfig(sdkConfig(s))
	none, err := c.ListDetectors(ctx(t), &guardduty.ListDetectorsInput{})
	if err != nil || len(none.DetectorIds) != 0 {
		t.Fatalf("%v %+v", err, none)
	}
	create(t, s, "aws_s3_bucket", map[string]any{"bucket": "lists"})
	create(t, s, "aws_s3_object", map[string]any{"bucket": "lists", "key": "list.txt", "content": "203.0.113.10\n"})
	det, _ := create(t, s, "aws_guardduty_detector", map[string]any{"finding_publishing_frequency": "FIFTEEN_MINUTES"})
	setID, _ := create(t, s, "aws_guardduty_threatintelset", map[string]any{"detector_id": det, "name": "MyThreatIntelSet",
		"format": "TXT", "location": "https://s3.amazonaws.com/lists/list.txt", "activate": true})
	d, err := c.GetDetector(ctx(t), &guardduty.GetDetectorInput{DetectorId: aws.String(det)})
	if err != nil || d.Status != gdtypes.DetectorStatusEnabled || d.FindingPublishingFrequency != gdtypes.FindingPublishingFrequencyFifteenMinutes {
		t.Fatalf("detector %v %+v", err, d)
	}
	sets, err := c.ListThreatIntelSets(ctx(t), &guardduty.ListThreatIntelSetsInput{DetectorId: aws.String(det)})
	if err != nil || len(sets.ThreatIntelSetIds) != 1 || det+":"+sets.ThreatIntelSetIds[0] != setID {
		t.Fatalf("sets %v %+v", err, sets)
	}
	set, err := c.GetThreatIntelSet(ctx(t), &guardduty.GetThreatIntelSetInput{DetectorId: aws.String(det), ThreatIntelSetId: aws.String(sets.ThreatIntelSetIds[0])})
	if err != nil || set.Status != gdtypes.ThreatIntelSetStatusActive || aws.ToString(set.Name) != "MyThreatIntelSet" {
		t.Fatalf("set %v %+v", err, set)
	}
	if _, err := c.CreateSampleFindings(ctx(t), &guardduty.CreateSampleFindingsInput{DetectorId: aws.String(det),
		FindingTypes: []string{"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", "Recon:EC2/PortProbeUnprotectedPort", "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"}}); err != nil {
		t.Fatal(err)
	}
	list, err := c.ListFindings(ctx(t), &guardduty.ListFindingsInput{DetectorId: aws.String(det),
		FindingCriteria: &gdtypes.FindingCriteria{Criterion: map[string]gdtypes.Condition{
			"type":             {Equals: []string{"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"}},
			"service.archived": {Equals: []string{"false"}},
			"severity":         {GreaterThanOrEqual: aws.Int64(4)},
		}}})
	if err != nil || len(list.FindingIds) != 1 {
		t.Fatalf("list findings %v %+v", err, list)
	}
	var all []string
	p := guardduty.NewListFindingsPaginator(c, &guardduty.ListFindingsInput{DetectorId: aws.String(det), MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out.FindingIds...)
	}
	if len(all) != 3 {
		t.Errorf("paged findings %d", len(all))
	}
	fs, err := c.GetFindings(ctx(t), &guardduty.GetFindingsInput{DetectorId: aws.String(det), FindingIds: list.FindingIds})
	if err != nil || len(fs.Findings) != 1 {
		t.Fatalf("get findings %v %+v", err, fs)
	}
	f := fs.Findings[0]
	if !strings.HasPrefix(aws.ToString(f.Title), "[SAMPLE]") || aws.ToString(f.Resource.InstanceDetails.InstanceId) != "i-99999999" ||
		!strings.Contains(aws.ToString(f.Service.AdditionalInfo.Value), `"sample":true`) || aws.ToFloat64(f.Severity) != 5 ||
		aws.ToString(f.Service.Action.NetworkConnectionAction.RemoteIpDetails.IpAddressV4) == "" {
		t.Errorf("finding %+v", f)
	}
	_, err = c.GetDetector(ctx(t), &guardduty.GetDetectorInput{DetectorId: aws.String("00000000000000000000000000000000")})
	if apiCode(err) != "BadRequestException" {
		t.Errorf("unknown detector: %v", err)
	}
	_, err = c.ListFilters(ctx(t), &guardduty.ListFiltersInput{DetectorId: aws.String(det)})
	if apiCode(err) != "UnknownOperationException" {
		t.Errorf("unimplemented: %v", err)
	}
}

func TestSNSAndSQS(t *testing.T) {
	s, w := startSandbox(t)
	topic, _ := create(t, s, "aws_sns_topic", map[string]any{"name": "gdlab-topic", "tags_all": map[string]any{"gdlab:lab": "x"}})
	qURL, q := create(t, s, "aws_sqs_queue", map[string]any{"name": "gdlab-tap"})
	email, _ := create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic, "protocol": "email", "endpoint": "me@example.com"})
	create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic, "protocol": "sqs", "endpoint": q["arn"]})
	cfg := sdkConfig(s)
	sn := sns.NewFromConfig(cfg)
	sq := sqs.NewFromConfig(cfg)

	topics, err := sn.ListTopics(ctx(t), &sns.ListTopicsInput{})
	if err != nil || len(topics.Topics) != 1 || aws.ToString(topics.Topics[0].TopicArn) != topic {
		t.Fatalf("topics %v %+v", err, topics)
	}
	attrs, err := sn.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
	if err != nil || attrs.Attributes["SubscriptionsPending"] != "1" || attrs.Attributes["SubscriptionsConfirmed"] != "1" || !strings.Contains(attrs.Attributes["Policy"], "__default_policy_ID") {
		t.Fatalf("attrs %v %+v", err, attrs)
	}
	subs, err := sn.ListSubscriptionsByTopic(ctx(t), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	if err != nil || len(subs.Subscriptions) != 2 || aws.ToString(subs.Subscriptions[0].SubscriptionArn) != "PendingConfirmation" {
		t.Fatalf("subs %v %+v", err, subs)
	}
	if _, err := sn.Publish(ctx(t), &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("instance isolated"), Subject: aws.String("GuardDuty")}); err != nil {
		t.Fatal(err)
	}
	token := world.SubscriptionToken(w.Snapshot().Find("aws_sns_topic_subscription", email))
	conf, err := sn.ConfirmSubscription(ctx(t), &sns.ConfirmSubscriptionInput{TopicArn: aws.String(topic), Token: aws.String(token)})
	if err != nil || aws.ToString(conf.SubscriptionArn) != email {
		t.Fatalf("confirm %v %+v", err, conf)
	}
	_, err = sn.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic + "-nope")})
	if apiCode(err) != "NotFound" {
		t.Errorf("missing topic: %v", err)
	}

	url, err := sq.GetQueueUrl(ctx(t), &sqs.GetQueueUrlInput{QueueName: aws.String("gdlab-tap")})
	if err != nil || aws.ToString(url.QueueUrl) != qURL {
		t.Fatalf("queue url %v %+v", err, url)
	}
	qa, err := sq.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: url.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	if err != nil || qa.Attributes["ApproximateNumberOfMessages"] != "1" || qa.Attributes["QueueArn"] != q["arn"] {
		t.Fatalf("queue attrs %v %+v", err, qa)
	}
	msgs, err := sq.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: url.QueueUrl, MaxNumberOfMessages: 10,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
	if err != nil || len(msgs.Messages) != 1 {
		t.Fatalf("receive %v %+v", err, msgs)
	}
	var env map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(msgs.Messages[0].Body)), &env); err != nil || env["Message"] != "instance isolated" || env["Subject"] != "GuardDuty" {
		t.Errorf("envelope %v %s", err, aws.ToString(msgs.Messages[0].Body))
	}
	if msgs.Messages[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Errorf("attributes %+v", msgs.Messages[0].Attributes)
	}
	if _, err := sq.DeleteMessage(ctx(t), &sqs.DeleteMessageInput{QueueUrl: url.QueueUrl, ReceiptHandle: msgs.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	batch, err := sq.DeleteMessageBatch(ctx(t), &sqs.DeleteMessageBatchInput{QueueUrl: url.QueueUrl,
		Entries: []sqstypes.DeleteMessageBatchRequestEntry{{Id: aws.String("1"), ReceiptHandle: aws.String("stale")}}})
	if err != nil || len(batch.Failed) != 1 || aws.ToString(batch.Failed[0].Code) != "ReceiptHandleIsInvalid" {
		t.Errorf("batch %v %+v", err, batch)
	}
	empty, err := sq.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: url.QueueUrl, WaitTimeSeconds: 1})
	if err != nil || len(empty.Messages) != 0 {
		t.Errorf("long poll on empty queue %v %+v", err, empty)
	}
	_, err = sq.GetQueueUrl(ctx(t), &sqs.GetQueueUrlInput{QueueName: aws.String("absent")})
	if apiCode(err) != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("missing queue: %q %v", apiCode(err), err)
	}
	_, err = sq.PurgeQueue(ctx(t), &sqs.PurgeQueueInput{QueueUrl: url.QueueUrl})
	if apiCode(err) != "UnknownOperationException" {
		t.Errorf("unimplemented: %v", err)
	}
}

func TestEventsLambdaLogsIAMTagging(t *testing.T) {
	s, w := startSandbox(t)
	tags := map[string]any{"gdlab:lab": "abc12345"}
	topic, _ := create(t, s, "aws_sns_topic", map[string]any{"name": "t", "tags_all": tags})
	role, _ := create(t, s, "aws_iam_role", map[string]any{"name": "gdlab-lambda", "tags_all": tags,
		"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	create(t, s, "aws_iam_role_policy", map[string]any{"role": role, "name": "inline", "policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}`})
	roleAttrs := w.Snapshot().Find("aws_iam_role", role).Attrs
	zipPath := writeZip(t)
	fn, fnAttrs := create(t, s, "aws_lambda_function", map[string]any{"function_name": "gdlab-remediation", "role": roleAttrs["arn"],
		"runtime": "provided.al2023", "handler": "bootstrap", "filename": zipPath, "architectures": []any{"arm64"}, "tags_all": tags,
		"environment": []any{map[string]any{"variables": map[string]any{"FORENSIC_SG": "sg-1"}}}})
	pattern := `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}`
	_, rule := create(t, s, "aws_cloudwatch_event_rule", map[string]any{"name": "gdlab-ec2", "event_pattern": pattern, "tags_all": tags})
	create(t, s, "aws_cloudwatch_event_target", map[string]any{"rule": "gdlab-ec2", "arn": topic, "target_id": "sns",
		"input_transformer": []any{map[string]any{"input_paths": map[string]any{"id": "$.detail.id"}, "input_template": `"Finding <id>"`}}})
	create(t, s, "aws_cloudwatch_event_target", map[string]any{"rule": "gdlab-ec2", "arn": fnAttrs["arn"], "target_id": "lambda"})
	create(t, s, "aws_lambda_permission", map[string]any{"statement_id": "AllowEventBridge", "action": "lambda:InvokeFunction",
		"function_name": fn, "principal": "events.amazonaws.com", "source_arn": rule["arn"]})
	create(t, s, "aws_cloudwatch_log_group", map[string]any{"name": "/aws/lambda/gdlab-remediation", "retention_in_days": 7, "tags_all": tags})
	if err := w.PutLogEvents("/aws/lambda/gdlab-remediation", "2025/01/01/[$LATEST]abc", []world.LogEvent{
		{Message: "START RequestId: 1"}, {Message: "isolated i-0abc into sg-1"}, {Message: "END RequestId: 1"}}); err != nil {
		t.Fatal(err)
	}
	cfg := sdkConfig(s)

	eb := eventbridge.NewFromConfig(cfg)
	rules, err := eb.ListRules(ctx(t), &eventbridge.ListRulesInput{NamePrefix: aws.String("gdlab")})
	if err != nil || len(rules.Rules) != 1 || aws.ToString(rules.Rules[0].EventPattern) != pattern {
		t.Fatalf("rules %v %+v", err, rules)
	}
	dr, err := eb.DescribeRule(ctx(t), &eventbridge.DescribeRuleInput{Name: aws.String("gdlab-ec2")})
	if err != nil || dr.State != "ENABLED" || aws.ToString(dr.Arn) != rule["arn"] {
		t.Fatalf("describe rule %v %+v", err, dr)
	}
	targets, err := eb.ListTargetsByRule(ctx(t), &eventbridge.ListTargetsByRuleInput{Rule: aws.String("gdlab-ec2")})
	if err != nil || len(targets.Targets) != 2 || targets.Targets[0].InputTransformer == nil || targets.Targets[0].InputTransformer.InputPathsMap["id"] != "$.detail.id" {
		t.Fatalf("targets %v %+v", err, targets)
	}
	event := `{"version":"0","id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","time":"2025-01-01T00:00:00Z","region":"us-west-2","resources":[],"detail":{"type":"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"}}`
	tp, err := eb.TestEventPattern(ctx(t), &eventbridge.TestEventPatternInput{EventPattern: aws.String(pattern), Event: aws.String(event)})
	if err != nil || !tp.Result {
		t.Errorf("test pattern %v %+v", err, tp)
	}
	other := strings.Replace(event, "EC2/MaliciousIPCaller", "IAMUser/MaliciousIPCaller", 1)
	if tp, err := eb.TestEventPattern(ctx(t), &eventbridge.TestEventPatternInput{EventPattern: aws.String(pattern), Event: aws.String(other)}); err != nil || tp.Result {
		t.Errorf("non-matching event %v %+v", err, tp)
	}
	if _, err := eb.TestEventPattern(ctx(t), &eventbridge.TestEventPatternInput{EventPattern: aws.String(`{"source":"x"}`), Event: aws.String(event)}); apiCode(err) != "InvalidEventPatternException" {
		t.Errorf("bad pattern: %v", err)
	}
	if _, err := eb.DescribeRule(ctx(t), &eventbridge.DescribeRuleInput{Name: aws.String("absent")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("missing rule: %v", err)
	}

	lc := lambda.NewFromConfig(cfg)
	gf, err := lc.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(fn)})
	if err != nil || aws.ToString(gf.Configuration.Handler) != "bootstrap" || gf.Configuration.Environment.Variables["FORENSIC_SG"] != "sg-1" ||
		gf.Configuration.State != "Active" || gf.Configuration.Architectures[0] != "arm64" {
		t.Fatalf("get function %v %+v", err, gf)
	}
	lf, err := lc.ListFunctions(ctx(t), &lambda.ListFunctionsInput{})
	if err != nil || len(lf.Functions) != 1 {
		t.Fatalf("list functions %v %+v", err, lf)
	}
	pol, err := lc.GetPolicy(ctx(t), &lambda.GetPolicyInput{FunctionName: aws.String(fnAttrs["arn"].(string))})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"AWS:SourceArn":"`+rule["arn"].(string)) {
		t.Fatalf("policy %v %+v", err, pol)
	}
	if _, err := lc.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("absent")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("missing function: %v", err)
	}

	logs := cloudwatchlogs.NewFromConfig(cfg)
	groups, err := logs.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/")})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToInt32(groups.LogGroups[0].RetentionInDays) != 7 {
		t.Fatalf("log groups %v %+v", err, groups)
	}
	fe, err := logs.FilterLogEvents(ctx(t), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/gdlab-remediation"), FilterPattern: aws.String("isolated")})
	if err != nil || len(fe.Events) != 1 {
		t.Fatalf("filter %v %+v", err, fe)
	}
	ge, err := logs.GetLogEvents(ctx(t), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/aws/lambda/gdlab-remediation"),
		LogStreamName: aws.String("2025/01/01/[$LATEST]abc"), StartFromHead: aws.Bool(true)})
	if err != nil || len(ge.Events) != 3 {
		t.Fatalf("get events %v %+v", err, ge)
	}
	if _, err := logs.FilterLogEvents(ctx(t), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/absent")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("missing group: %v", err)
	}

	ic := iam.NewFromConfig(cfg)
	gr, err := ic.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String(role)})
	if err != nil || !strings.HasPrefix(aws.ToString(gr.Role.RoleId), "AROA") || !strings.Contains(aws.ToString(gr.Role.AssumeRolePolicyDocument), "lambda.amazonaws.com") {
		t.Fatalf("get role %v %+v", err, gr)
	}
	lp, err := ic.ListRolePolicies(ctx(t), &iam.ListRolePoliciesInput{RoleName: aws.String(role)})
	if err != nil || len(lp.PolicyNames) != 1 {
		t.Fatalf("list role policies %v %+v", err, lp)
	}
	rp, err := ic.GetRolePolicy(ctx(t), &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("inline")})
	if err != nil || !strings.Contains(aws.ToString(rp.PolicyDocument), "DescribeInstances") {
		t.Fatalf("role policy %v %+v", err, rp)
	}
	if _, err := ic.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("absent")}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("missing role: %v", err)
	}

	tg := resourcegroupstaggingapi.NewFromConfig(cfg)
	var arns []string
	p := resourcegroupstaggingapi.NewGetResourcesPaginator(tg, &resourcegroupstaggingapi.GetResourcesInput{ResourcesPerPage: aws.Int32(2),
		TagFilters: []tagtypes.TagFilter{{Key: aws.String("gdlab:lab"), Values: []string{"abc12345"}}}})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.ResourceTagMappingList {
			arns = append(arns, aws.ToString(m.ResourceARN))
		}
	}
	if len(arns) != 5 {
		t.Errorf("tagged resources %d: %v", len(arns), arns)
	}
	onlyLambda, err := tg.GetResources(ctx(t), &resourcegroupstaggingapi.GetResourcesInput{ResourceTypeFilters: []string{"lambda:function"}})
	if err != nil || len(onlyLambda.ResourceTagMappingList) != 1 {
		t.Errorf("type filter %v %+v", err, onlyLambda)
	}
}

// writeZip writes a minimal deployment package with a bootstrap file.
func writeZip(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fn.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	wr, _ := zw.Create("bootstrap")
	_, _ = wr.Write([]byte("#!/bin/sh\n"))
	_ = zw.Close()
	_ = f.Close()
	return p
}
