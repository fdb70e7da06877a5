package world

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Operations the AWS endpoint performs on the world beyond resource CRUD.

func queryEscape(s string) string { return url.QueryEscape(s) }

// ModifyInstanceSecurityGroups replaces every security group of an instance,
// as EC2 ModifyInstanceAttribute with GroupId.N does.
func (w *World) ModifyInstanceSecurityGroups(instanceID string, groups []string) error {
	return w.Update(func(tx *Tx) error {
		inst := tx.Find("aws_instance", instanceID)
		if inst == nil {
			return ec2NotFound("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", instanceID)
		}
		subnet := tx.Find("aws_subnet", Str(inst.Attrs, "subnet_id"))
		vpcID := ""
		if subnet != nil {
			vpcID = Str(subnet.Attrs, "vpc_id")
		}
		if err := checkInstanceGroups(tx, groups, vpcID); err != nil {
			return err
		}
		inst.Attrs["vpc_security_group_ids"] = strList(groups)
		return nil
	})
}

// Publication is one SNS message as published.
type Publication struct {
	TopicARN          string
	MessageID         string
	Subject           string
	Message           string
	Timestamp         time.Time
	MessageAttributes map[string]string
}

// Publish publishes to a topic and delivers to its confirmed email and SQS
// subscriptions right away; the Published hook (part 2) sees it afterwards.
func (w *World) Publish(topicARN, subject, message string, attrs map[string]string) (string, error) {
	var id string
	err := w.Update(func(tx *Tx) error {
		topic := tx.Find("aws_sns_topic", topicARN)
		if topic == nil {
			return topicNotFound()
		}
		if message == "" {
			return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Empty message")
		}
		if len(message) > 262144 {
			return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Message too long")
		}
		p := Publication{TopicARN: topicARN, MessageID: NewUUID(), Subject: subject, Message: message,
			Timestamp: tx.Now.UTC(), MessageAttributes: attrs}
		id = p.MessageID
		tx.deliver(topic, p)
		if h := tx.w.hooks.Published; h != nil {
			w := tx.w
			tx.After(func() { h(w, p) })
		}
		return nil
	})
	return id, err
}

func (tx *Tx) deliver(topic *Resource, p Publication) {
	for _, sub := range tx.List("aws_sns_topic_subscription") {
		if Str(sub.Attrs, "topic_arn") != topic.ID || Bool(sub.Attrs, "pending_confirmation", false) {
			continue
		}
		switch Str(sub.Attrs, "protocol") {
		case "email", "email-json":
			body := p.Message
			if Str(sub.Attrs, "protocol") == "email-json" {
				body = SNSEnvelope(tx.w.endpoint, p, sub.ID)
			}
			subject := p.Subject
			if subject == "" {
				subject = "AWS Notification Message"
			}
			display := Str(topic.Attrs, "display_name")
			if display == "" {
				display = "AWS Notifications"
			}
			tx.Mail = append(tx.Mail, &Mail{ID: p.MessageID, Kind: "notification",
				From: display + " <no-reply@sns.amazonaws.com>", To: Str(sub.Attrs, "endpoint"),
				Subject: subject, Body: body, Date: p.Timestamp, TopicARN: topic.ID, SubscriptionARN: sub.ID})
		case "sqs":
			q := tx.FindBy("aws_sqs_queue", "arn", Str(sub.Attrs, "endpoint"))
			if q == nil {
				continue
			}
			body := SNSEnvelope(tx.w.endpoint, p, sub.ID)
			if Bool(sub.Attrs, "raw_message_delivery", false) {
				body = p.Message
			}
			tx.SendMessage(q, body, nil, "AIDAIT2UOQQY3AUEKVGXU")
		}
	}
}

// SNSEnvelope is the JSON document SNS delivers to SQS and email-json
// subscribers (the signature is a placeholder: the sandbox signs nothing).
func SNSEnvelope(endpoint string, p Publication, subscriptionARN string) string {
	if endpoint == "" {
		endpoint = "http://127.0.0.1"
	}
	env := map[string]any{
		"Type": "Notification", "MessageId": p.MessageID, "TopicArn": p.TopicARN, "Message": p.Message,
		"Timestamp": p.Timestamp.UTC().Format(isoMillis), "SignatureVersion": "1",
		"Signature":      "U0FOREJPWC1OT1QtU0lHTkVE",
		"SigningCertURL": endpoint + "/_gdlab/v1/sns/SimpleNotificationService.pem",
		"UnsubscribeURL": endpoint + "/_gdlab/v1/sns/unsubscribe?SubscriptionArn=" + queryEscape(subscriptionARN),
	}
	if p.Subject != "" {
		env["Subject"] = p.Subject
	}
	return toJSON(env)
}

// ConfirmSubscription confirms a pending subscription of a topic by its token.
func (w *World) ConfirmSubscription(topicARN, token string) (string, error) {
	var arn string
	err := w.Update(func(tx *Tx) error {
		if tx.Find("aws_sns_topic", topicARN) == nil {
			return topicNotFound()
		}
		for _, sub := range tx.List("aws_sns_topic_subscription") {
			if Str(sub.Attrs, "topic_arn") == topicARN && token != "" && sub.Private["token"] == token {
				sub.Attrs["pending_confirmation"] = false
				arn = sub.ID
				return nil
			}
		}
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid token")
	})
	return arn, err
}

// SubscriptionToken is a pending subscription's confirmation token (tests, TUI).
func SubscriptionToken(sub *Resource) string { return sub.Private["token"] }

// SubscriptionARNForListing is what ListSubscriptions shows: the ARN, or
// "PendingConfirmation" until a pending subscription is confirmed.
func SubscriptionARNForListing(sub *Resource) string {
	if Bool(sub.Attrs, "pending_confirmation", false) {
		return "PendingConfirmation"
	}
	return sub.ID
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SendMessage adds a message to a queue.
func (tx *Tx) SendMessage(queue *Resource, body string, attrs map[string]string, sender string) *QueueMessage {
	delay := time.Duration(Num(queue.Attrs, "delay_seconds", 0)) * time.Second
	m := &QueueMessage{QueueARN: Str(queue.Attrs, "arn"), MessageID: NewUUID(), Body: body, MD5OfBody: md5Hex(body),
		SentAt: tx.Now, SenderID: sender, VisibleAt: tx.Now.Add(delay), Attributes: attrs}
	tx.QueueMessages = append(tx.QueueMessages, m)
	return m
}

// SendMessage adds a message to the queue with this URL.
func (w *World) SendMessage(queueURL, body string, attrs map[string]string) (*QueueMessage, error) {
	var out QueueMessage
	err := w.Update(func(tx *Tx) error {
		q := tx.QueueByURL(queueURL)
		if q == nil {
			return QueueDoesNotExist()
		}
		if body == "" {
			return queueError(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter MessageBody.")
		}
		out = *tx.SendMessage(q, body, attrs, CallerUserID)
		return nil
	})
	return &out, err
}

// ReceiveMessages receives up to max visible messages, hiding them for the
// visibility timeout (the queue's when visibility < 0).
func (w *World) ReceiveMessages(queueURL string, max int, visibility time.Duration) ([]QueueMessage, error) {
	var out []QueueMessage
	err := w.Update(func(tx *Tx) error {
		q := tx.QueueByURL(queueURL)
		if q == nil {
			return QueueDoesNotExist()
		}
		if max < 1 || max > 10 {
			return queueError(http.StatusBadRequest, "InvalidParameterValue",
				"Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", max)
		}
		if visibility < 0 {
			visibility = time.Duration(Num(q.Attrs, "visibility_timeout_seconds", 30)) * time.Second
		}
		arn := Str(q.Attrs, "arn")
		for _, m := range tx.QueueMessages {
			if len(out) >= max {
				break
			}
			if m.QueueARN != arn || m.VisibleAt.After(tx.Now) {
				continue
			}
			m.ReceiveCount++
			if m.FirstReceive.IsZero() {
				m.FirstReceive = tx.Now
			}
			m.ReceiptHandle = NewToken(48)
			m.VisibleAt = tx.Now.Add(visibility)
			out = append(out, *m)
		}
		return nil
	})
	return out, err
}

// DeleteMessage deletes a received message by its receipt handle.
func (w *World) DeleteMessage(queueURL, receiptHandle string) error {
	return w.Update(func(tx *Tx) error {
		q := tx.QueueByURL(queueURL)
		if q == nil {
			return QueueDoesNotExist()
		}
		arn := Str(q.Attrs, "arn")
		for i, m := range tx.QueueMessages {
			if m.QueueARN == arn && receiptHandle != "" && m.ReceiptHandle == receiptHandle {
				tx.QueueMessages = append(tx.QueueMessages[:i:i], tx.QueueMessages[i+1:]...)
				return nil
			}
		}
		return queueError(http.StatusBadRequest, "ReceiptHandleIsInvalid", "The input receipt handle \"%s\" is not a valid receipt handle.", receiptHandle)
	})
}

// QueueCounts are the approximate message counts GetQueueAttributes reports.
func (s *State) QueueCounts(queue *Resource, now time.Time) (visible, inFlight, delayed int) {
	arn := Str(queue.Attrs, "arn")
	for _, m := range s.QueueMessages {
		if m.QueueARN != arn {
			continue
		}
		switch {
		case m.ReceiveCount == 0 && m.VisibleAt.After(now):
			delayed++
		case m.VisibleAt.After(now):
			inFlight++
		default:
			visible++
		}
	}
	return
}

// PutLogEvents appends events to a log group's stream (the group must exist).
func (w *World) PutLogEvents(group, stream string, events []LogEvent) error {
	return w.Update(func(tx *Tx) error {
		if tx.Find("aws_cloudwatch_log_group", group) == nil {
			return errorf(http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
		}
		tx.AppendLogEvents(group, stream, events)
		return nil
	})
}

// AppendLogEvents appends events without checks (the group is the caller's business).
func (tx *Tx) AppendLogEvents(group, stream string, events []LogEvent) {
	for _, e := range events {
		e := e
		e.Group, e.Stream = group, stream
		if e.Ingestion == 0 {
			e.Ingestion = tx.Now.UnixMilli()
		}
		if e.Timestamp == 0 {
			e.Timestamp = e.Ingestion
		}
		seq := tx.nextSeq()
		e.EventID = padEventID(seq)
		tx.LogEvents = append(tx.LogEvents, &e)
	}
}

func padEventID(seq uint64) string {
	s := itoa(int(seq))
	return strings.Repeat("0", 56-len(s)) + s
}
