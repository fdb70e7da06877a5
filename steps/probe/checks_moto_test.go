package probe

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gdlab-dev/gdlab/internal/moto"
)

const testRegion = "us-west-2"

// motoLab is the lab built with the SDK in moto, the way the terraform
// modules build it, plus handles to break it in the failing cases.
type motoLab struct {
	cfg     aws.Config
	gd      *fakeGuardDuty
	gdURL   string
	outputs map[string]any
	ec2     *ec2.Client
	s3      *s3.Client
	events  *eventbridge.Client
}

func (l *motoLab) prober() *Prober {
	return New(l.cfg, WithServiceEndpoint("guardduty", l.gdURL))
}

func (l *motoLab) out(t *testing.T) Outputs {
	t.Helper()
	o, err := NewOutputs(l.outputs)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// must panics with a labError on err, so the SDK calls that build the lab
// read as one line each; recoverLab turns the panic into a test failure.
func must[T any](v T, err error) T {
	if err != nil {
		panic(labError{err})
	}
	return v
}

type labError struct{ err error }

func recoverLab(t *testing.T) {
	if r := recover(); r != nil {
		if le, ok := r.(labError); ok {
			t.Fatalf("building the lab in moto: %v", le.err)
		}
		panic(r)
	}
}

const labRulePattern = `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}`

func buildMotoLab(t *testing.T, server *moto.Server) *motoLab {
	t.Helper()
	defer recoverLab(t)
	server.Reset(t)
	server.Setenv(t, testRegion)
	ctx := context.Background()
	cfg := must(LoadConfig(ctx, "", ""))
	gd, gdURL := newFakeGuardDuty(t)
	l := &motoLab{cfg: cfg, gd: gd, gdURL: gdURL, outputs: map[string]any{}}
	ec2c := ec2.NewFromConfig(cfg)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	l.ec2, l.s3 = ec2c, s3c

	// step 2
	vpc := must(ec2c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/24")}))
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	subnet := must(ec2c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/26")}))
	initial := must(ec2c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("gdlab-test-initial"), Description: aws.String("initial"), VpcId: vpc.Vpc.VpcId}))
	must(ec2c.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: subnet.Subnet.SubnetId, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	images := must(ec2c.DescribeImages(ctx, &ec2.DescribeImagesInput{}))
	if len(images.Images) == 0 {
		t.Fatal("moto has no AMIs")
	}
	ami := images.Images[0].ImageId
	run := func(name string) string {
		out := must(ec2c.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: ami, InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: subnet.Subnet.SubnetId, SecurityGroupIds: []string{aws.ToString(initial.GroupId)},
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
				Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}, {Key: aws.String("gdlab:lab"), Value: aws.String("test1234")}}}},
		}))
		return aws.ToString(out.Instances[0].InstanceId)
	}
	compromised, malicious := run(CompromisedInstanceName), run(MaliciousInstanceName)
	eip := must(ec2c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc}))
	must(ec2c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: aws.String(malicious)}))
	for k, v := range map[string]any{"vpc_id": vpcID, "subnet_id": aws.ToString(subnet.Subnet.SubnetId), "initial_sg_id": aws.ToString(initial.GroupId),
		"compromised_instance_id": compromised, "malicious_instance_id": malicious,
		"malicious_ip": aws.ToString(eip.PublicIp), "malicious_eip_allocation_id": aws.ToString(eip.AllocationId)} {
		l.outputs[k] = v
	}

	// step 3
	for _, b := range []string{"gdlab-test1234-threat-list", "gdlab-test1234-flow-logs"} {
		must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(testRegion)}}))
		must(s3c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(b), PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
		must(s3c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(b), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
			Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}}))
	}
	flow := must(ec2c.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceIds: []string{vpcID}, ResourceType: ec2types.FlowLogsResourceTypeVpc,
		TrafficType: ec2types.TrafficTypeAll, LogDestinationType: ec2types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::gdlab-test1234-flow-logs")}))
	l.outputs["threat_list_bucket"] = "gdlab-test1234-threat-list"
	l.outputs["flow_log_bucket"] = "gdlab-test1234-flow-logs"
	l.outputs["flow_log_id"] = flow.FlowLogIds[0]

	// step 4: the object in moto's S3, detector and set in the fake
	must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("gdlab-test1234-threat-list"), Key: aws.String("threat-list.txt"),
		Body: strings.NewReader("198.51.100.1\n" + aws.ToString(eip.PublicIp) + "\n")}))
	gd.detectors["det123"] = fakeDetector{Status: "ENABLED", Frequency: "FIFTEEN_MINUTES"}
	gd.setSet("set456", map[string]any{"name": "gdlab-test1234-threat-list", "format": "TXT", "status": "ACTIVE",
		"location": "https://s3.amazonaws.com/gdlab-test1234-threat-list/threat-list.txt"})
	l.outputs["detector_id"] = "det123"
	l.outputs["detector_managed"] = true
	l.outputs["threat_intel_set_id"] = "set456"
	l.outputs["threat_list_object_key"] = "threat-list.txt"

	// step 5
	snsc, sqsc := sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	topic := must(snsc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("gdlab-test1234-alerts")}))
	topicARN := aws.ToString(topic.TopicArn)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topicARN + `"}]}`
	must(snsc.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: topic.TopicArn, AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy)}))
	emailSub := must(snsc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("email"), Endpoint: aws.String("learner@example.com")}))
	queue := must(sqsc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("gdlab-test1234-tap")}))
	queueARN := "arn:aws:sqs:" + testRegion + ":123456789012:gdlab-test1234-tap"
	must(snsc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(queueARN)}))
	l.outputs["sns_topic_arn"] = topicARN
	l.outputs["email_subscription_arn"] = aws.ToString(emailSub.SubscriptionArn)
	l.outputs["sns_tap_queue_url"] = aws.ToString(queue.QueueUrl)
	l.outputs["sns_tap_queue_arn"] = queueARN

	// step 6
	evc := eventbridge.NewFromConfig(cfg)
	l.events = evc
	ec2Rule := must(evc.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("gdlab-test1234-ec2-finding"), EventPattern: aws.String(labRulePattern), State: ebtypes.RuleStateEnabled}))
	iamRule := must(evc.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("gdlab-test1234-iam-finding"), State: ebtypes.RuleStateEnabled,
		EventPattern: aws.String(`{"source":["aws.guardduty"],"detail":{"type":["UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom","Discovery:S3/MaliciousIPCaller.Custom"]}}`)}))
	must(evc.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("gdlab-test1234-ec2-finding"), Targets: []ebtypes.Target{{
		Id: aws.String("sns"), Arn: topic.TopicArn, InputTransformer: &ebtypes.InputTransformer{
			InputPathsMap: map[string]string{"gdid": "$.detail.id", "instanceid": "$.detail.resource.instanceDetails.instanceId"},
			InputTemplate: aws.String(`"First GuardDuty finding for the lab: <gdid> on <instanceid>."`)}}}}))
	l.outputs["ec2_finding_rule_name"] = "gdlab-test1234-ec2-finding"
	l.outputs["ec2_finding_rule_arn"] = aws.ToString(ec2Rule.RuleArn)
	l.outputs["iam_finding_rule_name"] = "gdlab-test1234-iam-finding"
	l.outputs["iam_finding_rule_arn"] = aws.ToString(iamRule.RuleArn)

	// step 7
	forensic := must(ec2c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("gdlab-test1234-forensic"), Description: aws.String("forensic"), VpcId: vpc.Vpc.VpcId}))
	// As terraform does: drop AWS's default allow-all egress rule.
	must(ec2c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: forensic.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))
	iamc := iam.NewFromConfig(cfg)
	role := must(iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("gdlab-test1234-remediation"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	lc := lambda.NewFromConfig(cfg)
	fn := must(lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("gdlab-test1234-remediation"), Role: role.Role.Arn,
		Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"), Code: &lambdatypes.FunctionCode{ZipFile: zipWithBootstrap(t)},
		Environment: &lambdatypes.Environment{Variables: map[string]string{"INSTANCE_ID": compromised, "FORENSICS_SG": aws.ToString(forensic.GroupId), "TOPIC_ARN": topicARN}}}))
	must(lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: fn.FunctionName, StatementId: aws.String("events"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("events.amazonaws.com"), SourceArn: ec2Rule.RuleArn}))
	must(evc.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("gdlab-test1234-ec2-finding"), Targets: []ebtypes.Target{{Id: aws.String("lambda"), Arn: fn.FunctionArn}}}))
	l.outputs["forensic_sg_id"] = aws.ToString(forensic.GroupId)
	l.outputs["lambda_function_name"] = aws.ToString(fn.FunctionName)
	l.outputs["lambda_function_arn"] = aws.ToString(fn.FunctionArn)
	l.outputs["lambda_role_name"] = "gdlab-test1234-remediation"
	l.outputs["lambda_log_group_name"] = "/aws/lambda/gdlab-test1234-remediation"
	return l
}

func resultsByID(results []CheckResult) map[string]CheckResult {
	m := map[string]CheckResult{}
	for _, r := range results {
		m[r.ID] = r
	}
	return m
}

func TestChecksAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("complete lab passes every step", func(t *testing.T) {
		l := buildMotoLab(t, server)
		results := l.prober().Run(ctx, l.out(t), StepConverge)
		if len(results) != len(ChecksFor(StepConverge)) || len(results) < 18 {
			t.Fatalf("step 8 ran %d checks", len(results))
		}
		for _, r := range results {
			if r.Status != StatusPass {
				t.Errorf("%s: %s: %s (hint: %s)", r.ID, r.Status, r.Detail, r.Hint)
			}
			if r.Command == "" || !strings.HasPrefix(r.Command, "aws ") {
				t.Errorf("%s: no AWS CLI command to check by hand: %q", r.ID, r.Command)
			}
		}
	})

	t.Run("missing outputs skip instead of fail", func(t *testing.T) {
		l := buildMotoLab(t, server)
		out, _ := NewOutputs(map[string]any{"vpc_id": l.outputs["vpc_id"]})
		for _, r := range l.prober().Run(ctx, out, StepS3) {
			if r.Status != StatusSkipped || !strings.Contains(r.Hint, "step 3") {
				t.Errorf("%s: want skipped with 'apply step 3', got %s %q %q", r.ID, r.Status, r.Detail, r.Hint)
			}
		}
	})

	failing := []struct {
		name    string
		breakIt func(t *testing.T, l *motoLab)
		check   string
		want    Status
		detail  string
	}{
		{"stopped instance", func(t *testing.T, l *motoLab) {
			must(l.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{l.outputs["compromised_instance_id"].(string)}}))
		}, "compute.compromised-instance", StatusFail, "not running"},
		{"EIP moved away", func(t *testing.T, l *motoLab) {
			must(l.ec2.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: aws.String(l.outputs["malicious_eip_allocation_id"].(string)),
				InstanceId: aws.String(l.outputs["compromised_instance_id"].(string)), AllowReassociation: aws.Bool(true)}))
		}, "compute.malicious-eip", StatusFail, "not to the malicious instance"},
		{"public bucket", func(t *testing.T, l *motoLab) {
			must(l.s3.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("gdlab-test1234-threat-list")}))
		}, "s3.threat-list-bucket", StatusFail, "public access"},
		{"public ACL", func(t *testing.T, l *motoLab) {
			must(l.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("gdlab-test1234-flow-logs"), PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
				BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(true)}}))
		}, "s3.flow-log-bucket", StatusFail, "does not block all public access"},
		{"unencrypted bucket", func(t *testing.T, l *motoLab) {
			must(l.s3.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String("gdlab-test1234-threat-list")}))
		}, "s3.threat-list-bucket", StatusFail, "encryption"},
		{"threat list without the EIP", func(t *testing.T, l *motoLab) {
			must(l.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("gdlab-test1234-threat-list"), Key: aws.String("threat-list.txt"), Body: strings.NewReader("10.0.0.5\n")}))
		}, "guardduty.threat-list", StatusFail, "not the malicious EIP"},
		{"set still activating", func(t *testing.T, l *motoLab) {
			l.gd.setSet("set456", map[string]any{"name": "x", "format": "TXT", "status": "ACTIVATING", "location": "s3://gdlab-test1234-threat-list/threat-list.txt"})
		}, "guardduty.threat-intel-set", StatusPending, "activating"},
		{"detector publishing every six hours", func(t *testing.T, l *motoLab) {
			l.gd.detectors["det123"] = fakeDetector{Status: "ENABLED", Frequency: "SIX_HOURS"}
		}, "guardduty.detector", StatusFail, "six hours"},
		{"wrong pattern", func(t *testing.T, l *motoLab) {
			must(l.events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("gdlab-test1234-ec2-finding"), State: ebtypes.RuleStateEnabled,
				EventPattern: aws.String(`{"source":["aws.guardduty"],"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller"]}}`)}))
		}, "eventbridge.ec2-rule-pattern", StatusFail, "does not match"},
		{"disabled rule", func(t *testing.T, l *motoLab) {
			must(l.events.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("gdlab-test1234-ec2-finding")}))
		}, "eventbridge.ec2-rule", StatusFail, "DISABLED"},
		{"SNS target without transformer", func(t *testing.T, l *motoLab) {
			must(l.events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("gdlab-test1234-ec2-finding"),
				Targets: []ebtypes.Target{{Id: aws.String("sns"), Arn: aws.String(l.outputs["sns_topic_arn"].(string))}}}))
		}, "eventbridge.sns-target", StatusFail, "no input transformer"},
		{"forensic group with egress", func(t *testing.T, l *motoLab) {
			must(l.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(l.outputs["forensic_sg_id"].(string)),
				IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))
		}, "ec2.forensic-sg", StatusFail, "1 outbound"},
		{"instance already isolated", func(t *testing.T, l *motoLab) {
			must(l.ec2.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(l.outputs["compromised_instance_id"].(string)),
				Groups: []string{l.outputs["forensic_sg_id"].(string)}}))
		}, "compute.compromised-instance", StatusWarn, "already isolated"},
	}
	for _, tt := range failing {
		t.Run(tt.name, func(t *testing.T) {
			l := buildMotoLab(t, server)
			func() {
				defer recoverLab(t)
				tt.breakIt(t, l)
			}()
			got := resultsByID(l.prober().Run(ctx, l.out(t), StepConverge))[tt.check]
			if got.Status != tt.want || !strings.Contains(got.Detail, tt.detail) {
				t.Fatalf("%s: got %s %q, want %s containing %q", tt.check, got.Status, got.Detail, tt.want, tt.detail)
			}
			if got.Status == StatusFail && got.Hint == "" {
				t.Errorf("%s fails without a hint", tt.check)
			}
		})
	}
}

func TestOutputsFromTerraformJSON(t *testing.T) {
	raw := []byte(`{"vpc_id":{"sensitive":false,"type":"string","value":"vpc-1"},
		"detector_managed":{"sensitive":false,"type":"bool","value":false},
		"future_output":{"type":["list","string"],"value":["a"]}}`)
	out, err := ParseOutputsJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	if out.VPCID != "vpc-1" || out.DetectorManaged || !out.Has("detector_managed") || out.Has("subnet_id") {
		t.Errorf("parsed %+v", out)
	}
	// terraform-exec's OutputMeta.Value is json.RawMessage.
	out, err = NewOutputs(map[string]any{"malicious_ip": json.RawMessage(`"203.0.113.9"`), "detector_managed": json.RawMessage(`true`)})
	if err != nil || out.MaliciousIP != "203.0.113.9" || !out.DetectorManaged {
		t.Errorf("raw values: %+v %v", out, err)
	}
	if _, err := NewOutputs(map[string]any{"vpc_id": []any{"x"}}); err == nil {
		t.Error("a list for vpc_id was accepted")
	}
}
