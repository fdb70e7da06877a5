package probe

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Instance Name tags, as the tutorial names them (docs/architecture.md).
const (
	CompromisedInstanceName = "IAC-Tutorial: Compromised Instance"
	MaliciousInstanceName   = "IAC-Tutorial: Malicious Instance"
)

func init() {
	register(
		Check{ID: "network.vpc", Step: StepNetwork, Title: "VPC is available",
			Needs: []string{"vpc_id"}, run: checkVPC},
		Check{ID: "compute.compromised-instance", Step: StepNetwork, Title: "Compromised instance is running",
			Needs: []string{"compromised_instance_id", "initial_sg_id"}, run: checkCompromisedInstance},
		Check{ID: "compute.malicious-instance", Step: StepNetwork, Title: "Malicious instance is running",
			Needs: []string{"malicious_instance_id"}, run: checkMaliciousInstance},
		Check{ID: "compute.malicious-eip", Step: StepNetwork, Title: "Elastic IP is on the malicious instance",
			Needs: []string{"malicious_eip_allocation_id", "malicious_instance_id", "malicious_ip"}, run: checkMaliciousEIP},
	)
}

func checkVPC(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws ec2 describe-vpcs --vpc-ids " + out.VPCID
	resp, err := p.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{out.VPCID}})
	if err != nil {
		if isNotFound(err) {
			return fail("VPC "+out.VPCID+" does not exist.", "Re-apply step 2; something deleted the VPC outside terraform.", command)
		}
		return errResult(err, command)
	}
	if len(resp.Vpcs) == 0 {
		return fail("VPC "+out.VPCID+" does not exist.", "Re-apply step 2.", command)
	}
	v := resp.Vpcs[0]
	if v.State != ec2types.VpcStateAvailable {
		return pending(fmt.Sprintf("VPC %s is %s.", out.VPCID, v.State), "Wait a few seconds and verify again.", command)
	}
	return pass(fmt.Sprintf("VPC %s (%s) is available.", out.VPCID, aws.ToString(v.CidrBlock)), command)
}

// describeInstance returns the instance, nil when it does not exist.
func (p *Prober) describeInstance(ctx context.Context, id string) (*ec2types.Instance, error) {
	resp, err := p.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	for _, r := range resp.Reservations {
		for i := range r.Instances {
			if aws.ToString(r.Instances[i].InstanceId) == id {
				return &r.Instances[i], nil
			}
		}
	}
	return nil, nil
}

func instanceCommand(id string) string {
	return "aws ec2 describe-instances --instance-ids " + id +
		" --query 'Reservations[].Instances[].{state:State.Name,name:Tags[?Key==`Name`]|[0].Value,groups:SecurityGroups[].GroupId,publicIp:PublicIpAddress}'"
}

func tagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func instanceGroupIDs(inst *ec2types.Instance) []string {
	var ids []string
	for _, g := range inst.SecurityGroups {
		ids = append(ids, aws.ToString(g.GroupId))
	}
	slices.Sort(ids)
	return ids
}

// checkRunningInstance is the shared part: exists, right name, running.
func checkRunningInstance(ctx context.Context, p *Prober, id, wantName string) (*ec2types.Instance, Result) {
	command := instanceCommand(id)
	inst, err := p.describeInstance(ctx, id)
	if err != nil {
		return nil, errResult(err, command)
	}
	if inst == nil {
		return nil, fail("Instance "+id+" does not exist.", "Re-apply step 2.", command)
	}
	if name := tagValue(inst.Tags, "Name"); name != wantName {
		return inst, fail(fmt.Sprintf("Instance %s is named %q, not %q.", id, name, wantName),
			"Check the Name tag in the compute module.", command)
	}
	state := ec2types.InstanceStateName("")
	if inst.State != nil {
		state = inst.State.Name
	}
	switch state {
	case ec2types.InstanceStateNameRunning:
		return inst, Result{}
	case ec2types.InstanceStateNamePending:
		return inst, pending(fmt.Sprintf("Instance %s is still starting.", id), "Verify again in a minute.", command)
	default:
		return inst, fail(fmt.Sprintf("Instance %s is %s, not running.", id, state),
			fmt.Sprintf("Start it with `aws ec2 start-instances --instance-ids %s`, or re-apply step 2 if it is terminated.", id), command)
	}
}

func checkCompromisedInstance(ctx context.Context, p *Prober, out Outputs) Result {
	inst, r := checkRunningInstance(ctx, p, out.CompromisedInstanceID, CompromisedInstanceName)
	if r.Status != "" {
		return r
	}
	command := instanceCommand(out.CompromisedInstanceID)
	groups := instanceGroupIDs(inst)
	if out.ForensicSGID != "" && slices.Equal(groups, []string{out.ForensicSGID}) {
		return warn(fmt.Sprintf("Instance %s is running but already isolated in the forensic group %s.", out.CompromisedInstanceID, out.ForensicSGID),
			"The Lambda has already acted; this is expected after step 9.", command)
	}
	if !slices.Contains(groups, out.InitialSGID) {
		return fail(fmt.Sprintf("Instance %s is running but its groups %v do not include the initial group %s.", out.CompromisedInstanceID, groups, out.InitialSGID),
			"Re-apply step 2 to restore the initial security group.", command)
	}
	if aws.ToString(inst.PublicIpAddress) == "" {
		return fail(fmt.Sprintf("Instance %s has no public IP, so its pings cannot reach the EIP and GuardDuty sees nothing.", out.CompromisedInstanceID),
			"Give the subnet map_public_ip_on_launch or the instance associate_public_ip_address, and re-apply step 2.", command)
	}
	return pass(fmt.Sprintf("Instance %s is running in %s with public IP %s.", out.CompromisedInstanceID, out.InitialSGID, aws.ToString(inst.PublicIpAddress)), command)
}

func checkMaliciousInstance(ctx context.Context, p *Prober, out Outputs) Result {
	_, r := checkRunningInstance(ctx, p, out.MaliciousInstanceID, MaliciousInstanceName)
	if r.Status != "" {
		return r
	}
	return pass(fmt.Sprintf("Instance %s is running.", out.MaliciousInstanceID), instanceCommand(out.MaliciousInstanceID))
}

func checkMaliciousEIP(ctx context.Context, p *Prober, out Outputs) Result {
	command := "aws ec2 describe-addresses --allocation-ids " + out.MaliciousEIPAllocationID
	resp, err := p.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{out.MaliciousEIPAllocationID}})
	if err != nil {
		if isNotFound(err) {
			return fail("Elastic IP "+out.MaliciousEIPAllocationID+" does not exist.", "Re-apply step 2.", command)
		}
		return errResult(err, command)
	}
	if len(resp.Addresses) == 0 {
		return fail("Elastic IP "+out.MaliciousEIPAllocationID+" does not exist.", "Re-apply step 2.", command)
	}
	a := resp.Addresses[0]
	ip, attached := aws.ToString(a.PublicIp), aws.ToString(a.InstanceId)
	if attached != out.MaliciousInstanceID {
		where := "no instance"
		if attached != "" {
			where = attached
		}
		return fail(fmt.Sprintf("Elastic IP %s is attached to %s, not to the malicious instance %s.", ip, where, out.MaliciousInstanceID),
			"Re-apply step 2 so aws_eip's instance argument points at the malicious instance.", command)
	}
	if ip != out.MaliciousIP {
		return fail(fmt.Sprintf("Elastic IP is %s but terraform says %s.", ip, out.MaliciousIP),
			"Run `terraform refresh` in the lab folder; the threat list must hold the real address.", command)
	}
	return pass(fmt.Sprintf("Elastic IP %s is attached to the malicious instance %s.", ip, out.MaliciousInstanceID), command)
}
