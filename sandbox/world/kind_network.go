package world

import (
	"net/http"
	"net/netip"
	"strings"
)

// VPC networking: vpc, subnet, internet gateway, route tables, security
// groups and their rules, flow logs.

func init() {
	register("aws_vpc", &kind{create: createVPC, remove: removeVPC})
	register("aws_subnet", &kind{create: createSubnet, remove: removeSubnet})
	register("aws_internet_gateway", &kind{create: createInternetGateway, update: updateVPCRef})
	register("aws_internet_gateway_attachment", &kind{create: func(tx *Tx, r *Resource) error {
		r.ID = Str(r.Attrs, "internet_gateway_id") + ":" + Str(r.Attrs, "vpc_id")
		return nil
	}})
	register("aws_route_table", &kind{create: createRouteTable, update: updateRouteTable})
	register("aws_route", &kind{create: createRoute})
	register("aws_route_table_association", &kind{create: createRouteTableAssociation})
	register("aws_security_group", &kind{create: createSecurityGroup, update: updateSecurityGroup, remove: removeSecurityGroup})
	register("aws_vpc_security_group_ingress_rule", &kind{create: createSecurityGroupRule})
	register("aws_vpc_security_group_egress_rule", &kind{create: createSecurityGroupRule})
	register("aws_security_group_rule", &kind{create: func(tx *Tx, r *Resource) error {
		if err := requireSG(tx, Str(r.Attrs, "security_group_id")); err != nil {
			return err
		}
		r.ID = "sgrule-" + randomHex(10)
		setDefault(r.Attrs, "security_group_rule_id", ec2ID("sgr"))
		return nil
	}})
	register("aws_flow_log", &kind{create: createFlowLog})
}

func ec2NotFound(code, format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, code, format, args...)
}

func requireVPC(tx *Tx, id string) (*Resource, error) {
	if vpc := tx.Find("aws_vpc", id); vpc != nil {
		return vpc, nil
	}
	if id == "" {
		return nil, errorf(http.StatusBadRequest, "VPCIdNotSpecified", "No default VPC for this user")
	}
	return nil, ec2NotFound("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
}

func requireSG(tx *Tx, id string) error {
	if tx.Find("aws_security_group", id) == nil && defaultSGOwner(tx.State, id) == nil {
		return ec2NotFound("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
	}
	return nil
}

// defaultSGOwner returns the VPC whose default security group has this id.
func defaultSGOwner(s *State, sgID string) *Resource {
	for _, v := range s.List("aws_vpc") {
		if Str(v.Attrs, "default_security_group_id") == sgID {
			return v
		}
	}
	return nil
}

func createVPC(tx *Tx, r *Resource) error {
	a := r.Attrs
	if cidr := Str(a, "cidr_block"); cidr != "" {
		p, err := netip.ParsePrefix(cidr)
		if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 {
			return ec2NotFound("InvalidVpc.Range", "The CIDR '%s' is invalid.", cidr)
		}
		a["cidr_block"] = p.Masked().String()
	} else if !present(a, "ipv4_ipam_pool_id") {
		a["cidr_block"] = "10.0.0.0/16"
	}
	r.ID = ec2ID("vpc")
	rtb := ec2ID("rtb")
	a["arn"] = tx.arn("ec2", "vpc/"+r.ID)
	a["owner_id"] = tx.Account
	a["default_network_acl_id"] = ec2ID("acl")
	a["default_route_table_id"] = rtb
	a["main_route_table_id"] = rtb
	a["default_security_group_id"] = ec2ID("sg")
	a["dhcp_options_id"] = ec2ID("dopt")
	setDefault(a, "enable_dns_support", true)
	setDefault(a, "enable_dns_hostnames", false)
	setDefault(a, "enable_network_address_usage_metrics", false)
	setDefault(a, "instance_tenancy", "default")
	setDefault(a, "assign_generated_ipv6_cidr_block", false)
	for _, k := range []string{"ipv6_association_id", "ipv6_cidr_block", "ipv6_cidr_block_network_border_group", "ipv6_ipam_pool_id"} {
		setDefault(a, k, "")
	}
	setDefault(a, "ipv6_netmask_length", 0)
	return nil
}

func removeVPC(tx *Tx, r *Resource) error {
	for _, typ := range []string{"aws_subnet", "aws_internet_gateway", "aws_security_group", "aws_route_table"} {
		for _, dep := range tx.List(typ) {
			if Str(dep.Attrs, "vpc_id") == r.ID {
				return errorf(http.StatusBadRequest, "DependencyViolation",
					"The vpc '%s' has dependencies and cannot be deleted.", r.ID)
			}
		}
	}
	tx.removeWhere("aws_flow_log", func(f *Resource) bool { return Str(f.Attrs, "vpc_id") == r.ID })
	return nil
}

// ZoneID turns a zone name into its AZ id (us-west-2a → usw2-az1).
func ZoneID(zone string) string { return zoneID(zone) }

// zoneID turns a zone name into an AZ id in AWS's style: us-west-2a → usw2-az1.
func zoneID(zone string) string {
	if zone == "" {
		return ""
	}
	region, letter := zone[:len(zone)-1], zone[len(zone)-1]
	parts := strings.Split(region, "-")
	short := ""
	if len(parts) == 3 {
		mid := parts[1]
		switch mid {
		case "southeast":
			mid = "se"
		case "northeast":
			mid = "ne"
		case "central":
			mid = "c"
		default:
			mid = mid[:1]
		}
		short = parts[0] + mid + parts[2]
	} else {
		short = strings.ReplaceAll(region, "-", "")
	}
	return short + "-az" + string(rune('1'+int(letter-'a')))
}

func createSubnet(tx *Tx, r *Resource) error {
	a := r.Attrs
	vpc, err := requireVPC(tx, Str(a, "vpc_id"))
	if err != nil {
		return err
	}
	cidr := Str(a, "cidr_block")
	p, err := netip.ParsePrefix(cidr)
	vpcPrefix, _ := netip.ParsePrefix(Str(vpc.Attrs, "cidr_block"))
	if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 || !vpcPrefix.Contains(p.Addr()) || p.Bits() < vpcPrefix.Bits() {
		return ec2NotFound("InvalidSubnet.Range", "The CIDR '%s' is invalid.", cidr)
	}
	p = p.Masked()
	for _, other := range tx.List("aws_subnet") {
		if Str(other.Attrs, "vpc_id") != vpc.ID {
			continue
		}
		op, err := netip.ParsePrefix(Str(other.Attrs, "cidr_block"))
		if err == nil && op.Overlaps(p) {
			return ec2NotFound("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", cidr)
		}
	}
	a["cidr_block"] = p.String()
	zone := Str(a, "availability_zone")
	if zone == "" {
		zone = tx.Region + "a"
	}
	if !validZone(tx.Region, zone) {
		return errorf(http.StatusBadRequest, "InvalidParameterValue",
			"Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.",
			zone, strings.Join(zoneNames(tx.Region), ", "))
	}
	r.ID = ec2ID("subnet")
	a["availability_zone"] = zone
	a["availability_zone_id"] = zoneID(zone)
	a["arn"] = tx.arn("ec2", "subnet/"+r.ID)
	a["owner_id"] = tx.Account
	for k, v := range map[string]any{
		"map_public_ip_on_launch": false, "assign_ipv6_address_on_creation": false, "enable_dns64": false,
		"enable_resource_name_dns_a_record_on_launch": false, "enable_resource_name_dns_aaaa_record_on_launch": false,
		"private_dns_hostname_type_on_launch": "ip-name", "ipv6_native": false, "ipv6_cidr_block": "",
		"ipv6_cidr_block_association_id": "", "customer_owned_ipv4_pool": "", "map_customer_owned_ip_on_launch": false,
		"outpost_arn": "", "enable_lni_at_device_index": 0,
	} {
		setDefault(a, k, v)
	}
	return nil
}

func removeSubnet(tx *Tx, r *Resource) error {
	for _, inst := range tx.List("aws_instance") {
		if Str(inst.Attrs, "subnet_id") == r.ID {
			return errorf(http.StatusBadRequest, "DependencyViolation",
				"The subnet '%s' has dependencies and cannot be deleted.", r.ID)
		}
	}
	tx.removeWhere("aws_route_table_association", func(x *Resource) bool { return Str(x.Attrs, "subnet_id") == r.ID })
	return nil
}

func createInternetGateway(tx *Tx, r *Resource) error {
	if id := Str(r.Attrs, "vpc_id"); id != "" {
		if _, err := requireVPC(tx, id); err != nil {
			return err
		}
	}
	r.ID = ec2ID("igw")
	r.Attrs["arn"] = tx.arn("ec2", "internet-gateway/"+r.ID)
	r.Attrs["owner_id"] = tx.Account
	setDefault(r.Attrs, "vpc_id", "")
	return nil
}

func updateVPCRef(tx *Tx, old map[string]any, r *Resource) error {
	if id := Str(r.Attrs, "vpc_id"); id != "" {
		_, err := requireVPC(tx, id)
		return err
	}
	return nil
}

// routeFields are the attributes of one inline route; unset ones are "".
var routeFields = []string{"cidr_block", "ipv6_cidr_block", "destination_prefix_list_id", "carrier_gateway_id",
	"core_network_arn", "egress_only_gateway_id", "gateway_id", "local_gateway_id", "nat_gateway_id",
	"network_interface_id", "transit_gateway_id", "vpc_endpoint_id", "vpc_peering_connection_id"}

func normaliseRoutes(a map[string]any) {
	routes := Blocks(a, "route")
	out := make([]any, 0, len(routes))
	for _, rt := range routes {
		for _, f := range routeFields {
			setDefault(rt, f, "")
		}
		out = append(out, rt)
	}
	a["route"] = out
}

func createRouteTable(tx *Tx, r *Resource) error {
	if _, err := requireVPC(tx, Str(r.Attrs, "vpc_id")); err != nil {
		return err
	}
	if err := checkRouteTargets(tx, Blocks(r.Attrs, "route")); err != nil {
		return err
	}
	r.ID = ec2ID("rtb")
	r.Attrs["arn"] = tx.arn("ec2", "route-table/"+r.ID)
	r.Attrs["owner_id"] = tx.Account
	setDefault(r.Attrs, "propagating_vgws", []any{})
	normaliseRoutes(r.Attrs)
	return nil
}

func updateRouteTable(tx *Tx, old map[string]any, r *Resource) error {
	if err := checkRouteTargets(tx, Blocks(r.Attrs, "route")); err != nil {
		return err
	}
	normaliseRoutes(r.Attrs)
	return nil
}

func checkRouteTargets(tx *Tx, routes []map[string]any) error {
	for _, rt := range routes {
		if gw := Str(rt, "gateway_id"); gw != "" && gw != "local" && tx.Find("aws_internet_gateway", gw) == nil {
			return ec2NotFound("InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist", gw)
		}
	}
	return nil
}

func createRoute(tx *Tx, r *Resource) error {
	rtb := Str(r.Attrs, "route_table_id")
	if tx.Find("aws_route_table", rtb) == nil && !isMainRouteTable(tx.State, rtb) {
		return ec2NotFound("InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist", rtb)
	}
	if err := checkRouteTargets(tx, []map[string]any{r.Attrs}); err != nil {
		return err
	}
	dest := Str(r.Attrs, "destination_cidr_block")
	r.ID = "r-" + rtb + hashString(dest)
	r.Attrs["origin"] = "CreateRoute"
	r.Attrs["state"] = "active"
	return nil
}

func isMainRouteTable(s *State, id string) bool {
	for _, v := range s.List("aws_vpc") {
		if Str(v.Attrs, "main_route_table_id") == id {
			return true
		}
	}
	return false
}

func createRouteTableAssociation(tx *Tx, r *Resource) error {
	rtb := Str(r.Attrs, "route_table_id")
	if tx.Find("aws_route_table", rtb) == nil && !isMainRouteTable(tx.State, rtb) {
		return ec2NotFound("InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist", rtb)
	}
	if subnet := Str(r.Attrs, "subnet_id"); subnet != "" {
		if tx.Find("aws_subnet", subnet) == nil {
			return ec2NotFound("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", subnet)
		}
		if tx.FindBy("aws_route_table_association", "subnet_id", subnet) != nil {
			return ec2NotFound("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association", rtb)
		}
	}
	r.ID = ec2ID("rtbassoc")
	setDefault(r.Attrs, "gateway_id", "")
	setDefault(r.Attrs, "subnet_id", "")
	return nil
}

// sgRuleFields are the list attributes of an inline security group rule.
func normaliseSGRules(a map[string]any) {
	for _, dir := range []string{"ingress", "egress"} {
		rules := Blocks(a, dir)
		out := make([]any, 0, len(rules))
		for _, rule := range rules {
			for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"} {
				setDefault(rule, k, []any{})
			}
			setDefault(rule, "self", false)
			setDefault(rule, "description", "")
			out = append(out, rule)
		}
		a[dir] = out
	}
}

func createSecurityGroup(tx *Tx, r *Resource) error {
	a := r.Attrs
	vpc, err := requireVPC(tx, Str(a, "vpc_id"))
	if err != nil {
		return err
	}
	name := nameOrPrefix(a, "name")
	if strings.HasPrefix(strings.ToLower(name), "sg-") {
		return errorf(http.StatusBadRequest, "InvalidParameterValue", "Group names may not be in the format sg-*")
	}
	if name == "default" {
		return errorf(http.StatusBadRequest, "InvalidGroup.Reserved", "The security group 'default' is reserved")
	}
	for _, sg := range tx.List("aws_security_group") {
		if Str(sg.Attrs, "vpc_id") == vpc.ID && Str(sg.Attrs, "name") == name {
			return ec2NotFound("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpc.ID)
		}
	}
	r.ID = ec2ID("sg")
	setDefault(a, "description", "Managed by Terraform")
	setDefault(a, "name_prefix", "")
	setDefault(a, "revoke_rules_on_delete", false)
	a["arn"] = tx.arn("ec2", "security-group/"+r.ID)
	a["owner_id"] = tx.Account
	normaliseSGRules(a)
	return nil
}

func updateSecurityGroup(tx *Tx, old map[string]any, r *Resource) error {
	normaliseSGRules(r.Attrs)
	return nil
}

func removeSecurityGroup(tx *Tx, r *Resource) error {
	for _, inst := range tx.List("aws_instance") {
		for _, g := range Strs(inst.Attrs, "vpc_security_group_ids") {
			if g == r.ID {
				return errorf(http.StatusBadRequest, "DependencyViolation",
					"resource %s has a dependent object", r.ID)
			}
		}
	}
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"} {
		tx.removeWhere(typ, func(x *Resource) bool { return Str(x.Attrs, "security_group_id") == r.ID })
	}
	return nil
}

func createSecurityGroupRule(tx *Tx, r *Resource) error {
	a := r.Attrs
	if err := requireSG(tx, Str(a, "security_group_id")); err != nil {
		return err
	}
	targets := 0
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"} {
		if present(a, k) {
			targets++
		}
	}
	if targets != 1 {
		return errorf(http.StatusBadRequest, "InvalidParameterValue",
			"exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id must be given")
	}
	if ref := Str(a, "referenced_security_group_id"); ref != "" {
		if err := requireSG(tx, ref); err != nil {
			return err
		}
	}
	r.ID = ec2ID("sgr")
	a["security_group_rule_id"] = r.ID
	a["arn"] = tx.arn("ec2", "security-group-rule/"+r.ID)
	return nil
}

func createFlowLog(tx *Tx, r *Resource) error {
	a := r.Attrs
	sources := 0
	for typ, attr := range map[string]string{"aws_vpc": "vpc_id", "aws_subnet": "subnet_id", "": "eni_id"} {
		id := Str(a, attr)
		if id == "" {
			continue
		}
		sources++
		if typ != "" && tx.Find(typ, id) == nil {
			return ec2NotFound("InvalidParameterValue", "%s %s does not exist", attr, id)
		}
	}
	if sources == 0 && !present(a, "transit_gateway_id") && !present(a, "transit_gateway_attachment_id") {
		return errorf(http.StatusBadRequest, "MissingParameter", "One of ResourceIds must be specified")
	}
	traffic := Str(a, "traffic_type")
	if traffic != "" && traffic != "ACCEPT" && traffic != "REJECT" && traffic != "ALL" {
		return errorf(http.StatusBadRequest, "InvalidParameterValue", "Invalid traffic type %q", traffic)
	}
	setDefault(a, "log_destination_type", "cloud-watch-logs")
	if Str(a, "log_destination_type") == "s3" {
		dest := Str(a, "log_destination")
		bucket, _, _ := strings.Cut(strings.TrimPrefix(dest, "arn:aws:s3:::"), "/")
		if !strings.HasPrefix(dest, "arn:aws:s3:::") || tx.Find("aws_s3_bucket", bucket) == nil {
			return errorf(http.StatusBadRequest, "InvalidParameterValue", "LogDestination: %s does not exist.", bucket)
		}
	}
	interval := Num(a, "max_aggregation_interval", 600)
	if interval != 60 && interval != 600 {
		return errorf(http.StatusBadRequest, "InvalidParameterValue", "max_aggregation_interval must be 60 or 600")
	}
	a["max_aggregation_interval"] = interval
	r.ID = ec2ID("fl")
	a["arn"] = tx.arn("ec2", "vpc-flow-log/"+r.ID)
	setDefault(a, "log_format", DefaultFlowLogFormat)
	for _, k := range []string{"deliver_cross_account_role", "iam_role_arn", "eni_id", "subnet_id", "vpc_id", "transit_gateway_id", "transit_gateway_attachment_id", "log_destination"} {
		setDefault(a, k, "")
	}
	return nil
}

// DefaultFlowLogFormat is the VPC flow log default (version 2) format.
const DefaultFlowLogFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
