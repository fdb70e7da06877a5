package provider

// SNS, SQS and EventBridge types, as the real provider declares them (provider 6.x).

var snsProtocols = []string{"application", "email", "email-json", "firehose", "http", "https", "lambda", "sms", "sqs"}

func init() {
	addResources(
		resourceSpec{typeName: "aws_sns_topic", what: "SNS Topic", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("display_name").opt(),
				str("policy").optComp().policy(),
				str("delivery_policy").opt().policy(),
				str("kms_master_key_id").opt(),
				boolean("fifo_topic").def(false).forceNewA(),
				boolean("content_based_deduplication").def(false),
				str("fifo_throughput_scope").optComp().values("Topic", "MessageGroup"),
				str("archive_policy").opt().policy(),
				integer("signature_version").optComp().values("1", "2"),
				str("tracing_config").optComp().values("PassThrough", "Active"),
				str("application_failure_feedback_role_arn").opt(),
				str("application_success_feedback_role_arn").opt(),
				integer("application_success_feedback_sample_rate").opt(),
				str("firehose_failure_feedback_role_arn").opt(),
				str("firehose_success_feedback_role_arn").opt(),
				integer("firehose_success_feedback_sample_rate").opt(),
				str("http_failure_feedback_role_arn").opt(),
				str("http_success_feedback_role_arn").opt(),
				integer("http_success_feedback_sample_rate").opt(),
				str("lambda_failure_feedback_role_arn").opt(),
				str("lambda_success_feedback_role_arn").opt(),
				integer("lambda_success_feedback_sample_rate").opt(),
				str("sqs_failure_feedback_role_arn").opt(),
				str("sqs_success_feedback_role_arn").opt(),
				integer("sqs_success_feedback_sample_rate").opt(),
				str("arn").comp(),
				str("beginning_archive_time").comp(),
				str("owner").comp(),
			},
		}, validate: conflicts("name", "name_prefix")},
		resourceSpec{typeName: "aws_sns_topic_policy", what: "SNS Topic Policy", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("arn").req().forceNewA(),
				str("policy").req().policy(),
				str("owner").comp(),
			},
		}},
		resourceSpec{typeName: "aws_sns_topic_subscription", what: "SNS Topic Subscription", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("topic_arn").req().forceNewA(),
				str("protocol").req().forceNewA().values(snsProtocols...),
				str("endpoint").req().forceNewA(),
				boolean("endpoint_auto_confirms").def(false),
				integer("confirmation_timeout_in_minutes").def(int64(1)),
				boolean("raw_message_delivery").def(false),
				str("filter_policy").opt().policy(),
				str("filter_policy_scope").optComp().values("MessageAttributes", "MessageBody"),
				str("redrive_policy").opt().policy(),
				str("replay_policy").opt().policy(),
				str("delivery_policy").opt().policy(),
				str("subscription_role_arn").opt(),
				str("arn").comp(),
				boolean("confirmation_was_authenticated").comp(),
				str("owner_id").comp(),
				boolean("pending_confirmation").comp(),
			},
		}},
		resourceSpec{typeName: "aws_sqs_queue", what: "SQS Queue", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				integer("visibility_timeout_seconds").def(int64(30)),
				integer("message_retention_seconds").def(int64(345600)),
				integer("max_message_size").optComp(),
				integer("delay_seconds").def(int64(0)),
				integer("receive_wait_time_seconds").def(int64(0)),
				str("policy").optComp().policy(),
				str("redrive_policy").optComp().policy(),
				str("redrive_allow_policy").optComp().policy(),
				boolean("fifo_queue").def(false).forceNewA(),
				boolean("content_based_deduplication").def(false),
				str("deduplication_scope").optComp().values("messageGroup", "queue"),
				str("fifo_throughput_limit").optComp().values("perQueue", "perMessageGroupId"),
				boolean("sqs_managed_sse_enabled").optComp(),
				str("kms_master_key_id").opt(),
				integer("kms_data_key_reuse_period_seconds").optComp(),
				str("arn").comp(),
				str("url").comp(),
			},
		}, validate: conflicts("name", "name_prefix")},
		resourceSpec{typeName: "aws_sqs_queue_policy", what: "SQS Queue Policy", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("queue_url").req().forceNewA(),
				str("policy").req().policy(),
			},
		}},
		resourceSpec{typeName: "aws_cloudwatch_event_rule", what: "EventBridge Rule", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("description").opt(),
				str("event_bus_name").def("default").forceNewA(),
				str("event_pattern").opt().policy(),
				str("schedule_expression").opt(),
				str("role_arn").opt(),
				str("state").optComp().values("DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
				boolean("is_enabled").optComp().deprecate("Use \"state\" instead"),
				boolean("force_destroy").def(false),
				str("arn").comp(),
			},
		}, validate: validateEventRule},
		resourceSpec{typeName: "aws_cloudwatch_event_target", what: "EventBridge Target", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("rule").req().forceNewA(),
				str("arn").req(),
				str("target_id").optComp().forceNewA(),
				str("event_bus_name").def("default").forceNewA(),
				str("input").opt().policy(),
				str("input_path").opt(),
				str("role_arn").opt(),
				boolean("force_destroy").def(false),
			},
			blocks: []block{
				listBlock("input_transformer", 1,
					strMap("input_paths").opt(),
					str("input_template").req(),
				),
				listBlock("retry_policy", 1,
					integer("maximum_event_age_in_seconds").opt(),
					integer("maximum_retry_attempts").opt(),
				),
				listBlock("dead_letter_config", 1, str("arn").opt()),
				listBlock("sqs_target", 1, str("message_group_id").opt()),
				listBlock("run_command_targets", 5, str("key").req(), strList("values").req()),
				listBlock("http_target", 1,
					strMap("header_parameters").opt(),
					strList("path_parameter_values").opt(),
					strMap("query_string_parameters").opt(),
				),
			},
		}, validate: conflicts("input", "input_path", "input_transformer")},
	)
}

// validateEventRule: a rule needs a pattern or a schedule; is_enabled and state exclude each
// other; the pattern is at most 4096 characters.
func validateEventRule(c configView) []string {
	var problems []string
	if c.known("event_pattern") && c.known("schedule_expression") && !c.set("event_pattern") && !c.set("schedule_expression") {
		problems = append(problems, "Invalid combination of arguments: one of `event_pattern,schedule_expression` must be specified")
	}
	if len(c.str("event_pattern")) > 4096 {
		problems = append(problems, "event_pattern cannot exceed 4096 characters")
	}
	problems = append(problems, conflicts("is_enabled", "state")(c)...)
	return problems
}
