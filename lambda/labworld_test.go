package lambda_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/gdlab-dev/gdlab/internal/moto"
)

const region = "us-west-2"

// labWorld is the part of the lab the function touches, created in moto:
// the compromised instance in INITIAL_SG, an empty FORENSIC_SG, and the
// topic with an SQS queue subscribed (the lab's SNS tap).
type labWorld struct {
	server     *moto.Server
	ec2        *ec2.Client
	sqs        *sqs.Client
	instanceID string
	initialSG  string
	forensicSG string
	topicARN   string
	queueURL   string
}

func newLabWorld(t *testing.T) *labWorld {
	t.Helper()
	server := moto.Start(t)
	server.Setenv(t, region)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &labWorld{server: server, ec2: ec2.NewFromConfig(cfg), sqs: sqs.NewFromConfig(cfg)}
	snsClient := sns.NewFromConfig(cfg)

	vpc := must(w.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/24")}))(t)
	vpcID := vpc.Vpc.VpcId
	subnet := must(w.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String("10.0.0.0/26")}))(t)
	newGroup := func(name string) string {
		g := must(w.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: aws.String(name), Description: aws.String(name), VpcId: vpcID}))(t)
		return aws.ToString(g.GroupId)
	}
	w.initialSG, w.forensicSG = newGroup("INITIAL_SG"), newGroup("FORENSIC_SG")

	// Any image moto knows will do; ask it rather than hard-code an id.
	images := must(w.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}}))(t)
	if len(images.Images) == 0 {
		t.Fatal("moto lists no Amazon images")
	}
	run := must(w.ec2.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: images.Images[0].ImageId, InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: subnet.Subnet.SubnetId, SecurityGroupIds: []string{w.initialSG},
	}))(t)
	w.instanceID = aws.ToString(run.Instances[0].InstanceId)

	topic := must(snsClient.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("gdlab-test")}))(t)
	w.topicARN = aws.ToString(topic.TopicArn)
	queue := must(w.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("gdlab-test-tap")}))(t)
	w.queueURL = aws.ToString(queue.QueueUrl)
	attrs := must(w.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: queue.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}}))(t)
	must(snsClient.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(attrs.Attributes["QueueArn"])}))(t)
	return w
}

// env is the function's environment as the lab's Terraform sets it, plus
// the SDK settings that point it at moto.
func (w *labWorld) env() []string {
	return append(w.server.Env(region),
		"INSTANCE_ID="+w.instanceID, "FORENSICS_SG="+w.forensicSG, "TOPIC_ARN="+w.topicARN)
}

// findingEvent is the reference finding, rewritten to name this world's
// instance and group.
func (w *labWorld) findingEvent(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/finding_event.json")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), "i-0abc1234def567890", w.instanceID)
	return []byte(strings.ReplaceAll(s, "sg-0aaa1111bbbb2222c", w.initialSG))
}

// assertIsolated checks through EC2 itself that the instance is in the
// forensic group only.
func (w *labWorld) assertIsolated(t *testing.T) {
	t.Helper()
	out := must(w.ec2.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{w.instanceID}}))(t)
	var groups []string
	for _, g := range out.Reservations[0].Instances[0].SecurityGroups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	sort.Strings(groups)
	if len(groups) != 1 || groups[0] != w.forensicSG {
		t.Errorf("instance groups %v, want only the forensic group %s", groups, w.forensicSG)
	}
}

// snsEnvelope is the JSON SNS puts on an SQS queue without raw delivery.
type snsEnvelope struct {
	Type              string
	TopicArn          string
	Subject           string
	Message           string
	MessageAttributes map[string]struct{ Type, Value string }
}

// assertNotified checks the queue got exactly one message with the facts.
func (w *labWorld) assertNotified(t *testing.T, findingID string) {
	t.Helper()
	ctx := context.Background()
	var bodies []string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		out := must(w.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(w.queueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1}))(t)
		for _, m := range out.Messages {
			bodies = append(bodies, aws.ToString(m.Body))
		}
		if len(bodies) > 0 {
			break
		}
	}
	if len(bodies) != 1 {
		t.Fatalf("queue got %d messages, want 1: %v", len(bodies), bodies)
	}
	var env snsEnvelope
	if err := json.Unmarshal([]byte(bodies[0]), &env); err != nil {
		t.Fatalf("queue message is not the SNS envelope: %v\n%s", err, bodies[0])
	}
	if env.Type != "Notification" || env.TopicArn != w.topicARN {
		t.Errorf("envelope type %q topic %q", env.Type, env.TopicArn)
	}
	if !strings.Contains(env.Subject, w.instanceID) {
		t.Errorf("subject %q does not name the instance", env.Subject)
	}
	for _, line := range []string{
		"Finding: " + findingID,
		"Type: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
		"Severity: 5.0 (Medium)",
		"Instance: " + w.instanceID,
		"Remote IP: 203.0.113.25",
		"Groups left: " + w.initialSG + " (INITIAL_SG)",
		"Group now: " + w.forensicSG,
		"Time: ",
	} {
		if !strings.Contains(env.Message, line) {
			t.Errorf("message lacks %q:\n%s", line, env.Message)
		}
	}
	if a := env.MessageAttributes["instance_id"]; a.Value != w.instanceID {
		t.Errorf("instance_id attribute %+v", a)
	}
	if a := env.MessageAttributes["finding_id"]; a.Value != findingID {
		t.Errorf("finding_id attribute %+v", a)
	}
}

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
