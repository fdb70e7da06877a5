package probe

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
)

// problemKind sorts AWS failures into the few cases a learner can act on.
type problemKind int

const (
	problemOther problemKind = iota
	problemNoCredentials
	problemExpiredSSO
	problemExpiredCredentials
	problemInvalidCredentials
	problemAccessDenied
	problemNotFound
	problemUnreachable
)

// classify looks through the SDK's wrapping for the cause that matters.
func classify(err error) problemKind {
	if err == nil {
		return problemOther
	}
	var tokenErr *ssocreds.InvalidTokenError
	if errors.As(err, &tokenErr) {
		return problemExpiredSSO
	}
	msg := err.Error()
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
			return problemExpiredCredentials
		case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
			"InvalidAccessKeyId", "AuthFailure", "IncompleteSignature":
			return problemInvalidCredentials
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
			"UnauthorizedAccess", "Forbidden", "AuthorizationError":
			return problemAccessDenied
		case "NoSuchBucket", "NoSuchKey", "NotFound", "ResourceNotFoundException",
			"InvalidInstanceID.NotFound", "InvalidGroup.NotFound", "InvalidVpcID.NotFound",
			"InvalidAllocationID.NotFound", "NoSuchEntity", "AWS.SimpleQueueService.NonExistentQueue",
			"NonExistentQueue", "QueueDoesNotExist", "ServerSideEncryptionConfigurationNotFoundError",
			"NoSuchPublicAccessBlockConfiguration":
			return problemNotFound
		}
		if strings.Contains(apiErr.ErrorCode(), "NotFound") {
			return problemNotFound
		}
	}
	switch {
	case strings.Contains(msg, "SSO session has expired"), strings.Contains(msg, "refresh cached SSO token"),
		strings.Contains(msg, "sso") && strings.Contains(msg, "expired"):
		return problemExpiredSSO
	case strings.Contains(msg, "failed to retrieve credentials"),
		strings.Contains(msg, "no EC2 IMDS role found"),
		strings.Contains(msg, "failed to refresh cached credentials"),
		strings.Contains(msg, "static credentials are empty"),
		strings.Contains(msg, "AnonymousCredentials"):
		return problemNoCredentials
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) {
		return problemUnreachable
	}
	return problemOther
}

// isNotFound reports whether err says the thing looked up does not exist.
func isNotFound(err error) bool { return classify(err) == problemNotFound }

// apiAction names the IAM action behind a failed SDK call, e.g.
// "ec2:DescribeRegions", from the operation the SDK reports.
func apiAction(err error) string {
	var opErr *smithy.OperationError
	if !errors.As(err, &opErr) {
		return ""
	}
	service := strings.ToLower(strings.ReplaceAll(opErr.ServiceID, " ", ""))
	switch service {
	case "eventbridge":
		service = "events"
	case "cloudwatchlogs":
		service = "logs"
	case "resourcegroupstaggingapi":
		service = "tag"
	}
	return service + ":" + opErr.OperationName
}

// explain turns an AWS failure into one plain sentence and its fix. profile
// is named in the SSO fix so the command can be pasted as is.
func explain(err error, profile string) (sentence, fix string) {
	switch classify(err) {
	case problemNoCredentials:
		return "No AWS credentials were found (environment, ~/.aws files, SSO or instance role).",
			"Run `aws configure` or `aws configure sso`, or set AWS_PROFILE; or run the lab offline with `gdlab --sandbox`."
	case problemExpiredSSO:
		p := profile
		if p == "" {
			p = "<your-profile>"
		}
		return "The AWS SSO session has expired, so the credentials cannot be refreshed.",
			fmt.Sprintf("Run `aws sso login --profile %s` and try again.", p)
	case problemExpiredCredentials:
		return "The AWS credentials have expired.",
			"Refresh them (for SSO: `aws sso login`; for temporary keys: get new ones) and try again."
	case problemInvalidCredentials:
		return "AWS rejected the credentials: the access key is unknown or the secret does not match.",
			"Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile's keys with `aws sts get-caller-identity`."
	case problemAccessDenied:
		action := apiAction(err)
		if action == "" {
			action = "this call"
		}
		return fmt.Sprintf("Access denied: the identity may not call %s.", action),
			fmt.Sprintf("Grant %s to the user or role (the lab expects an administrator-like identity in a sandbox account).", action)
	case problemUnreachable:
		return "The AWS endpoint could not be reached: " + rootCause(err) + ".",
			"Check the region name and the network (proxy, VPN, DNS)."
	default:
		return rootCause(err) + ".", ""
	}
}

// rootCause is the innermost error text, without the SDK's layers of
// "operation error …: https response error …" that read like a stack trace.
func rootCause(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if m := apiErr.ErrorMessage(); m != "" {
			return apiErr.ErrorCode() + ": " + strings.TrimSuffix(m, ".")
		}
		return apiErr.ErrorCode()
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return strings.TrimSuffix(err.Error(), ".")
		}
		err = next
	}
}

// errResult is the Result for a check whose AWS call failed for a reason
// other than the thing being absent.
func errResult(err error, command string) Result {
	sentence, fix := explain(err, "")
	return fail(sentence, fix, command)
}
