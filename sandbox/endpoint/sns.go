package endpoint

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// SNS speaks awsQuery.

func snsInvalid(format string, args ...any) *world.Error {
	return apiError(http.StatusBadRequest, "InvalidParameter", format, args...)
}

func snsNotFound(what string) *world.Error {
	return apiError(http.StatusNotFound, "NotFound", "%s does not exist", what)
}

type snsMember struct {
	TopicArn string `xml:"TopicArn"`
}

type snsEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type snsSubscriptionXML struct {
	Owner           string `xml:"Owner"`
	Endpoint        string `xml:"Endpoint"`
	Protocol        string `xml:"Protocol"`
	SubscriptionArn string `xml:"SubscriptionArn"`
	TopicArn        string `xml:"TopicArn"`
}

const snsPageSize = 100

func serveSNS(c *call) {
	switch c.op {
	case "ListTopics":
		offset, ok := parsePageToken(c.form.Get("NextToken"))
		if !ok {
			c.fail(snsInvalid("Invalid parameter: NextToken"))
			return
		}
		var topics []snsMember
		c.world.View(func(s *world.State) {
			for _, t := range s.List("aws_sns_topic") {
				topics = append(topics, snsMember{t.ID})
			}
		})
		start, end, next := page(len(topics), offset, snsPageSize)
		writeEnvelope(c, struct {
			Topics    []snsMember `xml:"Topics>member"`
			NextToken string      `xml:"NextToken,omitempty"`
		}{topics[start:end], next})
	case "GetTopicAttributes":
		getTopicAttributes(c)
	case "ListSubscriptionsByTopic", "ListSubscriptions":
		listSubscriptions(c)
	case "GetSubscriptionAttributes":
		getSubscriptionAttributes(c)
	case "Publish":
		publish(c)
	case "ConfirmSubscription":
		topic, token := c.form.Get("TopicArn"), c.form.Get("Token")
		if topic == "" || token == "" {
			c.fail(snsInvalid("Invalid parameter: TopicArn or Token"))
			return
		}
		arn, err := c.world.ConfirmSubscription(topic, token)
		if err != nil {
			c.fail(err)
			return
		}
		writeEnvelope(c, struct {
			SubscriptionArn string `xml:"SubscriptionArn"`
		}{arn})
	default:
		c.fail(invalidAction(c.op))
	}
}

func getTopicAttributes(c *call) {
	arn := c.form.Get("TopicArn")
	if !strings.HasPrefix(arn, "arn:aws:sns:") {
		c.fail(snsInvalid("Invalid parameter: TopicArn"))
		return
	}
	var attrs map[string]string
	c.world.View(func(s *world.State) {
		t := s.Find("aws_sns_topic", arn)
		if t == nil {
			return
		}
		pending, confirmed := 0, 0
		for _, sub := range s.List("aws_sns_topic_subscription") {
			if world.Str(sub.Attrs, "topic_arn") != arn {
				continue
			}
			if world.Bool(sub.Attrs, "pending_confirmation", false) {
				pending++
			} else {
				confirmed++
			}
		}
		attrs = map[string]string{
			"TopicArn": arn, "Owner": world.Account, "Policy": world.Str(t.Attrs, "policy"),
			"DisplayName":             world.Str(t.Attrs, "display_name"),
			"SubscriptionsPending":    strconv.Itoa(pending),
			"SubscriptionsConfirmed":  strconv.Itoa(confirmed),
			"SubscriptionsDeleted":    "0",
			"EffectiveDeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`,
		}
		if k := world.Str(t.Attrs, "kms_master_key_id"); k != "" {
			attrs["KmsMasterKeyId"] = k
		}
		if world.Bool(t.Attrs, "fifo_topic", false) {
			attrs["FifoTopic"] = "true"
		}
	})
	if attrs == nil {
		c.fail(snsNotFound("Topic"))
		return
	}
	writeEnvelope(c, struct {
		Attributes []snsEntry `xml:"Attributes>entry"`
	}{entries(attrs)})
}

func entries(m map[string]string) []snsEntry {
	out := make([]snsEntry, 0, len(m))
	for _, k := range world.SortedKeys(m) {
		out = append(out, snsEntry{k, m[k]})
	}
	return out
}

func listSubscriptions(c *call) {
	topic := c.form.Get("TopicArn")
	byTopic := c.op == "ListSubscriptionsByTopic"
	if byTopic && !strings.HasPrefix(topic, "arn:aws:sns:") {
		c.fail(snsInvalid("Invalid parameter: TopicArn"))
		return
	}
	offset, ok := parsePageToken(c.form.Get("NextToken"))
	if !ok {
		c.fail(snsInvalid("Invalid parameter: NextToken"))
		return
	}
	var subs []snsSubscriptionXML
	found := !byTopic
	c.world.View(func(s *world.State) {
		if byTopic && s.Find("aws_sns_topic", topic) != nil {
			found = true
		}
		for _, sub := range s.List("aws_sns_topic_subscription") {
			if byTopic && world.Str(sub.Attrs, "topic_arn") != topic {
				continue
			}
			subs = append(subs, snsSubscriptionXML{Owner: world.Account, Endpoint: world.Str(sub.Attrs, "endpoint"),
				Protocol: world.Str(sub.Attrs, "protocol"), SubscriptionArn: world.SubscriptionARNForListing(sub),
				TopicArn: world.Str(sub.Attrs, "topic_arn")})
		}
	})
	if !found {
		c.fail(snsNotFound("Topic"))
		return
	}
	start, end, next := page(len(subs), offset, snsPageSize)
	writeEnvelope(c, struct {
		Subscriptions []snsSubscriptionXML `xml:"Subscriptions>member"`
		NextToken     string               `xml:"NextToken,omitempty"`
	}{subs[start:end], next})
}

func getSubscriptionAttributes(c *call) {
	arn := c.form.Get("SubscriptionArn")
	var attrs map[string]string
	c.world.View(func(s *world.State) {
		sub := s.Find("aws_sns_topic_subscription", arn)
		if sub == nil {
			return
		}
		a := sub.Attrs
		attrs = map[string]string{"SubscriptionArn": sub.ID, "TopicArn": world.Str(a, "topic_arn"), "Owner": world.Account,
			"Protocol": world.Str(a, "protocol"), "Endpoint": world.Str(a, "endpoint"),
			"PendingConfirmation":          strconv.FormatBool(world.Bool(a, "pending_confirmation", false)),
			"ConfirmationWasAuthenticated": strconv.FormatBool(world.Bool(a, "confirmation_was_authenticated", false)),
			"RawMessageDelivery":           strconv.FormatBool(world.Bool(a, "raw_message_delivery", false)),
			"SubscriptionPrincipal":        "arn:aws:iam::" + world.Account + ":user/sandbox-learner"}
		if fp := world.Str(a, "filter_policy"); fp != "" {
			attrs["FilterPolicy"] = fp
			attrs["FilterPolicyScope"] = world.Str(a, "filter_policy_scope")
		}
	})
	if attrs == nil {
		c.fail(snsNotFound("Subscription"))
		return
	}
	writeEnvelope(c, struct {
		Attributes []snsEntry `xml:"Attributes>entry"`
	}{entries(attrs)})
}

func publish(c *call) {
	topic := c.form.Get("TopicArn")
	if topic == "" {
		topic = c.form.Get("TargetArn")
	}
	if topic == "" {
		if c.form.Get("PhoneNumber") != "" {
			c.fail(snsInvalid("Invalid parameter: the sandbox does not send SMS"))
			return
		}
		c.fail(snsInvalid("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"))
		return
	}
	if _, ok := c.form["Message"]; !ok {
		c.fail(snsInvalid("Invalid parameter: Message"))
		return
	}
	attrs := map[string]string{}
	for i := 1; ; i++ {
		p := "MessageAttributes.entry." + strconv.Itoa(i)
		name := c.form.Get(p + ".Name")
		if name == "" {
			break
		}
		attrs[name] = c.form.Get(p + ".Value.StringValue")
	}
	id, err := c.world.Publish(topic, c.form.Get("Subject"), c.form.Get("Message"), attrs)
	if err != nil {
		c.fail(err)
		return
	}
	writeEnvelope(c, struct {
		MessageID string `xml:"MessageId"`
	}{id})
}
