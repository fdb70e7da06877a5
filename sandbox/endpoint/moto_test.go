package endpoint

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gdlab-dev/gdlab/internal/moto"
)

// TestDifferentialMoto makes the same calls against the sandbox and moto, an
// emulator we did not write, and compares what comes back: the same fields
// (after ids are normalised away) and the same error codes for the same
// mistakes. Resources are created in moto through its AWS API and in the
// sandbox through the private API, as terraform would.
func TestDifferentialMoto(t *testing.T) {
	m := moto.Start(t)
	s, _ := startSandbox(t)
	motoCfg := aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(m.Endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	ours := sdkConfig(s)

	// STS
	a, errA := sts.NewFromConfig(ours).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	b, errB := sts.NewFromConfig(motoCfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	compareShapes(t, "GetCallerIdentity", a, errA, b, errB, nil)

	// EC2: the same VPC, subnet and security group on both sides.
	me := ec2.NewFromConfig(motoCfg)
	mvpc, err := me.CreateVpc(ctx(t), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	msub, err := me.CreateSubnet(ctx(t), &ec2.CreateSubnetInput{VpcId: mvpc.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/26"), AvailabilityZone: aws.String("us-west-2a")})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := me.CreateSecurityGroup(ctx(t), &ec2.CreateSecurityGroupInput{GroupName: aws.String("INITIAL_SG"), Description: aws.String("Managed by Terraform"), VpcId: mvpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	vpc, _ := create(t, s, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/24"})
	sub, _ := create(t, s, "aws_subnet", map[string]any{"vpc_id": vpc, "cidr_block": "10.0.0.0/26", "availability_zone": "us-west-2a"})
	sg, _ := create(t, s, "aws_security_group", map[string]any{"name": "INITIAL_SG", "vpc_id": vpc})
	oe := ec2.NewFromConfig(ours)

	// Fields one side has and the other lacks, each for a stated reason.
	ec2Known := map[string]string{}
	vpcsA, errA := oe.DescribeVpcs(ctx(t), &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	vpcsB, errB := me.DescribeVpcs(ctx(t), &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(mvpc.Vpc.VpcId)}})
	compareShapes(t, "DescribeVpcs", vpcsA, errA, vpcsB, errB, ec2Known)
	subA, errA := oe.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: []string{sub}})
	subB, errB := me.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(msub.Subnet.SubnetId)}})
	compareShapes(t, "DescribeSubnets", subA, errA, subB, errB, ec2Known)
	sgA, errA := oe.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{sg}})
	sgB, errB := me.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(msg.GroupId)}})
	compareShapes(t, "DescribeSecurityGroups", sgA, errA, sgB, errB, map[string]string{
		"IpPermissionsEgress": "moto keeps AWS's default allow-all egress rule; terraform deletes it on create, so the sandbox has none",
		"Tags":                "moto answers an empty tag set",
	})
	for _, mistake := range []struct {
		name string
		call func(c *ec2.Client) error
	}{
		{"DescribeInstances missing", func(c *ec2.Client) error {
			_, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}},
		{"DescribeVpcs missing", func(c *ec2.Client) error {
			_, err := c.DescribeVpcs(ctx(t), &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
			return err
		}},
		{"DescribeSecurityGroups missing", func(c *ec2.Client) error {
			_, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})
			return err
		}},
		{"DescribeAddresses missing", func(c *ec2.Client) error {
			_, err := c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-0123456789abcdef0"}})
			return err
		}},
	} {
		if a, b := apiCode(mistake.call(oe)), apiCode(mistake.call(me)); a != b || a == "" {
			t.Errorf("%s: sandbox %q, moto %q", mistake.name, a, b)
		}
	}

	// SNS
	ms := sns.NewFromConfig(motoCfg)
	mt, err := ms.CreateTopic(ctx(t), &sns.CreateTopicInput{Name: aws.String("gdlab-topic")})
	if err != nil {
		t.Fatal(err)
	}
	topic, _ := create(t, s, "aws_sns_topic", map[string]any{"name": "gdlab-topic"})
	if aws.ToString(mt.TopicArn) != topic {
		t.Errorf("topic ARN: sandbox %s, moto %s", topic, aws.ToString(mt.TopicArn))
	}
	os := sns.NewFromConfig(ours)
	taA, errA := os.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
	taB, errB := ms.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: mt.TopicArn})
	if errA != nil || errB != nil {
		t.Fatalf("GetTopicAttributes: %v / %v", errA, errB)
	}
	compareKeys(t, "GetTopicAttributes", taA.Attributes, taB.Attributes, map[string]bool{"DeliveryPolicy": true /* moto returns it unset; SNS only once set */})
	_, errA = os.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic + "-x")})
	_, errB = ms.GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic + "-x")})
	if apiCode(errA) != apiCode(errB) {
		t.Errorf("missing topic: sandbox %q, moto %q", apiCode(errA), apiCode(errB))
	}

	// SQS
	mq := sqs.NewFromConfig(motoCfg)
	mqu, err := mq.CreateQueue(ctx(t), &sqs.CreateQueueInput{QueueName: aws.String("gdlab-tap")})
	if err != nil {
		t.Fatal(err)
	}
	qURL, _ := create(t, s, "aws_sqs_queue", map[string]any{"name": "gdlab-tap"})
	oq := sqs.NewFromConfig(ours)
	qaA, errA := oq.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(qURL), AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	qaB, errB := mq.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: mqu.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	if errA != nil || errB != nil {
		t.Fatalf("GetQueueAttributes: %v / %v", errA, errB)
	}
	compareKeys(t, "GetQueueAttributes", qaA.Attributes, qaB.Attributes, nil)
	for name, call := range map[string]func(c *sqs.Client) error{
		"GetQueueUrl missing": func(c *sqs.Client) error {
			_, err := c.GetQueueUrl(ctx(t), &sqs.GetQueueUrlInput{QueueName: aws.String("absent")})
			return err
		},
		"ReceiveMessage too many": func(c *sqs.Client) error {
			url := qURL
			if c == mq {
				url = aws.ToString(mqu.QueueUrl)
			}
			_, err := c.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 11})
			return err
		},
	} {
		if a, b := apiCode(call(oq)), apiCode(call(mq)); a != b || a == "" {
			t.Errorf("%s: sandbox %q, moto %q", name, a, b)
		}
	}
}

// compareShapes compares two SDK answers by the set of field paths that
// carry a value, and errors by code.
func compareShapes(t *testing.T, op string, a any, errA error, b any, errB error, known map[string]string) {
	t.Helper()
	if errA != nil || errB != nil {
		if apiCode(errA) != apiCode(errB) {
			t.Errorf("%s: sandbox error %v, moto error %v", op, errA, errB)
		}
		return
	}
	pa, pb := fieldPaths(a), fieldPaths(b)
	for p := range pa {
		if !pb[p] && !knownDiff(p, known) {
			t.Errorf("%s: the sandbox answers %s, moto does not", op, p)
		}
	}
	for p := range pb {
		if !pa[p] && !knownDiff(p, known) {
			t.Errorf("%s: moto answers %s, the sandbox does not", op, p)
		}
	}
}

func knownDiff(path string, known map[string]string) bool {
	for k := range known {
		if strings.Contains(path, k) {
			return true
		}
	}
	return strings.Contains(path, "ResultMetadata")
}

// fieldPaths lists the JSON paths of non-empty values (lists collapse to []).
func fieldPaths(v any) map[string]bool {
	raw, _ := json.Marshal(v)
	var doc any
	_ = json.Unmarshal(raw, &doc)
	out := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(prefix+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		case nil:
		case string:
			if x != "" {
				out[prefix] = true
			}
		default:
			out[prefix] = true
		}
	}
	walk("", doc)
	return out
}

func compareKeys(t *testing.T, op string, a, b map[string]string, ignore map[string]bool) {
	t.Helper()
	var onlyA, onlyB []string
	for k := range a {
		if _, ok := b[k]; !ok && !ignore[k] {
			onlyA = append(onlyA, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !ignore[k] {
			onlyB = append(onlyB, k)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	if len(onlyA)+len(onlyB) > 0 {
		t.Errorf("%s: only the sandbox has %v; only moto has %v", op, onlyA, onlyB)
	}
}
