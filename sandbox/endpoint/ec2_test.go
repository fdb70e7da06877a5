package endpoint

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// labWorld creates the lab's network and instances through the private API.
type labIDs struct {
	vpc, subnet, sg, forensicSG, victim, malicious, eip, flowLog, bucket string
}

func buildLab(t *testing.T, s *Server) labIDs {
	t.Helper()
	var l labIDs
	tags := map[string]any{"gdlab:lab": "abc12345"}
	l.vpc, _ = create(t, s, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/24", "enable_dns_hostnames": true, "tags": tags, "tags_all": tags})
	l.subnet, _ = create(t, s, "aws_subnet", map[string]any{"vpc_id": l.vpc, "cidr_block": "10.0.0.0/26", "map_public_ip_on_launch": true, "tags_all": tags})
	igw, _ := create(t, s, "aws_internet_gateway", map[string]any{"vpc_id": l.vpc, "tags_all": tags})
	rtb, _ := create(t, s, "aws_route_table", map[string]any{"vpc_id": l.vpc, "route": []any{map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": igw}}, "tags_all": tags})
	create(t, s, "aws_route_table_association", map[string]any{"route_table_id": rtb, "subnet_id": l.subnet})
	l.sg, _ = create(t, s, "aws_security_group", map[string]any{"name": "INITIAL_SG", "vpc_id": l.vpc, "tags_all": tags,
		"egress":  []any{map[string]any{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": []any{"0.0.0.0/0"}}},
		"ingress": []any{map[string]any{"from_port": -1, "to_port": -1, "protocol": "icmp", "cidr_blocks": []any{"10.0.0.0/24"}}}})
	l.forensicSG, _ = create(t, s, "aws_security_group", map[string]any{"name": "FORENSIC_SG", "vpc_id": l.vpc, "tags_all": tags})
	ami := world.Images("us-west-2")[0].ID
	l.victim, _ = create(t, s, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro", "subnet_id": l.subnet,
		"vpc_security_group_ids": []any{l.sg}, "tags_all": map[string]any{"gdlab:lab": "abc12345", "Name": "IAC-Tutorial: Compromised Instance"}})
	l.malicious, _ = create(t, s, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro", "subnet_id": l.subnet,
		"vpc_security_group_ids": []any{l.sg}, "tags_all": map[string]any{"gdlab:lab": "abc12345", "Name": "IAC-Tutorial: Malicious Instance"}})
	l.eip, _ = create(t, s, "aws_eip", map[string]any{"domain": "vpc", "instance": l.malicious, "tags_all": tags})
	l.bucket, _ = create(t, s, "aws_s3_bucket", map[string]any{"bucket": "gdlab-abc12345-flow-logs-123456789012", "tags_all": tags})
	l.flowLog, _ = create(t, s, "aws_flow_log", map[string]any{"vpc_id": l.vpc, "traffic_type": "ALL", "log_destination_type": "s3",
		"log_destination": "arn:aws:s3:::" + l.bucket, "tags_all": tags})
	return l
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestEC2(t *testing.T) {
	s, _ := startSandbox(t)
	l := buildLab(t, s)
	c := ec2.NewFromConfig(sdkConfig(s))

	inst, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{l.victim}})
	if err != nil {
		t.Fatal(err)
	}
	i := inst.Reservations[0].Instances[0]
	if aws.ToString(i.InstanceId) != l.victim || i.State.Name != ec2types.InstanceStateNameRunning ||
		aws.ToString(i.PublicIpAddress) == "" || aws.ToString(i.SecurityGroups[0].GroupId) != l.sg ||
		aws.ToString(i.NetworkInterfaces[0].NetworkInterfaceId) == "" || len(i.Tags) != 2 {
		t.Errorf("instance %+v", i)
	}
	byTag, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{"IAC-Tutorial: Malicious*"}},
		{Name: aws.String("instance-state-name"), Values: []string{"running", "pending"}}}})
	if err != nil || len(byTag.Reservations) != 1 || aws.ToString(byTag.Reservations[0].Instances[0].InstanceId) != l.malicious {
		t.Errorf("filter by tag: %v %+v", err, byTag)
	}
	// Pagination: one instance per page.
	var pages, seen int
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		seen += len(out.Reservations)
	}
	if seen != 2 {
		t.Errorf("paged instances %d over %d pages", seen, pages)
	}

	if _, err := c.ModifyInstanceAttribute(ctx(t), &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(l.victim), Groups: []string{l.forensicSG}}); err != nil {
		t.Fatal(err)
	}
	after, _ := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{l.victim}})
	if g := after.Reservations[0].Instances[0].SecurityGroups; len(g) != 1 || aws.ToString(g[0].GroupId) != l.forensicSG || aws.ToString(g[0].GroupName) != "FORENSIC_SG" {
		t.Errorf("groups after isolation %+v", g)
	}

	sgs, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{l.sg}})
	if err != nil || len(sgs.SecurityGroups) != 1 || len(sgs.SecurityGroups[0].IpPermissionsEgress) != 1 ||
		aws.ToString(sgs.SecurityGroups[0].IpPermissionsEgress[0].IpProtocol) != "-1" ||
		aws.ToString(sgs.SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp) != "10.0.0.0/24" {
		t.Errorf("security group: %v %+v", err, sgs)
	}
	forensic, _ := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"FORENSIC_SG"}}}})
	if len(forensic.SecurityGroups) != 1 || len(forensic.SecurityGroups[0].IpPermissionsEgress) != 0 {
		t.Errorf("forensic group should have no rules: %+v", forensic.SecurityGroups)
	}
	vpcs, err := c.DescribeVpcs(ctx(t), &ec2.DescribeVpcsInput{VpcIds: []string{l.vpc}})
	if err != nil || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "10.0.0.0/24" {
		t.Errorf("vpcs %v %+v", err, vpcs)
	}
	subnets, err := c.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{l.vpc}}}})
	if err != nil || len(subnets.Subnets) != 1 || !aws.ToBool(subnets.Subnets[0].MapPublicIpOnLaunch) {
		t.Errorf("subnets %v %+v", err, subnets)
	}
	igws, err := c.DescribeInternetGateways(ctx(t), &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{l.vpc}}}})
	if err != nil || len(igws.InternetGateways) != 1 {
		t.Errorf("igws %v %+v", err, igws)
	}
	rtbs, err := c.DescribeRouteTables(ctx(t), &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{l.subnet}}}})
	if err != nil || len(rtbs.RouteTables) != 1 || len(rtbs.RouteTables[0].Routes) != 2 {
		t.Errorf("route tables %v %+v", err, rtbs)
	}
	addrs, err := c.DescribeAddresses(ctx(t), &ec2.DescribeAddressesInput{AllocationIds: []string{l.eip}})
	if err != nil || aws.ToString(addrs.Addresses[0].InstanceId) != l.malicious {
		t.Errorf("addresses %v %+v", err, addrs)
	}
	fls, err := c.DescribeFlowLogs(ctx(t), &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{l.vpc}}}})
	if err != nil || len(fls.FlowLogs) != 1 || aws.ToString(fls.FlowLogs[0].FlowLogStatus) != "ACTIVE" {
		t.Errorf("flow logs %v %+v", err, fls)
	}
	imgs, err := c.DescribeImages(ctx(t), &ec2.DescribeImagesInput{Owners: []string{"amazon"}, Filters: []ec2types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-2023.*-x86_64"}}}})
	if err != nil || len(imgs.Images) != 1 || aws.ToString(imgs.Images[0].Name) != "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64" {
		t.Errorf("images %v %+v", err, imgs)
	}
	azs, err := c.DescribeAvailabilityZones(ctx(t), &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(azs.AvailabilityZones) != 3 || aws.ToString(azs.AvailabilityZones[0].ZoneId) != "usw2-az1" {
		t.Errorf("zones %v %+v", err, azs)
	}
	regions, err := c.DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{RegionNames: []string{"us-west-2"}})
	if err != nil || len(regions.Regions) != 1 {
		t.Errorf("regions %v %+v", err, regions)
	}

	errCases := []struct {
		name string
		call func() error
		code string
	}{
		{"missing instance", func() error {
			_, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}, "InvalidInstanceID.NotFound"},
		{"malformed instance", func() error {
			_, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"bogus"}})
			return err
		}, "InvalidInstanceID.Malformed"},
		{"missing group", func() error {
			_, err := c.DescribeSecurityGroups(ctx(t), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})
			return err
		}, "InvalidGroup.NotFound"},
		{"bad filter", func() error {
			_, err := c.DescribeVpcs(ctx(t), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("nonsense"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue"},
		{"isolate to missing group", func() error {
			_, err := c.ModifyInstanceAttribute(ctx(t), &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(l.victim), Groups: []string{"sg-0123456789abcdef0"}})
			return err
		}, "InvalidGroup.NotFound"},
		{"unimplemented", func() error {
			_, err := c.RunInstances(ctx(t), &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidAction"},
	}
	for _, e := range errCases {
		if got := apiCode(e.call()); got != e.code {
			t.Errorf("%s: code %q, want %q", e.name, got, e.code)
		}
	}
}
