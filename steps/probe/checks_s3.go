package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func init() {
	register(
		Check{ID: "s3.threat-list-bucket", Step: StepS3, Title: "Threat-list bucket is private and encrypted",
			Needs: []string{"threat_list_bucket"}, run: func(ctx context.Context, p *Prober, out Outputs) Result {
				return checkPrivateBucket(ctx, p, out.ThreatListBucket)
			}},
		Check{ID: "s3.flow-log-bucket", Step: StepS3, Title: "Flow-log bucket is private and encrypted",
			Needs: []string{"flow_log_bucket"}, run: func(ctx context.Context, p *Prober, out Outputs) Result {
				return checkPrivateBucket(ctx, p, out.FlowLogBucket)
			}},
		Check{ID: "s3.flow-log", Step: StepS3, Title: "VPC flow log is active and delivers to S3",
			Needs: []string{"flow_log_id", "flow_log_bucket", "vpc_id"}, run: checkFlowLog},
	)
}

// publicGrantees are the ACL groups that make a bucket readable by others.
var publicGrantees = []string{
	"http://acs.amazonaws.com/groups/global/AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}

func checkPrivateBucket(ctx context.Context, p *Prober, bucket string) Result {
	command := "aws s3api get-public-access-block --bucket " + bucket + " && aws s3api get-bucket-encryption --bucket " + bucket
	const blockHint = "Add aws_s3_bucket_public_access_block with all four settings true and re-apply step 3."

	pab, err := p.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
	if err != nil {
		if isNoSuchBucket(err) {
			return fail("Bucket "+bucket+" does not exist.", "Re-apply step 3.", command)
		}
		if !isNotFound(err) {
			return errResult(err, command)
		}
		return fail("Bucket "+bucket+" has no public access block.", blockHint, command)
	}
	if c := pab.PublicAccessBlockConfiguration; c == nil || !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.IgnorePublicAcls) ||
		!aws.ToBool(c.BlockPublicPolicy) || !aws.ToBool(c.RestrictPublicBuckets) {
		return fail("Bucket "+bucket+" does not block all public access.", blockHint, command)
	}

	acl, err := p.s3.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String(bucket)})
	if err != nil {
		return errResult(err, command)
	}
	for _, g := range acl.Grants {
		if g.Grantee != nil && g.Grantee.Type == s3types.TypeGroup {
			for _, public := range publicGrantees {
				if aws.ToString(g.Grantee.URI) == public {
					return fail(fmt.Sprintf("Bucket %s grants %s to %s.", bucket, g.Permission, public[strings.LastIndexByte(public, '/')+1:]),
						"Remove the public ACL (the threat list never needs to be public) and re-apply step 3.", command)
				}
			}
		}
	}

	enc, err := p.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
	if err != nil {
		if isNotFound(err) {
			return fail("Bucket "+bucket+" has no default encryption.",
				"Add aws_s3_bucket_server_side_encryption_configuration with AES256 and re-apply step 3.", command)
		}
		return errResult(err, command)
	}
	algorithm := ""
	if enc.ServerSideEncryptionConfiguration != nil {
		for _, rule := range enc.ServerSideEncryptionConfiguration.Rules {
			if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
				algorithm = string(d.SSEAlgorithm)
			}
		}
	}
	if algorithm == "" {
		return fail("Bucket "+bucket+" has no default encryption.",
			"Add aws_s3_bucket_server_side_encryption_configuration with AES256 and re-apply step 3.", command)
	}
	return pass(fmt.Sprintf("Bucket %s blocks public access and encrypts with %s.", bucket, algorithm), command)
}

func isNoSuchBucket(err error) bool {
	return err != nil && strings.Contains(err.Error(), "NoSuchBucket")
}

func checkFlowLog(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws ec2 describe-flow-logs --flow-log-ids " + out.FlowLogID
	resp, err := p.ec2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{out.FlowLogID}})
	if err != nil {
		return errResult(err, command)
	}
	if len(resp.FlowLogs) == 0 {
		return fail("Flow log "+out.FlowLogID+" does not exist.", "Re-apply step 3.", command)
	}
	fl := resp.FlowLogs[0]
	if got := aws.ToString(fl.ResourceId); got != out.VPCID {
		return fail(fmt.Sprintf("Flow log %s watches %s, not the lab VPC %s.", out.FlowLogID, got, out.VPCID),
			"Set vpc_id on aws_flow_log to the lab VPC and re-apply step 3.", command)
	}
	if fl.LogDestinationType != ec2types.LogDestinationTypeS3 || !strings.Contains(aws.ToString(fl.LogDestination), ":::"+out.FlowLogBucket) {
		return fail(fmt.Sprintf("Flow log %s delivers to %s, not to bucket %s.", out.FlowLogID, aws.ToString(fl.LogDestination), out.FlowLogBucket),
			"Set log_destination_type = \"s3\" and log_destination to the flow-log bucket's ARN.", command)
	}
	if status := aws.ToString(fl.FlowLogStatus); status != "ACTIVE" {
		return fail(fmt.Sprintf("Flow log %s is %s.", out.FlowLogID, status), "Re-apply step 3.", command)
	}
	if ds := aws.ToString(fl.DeliverLogsStatus); ds != "" && ds != "SUCCESS" {
		return fail(fmt.Sprintf("Flow log %s is active but delivery reports %s: %s.", out.FlowLogID, ds, aws.ToString(fl.DeliverLogsErrorMessage)),
			"Check the bucket policy lets delivery.logs.amazonaws.com write (AWS adds it unless a managed bucket policy overwrote it).", command)
	}
	return pass(fmt.Sprintf("Flow log %s is active, %s traffic of %s to s3://%s.", out.FlowLogID, fl.TrafficType, out.VPCID, out.FlowLogBucket), command)
}
