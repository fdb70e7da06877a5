package provider

// IAM, Lambda and CloudWatch Logs types, as the real provider declares them (provider 6.x).

// lambdaRuntimes is the Lambda API's Runtime enum, which the real provider validates against.
var lambdaRuntimes = []string{
	"nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
	"nodejs16.x", "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "nodejs26.x", "nodejs4.3-edge",
	"java8", "java8.al2", "java11", "java17", "java21", "java25", "java8.al2023", "java11.al2023", "java17.al2023",
	"python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11",
	"python3.12", "python3.13", "python3.14", "python3.15",
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "dotnet10",
	"go1.x", "ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3", "ruby3.4", "ruby4.0",
	"provided", "provided.al2", "provided.al2023",
}

// logRetentionDays are the values CloudWatch Logs accepts for retention_in_days (0 = never expire).
var logRetentionDays = []string{"0", "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180",
	"365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"}

func init() {
	addResources(
		resourceSpec{typeName: "aws_iam_role", what: "IAM Role", tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("assume_role_policy").req().policy(),
				str("description").opt(),
				str("path").def("/").forceNewA(),
				integer("max_session_duration").def(int64(3600)),
				str("permissions_boundary").opt(),
				boolean("force_detach_policies").def(false),
				strSet("managed_policy_arns").optComp().deprecate("The managed_policy_arns argument is deprecated. Use the aws_iam_role_policy_attachment resource instead."),
				str("arn").comp(),
				str("create_date").comp(),
				str("unique_id").comp(),
			},
		}, validate: conflicts("name", "name_prefix")},
		resourceSpec{typeName: "aws_iam_role_policy", what: "IAM Role Policy", objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("role").req().forceNewA(),
				str("policy").req().policy(),
			},
		}, validate: conflicts("name", "name_prefix")},
		resourceSpec{typeName: "aws_iam_role_policy_attachment", what: "IAM Role Policy Attachment", objectSpec: objectSpec{
			attrs: []attr{
				str("role").req().forceNewA(),
				str("policy_arn").req().forceNewA(),
			},
		}},
		resourceSpec{typeName: "aws_iam_policy", what: "IAM Policy", tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("description").opt().forceNewA(),
				str("path").def("/").forceNewA(),
				str("policy").req().policy(),
				integer("delay_after_policy_creation_in_ms").opt(),
				str("arn").comp(),
				integer("attachment_count").comp(),
				str("policy_id").comp(),
			},
		}},
		resourceSpec{typeName: "aws_lambda_function", what: "Lambda Function", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("function_name").req().forceNewA(),
				str("role").req(),
				str("handler").opt(),
				str("runtime").opt().values(lambdaRuntimes...),
				strList("architectures").optComp().elemValues("x86_64", "arm64"),
				str("filename").opt(),
				str("s3_bucket").opt(),
				str("s3_key").opt(),
				str("s3_object_version").opt(),
				str("image_uri").opt(),
				str("package_type").def("Zip").forceNewA().values("Zip", "Image"),
				str("source_code_hash").optComp(),
				str("description").opt(),
				integer("timeout").def(int64(3)),
				integer("memory_size").def(int64(128)),
				boolean("publish").def(false),
				strList("layers").opt(),
				integer("reserved_concurrent_executions").def(int64(-1)),
				str("kms_key_arn").opt(),
				str("code_signing_config_arn").opt(),
				boolean("skip_destroy").def(false),
				boolean("replace_security_groups_on_destroy").opt(),
				strSet("replacement_security_group_ids").opt(),
				str("arn").comp(),
				str("code_sha256").comp().changing(),
				str("invoke_arn").comp(),
				str("last_modified").comp().changing(),
				str("qualified_arn").comp().changing(),
				str("qualified_invoke_arn").comp().changing(),
				str("signing_job_arn").comp(),
				str("signing_profile_version_arn").comp(),
				integer("source_code_size").comp().changing(),
				str("version").comp().changing(),
			},
			blocks: []block{
				listBlock("environment", 1, strMap("variables").opt()),
				listBlock("vpc_config", 1,
					strSet("subnet_ids").req(),
					strSet("security_group_ids").req(),
					boolean("ipv6_allowed_for_dual_stack").opt(),
					str("vpc_id").comp(),
				),
				listBlock("dead_letter_config", 1, str("target_arn").req()),
				listBlock("tracing_config", 1, str("mode").req().values("Active", "PassThrough")).filled(),
				listBlock("ephemeral_storage", 1, integer("size").optComp()).filled(),
				listBlock("logging_config", 1,
					str("log_format").req().values("JSON", "Text"),
					str("log_group").optComp(),
					str("application_log_level").optComp().values("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
					str("system_log_level").optComp().values("DEBUG", "INFO", "WARN"),
				).filled(),
				listBlock("image_config", 1, strList("command").opt(), strList("entry_point").opt(), str("working_directory").opt()),
				listBlock("file_system_config", 1, str("arn").req(), str("local_mount_path").req()),
				listBlock("snap_start", 1, str("apply_on").req().values("PublishedVersions", "None"), str("optimization_status").comp()),
				timeoutsBlock("create", "update", "delete"),
			},
		}, planHook: lambdaPlan, validate: validateLambda},
		resourceSpec{typeName: "aws_lambda_permission", what: "Lambda Permission", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("action").req().forceNewA(),
				str("function_name").req().forceNewA(),
				str("principal").req().forceNewA(),
				str("statement_id").optComp().forceNewA(),
				str("statement_id_prefix").optComp().forceNewA(),
				str("source_arn").opt().forceNewA(),
				str("source_account").opt().forceNewA(),
				str("qualifier").opt().forceNewA(),
				str("event_source_token").opt().forceNewA(),
				str("principal_org_id").opt().forceNewA(),
				str("function_url_auth_type").opt().forceNewA().values("AWS_IAM", "NONE"),
			},
		}, validate: conflicts("statement_id", "statement_id_prefix")},
		resourceSpec{typeName: "aws_cloudwatch_log_group", what: "CloudWatch Logs Log Group", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				integer("retention_in_days").def(int64(0)).values(logRetentionDays...),
				str("kms_key_id").opt(),
				str("log_group_class").optComp().forceNewA().values("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"),
				boolean("skip_destroy").def(false),
				boolean("deletion_protection_enabled").optComp(),
				str("arn").comp(),
			},
		}, validate: conflicts("name", "name_prefix")},
	)
}

// lambdaPlan: new code or configuration publishes a new revision: its hash, version and
// timestamps are only known once uploaded.
func lambdaPlan(p *planEdit) {
	if p.creating() {
		return
	}
	for _, name := range []string{"filename", "s3_bucket", "s3_key", "s3_object_version", "image_uri", "source_code_hash"} {
		if p.changed(name) {
			for _, computed := range []string{"code_sha256", "source_code_size", "last_modified", "version", "qualified_arn", "qualified_invoke_arn"} {
				p.markUnknown(computed)
			}
			return
		}
	}
}

// validateLambda: the code comes from exactly one place; a zip package needs a handler and a
// runtime.
func validateLambda(c configView) []string {
	problems := exactlyOne("filename", "s3_bucket", "image_uri")(c)
	if c.str("package_type") != "Image" && c.known("image_uri") && !c.set("image_uri") {
		if c.known("handler") && !c.set("handler") {
			problems = append(problems, "handler and runtime must be set when PackageType is Zip")
		} else if c.known("runtime") && !c.set("runtime") {
			problems = append(problems, "handler and runtime must be set when PackageType is Zip")
		}
	}
	return problems
}
