package probe

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// fakeSNS serves fixed subscriptions, for states moto does not produce
// (moto confirms email subscriptions at once).
type fakeSNS struct {
	snsAPI
	subs []snstypes.Subscription
}

func (f fakeSNS) ListSubscriptions(context.Context, *sns.ListSubscriptionsInput, ...func(*sns.Options)) (*sns.ListSubscriptionsOutput, error) {
	return &sns.ListSubscriptionsOutput{Subscriptions: f.subs}, nil
}

func (f fakeSNS) ListSubscriptionsByTopic(context.Context, *sns.ListSubscriptionsByTopicInput, ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error) {
	return &sns.ListSubscriptionsByTopicOutput{Subscriptions: f.subs}, nil
}

type emptyTagging struct{}

func (emptyTagging) GetResources(context.Context, *resourcegroupstaggingapi.GetResourcesInput, ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error) {
	return &resourcegroupstaggingapi.GetResourcesOutput{}, nil
}

func TestEmailSubscriptionStates(t *testing.T) {
	out, _ := NewOutputs(map[string]any{"sns_topic_arn": "arn:aws:sns:us-west-2:1:gdlab-x-alerts"})
	sub := func(arn string) snstypes.Subscription {
		return snstypes.Subscription{Protocol: aws.String("email"), Endpoint: aws.String("l@example.com"), SubscriptionArn: aws.String(arn)}
	}
	tests := []struct {
		name   string
		subs   []snstypes.Subscription
		status Status
		text   string
	}{
		{"pending", []snstypes.Subscription{sub(pendingConfirmation)}, StatusPending, "48 hours"},
		{"confirmed", []snstypes.Subscription{sub("arn:aws:sns:us-west-2:1:gdlab-x-alerts:abc")}, StatusPass, "confirmed"},
		{"none", nil, StatusFail, "no email subscription"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Prober{sns: fakeSNS{subs: tt.subs}}
			r := checkEmailSubscription(context.Background(), p, out)
			if r.Status != tt.status || !strings.Contains(r.Detail+r.Hint, tt.text) {
				t.Errorf("got %s %q %q, want %s mentioning %q", r.Status, r.Detail, r.Hint, tt.status, tt.text)
			}
		})
	}
}
