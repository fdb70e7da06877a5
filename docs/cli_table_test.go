package docs

// awsOperations lists, per AWS CLI service name, the operations the docs
// may use and every option each accepts. Generated once from botocore's
// service models (input members, hyphenated; booleans also take --no-),
// so a misspelt operation or flag in a page fails the test. The services
// are those the lab touches. s3 is the CLI's high-level command set, not
// an API, so its two commands are listed by hand from `aws s3 help`.
var awsOperations = map[string]map[string][]string{
	"ec2": {
		"describe-instances":         {"--instance-ids", "--include-managed-resources", "--no-include-managed-resources", "--dry-run", "--no-dry-run", "--filters", "--next-token", "--max-results"},
		"describe-addresses":         {"--public-ips", "--dry-run", "--no-dry-run", "--filters", "--allocation-ids"},
		"describe-security-groups":   {"--group-ids", "--group-names", "--next-token", "--max-results", "--dry-run", "--no-dry-run", "--filters"},
		"describe-flow-logs":         {"--dry-run", "--no-dry-run", "--filter", "--flow-log-ids", "--max-results", "--next-token"},
		"describe-vpcs":              {"--filters", "--vpc-ids", "--next-token", "--max-results", "--dry-run", "--no-dry-run"},
		"describe-subnets":           {"--filters", "--subnet-ids", "--next-token", "--max-results", "--dry-run", "--no-dry-run"},
		"describe-route-tables":      {"--next-token", "--max-results", "--dry-run", "--no-dry-run", "--route-table-ids", "--filters"},
		"describe-internet-gateways": {"--next-token", "--max-results", "--dry-run", "--no-dry-run", "--internet-gateway-ids", "--filters"},
		"describe-images":            {"--executable-users", "--image-ids", "--owners", "--include-deprecated", "--no-include-deprecated", "--include-disabled", "--no-include-disabled", "--max-results", "--next-token", "--dry-run", "--no-dry-run", "--filters"},
	},
	"s3api": {
		"get-public-access-block": {"--bucket", "--expected-bucket-owner"},
		"get-bucket-encryption":   {"--bucket", "--expected-bucket-owner"},
		"get-bucket-policy":       {"--bucket", "--expected-bucket-owner"},
		"list-objects-v2":         {"--bucket", "--delimiter", "--encoding-type", "--max-keys", "--prefix", "--continuation-token", "--fetch-owner", "--no-fetch-owner", "--start-after", "--request-payer", "--expected-bucket-owner", "--optional-object-attributes"},
	},
	"guardduty": {
		"list-detectors":         {"--max-results", "--next-token"},
		"get-detector":           {"--detector-id"},
		"list-threat-intel-sets": {"--detector-id", "--max-results", "--next-token"},
		"get-threat-intel-set":   {"--detector-id", "--threat-intel-set-id"},
		"list-findings":          {"--detector-id", "--finding-criteria", "--sort-criteria", "--max-results", "--next-token"},
		"get-findings":           {"--detector-id", "--finding-ids", "--sort-criteria"},
		"create-sample-findings": {"--detector-id", "--finding-types"},
	},
	"sns": {
		"list-subscriptions-by-topic": {"--topic-arn", "--next-token"},
		"get-topic-attributes":        {"--topic-arn"},
		"get-subscription-attributes": {"--subscription-arn"},
	},
	"sqs": {
		"receive-message":      {"--queue-url", "--attribute-names", "--message-system-attribute-names", "--message-attribute-names", "--max-number-of-messages", "--visibility-timeout", "--wait-time-seconds", "--receive-request-attempt-id"},
		"get-queue-attributes": {"--queue-url", "--attribute-names"},
	},
	"events": {
		"describe-rule":        {"--name", "--event-bus-name"},
		"list-targets-by-rule": {"--rule", "--event-bus-name", "--next-token", "--limit"},
		"list-rules":           {"--name-prefix", "--event-bus-name", "--next-token", "--limit"},
	},
	"lambda": {
		"get-function-configuration": {"--function-name", "--qualifier"},
		"get-policy":                 {"--function-name", "--qualifier"},
		"get-function":               {"--function-name", "--qualifier"},
	},
	"iam": {
		"get-role":           {"--role-name"},
		"list-role-policies": {"--role-name", "--marker", "--max-items"},
		"get-role-policy":    {"--role-name", "--policy-name"},
	},
	"logs": {
		"filter-log-events":   {"--log-group-name", "--log-group-identifier", "--log-stream-names", "--log-stream-name-prefix", "--start-time", "--end-time", "--filter-pattern", "--next-token", "--limit", "--interleaved", "--no-interleaved", "--unmask", "--no-unmask"},
		"describe-log-groups": {"--account-identifiers", "--log-group-name-prefix", "--log-group-name-pattern", "--next-token", "--limit", "--include-linked-accounts", "--no-include-linked-accounts", "--log-group-class", "--log-group-identifiers"},
	},
	"sts": {
		"get-caller-identity": {},
	},
	"resourcegroupstaggingapi": {
		"get-resources": {"--pagination-token", "--tag-filters", "--resources-per-page", "--tags-per-page", "--resource-type-filters", "--include-compliance-details", "--no-include-compliance-details", "--exclude-compliant-resources", "--no-exclude-compliant-resources", "--resource-arn-list"},
	},
	"s3": {
		"ls": {"--recursive", "--human-readable", "--summarize", "--page-size", "--request-payer"},
		"cp": {"--recursive", "--dryrun", "--quiet", "--include", "--exclude", "--sse", "--content-type"},
	},
}

// awsGlobalOptions are accepted by every AWS CLI command.
var awsGlobalOptions = []string{
	"--region", "--output", "--query", "--profile", "--endpoint-url",
	"--no-paginate", "--debug", "--no-cli-pager",
}

// otherPrograms are the non-AWS commands a page may show in an sh fence,
// with the subcommands allowed for each.
var otherPrograms = map[string][]string{
	"terraform": {"init", "plan", "apply", "output", "show", "state", "destroy"},
	"gdlab":     {"run", "verify", "status", "destroy", "doctor", "sandbox", "lambda"},
}
