// Package snsmail models what Amazon SNS sends to subscribers: the
// subscription confirmation email, notification emails, the JSON envelope
// SQS subscribers receive (or the raw message), and the sandbox's outbox, an
// mbox file (mboxrd) that `mail -f` reads.
//
// Differences from AWS: mail is appended to a file, never sent; the wording
// of the confirmation and footer text is paraphrased from memory of real SNS
// mail (no official source); links point at the sandbox, not sns.amazonaws.com;
// the SQS envelope's Signature is a placeholder that no SNS certificate
// verifies.
package snsmail

import (
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"
)

// Sender is SNS's email address.
const Sender = "no-reply@sns.amazonaws.com"

// Subjects SNS uses when none is given.
const (
	ConfirmationSubject   = "AWS Notification - Subscription Confirmation"
	DefaultMessageSubject = "AWS Notification Message"
)

// Email is one message in the outbox.
type Email struct {
	MessageID string // without angle brackets
	Date      time.Time
	FromName  string
	To        string
	Subject   string
	Body      string
}

// Topic is the topic an email is about.
type Topic struct {
	ARN         string
	DisplayName string
}

// Name is the topic name, the last part of its ARN.
func (t Topic) Name() string {
	return t.ARN[strings.LastIndexByte(t.ARN, ':')+1:]
}

// ConfirmURL is the sandbox link that confirms a pending subscription.
func ConfirmURL(baseURL, token, topicARN string) string {
	q := url.Values{"Token": {token}, "TopicArn": {topicARN}}
	return strings.TrimRight(baseURL, "/") + "/confirm?" + encodeOrdered(q, "Token", "TopicArn")
}

// UnsubscribeURL is the sandbox link in every notification's footer.
func UnsubscribeURL(baseURL, subscriptionARN, endpoint string) string {
	q := url.Values{"SubscriptionArn": {subscriptionARN}, "Endpoint": {endpoint}}
	return strings.TrimRight(baseURL, "/") + "/unsubscribe?" + encodeOrdered(q, "SubscriptionArn", "Endpoint")
}

// encodeOrdered keeps the parameters in the given order (url.Values.Encode
// sorts them), matching the order SNS's links use.
func encodeOrdered(q url.Values, keys ...string) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(q.Get(k)))
	}
	return strings.Join(parts, "&")
}

// Confirmation is the email a new email subscription triggers.
func Confirmation(topic Topic, to, confirmURL, messageID string, date time.Time) Email {
	from := topic.DisplayName
	if from == "" {
		from = "AWS Notifications"
	}
	body := fmt.Sprintf(`You have chosen to subscribe to the topic:
%s

To confirm this subscription, click or visit the link below (If this was in error no action is necessary):
%s

Please do not reply directly to this email. This message was written by the gdlab sandbox (simulated SNS); no mail left this computer.
`, topic.ARN, confirmURL)
	return Email{MessageID: messageID, Date: date, FromName: from, To: to, Subject: ConfirmationSubject, Body: body}
}

// Notification is the email a Publish (or an EventBridge delivery) sends to
// a confirmed email subscription: the message as it is, then the footer.
func Notification(topic Topic, to, subject, message, unsubscribeURL, messageID string, date time.Time) Email {
	from := topic.DisplayName
	if from == "" {
		from = topic.Name()
	}
	if subject == "" {
		subject = DefaultMessageSubject
	}
	body := message
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	body += fmt.Sprintf(`
--
If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:
%s

Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support
`, unsubscribeURL)
	return Email{MessageID: messageID, Date: date, FromName: from, To: to, Subject: subject, Body: body}
}

// header encodes a header value when it is not plain ASCII.
func header(v string) string {
	return mime.QEncoding.Encode("utf-8", v)
}
