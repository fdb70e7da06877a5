package lambda

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fakeEC2 is an in-memory EC2 holding instances and their groups.
type fakeEC2 struct {
	groups      map[string][]GroupRef // instance id -> groups
	describeErr error
	modifyErr   error
	onDescribe  func() // runs inside DescribeInstances, e.g. to cancel the context

	describes int
	modifies  []*ec2.ModifyInstanceAttributeInput
}

func (f *fakeEC2) DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	f.describes++
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.onDescribe != nil {
		f.onDescribe()
	}
	if f.describeErr != nil {
		return nil, f.describeErr
	}
	var res ec2types.Reservation
	for _, id := range in.InstanceIds {
		groups, ok := f.groups[id]
		if !ok {
			continue
		}
		inst := ec2types.Instance{InstanceId: aws.String(id)}
		for _, g := range groups {
			inst.SecurityGroups = append(inst.SecurityGroups, ec2types.GroupIdentifier{GroupId: aws.String(g.ID), GroupName: aws.String(g.Name)})
		}
		res.Instances = append(res.Instances, inst)
	}
	return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{res}}, nil
}

func (f *fakeEC2) ModifyInstanceAttribute(ctx context.Context, in *ec2.ModifyInstanceAttributeInput, _ ...func(*ec2.Options)) (*ec2.ModifyInstanceAttributeOutput, error) {
	f.modifies = append(f.modifies, in)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.modifyErr != nil {
		return nil, f.modifyErr
	}
	id := aws.ToString(in.InstanceId)
	var groups []GroupRef
	for _, g := range in.Groups {
		groups = append(groups, GroupRef{ID: g})
	}
	f.groups[id] = groups
	return &ec2.ModifyInstanceAttributeOutput{}, nil
}

// fakeSNS records what was published.
type fakeSNS struct {
	err       error
	published []*sns.PublishInput
}

func (f *fakeSNS) Publish(ctx context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	f.published = append(f.published, in)
	if f.err != nil {
		return nil, f.err
	}
	return &sns.PublishOutput{MessageId: aws.String("msg-1")}, nil
}

// AWS errors as the SDK returns them.
func apiError(code string, fault smithy.ErrorFault) error {
	return &smithy.OperationError{ServiceID: "EC2", OperationName: "Op",
		Err: &smithy.GenericAPIError{Code: code, Message: code + " happened", Fault: fault}}
}

func httpStatusError(status int) error {
	return &smithy.OperationError{ServiceID: "EC2", OperationName: "Op",
		Err: &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      errors.New("status " + http.StatusText(status)),
		}}}
}

var (
	errThrottled   = apiError("RequestLimitExceeded", smithy.FaultClient)
	errUnavailable = httpStatusError(http.StatusServiceUnavailable)
	errServerFault = apiError("InternalError", smithy.FaultServer)
	errDenied      = apiError("UnauthorizedOperation", smithy.FaultClient)
	errNoGroup     = apiError("InvalidGroup.NotFound", smithy.FaultClient)
)
