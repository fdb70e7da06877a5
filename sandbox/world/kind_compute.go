package world

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"net/netip"
	"strings"
)

// EC2 instances and Elastic IPs.

func init() {
	register("aws_instance", &kind{create: createInstance, update: updateInstance, remove: removeInstance})
	register("aws_eip", &kind{create: createEIP, update: updateEIP, remove: removeEIP})
	register("aws_eip_association", &kind{create: createEIPAssociation, remove: removeEIPAssociation})
}

func hashString(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// Public addresses come from the documentation ranges so nothing the sandbox
// shows can be mistaken for (or reach) a real host: instances get
// 198.51.100.x, Elastic IPs 203.0.113.x.
const (
	instancePublicRange = "198.51.100."
	eipRange            = "203.0.113."
)

func (tx *Tx) publicIPsInUse() map[string]bool {
	used := map[string]bool{}
	for _, i := range tx.List("aws_instance") {
		used[Str(i.Attrs, "public_ip")] = true
		if p := i.Private["auto_public_ip"]; p != "" {
			used[p] = true
		}
	}
	for _, e := range tx.List("aws_eip") {
		used[Str(e.Attrs, "public_ip")] = true
	}
	return used
}

func (tx *Tx) allocatePublicIP(prefix string) (string, error) {
	used := tx.publicIPsInUse()
	for n := 10; n < 255; n++ {
		ip := fmt.Sprintf("%s%d", prefix, n)
		if !used[ip] {
			return ip, nil
		}
	}
	return "", errorf(http.StatusBadRequest, "AddressLimitExceeded", "The maximum number of addresses has been reached.")
}

// allocatePrivateIP picks the next free address of a subnet, skipping the
// four AWS reserves at the start.
func (tx *Tx) allocatePrivateIP(subnet *Resource) (string, error) {
	p, err := netip.ParsePrefix(Str(subnet.Attrs, "cidr_block"))
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, i := range tx.List("aws_instance") {
		used[Str(i.Attrs, "private_ip")] = true
	}
	addr := p.Addr()
	for i := 0; i < 4; i++ {
		addr = addr.Next()
	}
	for ; p.Contains(addr); addr = addr.Next() {
		if !used[addr.String()] {
			return addr.String(), nil
		}
	}
	return "", errorf(http.StatusBadRequest, "InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", subnet.ID)
}

func dnsName(region, kind, ip string) string {
	dashed := strings.ReplaceAll(ip, ".", "-")
	if kind == "public" {
		if region == "us-east-1" {
			return "ec2-" + dashed + ".compute-1.amazonaws.com"
		}
		return "ec2-" + dashed + "." + region + ".compute.amazonaws.com"
	}
	if region == "us-east-1" {
		return "ip-" + dashed + ".ec2.internal"
	}
	return "ip-" + dashed + "." + region + ".compute.internal"
}

func createInstance(tx *Tx, r *Resource) error {
	a := r.Attrs
	ami := Str(a, "ami")
	if !strings.HasPrefix(ami, "ami-") {
		return errorf(http.StatusBadRequest, "InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", ami)
	}
	if findImage(tx.Region, ami) == nil {
		return errorf(http.StatusBadRequest, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist", ami)
	}
	if Str(a, "instance_type") == "" {
		a["instance_type"] = "m1.small"
	}
	subnet := tx.Find("aws_subnet", Str(a, "subnet_id"))
	if subnet == nil {
		if Str(a, "subnet_id") == "" {
			return errorf(http.StatusBadRequest, "VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.")
		}
		return ec2NotFound("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", Str(a, "subnet_id"))
	}
	vpc := tx.Find("aws_vpc", Str(subnet.Attrs, "vpc_id"))
	groups := Strs(a, "vpc_security_group_ids")
	if len(groups) == 0 && vpc != nil {
		groups = []string{Str(vpc.Attrs, "default_security_group_id")}
	}
	if err := checkInstanceGroups(tx, groups, Str(subnet.Attrs, "vpc_id")); err != nil {
		return err
	}
	privateIP := Str(a, "private_ip")
	if privateIP != "" {
		p, _ := netip.ParsePrefix(Str(subnet.Attrs, "cidr_block"))
		ip, err := netip.ParseAddr(privateIP)
		if err != nil || !p.Contains(ip) {
			return errorf(http.StatusBadRequest, "InvalidParameterValue", "Address %s does not fall within the subnet's address range", privateIP)
		}
	} else {
		ip, err := tx.allocatePrivateIP(subnet)
		if err != nil {
			return err
		}
		privateIP = ip
	}
	publicIP := ""
	assoc, given := a["associate_public_ip_address"].(bool)
	if assoc || (!given && Bool(subnet.Attrs, "map_public_ip_on_launch", false)) {
		ip, err := tx.allocatePublicIP(instancePublicRange)
		if err != nil {
			return err
		}
		publicIP = ip
		r.setPrivate("auto_public_ip", ip)
	}
	a["associate_public_ip_address"] = publicIP != ""
	r.ID = ec2ID("i")
	a["arn"] = tx.arn("ec2", "instance/"+r.ID)
	a["private_ip"] = privateIP
	a["private_dns"] = dnsName(tx.Region, "private", privateIP)
	setPublicAddress(tx, r, vpc, publicIP)
	a["primary_network_interface_id"] = ec2ID("eni")
	a["instance_state"] = "running"
	a["availability_zone"] = Str(subnet.Attrs, "availability_zone")
	a["vpc_security_group_ids"] = strList(groups)
	a["security_groups"] = []any{}
	a["launch_time"] = tx.Now.UTC().Format("2006-01-02T15:04:05Z")
	defaults := map[string]any{
		"tenancy": "default", "host_id": "", "host_resource_group_arn": "", "placement_group": "",
		"placement_partition_number": 0, "outpost_arn": "", "password_data": "", "key_name": "",
		"iam_instance_profile": "", "monitoring": false, "ebs_optimized": false, "source_dest_check": true,
		"disable_api_termination": false, "disable_api_stop": false, "instance_lifecycle": "",
		"instance_initiated_shutdown_behavior": "stop", "hibernation": false, "get_password_data": false,
		"user_data": "", "user_data_base64": "", "user_data_replace_on_change": false,
		"ipv6_address_count": 0, "ipv6_addresses": []any{}, "secondary_private_ips": []any{},
		"spot_instance_request_id": "", "force_destroy": false,
		"cpu_options":          []any{map[string]any{"core_count": 1, "threads_per_core": 2, "amd_sev_snp": ""}},
		"credit_specification": []any{map[string]any{"cpu_credits": creditsFor(Str(a, "instance_type"))}},
		"metadata_options": []any{map[string]any{"http_endpoint": "enabled", "http_tokens": "required",
			"http_put_response_hop_limit": 2, "instance_metadata_tags": "disabled", "http_protocol_ipv6": "disabled"}},
		"root_block_device": []any{map[string]any{"device_name": "/dev/xvda", "volume_id": ec2ID("vol"),
			"volume_size": 8, "volume_type": "gp3", "iops": 3000, "throughput": 125, "encrypted": false,
			"delete_on_termination": true, "kms_key_id": "", "tags": map[string]any{}, "tags_all": map[string]any{}}},
		"ebs_block_device": []any{}, "ephemeral_block_device": []any{}, "network_interface": []any{},
		"capacity_reservation_specification": []any{map[string]any{"capacity_reservation_preference": "open",
			"capacity_reservation_target": []any{}}},
		"enclave_options":     []any{map[string]any{"enabled": false}},
		"maintenance_options": []any{map[string]any{"auto_recovery": "default"}},
		"private_dns_name_options": []any{map[string]any{"enable_resource_name_dns_a_record": false,
			"enable_resource_name_dns_aaaa_record": false, "hostname_type": "ip-name"}},
	}
	for k, v := range defaults {
		setDefault(a, k, v)
	}
	return nil
}

func creditsFor(instanceType string) string {
	if strings.HasPrefix(instanceType, "t2.") {
		return "standard"
	}
	if strings.HasPrefix(instanceType, "t") {
		return "unlimited"
	}
	return ""
}

// setPublicAddress sets an instance's public ip and dns (dns only when the
// VPC has DNS hostnames, as in AWS).
func setPublicAddress(tx *Tx, inst *Resource, vpc *Resource, ip string) {
	inst.Attrs["public_ip"] = ip
	inst.Attrs["public_dns"] = ""
	if ip != "" && vpc != nil && Bool(vpc.Attrs, "enable_dns_hostnames", false) {
		inst.Attrs["public_dns"] = dnsName(tx.Region, "public", ip)
	}
}

func checkInstanceGroups(tx *Tx, groups []string, vpcID string) error {
	if len(groups) == 0 {
		return errorf(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter groupId")
	}
	for _, g := range groups {
		if !strings.HasPrefix(g, "sg-") {
			return errorf(http.StatusBadRequest, "InvalidGroupId.Malformed", "Invalid id: \"%s\" (expecting \"sg-...\")", g)
		}
		sg := tx.Find("aws_security_group", g)
		owner := defaultSGOwner(tx.State, g)
		switch {
		case sg == nil && owner == nil:
			return ec2NotFound("InvalidGroup.NotFound", "The security group '%s' does not exist", g)
		case sg != nil && Str(sg.Attrs, "vpc_id") != vpcID, owner != nil && owner.ID != vpcID:
			return errorf(http.StatusBadRequest, "InvalidParameter",
				"Security group %s and subnet belong to different networks.", g)
		}
	}
	return nil
}

func updateInstance(tx *Tx, old map[string]any, r *Resource) error {
	subnet := tx.Find("aws_subnet", Str(r.Attrs, "subnet_id"))
	vpcID := ""
	if subnet != nil {
		vpcID = Str(subnet.Attrs, "vpc_id")
	}
	return checkInstanceGroups(tx, Strs(r.Attrs, "vpc_security_group_ids"), vpcID)
}

func removeInstance(tx *Tx, r *Resource) error {
	for _, e := range tx.List("aws_eip") {
		if Str(e.Attrs, "instance") == r.ID {
			disassociate(e)
		}
	}
	tx.removeWhere("aws_eip_association", func(x *Resource) bool { return Str(x.Attrs, "instance_id") == r.ID })
	return nil
}

func createEIP(tx *Tx, r *Resource) error {
	a := r.Attrs
	domain := Str(a, "domain")
	if domain == "" {
		domain = "vpc"
	}
	if domain != "vpc" {
		return errorf(http.StatusBadRequest, "InvalidParameterValue", "Invalid value '%s' for domain: only 'vpc' is supported", domain)
	}
	a["domain"] = domain
	ip, err := tx.allocatePublicIP(eipRange)
	if err != nil {
		return err
	}
	r.ID = ec2ID("eipalloc")
	a["allocation_id"] = r.ID
	a["public_ip"] = ip
	a["public_dns"] = dnsName(tx.Region, "public", ip)
	a["arn"] = tx.arn("ec2", "elastic-ip/"+r.ID)
	for k, v := range map[string]any{"public_ipv4_pool": "amazon", "network_border_group": tx.Region,
		"carrier_ip": "", "customer_owned_ip": "", "customer_owned_ipv4_pool": "", "ptr_record": "",
		"ipam_pool_id": "", "associate_with_private_ip": "", "address": ""} {
		setDefault(a, k, v)
	}
	disassociate(r)
	if inst := Str(a, "instance"); inst != "" {
		return associateEIP(tx, r, inst)
	}
	return nil
}

func updateEIP(tx *Tx, old map[string]any, r *Resource) error {
	if Str(old, "instance") == Str(r.Attrs, "instance") {
		return nil
	}
	if prev := tx.Find("aws_instance", Str(old, "instance")); prev != nil {
		restoreAutoIP(tx, prev)
	}
	disassociate(r)
	if inst := Str(r.Attrs, "instance"); inst != "" {
		return associateEIP(tx, r, inst)
	}
	return nil
}

func removeEIP(tx *Tx, r *Resource) error {
	if inst := tx.Find("aws_instance", Str(r.Attrs, "instance")); inst != nil {
		restoreAutoIP(tx, inst)
	}
	tx.removeWhere("aws_eip_association", func(x *Resource) bool { return Str(x.Attrs, "allocation_id") == r.ID })
	return nil
}

// associateEIP points an EIP at an instance; the instance's public address
// becomes the EIP, as in AWS.
func associateEIP(tx *Tx, eip *Resource, instanceID string) error {
	inst := tx.Find("aws_instance", instanceID)
	if inst == nil {
		return ec2NotFound("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", instanceID)
	}
	eip.Attrs["instance"] = inst.ID
	eip.Attrs["association_id"] = ec2ID("eipassoc")
	eip.Attrs["private_ip"] = Str(inst.Attrs, "private_ip")
	eip.Attrs["network_interface"] = Str(inst.Attrs, "primary_network_interface_id")
	eip.Attrs["private_dns"] = Str(inst.Attrs, "private_dns")
	subnet := tx.Find("aws_subnet", Str(inst.Attrs, "subnet_id"))
	var vpc *Resource
	if subnet != nil {
		vpc = tx.Find("aws_vpc", Str(subnet.Attrs, "vpc_id"))
	}
	setPublicAddress(tx, inst, vpc, Str(eip.Attrs, "public_ip"))
	return nil
}

func disassociate(eip *Resource) {
	for _, k := range []string{"association_id", "private_ip", "network_interface", "private_dns"} {
		eip.Attrs[k] = ""
	}
	if _, ok := eip.Attrs["instance"]; !ok {
		eip.Attrs["instance"] = ""
	}
}

func restoreAutoIP(tx *Tx, inst *Resource) {
	subnet := tx.Find("aws_subnet", Str(inst.Attrs, "subnet_id"))
	var vpc *Resource
	if subnet != nil {
		vpc = tx.Find("aws_vpc", Str(subnet.Attrs, "vpc_id"))
	}
	setPublicAddress(tx, inst, vpc, inst.Private["auto_public_ip"])
}

func createEIPAssociation(tx *Tx, r *Resource) error {
	alloc := Str(r.Attrs, "allocation_id")
	eip := tx.Find("aws_eip", alloc)
	if eip == nil {
		return ec2NotFound("InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", alloc)
	}
	if err := associateEIP(tx, eip, Str(r.Attrs, "instance_id")); err != nil {
		return err
	}
	r.ID = Str(eip.Attrs, "association_id")
	r.Attrs["public_ip"] = Str(eip.Attrs, "public_ip")
	setDefault(r.Attrs, "network_interface_id", Str(eip.Attrs, "network_interface"))
	setDefault(r.Attrs, "private_ip_address", Str(eip.Attrs, "private_ip"))
	return nil
}

func removeEIPAssociation(tx *Tx, r *Resource) error {
	if eip := tx.Find("aws_eip", Str(r.Attrs, "allocation_id")); eip != nil {
		if inst := tx.Find("aws_instance", Str(eip.Attrs, "instance")); inst != nil {
			restoreAutoIP(tx, inst)
		}
		disassociate(eip)
		eip.Attrs["instance"] = ""
	}
	return nil
}
