package terraform

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func TestHintFor(t *testing.T) {
	tests := []struct {
		name    string
		summary string
		detail  string
		want    []string // substrings the hint must contain; nil: no hint
	}{
		{
			name:    "detector already exists",
			summary: "creating GuardDuty Detector: operation error GuardDuty: CreateDetector, https response error StatusCode: 400, RequestID: 6b1c2f9e-3d0a-4b5e-9a51-2f0f6f3c1d7a, BadRequestException: The request is rejected because a detector already exists for the current account.",
			want:    []string{"existing_detector_id", "reuses"},
		},
		{
			name:    "bucket name taken",
			summary: "creating S3 Bucket (gdlab-ab12cd34-threatlist-123456789012): operation error S3: CreateBucket, https response error StatusCode: 409, RequestID: 8Q5ZKZ3K9W1T, HostID: 3nWf1x==, BucketAlreadyExists: ",
			want:    []string{"bucket names are global", "new lab id"},
		},
		{
			name:    "bucket owned by you",
			summary: "creating S3 Bucket (gdlab-ab12cd34-flowlogs-123456789012): operation error S3: CreateBucket, https response error StatusCode: 409, RequestID: X, HostID: Y, BucketAlreadyOwnedByYou: Your previous request to create the named bucket succeeded and you already own it.",
			want:    []string{"already has this bucket"},
		},
		{
			name:    "invalid token",
			summary: "Retrieving AWS account details: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 1f2e, api error InvalidClientTokenId: The security token included in the request is invalid.",
			want:    []string{"credentials", "aws sts get-caller-identity"},
		},
		{
			name:    "expired token",
			summary: "Retrieving AWS account details: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 9a, api error ExpiredToken: The security token included in the request is expired",
			want:    []string{"expired", "aws sso login"},
		},
		{
			name:    "sso session expired",
			summary: "No valid credential sources found",
			detail:  "Please see https://registry.terraform.io/providers/hashicorp/aws\nfor more information about providing credentials.\n\nError: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken, https response error StatusCode: 400, RequestID: 4c, InvalidGrantException: ",
			want:    []string{"aws sso login"},
		},
		{
			name:    "unauthorized operation names the action",
			summary: "creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 403, RequestID: 0d9e, api error UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/learner is not authorized to perform: ec2:CreateVpc because no identity-based policy allows the ec2:CreateVpc action. Encoded authorization failure message: AbCdEf",
			want:    []string{"ec2:CreateVpc"},
		},
		{
			name:    "access denied iam",
			summary: "creating IAM Role (gdlab-ab12cd34-remediation): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: 77, api error AccessDenied: User: arn:aws:iam::123456789012:user/learner is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/gdlab-ab12cd34-remediation because no identity-based policy allows the iam:CreateRole action",
			want:    []string{"iam:CreateRole"},
		},
		{
			name:    "access denied without action text falls back to the operation",
			summary: "creating EventBridge Rule (gdlab-ab12cd34-ec2-finding): operation error EventBridge: PutRule, https response error StatusCode: 400, RequestID: 5, api error AccessDeniedException: Access denied",
			want:    []string{"events:PutRule"},
		},
		{
			name:    "eip quota",
			summary: "allocating EC2 EIP: operation error EC2: AllocateAddress, https response error StatusCode: 400, RequestID: 2, api error AddressLimitExceeded: The maximum number of addresses has been reached.",
			want:    []string{"Elastic IP quota"},
		},
		{
			name:    "instance quota",
			summary: "creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 3, api error InstanceLimitExceeded: You have requested more instances (1) than your current instance limit of 0 allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
			want:    []string{"instance/vCPU quota"},
		},
		{
			name:    "vcpu quota",
			summary: "creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 3, api error VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket that the specified instance type belongs to.",
			want:    []string{"instance/vCPU quota"},
		},
		{
			name:    "unsupported instance type in az",
			summary: "creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 4, api error Unsupported: Your requested instance type (t2.micro) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.",
			want:    []string{"t2.micro", "us-east-1e", "us-east-1a"},
		},
		{
			name:    "throttling",
			summary: "reading SNS Topic Policy (arn:aws:sns:us-west-2:123456789012:gdlab-ab12cd34-alerts): operation error SNS: GetTopicAttributes, exceeded maximum number of attempts, 25, https response error StatusCode: 400, RequestID: 6, api error Throttling: Rate exceeded",
			want:    []string{"throttled"},
		},
		{
			name:    "request limit exceeded",
			summary: "reading EC2 Instance (i-0abc): operation error EC2: DescribeInstances, https response error StatusCode: 503, RequestID: 7, api error RequestLimitExceeded: Request limit exceeded.",
			want:    []string{"throttled"},
		},
		{
			name:    "unrelated diagnostic has no hint",
			summary: "local-exec provisioner error",
			detail:  "Error running command 'exit 3': exit status 3. Output: ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HintFor(tfjson.Diagnostic{Severity: tfjson.DiagnosticSeverityError, Summary: tt.summary, Detail: tt.detail})
			if tt.want == nil {
				if got != "" {
					t.Fatalf("HintFor = %q, want no hint", got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HintFor = %q, want it to contain %q", got, w)
				}
			}
			if strings.Contains(got, "\n") {
				t.Errorf("hint spans lines: %q", got)
			}
		})
	}
}
