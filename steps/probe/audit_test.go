package probe

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/gdlab-dev/gdlab/internal/moto"
)

func TestAuditAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("finds what destroy left, by tag and by look-up", func(t *testing.T) {
		l := buildMotoLab(t, server)
		func() {
			defer recoverLab(t)
			snsc := sns.NewFromConfig(l.cfg)
			must(snsc.TagResource(ctx, &sns.TagResourceInput{ResourceArn: aws.String(l.outputs["sns_topic_arn"].(string)),
				Tags: []snstypes.Tag{{Key: aws.String(LabTagKey), Value: aws.String("test1234")}}}))
			logs := cloudwatchlogs.NewFromConfig(l.cfg)
			// Lambda creates its log group untagged when terraform did not.
			must(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/lambda/gdlab-test1234-remediation")}))
			// Another lab's group must not be reported.
			must(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/lambda/gdlab-other999-remediation")}))
			// A terminated instance stays in the tagging API for a while.
			must(l.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{l.outputs["malicious_instance_id"].(string)}}))
		}()
		report := l.prober().Audit(ctx, AuditInput{LabID: "test1234", Outputs: l.out(t)})
		if len(report.Incomplete) > 0 {
			t.Fatalf("look-ups failed: %v", report.Incomplete)
		}
		kinds := map[string]int{}
		for _, left := range report.Leftovers {
			kinds[left.Kind]++
			if left.ARN == "" || !strings.HasPrefix(left.DeleteCommand, "aws ") {
				t.Errorf("leftover without ARN or delete command: %+v", left)
			}
			if strings.Contains(left.ARN, "other999") {
				t.Errorf("reported another lab's resource %s", left.ARN)
			}
			if strings.Contains(left.ARN, l.outputs["malicious_instance_id"].(string)) {
				t.Errorf("reported the terminated instance %s", left.ARN)
			}
		}
		want := map[string]int{"EC2 instance": 1, "SNS topic": 1, "SNS subscription": 2, "log group": 1,
			"threat intel set": 1, "flow log": 1, "IAM role": 1, "GuardDuty detector": 1}
		for kind, n := range want {
			if kinds[kind] != n {
				t.Errorf("%s: want %d, found %d (all: %v)", kind, n, kinds[kind], kinds)
			}
		}
		if report.Clean() || !strings.HasSuffix(report.Summary(), "resources left") {
			t.Errorf("summary %q for a dirty account", report.Summary())
		}
	})

	t.Run("clean account keeps the pre-existing detector", func(t *testing.T) {
		server.Reset(t)
		server.Setenv(t, testRegion)
		cfg, err := LoadConfig(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		gd, url := newFakeGuardDuty(t)
		gd.detectors["theirs1"] = fakeDetector{Status: "ENABLED", Frequency: "SIX_HOURS"}
		out, _ := NewOutputs(map[string]any{"detector_id": "theirs1", "detector_managed": false, "vpc_id": "vpc-gone",
			"sns_topic_arn": "arn:aws:sns:us-west-2:123456789012:gdlab-test1234-alerts", "lambda_role_name": "gdlab-test1234-remediation"})
		report := New(cfg, WithServiceEndpoint("guardduty", url)).Audit(ctx, AuditInput{LabID: "test1234", Outputs: out})
		if !report.Clean() || report.Summary() != "0 resources left" {
			t.Fatalf("want 0 left, got %q: %+v", report.Summary(), report)
		}
		if len(report.Kept) != 1 || report.Kept[0].ID != "theirs1" || !strings.Contains(report.Kept[0].Why, "existed before") {
			t.Errorf("kept = %+v", report.Kept)
		}
	})
}

func TestAuditExplainsPendingEmail(t *testing.T) {
	topic := "arn:aws:sns:us-west-2:123456789012:gdlab-test1234-alerts"
	p := &Prober{region: testRegion, sns: fakeSNS{subs: []snstypes.Subscription{
		{TopicArn: aws.String(topic), Protocol: aws.String("email"), Endpoint: aws.String("learner@example.com"), SubscriptionArn: aws.String(pendingConfirmation)},
	}}, tagging: emptyTagging{}, gd: nil}
	a := &auditor{p: p, in: AuditInput{LabID: "test1234"}, seen: map[string]bool{}}
	a.subscriptions(context.Background())
	if len(a.report.Leftovers) != 0 || len(a.report.Expiring) != 1 || !strings.Contains(a.report.Expiring[0].Why, "48 hours") {
		t.Fatalf("pending email: leftovers %v, expiring %v", a.report.Leftovers, a.report.Expiring)
	}
}

func TestDeleteCommand(t *testing.T) {
	tests := []struct{ arn, kind, command string }{
		{"arn:aws:ec2:us-west-2:1:instance/i-1", "EC2 instance", "aws ec2 terminate-instances --instance-ids i-1"},
		{"arn:aws:ec2:us-west-2:1:elastic-ip/eipalloc-1", "Elastic IP", "aws ec2 release-address --allocation-id eipalloc-1"},
		{"arn:aws:s3:::gdlab-x-list", "S3 bucket", "aws s3 rb s3://gdlab-x-list --force"},
		{"arn:aws:sqs:us-west-2:1:gdlab-x-tap", "SQS queue", "aws sqs delete-queue --queue-url https://sqs.us-west-2.amazonaws.com/1/gdlab-x-tap"},
		{"arn:aws:sns:us-west-2:1:gdlab-x-alerts", "SNS topic", "aws sns delete-topic --topic-arn arn:aws:sns:us-west-2:1:gdlab-x-alerts"},
		{"arn:aws:sns:us-west-2:1:gdlab-x-alerts:abc", "SNS subscription", "aws sns unsubscribe --subscription-arn arn:aws:sns:us-west-2:1:gdlab-x-alerts:abc"},
		{"arn:aws:lambda:us-west-2:1:function:gdlab-x-fn", "Lambda function", "aws lambda delete-function --function-name gdlab-x-fn"},
		{"arn:aws:logs:us-west-2:1:log-group:/aws/lambda/gdlab-x-fn:*", "log group", "aws logs delete-log-group --log-group-name /aws/lambda/gdlab-x-fn"},
		{"arn:aws:guardduty:us-west-2:1:detector/d1/threatintelset/s1", "threat intel set", "aws guardduty delete-threat-intel-set --detector-id d1 --threat-intel-set-id s1"},
	}
	for _, tt := range tests {
		kind, command := deleteCommand(tt.arn, "us-west-2")
		if kind != tt.kind || command != tt.command {
			t.Errorf("%s: got %q %q, want %q %q", tt.arn, kind, command, tt.kind, tt.command)
		}
	}
}
