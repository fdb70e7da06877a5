package endpoint

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// XML shapes of EC2 describe answers (element names as in the EC2 API) and
// the builders that turn world resources into them.

type ec2Tag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func tagSet(r *world.Resource) []ec2Tag {
	tags := world.Tags(r)
	out := make([]ec2Tag, 0, len(tags))
	for _, k := range world.SortedKeys(tags) {
		out = append(out, ec2Tag{k, tags[k]})
	}
	return out
}

// baseFilters are the tag filters every taggable item supports.
func baseFilters(r *world.Resource, extra map[string][]string) map[string][]string {
	f := map[string][]string{"owner-id": {world.Account}}
	for k, v := range world.Tags(r) {
		f["tag:"+k] = []string{v}
		f["tag-key"] = append(f["tag-key"], k)
		f["tag-value"] = append(f["tag-value"], v)
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

type ec2State struct {
	State string `xml:"state"`
}

type vpcXML struct {
	VpcID           string       `xml:"vpcId"`
	OwnerID         string       `xml:"ownerId"`
	State           string       `xml:"state"`
	CidrBlock       string       `xml:"cidrBlock"`
	CidrAssociation []vpcCidrXML `xml:"cidrBlockAssociationSet>item"`
	DhcpOptionsID   string       `xml:"dhcpOptionsId"`
	InstanceTenancy string       `xml:"instanceTenancy"`
	IsDefault       bool         `xml:"isDefault"`
	Tags            []ec2Tag     `xml:"tagSet>item,omitempty"`
}

type vpcCidrXML struct {
	AssociationID string   `xml:"associationId"`
	CidrBlock     string   `xml:"cidrBlock"`
	State         ec2State `xml:"cidrBlockState"`
}

func vpcItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_vpc") {
		a := r.Attrs
		cidr := world.Str(a, "cidr_block")
		out = append(out, ec2Item{id: r.ID, filters: baseFilters(r, map[string][]string{
			"vpc-id": {r.ID}, "cidr": {cidr}, "cidr-block-association.cidr-block": {cidr}, "state": {"available"},
			"is-default": {"false"}, "dhcp-options-id": {world.Str(a, "dhcp_options_id")},
		}), xml: vpcXML{VpcID: r.ID, OwnerID: world.Account, State: "available", CidrBlock: cidr,
			CidrAssociation: []vpcCidrXML{{AssociationID: "vpc-cidr-assoc-" + r.ID[4:], CidrBlock: cidr, State: ec2State{"associated"}}},
			DhcpOptionsID:   world.Str(a, "dhcp_options_id"), InstanceTenancy: world.Str(a, "instance_tenancy"), Tags: tagSet(r)}})
	}
	return out
}

type subnetXML struct {
	SubnetID                string `xml:"subnetId"`
	SubnetArn               string `xml:"subnetArn"`
	State                   string `xml:"state"`
	VpcID                   string `xml:"vpcId"`
	OwnerID                 string `xml:"ownerId"`
	CidrBlock               string `xml:"cidrBlock"`
	AvailableIPAddressCount int    `xml:"availableIpAddressCount"`
	AvailabilityZone        string `xml:"availabilityZone"`
	AvailabilityZoneID      string `xml:"availabilityZoneId"`
	DefaultForAz            bool   `xml:"defaultForAz"`
	MapPublicIPOnLaunch     bool   `xml:"mapPublicIpOnLaunch"`
	AssignIpv6OnCreation    bool   `xml:"assignIpv6AddressOnCreation"`
	Ipv6Native              bool   `xml:"ipv6Native"`
	PrivateDNSNameOptions   struct {
		HostnameType  string `xml:"hostnameType"`
		DNSARecord    bool   `xml:"enableResourceNameDnsARecord"`
		DNSAAAARecord bool   `xml:"enableResourceNameDnsAAAARecord"`
	} `xml:"privateDnsNameOptionsOnLaunch"`
	Tags []ec2Tag `xml:"tagSet>item,omitempty"`
}

func subnetItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_subnet") {
		a := r.Attrs
		cidr := world.Str(a, "cidr_block")
		free := 0
		if p, err := netip.ParsePrefix(cidr); err == nil {
			free = (1 << (32 - p.Bits())) - 5
			for _, i := range s.List("aws_instance") {
				if world.Str(i.Attrs, "subnet_id") == r.ID {
					free--
				}
			}
		}
		x := subnetXML{SubnetID: r.ID, SubnetArn: world.Str(a, "arn"), State: "available", VpcID: world.Str(a, "vpc_id"),
			OwnerID: world.Account, CidrBlock: cidr, AvailableIPAddressCount: free,
			AvailabilityZone: world.Str(a, "availability_zone"), AvailabilityZoneID: world.Str(a, "availability_zone_id"),
			MapPublicIPOnLaunch: world.Bool(a, "map_public_ip_on_launch", false), Tags: tagSet(r)}
		x.PrivateDNSNameOptions.HostnameType = world.Str(a, "private_dns_hostname_type_on_launch")
		x.PrivateDNSNameOptions.DNSARecord = world.Bool(a, "enable_resource_name_dns_a_record_on_launch", false)
		x.PrivateDNSNameOptions.DNSAAAARecord = world.Bool(a, "enable_resource_name_dns_aaaa_record_on_launch", false)
		out = append(out, ec2Item{id: r.ID, filters: baseFilters(r, map[string][]string{
			"subnet-id": {r.ID}, "vpc-id": {world.Str(a, "vpc_id")}, "cidr-block": {cidr}, "state": {"available"},
			"availability-zone": {world.Str(a, "availability_zone")}, "availability-zone-id": {world.Str(a, "availability_zone_id")},
			"default-for-az": {"false"}, "map-public-ip-on-launch": {fmt.Sprint(world.Bool(a, "map_public_ip_on_launch", false))},
		}), xml: x})
	}
	return out
}

type igwXML struct {
	InternetGatewayID string          `xml:"internetGatewayId"`
	OwnerID           string          `xml:"ownerId"`
	Attachments       []igwAttachment `xml:"attachmentSet>item"`
	Tags              []ec2Tag        `xml:"tagSet>item,omitempty"`
}

type igwAttachment struct {
	VpcID string `xml:"vpcId"`
	State string `xml:"state"`
}

func internetGatewayItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_internet_gateway") {
		vpc := world.Str(r.Attrs, "vpc_id")
		var att []igwAttachment
		if vpc != "" {
			att = []igwAttachment{{VpcID: vpc, State: "available"}}
		}
		out = append(out, ec2Item{id: r.ID, filters: baseFilters(r, map[string][]string{
			"internet-gateway-id": {r.ID}, "attachment.vpc-id": {vpc}, "attachment.state": {"available"},
		}), xml: igwXML{InternetGatewayID: r.ID, OwnerID: world.Account, Attachments: att, Tags: tagSet(r)}})
	}
	return out
}

type routeXML struct {
	DestinationCidrBlock string `xml:"destinationCidrBlock"`
	GatewayID            string `xml:"gatewayId,omitempty"`
	NatGatewayID         string `xml:"natGatewayId,omitempty"`
	NetworkInterfaceID   string `xml:"networkInterfaceId,omitempty"`
	State                string `xml:"state"`
	Origin               string `xml:"origin"`
}

type rtbAssocXML struct {
	ID           string   `xml:"routeTableAssociationId"`
	RouteTableID string   `xml:"routeTableId"`
	SubnetID     string   `xml:"subnetId,omitempty"`
	Main         bool     `xml:"main"`
	State        ec2State `xml:"associationState"`
}

type routeTableXML struct {
	RouteTableID string        `xml:"routeTableId"`
	VpcID        string        `xml:"vpcId"`
	OwnerID      string        `xml:"ownerId"`
	Routes       []routeXML    `xml:"routeSet>item"`
	Associations []rtbAssocXML `xml:"associationSet>item"`
	Tags         []ec2Tag      `xml:"tagSet>item,omitempty"`
}

// routeTableItems lists the lab's route tables plus each VPC's main table,
// which AWS creates with the VPC.
func routeTableItems(s *world.State) []ec2Item {
	var out []ec2Item
	add := func(id, vpcID string, r *world.Resource, routes []routeXML, main bool) {
		vpc := s.Find("aws_vpc", vpcID)
		local := routeXML{GatewayID: "local", State: "active", Origin: "CreateRouteTable"}
		if vpc != nil {
			local.DestinationCidrBlock = world.Str(vpc.Attrs, "cidr_block")
		}
		routes = append([]routeXML{local}, routes...)
		var assocs []rtbAssocXML
		if main {
			assocs = append(assocs, rtbAssocXML{ID: "rtbassoc-main" + id[4:min(len(id), 16)], RouteTableID: id, Main: true, State: ec2State{"associated"}})
		}
		var subnets []string
		for _, a := range s.List("aws_route_table_association") {
			if world.Str(a.Attrs, "route_table_id") == id {
				assocs = append(assocs, rtbAssocXML{ID: a.ID, RouteTableID: id, SubnetID: world.Str(a.Attrs, "subnet_id"), State: ec2State{"associated"}})
				subnets = append(subnets, world.Str(a.Attrs, "subnet_id"))
			}
		}
		f := map[string][]string{"route-table-id": {id}, "vpc-id": {vpcID}, "association.main": {fmt.Sprint(main)},
			"association.subnet-id": subnets, "owner-id": {world.Account}}
		var tags []ec2Tag
		if r != nil {
			f = baseFilters(r, f)
			tags = tagSet(r)
		}
		for _, rt := range routes {
			f["route.destination-cidr-block"] = append(f["route.destination-cidr-block"], rt.DestinationCidrBlock)
			f["route.gateway-id"] = append(f["route.gateway-id"], rt.GatewayID)
		}
		out = append(out, ec2Item{id: id, filters: f, xml: routeTableXML{RouteTableID: id, VpcID: vpcID, OwnerID: world.Account,
			Routes: routes, Associations: assocs, Tags: tags}})
	}
	for _, v := range s.List("aws_vpc") {
		id := world.Str(v.Attrs, "main_route_table_id")
		var routes []routeXML
		for _, r := range s.List("aws_route") {
			if world.Str(r.Attrs, "route_table_id") == id {
				routes = append(routes, routeXML{DestinationCidrBlock: world.Str(r.Attrs, "destination_cidr_block"),
					GatewayID: world.Str(r.Attrs, "gateway_id"), State: "active", Origin: "CreateRoute"})
			}
		}
		add(id, v.ID, nil, routes, true)
	}
	for _, r := range s.List("aws_route_table") {
		var routes []routeXML
		for _, rt := range world.Blocks(r.Attrs, "route") {
			routes = append(routes, routeXML{DestinationCidrBlock: world.Str(rt, "cidr_block"), GatewayID: world.Str(rt, "gateway_id"),
				NatGatewayID: world.Str(rt, "nat_gateway_id"), NetworkInterfaceID: world.Str(rt, "network_interface_id"),
				State: "active", Origin: "CreateRoute"})
		}
		for _, rt := range s.List("aws_route") {
			if world.Str(rt.Attrs, "route_table_id") == r.ID {
				routes = append(routes, routeXML{DestinationCidrBlock: world.Str(rt.Attrs, "destination_cidr_block"),
					GatewayID: world.Str(rt.Attrs, "gateway_id"), State: "active", Origin: "CreateRoute"})
			}
		}
		add(r.ID, world.Str(r.Attrs, "vpc_id"), r, routes, false)
	}
	return out
}

type ipRangeXML struct {
	CidrIP      string `xml:"cidrIp"`
	Description string `xml:"description,omitempty"`
}

type ipv6RangeXML struct {
	CidrIPv6    string `xml:"cidrIpv6"`
	Description string `xml:"description,omitempty"`
}

type groupPairXML struct {
	GroupID string `xml:"groupId"`
	UserID  string `xml:"userId"`
}

type ipPermissionXML struct {
	IPProtocol string         `xml:"ipProtocol"`
	FromPort   *int           `xml:"fromPort,omitempty"`
	ToPort     *int           `xml:"toPort,omitempty"`
	Groups     []groupPairXML `xml:"groups>item"`
	IPRanges   []ipRangeXML   `xml:"ipRanges>item"`
	IPv6Ranges []ipv6RangeXML `xml:"ipv6Ranges>item"`
	PrefixList []struct{}     `xml:"prefixListIds>item"`
}

type securityGroupXML struct {
	OwnerID     string            `xml:"ownerId"`
	GroupID     string            `xml:"groupId"`
	GroupName   string            `xml:"groupName"`
	Description string            `xml:"groupDescription"`
	VpcID       string            `xml:"vpcId"`
	Ingress     []ipPermissionXML `xml:"ipPermissions>item"`
	Egress      []ipPermissionXML `xml:"ipPermissionsEgress>item"`
	Tags        []ec2Tag          `xml:"tagSet>item,omitempty"`
	Arn         string            `xml:"securityGroupArn"`
}

// normProtocol is how EC2 reports a protocol: names for tcp/udp/icmp, -1 for all.
func normProtocol(p string) string {
	switch strings.ToLower(p) {
	case "6", "tcp":
		return "tcp"
	case "17", "udp":
		return "udp"
	case "1", "icmp":
		return "icmp"
	case "-1", "all", "":
		return "-1"
	}
	return strings.ToLower(p)
}

func permission(protocol string, from, to float64, cidrs, v6 []string, groups []string, desc string) ipPermissionXML {
	p := ipPermissionXML{IPProtocol: normProtocol(protocol)}
	if p.IPProtocol != "-1" {
		f, t := int(from), int(to)
		p.FromPort, p.ToPort = &f, &t
	}
	for _, c := range cidrs {
		p.IPRanges = append(p.IPRanges, ipRangeXML{CidrIP: c, Description: desc})
	}
	for _, c := range v6 {
		p.IPv6Ranges = append(p.IPv6Ranges, ipv6RangeXML{CidrIPv6: c, Description: desc})
	}
	for _, g := range groups {
		p.Groups = append(p.Groups, groupPairXML{GroupID: g, UserID: world.Account})
	}
	return p
}

func securityGroupItems(s *world.State) []ec2Item {
	var out []ec2Item
	item := func(id, name, desc, vpc string, r *world.Resource, in, eg []ipPermissionXML) {
		f := map[string][]string{"group-id": {id}, "group-name": {name}, "vpc-id": {vpc}, "description": {desc}, "owner-id": {world.Account}}
		var tags []ec2Tag
		if r != nil {
			f = baseFilters(r, f)
			tags = tagSet(r)
		}
		for _, p := range in {
			f["ip-permission.protocol"] = append(f["ip-permission.protocol"], p.IPProtocol)
			for _, rg := range p.IPRanges {
				f["ip-permission.cidr"] = append(f["ip-permission.cidr"], rg.CidrIP)
			}
		}
		for _, p := range eg {
			f["egress.ip-permission.protocol"] = append(f["egress.ip-permission.protocol"], p.IPProtocol)
			for _, rg := range p.IPRanges {
				f["egress.ip-permission.cidr"] = append(f["egress.ip-permission.cidr"], rg.CidrIP)
			}
		}
		out = append(out, ec2Item{id: id, alt: name, filters: f, xml: securityGroupXML{OwnerID: world.Account, GroupID: id,
			GroupName: name, Description: desc, VpcID: vpc, Ingress: in, Egress: eg, Tags: tags,
			Arn: "arn:aws:ec2:" + s.Region + ":" + world.Account + ":security-group/" + id}})
	}
	// Each VPC's default group: all traffic from itself in, everything out.
	for _, v := range s.List("aws_vpc") {
		id := world.Str(v.Attrs, "default_security_group_id")
		item(id, "default", "default VPC security group", v.ID, nil,
			[]ipPermissionXML{permission("-1", 0, 0, nil, nil, []string{id}, "")},
			[]ipPermissionXML{permission("-1", 0, 0, []string{"0.0.0.0/0"}, nil, nil, "")})
	}
	for _, r := range s.List("aws_security_group") {
		rules := func(dir string) []ipPermissionXML {
			var ps []ipPermissionXML
			for _, b := range world.Blocks(r.Attrs, dir) {
				groups := world.Strs(b, "security_groups")
				if world.Bool(b, "self", false) {
					groups = append(groups, r.ID)
				}
				ps = append(ps, permission(world.Str(b, "protocol"), world.Num(b, "from_port", 0), world.Num(b, "to_port", 0),
					world.Strs(b, "cidr_blocks"), world.Strs(b, "ipv6_cidr_blocks"), groups, world.Str(b, "description")))
			}
			typ := "aws_vpc_security_group_ingress_rule"
			if dir == "egress" {
				typ = "aws_vpc_security_group_egress_rule"
			}
			for _, x := range s.List(typ) {
				if world.Str(x.Attrs, "security_group_id") != r.ID {
					continue
				}
				var cidrs, v6, groups []string
				if c := world.Str(x.Attrs, "cidr_ipv4"); c != "" {
					cidrs = []string{c}
				}
				if c := world.Str(x.Attrs, "cidr_ipv6"); c != "" {
					v6 = []string{c}
				}
				if g := world.Str(x.Attrs, "referenced_security_group_id"); g != "" {
					groups = []string{g}
				}
				ps = append(ps, permission(world.Str(x.Attrs, "ip_protocol"), world.Num(x.Attrs, "from_port", -1),
					world.Num(x.Attrs, "to_port", -1), cidrs, v6, groups, world.Str(x.Attrs, "description")))
			}
			return ps
		}
		item(r.ID, world.Str(r.Attrs, "name"), world.Str(r.Attrs, "description"), world.Str(r.Attrs, "vpc_id"), r, rules("ingress"), rules("egress"))
	}
	return out
}

type instanceStateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type groupXML struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName"`
}

type associationXML struct {
	PublicIP      string `xml:"publicIp"`
	PublicDNSName string `xml:"publicDnsName"`
	IPOwnerID     string `xml:"ipOwnerId"`
}

type eniAttachmentXML struct {
	AttachmentID        string `xml:"attachmentId"`
	DeviceIndex         int    `xml:"deviceIndex"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
	NetworkCardIndex    int    `xml:"networkCardIndex"`
}

type privateIPXML struct {
	PrivateIPAddress string          `xml:"privateIpAddress"`
	PrivateDNSName   string          `xml:"privateDnsName"`
	Primary          bool            `xml:"primary"`
	Association      *associationXML `xml:"association,omitempty"`
}

type eniXML struct {
	NetworkInterfaceID string           `xml:"networkInterfaceId"`
	SubnetID           string           `xml:"subnetId"`
	VpcID              string           `xml:"vpcId"`
	Description        string           `xml:"description"`
	OwnerID            string           `xml:"ownerId"`
	Status             string           `xml:"status"`
	MacAddress         string           `xml:"macAddress"`
	PrivateIPAddress   string           `xml:"privateIpAddress"`
	PrivateDNSName     string           `xml:"privateDnsName"`
	SourceDestCheck    bool             `xml:"sourceDestCheck"`
	Groups             []groupXML       `xml:"groupSet>item"`
	Attachment         eniAttachmentXML `xml:"attachment"`
	Association        *associationXML  `xml:"association,omitempty"`
	PrivateIPs         []privateIPXML   `xml:"privateIpAddressesSet>item"`
	InterfaceType      string           `xml:"interfaceType"`
}

type ebsXML struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type blockDeviceXML struct {
	DeviceName string `xml:"deviceName"`
	Ebs        ebsXML `xml:"ebs"`
}

type instanceXML struct {
	InstanceID     string           `xml:"instanceId"`
	ImageID        string           `xml:"imageId"`
	State          instanceStateXML `xml:"instanceState"`
	PrivateDNSName string           `xml:"privateDnsName"`
	DNSName        string           `xml:"dnsName"`
	Reason         string           `xml:"reason"`
	KeyName        string           `xml:"keyName,omitempty"`
	AmiLaunchIndex int              `xml:"amiLaunchIndex"`
	InstanceType   string           `xml:"instanceType"`
	LaunchTime     string           `xml:"launchTime"`
	Placement      struct {
		AvailabilityZone string `xml:"availabilityZone"`
		GroupName        string `xml:"groupName"`
		Tenancy          string `xml:"tenancy"`
	} `xml:"placement"`
	Monitoring struct {
		State string `xml:"state"`
	} `xml:"monitoring"`
	SubnetID          string           `xml:"subnetId"`
	VpcID             string           `xml:"vpcId"`
	PrivateIPAddress  string           `xml:"privateIpAddress"`
	IPAddress         string           `xml:"ipAddress,omitempty"`
	SourceDestCheck   bool             `xml:"sourceDestCheck"`
	Groups            []groupXML       `xml:"groupSet>item"`
	Architecture      string           `xml:"architecture"`
	RootDeviceType    string           `xml:"rootDeviceType"`
	RootDeviceName    string           `xml:"rootDeviceName"`
	BlockDevices      []blockDeviceXML `xml:"blockDeviceMapping>item"`
	VirtualizationTyp string           `xml:"virtualizationType"`
	ClientToken       string           `xml:"clientToken"`
	Tags              []ec2Tag         `xml:"tagSet>item,omitempty"`
	Hypervisor        string           `xml:"hypervisor"`
	NetworkInterfaces []eniXML         `xml:"networkInterfaceSet>item"`
	EbsOptimized      bool             `xml:"ebsOptimized"`
	EnaSupport        bool             `xml:"enaSupport"`
	CPUOptions        struct {
		CoreCount      int `xml:"coreCount"`
		ThreadsPerCore int `xml:"threadsPerCore"`
	} `xml:"cpuOptions"`
	MetadataOptions struct {
		State                   string `xml:"state"`
		HTTPTokens              string `xml:"httpTokens"`
		HTTPPutResponseHopLimit int    `xml:"httpPutResponseHopLimit"`
		HTTPEndpoint            string `xml:"httpEndpoint"`
		InstanceMetadataTags    string `xml:"instanceMetadataTags"`
	} `xml:"metadataOptions"`
	PlatformDetails string `xml:"platformDetails"`
	UsageOperation  string `xml:"usageOperation"`
	BootMode        string `xml:"currentInstanceBootMode"`
}

type reservationXML struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Groups        []groupXML    `xml:"groupSet>item"`
	Instances     []instanceXML `xml:"instancesSet>item"`
}

func groupName(s *world.State, id string) string {
	if sg := s.Find("aws_security_group", id); sg != nil {
		return world.Str(sg.Attrs, "name")
	}
	return "default"
}

func instanceItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_instance") {
		a := r.Attrs
		subnet := s.Find("aws_subnet", world.Str(a, "subnet_id"))
		vpcID := ""
		if subnet != nil {
			vpcID = world.Str(subnet.Attrs, "vpc_id")
		}
		var groups []groupXML
		var groupIDs, groupNames []string
		for _, g := range world.Strs(a, "vpc_security_group_ids") {
			groups = append(groups, groupXML{GroupID: g, GroupName: groupName(s, g)})
			groupIDs = append(groupIDs, g)
			groupNames = append(groupNames, groupName(s, g))
		}
		launch := world.Str(a, "launch_time")
		if launch == "" {
			launch = r.CreatedAt.UTC().Format(time.RFC3339)
		}
		image := world.Images(s.Region)[0]
		for _, im := range world.Images(s.Region) {
			if im.ID == world.Str(a, "ami") {
				image = im
			}
		}
		publicIP := world.Str(a, "public_ip")
		var assoc *associationXML
		if publicIP != "" {
			owner := "amazon"
			for _, e := range s.List("aws_eip") {
				if world.Str(e.Attrs, "public_ip") == publicIP {
					owner = world.Account
				}
			}
			assoc = &associationXML{PublicIP: publicIP, PublicDNSName: world.Str(a, "public_dns"), IPOwnerID: owner}
		}
		eniID := world.Str(a, "primary_network_interface_id")
		inst := instanceXML{InstanceID: r.ID, ImageID: world.Str(a, "ami"), State: instanceStateXML{16, "running"},
			PrivateDNSName: world.Str(a, "private_dns"), DNSName: world.Str(a, "public_dns"),
			InstanceType: world.Str(a, "instance_type"), LaunchTime: launch, KeyName: world.Str(a, "key_name"),
			SubnetID: world.Str(a, "subnet_id"), VpcID: vpcID, PrivateIPAddress: world.Str(a, "private_ip"), IPAddress: publicIP,
			SourceDestCheck: world.Bool(a, "source_dest_check", true), Groups: groups, Architecture: image.Architecture,
			RootDeviceType: "ebs", RootDeviceName: "/dev/xvda", VirtualizationTyp: "hvm", Hypervisor: "xen",
			ClientToken: "terraform-" + r.ID[2:12], Tags: tagSet(r), EnaSupport: true,
			PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances", BootMode: "uefi"}
		inst.Placement.AvailabilityZone = world.Str(a, "availability_zone")
		inst.Placement.Tenancy = "default"
		inst.Monitoring.State = "disabled"
		inst.CPUOptions.CoreCount, inst.CPUOptions.ThreadsPerCore = 1, 2
		inst.MetadataOptions.State, inst.MetadataOptions.HTTPTokens = "applied", "required"
		inst.MetadataOptions.HTTPPutResponseHopLimit, inst.MetadataOptions.HTTPEndpoint = 2, "enabled"
		inst.MetadataOptions.InstanceMetadataTags = "disabled"
		if rb := world.Block(a, "root_block_device"); rb != nil {
			inst.BlockDevices = []blockDeviceXML{{DeviceName: "/dev/xvda", Ebs: ebsXML{VolumeID: world.Str(rb, "volume_id"),
				Status: "attached", AttachTime: launch, DeleteOnTermination: true}}}
		}
		inst.NetworkInterfaces = []eniXML{{NetworkInterfaceID: eniID, SubnetID: inst.SubnetID, VpcID: vpcID, OwnerID: world.Account,
			Status: "in-use", MacAddress: macOf(eniID), PrivateIPAddress: inst.PrivateIPAddress, PrivateDNSName: inst.PrivateDNSName,
			SourceDestCheck: inst.SourceDestCheck, Groups: groups, InterfaceType: "interface",
			Attachment:  eniAttachmentXML{AttachmentID: "eni-attach-" + eniID[4:], Status: "attached", AttachTime: launch, DeleteOnTermination: true},
			Association: assoc,
			PrivateIPs:  []privateIPXML{{PrivateIPAddress: inst.PrivateIPAddress, PrivateDNSName: inst.PrivateDNSName, Primary: true, Association: assoc}}}}
		filters := baseFilters(r, map[string][]string{
			"instance-id": {r.ID}, "instance-state-name": {"running"}, "instance-state-code": {"16"},
			"instance-type": {inst.InstanceType}, "image-id": {inst.ImageID}, "vpc-id": {vpcID}, "subnet-id": {inst.SubnetID},
			"private-ip-address": {inst.PrivateIPAddress}, "ip-address": {publicIP}, "availability-zone": {inst.Placement.AvailabilityZone},
			"instance.group-id": groupIDs, "instance.group-name": groupNames, "group-id": groupIDs, "group-name": groupNames,
			"network-interface.network-interface-id": {eniID}, "network-interface.addresses.association.public-ip": {publicIP},
			"architecture": {image.Architecture}, "reservation-id": {"r-" + r.ID[2:]},
		})
		out = append(out, ec2Item{id: r.ID, filters: filters, xml: reservationXML{ReservationID: "r-" + r.ID[2:],
			OwnerID: world.Account, Instances: []instanceXML{inst}}})
	}
	return out
}

func macOf(eni string) string {
	h := strings.TrimPrefix(eni, "eni-")
	for len(h) < 12 {
		h += "0"
	}
	return fmt.Sprintf("06:%s:%s:%s:%s:%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10])
}

type addressXML struct {
	PublicIP                string   `xml:"publicIp"`
	AllocationID            string   `xml:"allocationId"`
	Domain                  string   `xml:"domain"`
	InstanceID              string   `xml:"instanceId,omitempty"`
	AssociationID           string   `xml:"associationId,omitempty"`
	NetworkInterfaceID      string   `xml:"networkInterfaceId,omitempty"`
	NetworkInterfaceOwnerID string   `xml:"networkInterfaceOwnerId,omitempty"`
	PrivateIPAddress        string   `xml:"privateIpAddress,omitempty"`
	Tags                    []ec2Tag `xml:"tagSet>item,omitempty"`
	PublicIPv4Pool          string   `xml:"publicIpv4Pool"`
	NetworkBorderGroup      string   `xml:"networkBorderGroup"`
}

func addressItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_eip") {
		a := r.Attrs
		x := addressXML{PublicIP: world.Str(a, "public_ip"), AllocationID: r.ID, Domain: "vpc",
			InstanceID: world.Str(a, "instance"), AssociationID: world.Str(a, "association_id"),
			NetworkInterfaceID: world.Str(a, "network_interface"), PrivateIPAddress: world.Str(a, "private_ip"),
			Tags: tagSet(r), PublicIPv4Pool: "amazon", NetworkBorderGroup: s.Region}
		if x.NetworkInterfaceID != "" {
			x.NetworkInterfaceOwnerID = world.Account
		}
		out = append(out, ec2Item{id: r.ID, alt: x.PublicIP, filters: baseFilters(r, map[string][]string{
			"allocation-id": {r.ID}, "public-ip": {x.PublicIP}, "domain": {"vpc"}, "instance-id": {x.InstanceID},
			"association-id": {x.AssociationID}, "network-interface-id": {x.NetworkInterfaceID},
			"private-ip-address": {x.PrivateIPAddress}, "network-border-group": {s.Region},
		}), xml: x})
	}
	return out
}

type flowLogXML struct {
	CreationTime             string   `xml:"creationTime"`
	DeliverLogsStatus        string   `xml:"deliverLogsStatus"`
	FlowLogID                string   `xml:"flowLogId"`
	FlowLogStatus            string   `xml:"flowLogStatus"`
	LogGroupName             string   `xml:"logGroupName,omitempty"`
	ResourceID               string   `xml:"resourceId"`
	TrafficType              string   `xml:"trafficType"`
	LogDestinationType       string   `xml:"logDestinationType"`
	LogDestination           string   `xml:"logDestination,omitempty"`
	LogFormat                string   `xml:"logFormat"`
	MaxAggregationInterval   int      `xml:"maxAggregationInterval"`
	DeliverLogsPermissionArn string   `xml:"deliverLogsPermissionArn,omitempty"`
	Tags                     []ec2Tag `xml:"tagSet>item,omitempty"`
}

func flowLogItems(s *world.State) []ec2Item {
	var out []ec2Item
	for _, r := range s.List("aws_flow_log") {
		a := r.Attrs
		resource := world.Str(a, "vpc_id")
		for _, k := range []string{"subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"} {
			if v := world.Str(a, k); v != "" {
				resource = v
			}
		}
		x := flowLogXML{CreationTime: r.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), DeliverLogsStatus: "SUCCESS",
			FlowLogID: r.ID, FlowLogStatus: "ACTIVE", ResourceID: resource, TrafficType: world.Str(a, "traffic_type"),
			LogDestinationType: world.Str(a, "log_destination_type"), LogDestination: world.Str(a, "log_destination"),
			LogFormat: world.Str(a, "log_format"), MaxAggregationInterval: int(world.Num(a, "max_aggregation_interval", 600)),
			DeliverLogsPermissionArn: world.Str(a, "iam_role_arn"), Tags: tagSet(r)}
		out = append(out, ec2Item{id: r.ID, filters: baseFilters(r, map[string][]string{
			"flow-log-id": {r.ID}, "resource-id": {resource}, "traffic-type": {x.TrafficType},
			"log-destination-type": {x.LogDestinationType}, "deliver-log-status": {"SUCCESS"},
		}), xml: x})
	}
	return out
}

type imageEbsXML struct {
	SnapshotID          string `xml:"snapshotId"`
	VolumeSize          int    `xml:"volumeSize"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
	VolumeType          string `xml:"volumeType"`
	Iops                int    `xml:"iops"`
	Throughput          int    `xml:"throughput"`
	Encrypted           bool   `xml:"encrypted"`
}

type imageShape struct {
	ImageID            string `xml:"imageId"`
	ImageLocation      string `xml:"imageLocation"`
	ImageState         string `xml:"imageState"`
	ImageOwnerID       string `xml:"imageOwnerId"`
	CreationDate       string `xml:"creationDate"`
	IsPublic           bool   `xml:"isPublic"`
	Architecture       string `xml:"architecture"`
	ImageType          string `xml:"imageType"`
	ImageOwnerAlias    string `xml:"imageOwnerAlias"`
	Name               string `xml:"name"`
	Description        string `xml:"description"`
	RootDeviceType     string `xml:"rootDeviceType"`
	RootDeviceName     string `xml:"rootDeviceName"`
	BlockDeviceMapping []struct {
		DeviceName string      `xml:"deviceName"`
		Ebs        imageEbsXML `xml:"ebs"`
	} `xml:"blockDeviceMapping>item"`
	VirtualizationType string `xml:"virtualizationType"`
	Hypervisor         string `xml:"hypervisor"`
	EnaSupport         bool   `xml:"enaSupport"`
	SriovNetSupport    string `xml:"sriovNetSupport"`
	PlatformDetails    string `xml:"platformDetails"`
	UsageOperation     string `xml:"usageOperation"`
	BootMode           string `xml:"bootMode"`
	ImdsSupport        string `xml:"imdsSupport"`
	DeprecationTime    string `xml:"deprecationTime"`
}

func imageXMLOf(region string, im world.Image) imageShape {
	a := world.ImageAttrs(region, im)
	x := imageShape{ImageID: im.ID, ImageLocation: world.Str(a, "image_location"), ImageState: "available",
		ImageOwnerID: world.AmazonOwnerID, CreationDate: world.Str(a, "creation_date"), IsPublic: true,
		Architecture: im.Architecture, ImageType: "machine", ImageOwnerAlias: "amazon", Name: im.Name,
		Description: im.Description, RootDeviceType: "ebs", RootDeviceName: "/dev/xvda", VirtualizationType: "hvm",
		Hypervisor: "xen", EnaSupport: true, SriovNetSupport: "simple", PlatformDetails: "Linux/UNIX",
		UsageOperation: "RunInstances", BootMode: "uefi-preferred", ImdsSupport: "v2.0",
		DeprecationTime: world.Str(a, "deprecation_time")}
	x.BlockDeviceMapping = append(x.BlockDeviceMapping, struct {
		DeviceName string      `xml:"deviceName"`
		Ebs        imageEbsXML `xml:"ebs"`
	}{"/dev/xvda", imageEbsXML{SnapshotID: world.Str(a, "root_snapshot_id"), VolumeSize: 8, DeleteOnTermination: true,
		VolumeType: "gp3", Iops: 3000, Throughput: 125}})
	return x
}

func imageXML(region string, im world.Image) any { return imageXMLOf(region, im) }

type zoneXML struct {
	ZoneName           string     `xml:"zoneName"`
	ZoneState          string     `xml:"zoneState"`
	RegionName         string     `xml:"regionName"`
	ZoneID             string     `xml:"zoneId"`
	ZoneType           string     `xml:"zoneType"`
	OptInStatus        string     `xml:"optInStatus"`
	GroupName          string     `xml:"groupName"`
	NetworkBorderGroup string     `xml:"networkBorderGroup"`
	Messages           []struct{} `xml:"messageSet>item"`
}

func zoneItems(region string) []ec2Item {
	var out []ec2Item
	for _, name := range []string{region + "a", region + "b", region + "c"} {
		id := world.ZoneID(name)
		out = append(out, ec2Item{id: name, alt: id, filters: map[string][]string{
			"zone-name": {name}, "zone-id": {id}, "state": {"available"}, "region-name": {region},
			"zone-type": {"availability-zone"}, "opt-in-status": {"opt-in-not-required"}, "group-name": {region},
		}, xml: zoneXML{ZoneName: name, ZoneState: "available", RegionName: region, ZoneID: id, ZoneType: "availability-zone",
			OptInStatus: "opt-in-not-required", GroupName: region, NetworkBorderGroup: region}})
	}
	return out
}

type regionXML struct {
	RegionName     string `xml:"regionName"`
	RegionEndpoint string `xml:"regionEndpoint"`
	OptInStatus    string `xml:"optInStatus"`
}

func regionItems() []ec2Item {
	names := []string{"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
		"eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	sort.Strings(names)
	var out []ec2Item
	for _, n := range names {
		out = append(out, ec2Item{id: n, filters: map[string][]string{"region-name": {n}, "endpoint": {"ec2." + n + ".amazonaws.com"},
			"opt-in-status": {"opt-in-not-required"}},
			xml: regionXML{RegionName: n, RegionEndpoint: "ec2." + n + ".amazonaws.com", OptInStatus: "opt-in-not-required"}})
	}
	return out
}
