package world

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// SNS topics and subscriptions, SQS queues, EventBridge rules and targets.

func init() {
	register("aws_sns_topic", &kind{create: createTopic, remove: removeTopic})
	register("aws_sns_topic_policy", &kind{create: createTopicPolicy, update: updateTopicPolicy, remove: removeTopicPolicy, singleton: true})
	register("aws_sns_topic_subscription", &kind{create: createSubscription})
	register("aws_sqs_queue", &kind{create: createQueue, remove: removeQueue})
	register("aws_sqs_queue_policy", &kind{create: createQueuePolicy, update: updateQueuePolicy, remove: removeQueuePolicy, singleton: true})
	register("aws_cloudwatch_event_rule", &kind{create: createRule, update: updateRule, remove: removeRule})
	register("aws_cloudwatch_event_target", &kind{create: createTarget})
}

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

func snsError(status int, code, format string, args ...any) *Error {
	return errorf(status, code, format, args...)
}

func validJSON(s string) bool {
	var v map[string]any
	return json.Unmarshal([]byte(s), &v) == nil
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// defaultTopicPolicy is the policy SNS gives a new topic.
func defaultTopicPolicy(arn, account string) string {
	return toJSON(map[string]any{"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": []any{map[string]any{
		"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
		"Action": []any{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
			"SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
		"Resource":  arn,
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceOwner": account}},
	}}})
}

func createTopic(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	if Bool(a, "fifo_topic", false) && !strings.HasSuffix(name, ".fifo") {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Topic Name: FIFO topic names must end with .fifo")
	}
	if !topicNameRE.MatchString(name) {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Topic Name")
	}
	arn := tx.arn("sns", name)
	if tx.Find("aws_sns_topic", arn) != nil {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Topic %s already exists", name)
	}
	r.ID = arn
	a["arn"] = arn
	a["owner"] = tx.Account
	if !present(a, "policy") {
		a["policy"] = defaultTopicPolicy(arn, tx.Account)
	}
	for k, v := range map[string]any{"display_name": "", "fifo_topic": false, "content_based_deduplication": false,
		"delivery_policy": "", "kms_master_key_id": "", "tracing_config": "", "archive_policy": "",
		"beginning_archive_time": "", "signature_version": 0, "name_prefix": "", "fifo_throughput_scope": "",
		"application_failure_feedback_role_arn": "", "application_success_feedback_role_arn": "", "application_success_feedback_sample_rate": 0,
		"firehose_failure_feedback_role_arn": "", "firehose_success_feedback_role_arn": "", "firehose_success_feedback_sample_rate": 0,
		"http_failure_feedback_role_arn": "", "http_success_feedback_role_arn": "", "http_success_feedback_sample_rate": 0,
		"lambda_failure_feedback_role_arn": "", "lambda_success_feedback_role_arn": "", "lambda_success_feedback_sample_rate": 0,
		"sqs_failure_feedback_role_arn": "", "sqs_success_feedback_role_arn": "", "sqs_success_feedback_sample_rate": 0,
	} {
		setDefault(a, k, v)
	}
	return nil
}

func removeTopic(tx *Tx, r *Resource) error {
	tx.removeWhere("aws_sns_topic_subscription", func(x *Resource) bool { return Str(x.Attrs, "topic_arn") == r.ID })
	tx.removeWhere("aws_sns_topic_policy", func(x *Resource) bool { return Str(x.Attrs, "arn") == r.ID })
	return nil
}

func topicNotFound() *Error {
	return snsError(http.StatusNotFound, "NotFound", "Topic does not exist")
}

func createTopicPolicy(tx *Tx, r *Resource) error {
	r.ID = Str(r.Attrs, "arn")
	return updateTopicPolicy(tx, nil, r)
}

func updateTopicPolicy(tx *Tx, old map[string]any, r *Resource) error {
	topic := tx.Find("aws_sns_topic", Str(r.Attrs, "arn"))
	if topic == nil {
		return topicNotFound()
	}
	if !validJSON(Str(r.Attrs, "policy")) {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Policy Error: null")
	}
	r.Attrs["owner"] = tx.Account
	topic.Attrs["policy"] = r.Attrs["policy"]
	return nil
}

func removeTopicPolicy(tx *Tx, r *Resource) error {
	if topic := tx.Find("aws_sns_topic", r.ID); topic != nil {
		topic.Attrs["policy"] = defaultTopicPolicy(topic.ID, tx.Account)
	}
	return nil
}

var subscriptionProtocols = map[string]bool{"email": true, "email-json": true, "sqs": true, "lambda": true,
	"http": true, "https": true, "sms": true, "application": true, "firehose": true}

// needsConfirmation: these protocols start PendingConfirmation.
func needsConfirmation(protocol string) bool {
	switch protocol {
	case "email", "email-json", "http", "https":
		return true
	}
	return false
}

func createSubscription(tx *Tx, r *Resource) error {
	a := r.Attrs
	topic := tx.Find("aws_sns_topic", Str(a, "topic_arn"))
	if topic == nil {
		return topicNotFound()
	}
	protocol, endpoint := Str(a, "protocol"), Str(a, "endpoint")
	if !subscriptionProtocols[protocol] {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol string: %s", protocol)
	}
	if strings.HasPrefix(protocol, "email") && (!strings.Contains(endpoint, "@") || strings.ContainsAny(endpoint, " \t\r\n")) {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Email address")
	}
	if protocol == "sqs" && !strings.HasPrefix(endpoint, "arn:aws:sqs:") {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: SQS endpoint ARN")
	}
	if protocol == "lambda" && !strings.HasPrefix(endpoint, "arn:aws:lambda:") {
		return snsError(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Lambda endpoint ARN")
	}
	r.ID = topic.ID + ":" + NewUUID()
	a["arn"] = r.ID
	a["owner_id"] = tx.Account
	pending := needsConfirmation(protocol)
	a["pending_confirmation"] = pending
	a["confirmation_was_authenticated"] = false
	for k, v := range map[string]any{"raw_message_delivery": false, "filter_policy": "", "filter_policy_scope": "",
		"delivery_policy": "", "redrive_policy": "", "replay_policy": "", "subscription_role_arn": "",
		"endpoint_auto_confirms": false, "confirmation_timeout_in_minutes": 1} {
		setDefault(a, k, v)
	}
	if present(a, "filter_policy") && Str(a, "filter_policy_scope") == "" {
		a["filter_policy_scope"] = "MessageAttributes"
	}
	if pending {
		token := NewToken(64)
		r.setPrivate("token", token)
		if strings.HasPrefix(protocol, "email") {
			tx.queueConfirmationMail(topic, r, token)
		}
	}
	return nil
}

// ConfirmURL is where a confirmation link of the sandbox points.
func ConfirmURL(endpoint, topicARN, token string) string {
	if endpoint == "" {
		endpoint = "http://127.0.0.1"
	}
	return endpoint + "/_gdlab/v1/sns/confirm?TopicArn=" + queryEscape(topicARN) + "&Token=" + token
}

func (tx *Tx) queueConfirmationMail(topic, sub *Resource, token string) {
	display := Str(topic.Attrs, "display_name")
	if display == "" {
		display = "AWS Notifications"
	}
	body := "You have chosen to subscribe to the topic: \n" + topic.ID +
		"\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n" +
		"Confirm subscription: " + ConfirmURL(tx.w.endpoint, topic.ID, token) +
		"\n\n(Simulated by the gdlab sandbox: no email left this machine.)\n"
	tx.Mail = append(tx.Mail, &Mail{ID: NewUUID(), Kind: "confirmation", From: display + " <no-reply@sns.amazonaws.com>",
		To: Str(sub.Attrs, "endpoint"), Subject: "AWS Notification - Subscription Confirmation",
		Body: body, Date: tx.Now, TopicARN: topic.ID, SubscriptionARN: sub.ID})
}

var queueNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

func queueError(status int, code, format string, args ...any) *Error {
	return errorf(status, code, format, args...)
}

// QueueDoesNotExist is the SQS error for an unknown queue.
func QueueDoesNotExist() *Error {
	return queueError(http.StatusBadRequest, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

// QueueURL is the URL of a queue for an endpoint base URL.
func QueueURL(endpoint, region, account, name string) string {
	if endpoint == "" {
		endpoint = "https://sqs." + region + ".amazonaws.com"
	}
	return strings.TrimRight(endpoint, "/") + "/" + account + "/" + name
}

func createQueue(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	fifo := Bool(a, "fifo_queue", false)
	base := strings.TrimSuffix(name, ".fifo")
	if !queueNameRE.MatchString(base) || (fifo != strings.HasSuffix(name, ".fifo")) {
		return queueError(http.StatusBadRequest, "InvalidParameterValue",
			"Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	if tx.QueueByName(name) != nil {
		return queueError(http.StatusBadRequest, "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute(s)")
	}
	r.ID = QueueURL(tx.w.endpoint, tx.Region, tx.Account, name)
	a["url"] = r.ID
	a["arn"] = tx.arn("sqs", name)
	for k, v := range map[string]any{"visibility_timeout_seconds": 30, "message_retention_seconds": 345600,
		"max_message_size": 262144, "delay_seconds": 0, "receive_wait_time_seconds": 0, "sqs_managed_sse_enabled": true,
		"fifo_queue": false, "content_based_deduplication": false, "deduplication_scope": "", "fifo_throughput_limit": "",
		"kms_master_key_id": "", "kms_data_key_reuse_period_seconds": 300, "policy": "", "redrive_policy": "",
		"redrive_allow_policy": "", "name_prefix": ""} {
		setDefault(a, k, v)
	}
	return nil
}

func removeQueue(tx *Tx, r *Resource) error {
	arn := Str(r.Attrs, "arn")
	kept := tx.QueueMessages[:0]
	for _, m := range tx.QueueMessages {
		if m.QueueARN != arn {
			kept = append(kept, m)
		}
	}
	tx.QueueMessages = kept
	tx.removeWhere("aws_sqs_queue_policy", func(x *Resource) bool { return x.ID == r.ID })
	return nil
}

// QueueByName returns the queue with a name.
func (s *State) QueueByName(name string) *Resource { return s.FindBy("aws_sqs_queue", "name", name) }

// QueueByURL finds a queue from any URL that ends in /<account>/<name>, so a
// queue stays reachable when the endpoint's port changes between processes.
func (s *State) QueueByURL(url string) *Resource {
	url = strings.TrimRight(url, "/")
	i := strings.LastIndexByte(url, '/')
	if i < 0 {
		return s.QueueByName(url)
	}
	q := s.QueueByName(url[i+1:])
	if q == nil {
		return nil
	}
	rest := url[:i]
	if acct := rest[strings.LastIndexByte(rest, '/')+1:]; acct != s.Account {
		return nil
	}
	return q
}

func createQueuePolicy(tx *Tx, r *Resource) error {
	q := tx.QueueByURL(Str(r.Attrs, "queue_url"))
	if q == nil {
		return QueueDoesNotExist()
	}
	r.ID = Str(r.Attrs, "queue_url")
	return updateQueuePolicy(tx, nil, r)
}

func updateQueuePolicy(tx *Tx, old map[string]any, r *Resource) error {
	q := tx.QueueByURL(Str(r.Attrs, "queue_url"))
	if q == nil {
		return QueueDoesNotExist()
	}
	if !validJSON(Str(r.Attrs, "policy")) {
		return queueError(http.StatusBadRequest, "InvalidAttributeValue", "Invalid value for the parameter Policy.")
	}
	q.Attrs["policy"] = r.Attrs["policy"]
	return nil
}

func removeQueuePolicy(tx *Tx, r *Resource) error {
	if q := tx.QueueByURL(r.ID); q != nil {
		q.Attrs["policy"] = ""
	}
	return nil
}

var ruleNameRE = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

var ruleStates = map[string]bool{"ENABLED": true, "DISABLED": true, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS": true}

func eventsError(status int, code, format string, args ...any) *Error {
	return errorf(status, code, format, args...)
}

// RuleID is the Terraform id of a rule: its name on the default bus, else bus/name.
func RuleID(bus, name string) string {
	if bus == "" || bus == "default" {
		return name
	}
	return bus + "/" + name
}

func createRule(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	if !ruleNameRE.MatchString(name) {
		return eventsError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint", name)
	}
	setDefault(a, "event_bus_name", "default")
	bus := Str(a, "event_bus_name")
	if tx.Find("aws_cloudwatch_event_rule", RuleID(bus, name)) != nil {
		return eventsError(http.StatusBadRequest, "ResourceAlreadyExistsException", "Rule %s already exists on EventBus %s.", name, bus)
	}
	if err := checkRule(a); err != nil {
		return err
	}
	r.ID = RuleID(bus, name)
	if bus == "default" {
		a["arn"] = tx.arn("events", "rule/"+name)
	} else {
		a["arn"] = tx.arn("events", "rule/"+bus+"/"+name)
	}
	for k, v := range map[string]any{"description": "", "role_arn": "", "schedule_expression": "", "event_pattern": "",
		"force_destroy": false, "name_prefix": ""} {
		setDefault(a, k, v)
	}
	return nil
}

func checkRule(a map[string]any) error {
	pattern, schedule := Str(a, "event_pattern"), Str(a, "schedule_expression")
	if pattern == "" && schedule == "" {
		return eventsError(http.StatusBadRequest, "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if pattern != "" {
		if len(pattern) > 4096 {
			return eventsError(http.StatusBadRequest, "InvalidEventPatternException", "Event pattern is not valid. Reason: the pattern is longer than 4096 characters")
		}
		if !validJSON(pattern) {
			return eventsError(http.StatusBadRequest, "InvalidEventPatternException", "Event pattern is not valid. Reason: Filter is not an object")
		}
	}
	state := Str(a, "state")
	if state == "" {
		state = "ENABLED"
		if enabled, ok := a["is_enabled"].(bool); ok && !enabled {
			state = "DISABLED"
		}
	}
	if !ruleStates[state] {
		return eventsError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%s' at 'state' failed to satisfy constraint", state)
	}
	a["state"] = state
	a["is_enabled"] = state != "DISABLED"
	return nil
}

func updateRule(tx *Tx, old map[string]any, r *Resource) error { return checkRule(r.Attrs) }

func removeRule(tx *Tx, r *Resource) error {
	for _, t := range tx.List("aws_cloudwatch_event_target") {
		if targetOfRule(t, r) {
			if Bool(r.Attrs, "force_destroy", false) {
				continue
			}
			return eventsError(http.StatusBadRequest, "ValidationException", "Rule can't be deleted since it has targets.")
		}
	}
	tx.removeWhere("aws_cloudwatch_event_target", func(t *Resource) bool { return targetOfRule(t, r) })
	return nil
}

func targetOfRule(t, rule *Resource) bool {
	bus := Str(t.Attrs, "event_bus_name")
	if bus == "" {
		bus = "default"
	}
	return Str(t.Attrs, "rule") == Str(rule.Attrs, "name") && bus == Str(rule.Attrs, "event_bus_name")
}

// TargetsOfRule lists a rule's targets.
func (s *State) TargetsOfRule(rule *Resource) []*Resource {
	var out []*Resource
	for _, t := range s.List("aws_cloudwatch_event_target") {
		if targetOfRule(t, rule) {
			out = append(out, t)
		}
	}
	return out
}

func createTarget(tx *Tx, r *Resource) error {
	a := r.Attrs
	setDefault(a, "event_bus_name", "default")
	bus, ruleName := Str(a, "event_bus_name"), Str(a, "rule")
	rule := tx.Find("aws_cloudwatch_event_rule", RuleID(bus, ruleName))
	if rule == nil {
		return eventsError(http.StatusBadRequest, "ResourceNotFoundException", "Rule %s does not exist on EventBus %s.", ruleName, bus)
	}
	if Str(a, "arn") == "" {
		return eventsError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null")
	}
	inputs := 0
	for _, k := range []string{"input", "input_path"} {
		if present(a, k) {
			inputs++
		}
	}
	if len(Blocks(a, "input_transformer")) > 0 {
		inputs++
		if Str(Block(a, "input_transformer"), "input_template") == "" {
			return eventsError(http.StatusBadRequest, "ValidationException", "InputTemplate must be specified.")
		}
	}
	if inputs > 1 {
		return eventsError(http.StatusBadRequest, "ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided.")
	}
	if len(tx.TargetsOfRule(rule)) >= 5 {
		return eventsError(http.StatusBadRequest, "LimitExceededException", "The requested resource exceeds the maximum number allowed.")
	}
	if Str(a, "target_id") == "" {
		a["target_id"] = uniqueName("terraform-")
	}
	for _, t := range tx.TargetsOfRule(rule) {
		if Str(t.Attrs, "target_id") == Str(a, "target_id") {
			return eventsError(http.StatusBadRequest, "ValidationException", "Target %s already exists on rule %s.", Str(a, "target_id"), ruleName)
		}
	}
	if bus == "default" {
		r.ID = ruleName + "-" + Str(a, "target_id")
	} else {
		r.ID = bus + "-" + ruleName + "-" + Str(a, "target_id")
	}
	for k, v := range map[string]any{"input": "", "input_path": "", "role_arn": "", "force_destroy": false} {
		setDefault(a, k, v)
	}
	return nil
}
