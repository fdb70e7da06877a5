package terraform

import (
	"regexp"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Diagnostic is a terraform diagnostic plus a one-line hint for the errors a
// learner is likely to meet; Hint is empty when none applies.
type Diagnostic struct {
	tfjson.Diagnostic
	Hint string
}

// hintRule matches a diagnostic's text and writes the hint for it.
type hintRule struct {
	name  string
	match *regexp.Regexp
	hint  func(text string, m []string) string
}

var (
	// "is not authorized to perform: iam:CreateRole" names the action exactly.
	reAuthorizedAction = regexp.MustCompile(`not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)`)
	// "operation error EC2: CreateVpc" names service and API when the message does not.
	reOperation = regexp.MustCompile(`operation error ([A-Za-z0-9 ]+?): ([A-Za-z0-9]+)`)
	reInstance  = regexp.MustCompile(`instance type \(([^)]+)\) is not supported in your requested Availability Zone \(([^)]+)\)(?:.*?choosing ([a-z0-9-]+))?`)
)

// iamPrefix maps the SDK's service names to IAM action prefixes.
var iamPrefix = map[string]string{
	"EC2": "ec2", "S3": "s3", "GuardDuty": "guardduty", "SNS": "sns", "SQS": "sqs",
	"EventBridge": "events", "Lambda": "lambda", "IAM": "iam", "STS": "sts",
	"CloudWatch Logs": "logs", "Resource Groups Tagging API": "tag",
}

var hintRules = []hintRule{
	{
		name:  "detector exists",
		match: regexp.MustCompile(`(?i)detector already exists`),
		hint: func(string, []string) string {
			return "This region already has a GuardDuty detector (one per account and region): set existing_detector_id to its id (aws guardduty list-detectors) and gdlab reuses it."
		},
	},
	{
		name:  "bucket taken",
		match: regexp.MustCompile(`BucketAlreadyExists\b`),
		hint: func(string, []string) string {
			return "S3 bucket names are global and another account owns this one: start a lab with a new lab id so gdlab picks new names."
		},
	},
	{
		name:  "bucket owned",
		match: regexp.MustCompile(`BucketAlreadyOwnedByYou`),
		hint: func(string, []string) string {
			return "Your account already has this bucket, likely from an earlier lab with the same id: delete it (or run gdlab destroy there) and apply again."
		},
	},
	{
		name:  "credentials",
		match: regexp.MustCompile(`InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|(?i)sso session has expired|refresh cached SSO token failed|token has expired|no valid credential sources`),
		hint: func(string, []string) string {
			return "AWS rejected the credentials (invalid or expired): renew them (aws sso login, or a fresh session token) and check with aws sts get-caller-identity."
		},
	},
	{
		name:  "access denied",
		match: regexp.MustCompile(`AccessDenied|UnauthorizedOperation|not authorized to perform`),
		hint: func(text string, _ []string) string {
			action := ""
			if m := reAuthorizedAction.FindStringSubmatch(text); m != nil {
				action = m[1]
			} else if m := reOperation.FindStringSubmatch(text); m != nil {
				if p, ok := iamPrefix[m[1]]; ok {
					action = p + ":" + m[2]
				}
			}
			if action == "" {
				return "Your AWS identity lacks a permission this step needs: use a role with the permissions listed in the lab's README and apply again."
			}
			return "Your AWS identity may not call " + action + ": allow that action in its IAM policy (or use a role that has it) and apply again."
		},
	},
	{
		name:  "eip quota",
		match: regexp.MustCompile(`AddressLimitExceeded`),
		hint: func(string, []string) string {
			return "Elastic IP quota reached in this region (default 5): release unused addresses or request more in Service Quotas, then apply again."
		},
	},
	{
		name:  "instance quota",
		match: regexp.MustCompile(`InstanceLimitExceeded|VcpuLimitExceeded`),
		hint: func(string, []string) string {
			return "EC2 instance/vCPU quota reached in this region: stop unused instances or request a higher On-Demand quota in Service Quotas."
		},
	},
	{
		name:  "instance type in AZ",
		match: reInstance,
		hint: func(_ string, m []string) string {
			alt := ""
			if m[3] != "" {
				alt = " such as " + m[3]
			}
			return "Instance type " + m[1] + " is not offered in " + m[2] + ": pick another availability zone" + alt + " and apply again."
		},
	},
	{
		name:  "throttling",
		match: regexp.MustCompile(`Throttling|RequestLimitExceeded|TooManyRequestsException|Rate exceeded`),
		hint: func(string, []string) string {
			return "AWS throttled the requests: wait a minute and apply again; terraform continues where it stopped."
		},
	},
}

// HintFor returns the one-line hint for a diagnostic, or "" when no rule
// matches. The first matching rule wins, so specific rules come first.
func HintFor(d tfjson.Diagnostic) string {
	text := d.Summary + "\n" + d.Detail
	for _, r := range hintRules {
		if m := r.match.FindStringSubmatch(text); m != nil {
			return r.hint(text, m)
		}
	}
	return ""
}

// withHint wraps a terraform diagnostic with its hint.
func withHint(d tfjson.Diagnostic) Diagnostic {
	return Diagnostic{Diagnostic: d, Hint: HintFor(d)}
}

// firstLine trims a multi-line diagnostic detail for one-line display.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
