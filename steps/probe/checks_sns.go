package probe

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// pendingConfirmation is what SNS lists instead of an ARN for a subscription
// whose owner has not clicked the link yet.
const pendingConfirmation = "PendingConfirmation"

// PendingEmailExplanation is why a pending email subscription matters and
// what happens to it if nobody confirms.
const PendingEmailExplanation = "AWS sent a confirmation email; until its link is clicked no alert is delivered. " +
	"A pending subscription cannot be deleted, and AWS removes it by itself after 48 hours."

func init() {
	register(
		Check{ID: "sns.topic-policy", Step: StepSNS, Title: "Topic policy lets EventBridge publish",
			Needs: []string{"sns_topic_arn"}, run: checkTopicPolicy},
		Check{ID: "sns.email-subscription", Step: StepSNS, Title: "Email subscription is confirmed",
			Needs: []string{"sns_topic_arn"}, run: checkEmailSubscription},
		Check{ID: "sns.tap-subscription", Step: StepSNS, Title: "gdlab's SQS tap receives the topic's messages",
			Needs: []string{"sns_topic_arn", "sns_tap_queue_arn", "sns_tap_queue_url"}, run: checkTapSubscription},
	)
}

func checkTopicPolicy(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws sns get-topic-attributes --topic-arn " + out.SNSTopicARN + " --query Attributes.Policy --output text"
	attrs, err := p.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(out.SNSTopicARN)})
	if err != nil {
		if isNotFound(err) {
			return fail("Topic "+out.SNSTopicARN+" does not exist.", "Re-apply step 5.", command)
		}
		return errResult(err, command)
	}
	const hint = "Add an aws_sns_topic_policy statement allowing Service events.amazonaws.com to sns:Publish on the topic, without conditions, and re-apply step 5."
	text := attrs.Attributes["Policy"]
	doc, err := parsePolicy(text)
	if err != nil {
		return fail("The topic policy is not valid JSON.", hint, command)
	}
	st := doc.allowsService("events.amazonaws.com", "sns:Publish", out.SNSTopicARN)
	if st == nil {
		return fail("The topic policy does not let EventBridge (events.amazonaws.com) publish; alerts would be dropped silently.", hint, command)
	}
	if len(st.Condition) > 0 {
		return warn("The topic policy lets EventBridge publish, but only under a condition.",
			"EventBridge's guide says conditions are not supported on SNS topic policies for EventBridge; if no email arrives, drop the condition.", command)
	}
	return pass("The topic policy lets events.amazonaws.com publish to the topic.", command)
}

func (p *Prober) topicSubscriptions(ctx context.Context, topicARN string) ([]snstypes.Subscription, error) {
	var subs []snstypes.Subscription
	var token *string
	for {
		resp, err := p.sns.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN), NextToken: token})
		if err != nil {
			return nil, err
		}
		subs = append(subs, resp.Subscriptions...)
		if aws.ToString(resp.NextToken) == "" {
			return subs, nil
		}
		token = resp.NextToken
	}
}

func subscriptionsCommand(topicARN string) string {
	return "aws sns list-subscriptions-by-topic --topic-arn " + topicARN
}

func checkEmailSubscription(ctx context.Context, p *Prober, out Outputs) Result {
	command := subscriptionsCommand(out.SNSTopicARN)
	subs, err := p.topicSubscriptions(ctx, out.SNSTopicARN)
	if err != nil {
		if isNotFound(err) {
			return fail("Topic "+out.SNSTopicARN+" does not exist.", "Re-apply step 5.", command)
		}
		return errResult(err, command)
	}
	var emails []snstypes.Subscription
	for _, s := range subs {
		if aws.ToString(s.Protocol) == "email" || aws.ToString(s.Protocol) == "email-json" {
			emails = append(emails, s)
		}
	}
	if len(emails) == 0 {
		return fail("The topic has no email subscription.", "Re-apply step 5 with --email set.", command)
	}
	var confirmed, waiting []string
	for _, s := range emails {
		if aws.ToString(s.SubscriptionArn) == pendingConfirmation {
			waiting = append(waiting, aws.ToString(s.Endpoint))
		} else {
			confirmed = append(confirmed, aws.ToString(s.Endpoint))
		}
	}
	if len(confirmed) > 0 {
		return pass("Email subscription confirmed for "+strings.Join(confirmed, ", ")+".", command)
	}
	return pending("Email subscription for "+strings.Join(waiting, ", ")+" is pending confirmation.",
		"Open the email from AWS Notifications and click \"Confirm subscription\". "+PendingEmailExplanation, command)
}

func checkTapSubscription(ctx context.Context, p *Prober, out Outputs) Result {
	command := subscriptionsCommand(out.SNSTopicARN)
	subs, err := p.topicSubscriptions(ctx, out.SNSTopicARN)
	if err != nil {
		return errResult(err, command)
	}
	found := false
	for _, s := range subs {
		if aws.ToString(s.Protocol) == "sqs" && aws.ToString(s.Endpoint) == out.SNSTapQueueARN {
			found = true
			if aws.ToString(s.SubscriptionArn) == pendingConfirmation {
				return fail("The SQS tap's subscription is pending, which an SQS subscription in the same account never should be.",
					"Re-apply step 5.", command)
			}
		}
	}
	if !found {
		return fail("The topic has no subscription for the tap queue "+out.SNSTapQueueARN+".", "Re-apply step 5.", command)
	}
	queueCommand := "aws sqs get-queue-attributes --queue-url " + out.SNSTapQueueURL + " --attribute-names All"
	if _, err := p.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(out.SNSTapQueueURL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	}); err != nil {
		if isNotFound(err) {
			return fail("The tap queue "+out.SNSTapQueueURL+" does not exist.", "Re-apply step 5.", queueCommand)
		}
		return errResult(err, queueCommand)
	}
	return pass("The tap queue is subscribed; gdlab reads each alert exactly as the email carries it.", command)
}
