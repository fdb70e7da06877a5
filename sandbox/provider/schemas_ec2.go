package provider

import "fmt"

// EC2 and VPC types, as the real provider declares them (provider 6.x).

func init() {
	addResources(
		resourceSpec{typeName: "aws_vpc", what: "EC2 VPC", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("cidr_block").optComp().forceNewA(),
				str("instance_tenancy").def("default").values("default", "dedicated"),
				str("ipv4_ipam_pool_id").opt().forceNewA(),
				integer("ipv4_netmask_length").opt().forceNewA(),
				str("ipv6_cidr_block").optComp(),
				str("ipv6_cidr_block_network_border_group").optComp(),
				str("ipv6_ipam_pool_id").opt(),
				integer("ipv6_netmask_length").opt(),
				boolean("assign_generated_ipv6_cidr_block").opt(),
				boolean("enable_dns_support").def(true),
				boolean("enable_dns_hostnames").optComp(),
				boolean("enable_network_address_usage_metrics").optComp(),
				str("arn").comp(),
				str("default_network_acl_id").comp(),
				str("default_route_table_id").comp(),
				str("default_security_group_id").comp(),
				str("dhcp_options_id").comp(),
				str("main_route_table_id").comp(),
				str("ipv6_association_id").comp(),
				str("owner_id").comp(),
			},
		}},
		resourceSpec{typeName: "aws_subnet", what: "EC2 Subnet", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("vpc_id").req().forceNewA(),
				str("cidr_block").opt().forceNewA(),
				str("availability_zone").optComp().forceNewA(),
				str("availability_zone_id").optComp().forceNewA(),
				boolean("map_public_ip_on_launch").def(false),
				boolean("assign_ipv6_address_on_creation").def(false),
				str("ipv6_cidr_block").opt(),
				boolean("ipv6_native").def(false).forceNewA(),
				boolean("enable_dns64").def(false),
				boolean("enable_resource_name_dns_a_record_on_launch").def(false),
				boolean("enable_resource_name_dns_aaaa_record_on_launch").def(false),
				integer("enable_lni_at_device_index").optComp(),
				str("private_dns_hostname_type_on_launch").optComp().values("ip-name", "resource-name"),
				str("customer_owned_ipv4_pool").opt(),
				boolean("map_customer_owned_ip_on_launch").opt(),
				str("outpost_arn").opt(),
				str("ipv4_ipam_pool_id").opt().forceNewA(),
				integer("ipv4_netmask_length").opt().forceNewA(),
				str("arn").comp(),
				str("ipv6_cidr_block_association_id").comp(),
				str("owner_id").comp(),
			},
			blocks: []block{timeoutsBlock("create", "delete")},
		}},
		resourceSpec{typeName: "aws_internet_gateway", what: "EC2 Internet Gateway", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("vpc_id").opt(),
				str("arn").comp(),
				str("owner_id").comp(),
			},
			blocks: []block{timeoutsBlock("create", "update", "delete")},
		}},
		resourceSpec{typeName: "aws_route_table", what: "EC2 Route Table", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("vpc_id").req().forceNewA(),
				strSet("propagating_vgws").optComp(),
				str("arn").comp(),
				str("owner_id").comp(),
			},
			blocks: []block{
				setBlock("route",
					str("cidr_block").opt(),
					str("ipv6_cidr_block").opt(),
					str("destination_prefix_list_id").opt(),
					str("carrier_gateway_id").opt(),
					str("core_network_arn").opt(),
					str("egress_only_gateway_id").opt(),
					str("gateway_id").opt(),
					str("local_gateway_id").opt(),
					str("nat_gateway_id").opt(),
					str("network_interface_id").opt(),
					str("transit_gateway_id").opt(),
					str("vpc_endpoint_id").opt(),
					str("vpc_peering_connection_id").opt(),
				),
				timeoutsBlock("create", "update", "delete"),
			},
		}},
		resourceSpec{typeName: "aws_route", what: "Route", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("route_table_id").req().forceNewA(),
				str("destination_cidr_block").opt().forceNewA(),
				str("destination_ipv6_cidr_block").opt().forceNewA(),
				str("destination_prefix_list_id").opt().forceNewA(),
				str("carrier_gateway_id").opt(),
				str("core_network_arn").opt(),
				str("egress_only_gateway_id").opt(),
				str("gateway_id").opt(),
				str("local_gateway_id").opt(),
				str("nat_gateway_id").opt(),
				str("network_interface_id").optComp(),
				str("transit_gateway_id").opt(),
				str("vpc_endpoint_id").opt(),
				str("vpc_peering_connection_id").opt(),
				str("instance_id").comp(),
				str("instance_owner_id").comp(),
				str("origin").comp(),
				str("state").comp(),
			},
			blocks: []block{timeoutsBlock("create", "update", "delete")},
		}},
		resourceSpec{typeName: "aws_route_table_association", what: "Route Table Association", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("route_table_id").req(),
				str("subnet_id").opt().forceNewA(),
				str("gateway_id").opt().forceNewA(),
			},
			blocks: []block{timeoutsBlock("create", "update", "delete")},
		}, validate: exactlyOne("subnet_id", "gateway_id")},
		resourceSpec{typeName: "aws_security_group", what: "Security Group", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().forceNewA(),
				str("name_prefix").optComp().forceNewA(),
				str("description").def("Managed by Terraform").forceNewA(),
				str("vpc_id").optComp().forceNewA(),
				boolean("revoke_rules_on_delete").def(false),
				str("arn").comp(),
				str("owner_id").comp(),
			},
			blocks: []block{
				securityGroupRuleBlock("ingress"),
				securityGroupRuleBlock("egress"),
				timeoutsBlock("create", "delete"),
			},
		}, validate: validateSecurityGroup},
		resourceSpec{typeName: "aws_security_group_rule", what: "Security Group Rule", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("type").req().forceNewA().values("ingress", "egress"),
				str("security_group_id").req().forceNewA(),
				integer("from_port").req().forceNewA(),
				integer("to_port").req().forceNewA(),
				str("protocol").req().forceNewA(),
				strList("cidr_blocks").opt().forceNewA(),
				strList("ipv6_cidr_blocks").opt().forceNewA(),
				strList("prefix_list_ids").opt().forceNewA(),
				str("source_security_group_id").optComp().forceNewA(),
				boolean("self").def(false).forceNewA(),
				str("description").opt(),
				str("security_group_rule_id").comp(),
			},
			blocks: []block{timeoutsBlock("create")},
		}, validate: validateRulePorts},
		vpcSecurityGroupRule("aws_vpc_security_group_ingress_rule", "VPC Security Group Ingress Rule"),
		vpcSecurityGroupRule("aws_vpc_security_group_egress_rule", "VPC Security Group Egress Rule"),
		resourceSpec{typeName: "aws_instance", what: "EC2 Instance", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("ami").optComp().forceNewA(),
				str("instance_type").optComp(),
				str("subnet_id").optComp().forceNewA(),
				strSet("vpc_security_group_ids").optComp(),
				strSet("security_groups").optComp().forceNewA(),
				boolean("associate_public_ip_address").optComp().forceNewA(),
				str("availability_zone").optComp().forceNewA(),
				str("key_name").optComp().forceNewA(),
				str("iam_instance_profile").optComp(),
				str("user_data").optComp(),
				str("user_data_base64").optComp(),
				boolean("user_data_replace_on_change").def(false),
				str("private_ip").optComp().forceNewA(),
				strSet("secondary_private_ips").optComp(),
				integer("ipv6_address_count").optComp().forceNewA(),
				strList("ipv6_addresses").optComp().forceNewA(),
				boolean("monitoring").optComp(),
				boolean("disable_api_termination").optComp(),
				boolean("disable_api_stop").optComp(),
				boolean("ebs_optimized").optComp().forceNewA(),
				boolean("source_dest_check").def(true),
				boolean("get_password_data").def(false),
				boolean("hibernation").opt().forceNewA(),
				str("instance_initiated_shutdown_behavior").optComp().values("stop", "terminate"),
				str("placement_group").optComp().forceNewA(),
				integer("placement_partition_number").optComp().forceNewA(),
				str("tenancy").optComp().values("default", "dedicated", "host"),
				str("host_id").optComp().forceNewA(),
				str("host_resource_group_arn").optComp().forceNewA(),
				boolean("force_destroy").def(false),
				strMap("volume_tags").opt(),
				str("arn").comp(),
				str("instance_state").comp(),
				str("instance_lifecycle").comp(),
				str("outpost_arn").comp(),
				str("password_data").comp().secret(),
				str("primary_network_interface_id").comp(),
				str("private_dns").comp(),
				str("public_dns").comp(),
				str("public_ip").comp(),
				str("spot_instance_request_id").comp(),
			},
			blocks: []block{
				listBlock("metadata_options", 1,
					str("http_endpoint").optComp().values("enabled", "disabled"),
					str("http_tokens").optComp().values("optional", "required"),
					integer("http_put_response_hop_limit").optComp(),
					str("http_protocol_ipv6").optComp().values("enabled", "disabled"),
					str("instance_metadata_tags").optComp().values("enabled", "disabled"),
				).filled(),
				listBlock("root_block_device", 1,
					boolean("delete_on_termination").optComp(),
					str("device_name").comp(),
					boolean("encrypted").optComp().forceNewA(),
					integer("iops").optComp(),
					str("kms_key_id").optComp().forceNewA(),
					strMap("tags").opt(),
					strMap("tags_all").comp(),
					integer("throughput").optComp(),
					str("volume_id").comp(),
					integer("volume_size").optComp(),
					str("volume_type").optComp().values("standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"),
				).filled(),
				setBlock("ebs_block_device",
					str("device_name").req(),
					boolean("delete_on_termination").opt(),
					boolean("encrypted").opt(),
					integer("iops").opt(),
					str("kms_key_id").opt(),
					str("snapshot_id").opt(),
					strMap("tags").opt(),
					integer("throughput").opt(),
					integer("volume_size").opt(),
					str("volume_type").opt(),
				).filled(),
				listBlock("credit_specification", 1, str("cpu_credits").opt().values("standard", "unlimited")).filled(),
				listBlock("cpu_options", 1,
					str("amd_sev_snp").optComp().values("enabled", "disabled"),
					integer("core_count").optComp(),
					integer("threads_per_core").optComp(),
				).filled(),
				listBlock("launch_template", 1,
					str("id").optComp(),
					str("name").optComp(),
					str("version").opt(),
				).forceNewB(),
				listBlock("maintenance_options", 1, str("auto_recovery").optComp().values("default", "disabled")).filled(),
				listBlock("private_dns_name_options", 1,
					boolean("enable_resource_name_dns_aaaa_record").optComp(),
					boolean("enable_resource_name_dns_a_record").optComp(),
					str("hostname_type").optComp().values("ip-name", "resource-name"),
				).filled(),
				listBlock("enclave_options", 1, boolean("enabled").optComp()).filled(),
				listBlock("capacity_reservation_specification", 1,
					str("capacity_reservation_preference").opt(),
				).filled(),
				timeoutsBlock("create", "read", "update", "delete"),
			},
		}, planHook: instancePlan, validate: conflicts("user_data", "user_data_base64")},
		resourceSpec{typeName: "aws_eip", what: "EC2 EIP", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("domain").optComp().forceNewA().values("vpc", "standard"),
				str("instance").optComp(),
				str("network_interface").optComp(),
				str("associate_with_private_ip").opt(),
				str("address").opt().forceNewA(),
				str("customer_owned_ipv4_pool").opt().forceNewA(),
				str("ipam_pool_id").optComp().forceNewA(),
				str("network_border_group").optComp().forceNewA(),
				str("public_ipv4_pool").optComp().forceNewA(),
				str("allocation_id").comp(),
				str("arn").comp(),
				str("association_id").comp(),
				str("carrier_ip").comp(),
				str("customer_owned_ip").comp(),
				str("private_dns").comp(),
				str("private_ip").comp(),
				str("ptr_record").comp(),
				str("public_dns").comp(),
				str("public_ip").comp(),
			},
			blocks: []block{timeoutsBlock("read", "update", "delete")},
		}, validate: conflicts("instance", "network_interface")},
		resourceSpec{typeName: "aws_eip_association", what: "EC2 EIP Association", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("allocation_id").optComp().forceNewA(),
				boolean("allow_reassociation").opt().forceNewA(),
				str("instance_id").optComp().forceNewA(),
				str("network_interface_id").optComp().forceNewA(),
				str("private_ip_address").optComp().forceNewA(),
				str("public_ip").optComp().forceNewA(),
			},
		}},
		resourceSpec{typeName: "aws_flow_log", what: "Flow Log", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("traffic_type").opt().forceNewA().values("ACCEPT", "REJECT", "ALL"),
				str("vpc_id").opt().forceNewA(),
				str("subnet_id").opt().forceNewA(),
				str("eni_id").opt().forceNewA(),
				str("regional_nat_gateway_id").opt().forceNewA(),
				str("transit_gateway_id").opt().forceNewA(),
				str("transit_gateway_attachment_id").opt().forceNewA(),
				str("log_destination").optComp().forceNewA(),
				str("log_destination_type").def("cloud-watch-logs").forceNewA().values("cloud-watch-logs", "s3", "kinesis-data-firehose"),
				str("log_format").optComp().forceNewA(),
				integer("max_aggregation_interval").def(int64(600)).forceNewA().values("60", "600"),
				str("iam_role_arn").opt().forceNewA(),
				str("deliver_cross_account_role").opt().forceNewA(),
				str("arn").comp(),
			},
			blocks: []block{
				listBlock("destination_options", 1,
					str("file_format").optComp().forceNewA().values("plain-text", "parquet"),
					boolean("hive_compatible_partitions").optComp().forceNewA(),
					boolean("per_hour_partition").optComp().forceNewA(),
				).forceNewB(),
			},
		}, validate: exactlyOne("vpc_id", "subnet_id", "eni_id", "regional_nat_gateway_id", "transit_gateway_id", "transit_gateway_attachment_id")},
	)

	addDataSources(
		dataSpec{typeName: "aws_availability_zones", what: "Availability Zones", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				boolean("all_availability_zones").opt(),
				strSet("exclude_names").opt(),
				strSet("exclude_zone_ids").opt(),
				str("state").opt().values("available", "information", "impaired", "unavailable"),
				strSet("group_names").comp(),
				strList("names").comp(),
				strList("zone_ids").comp(),
			},
			blocks: []block{filterBlock()},
		}},
		dataSpec{typeName: "aws_ami", what: "EC2 AMIs", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				strList("owners").opt(),
				boolean("most_recent").def(false),
				strList("executable_users").opt(),
				str("name_regex").opt(),
				boolean("include_deprecated").def(false),
				boolean("allow_unsafe_filter").opt(),
				str("architecture").comp(),
				str("arn").comp(),
				str("boot_mode").comp(),
				str("creation_date").comp(),
				str("deprecation_time").comp(),
				str("description").comp(),
				boolean("ena_support").comp(),
				str("hypervisor").comp(),
				str("image_id").comp(),
				str("image_location").comp(),
				str("image_owner_alias").comp(),
				str("image_type").comp(),
				str("imds_support").comp(),
				str("kernel_id").comp(),
				str("last_launched_time").comp(),
				str("name").comp(),
				str("owner_id").comp(),
				str("platform").comp(),
				str("platform_details").comp(),
				boolean("public").comp(),
				str("ramdisk_id").comp(),
				str("root_device_name").comp(),
				str("root_device_type").comp(),
				str("root_snapshot_id").comp(),
				str("sriov_net_support").comp(),
				str("state").comp(),
				strMap("state_reason").comp(),
				strMap("tags").comp(),
				str("tpm_support").comp(),
				str("usage_operation").comp(),
				str("virtualization_type").comp(),
				nestedSet("block_device_mappings",
					str("device_name").comp(), strMap("ebs").comp(), str("no_device").comp(), str("virtual_name").comp()).comp(),
				nestedSet("product_codes", str("product_code_id").comp(), str("product_code_type").comp()).comp(),
			},
			blocks: []block{filterBlock()},
		}, validate: validateAMIQuery},
	)
}

func filterBlock() block {
	return setBlock("filter", str("name").req(), strSet("values").req())
}

func securityGroupRuleBlock(name string) block {
	return setBlock(name,
		integer("from_port").req(),
		integer("to_port").req(),
		str("protocol").req(),
		strList("cidr_blocks").opt(),
		strList("ipv6_cidr_blocks").opt(),
		strList("prefix_list_ids").opt(),
		strSet("security_groups").opt(),
		boolean("self").opt(),
		str("description").opt(),
	)
}

func vpcSecurityGroupRule(typeName, what string) resourceSpec {
	return resourceSpec{typeName: typeName, what: what, regional: true, tagged: true, objectSpec: objectSpec{
		attrs: []attr{
			str("security_group_id").req().forceNewA(),
			str("ip_protocol").req(),
			str("cidr_ipv4").opt(),
			str("cidr_ipv6").opt(),
			str("prefix_list_id").opt(),
			str("referenced_security_group_id").opt(),
			integer("from_port").opt(),
			integer("to_port").opt(),
			str("description").opt(),
			str("arn").comp(),
			str("security_group_rule_id").comp(),
		},
	}, validate: exactlyOne("cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id")}
}

// instancePlan: with user_data_replace_on_change, a new user_data replaces the instance
// (cloud-init runs it only at first boot); without, it is updated in place.
func instancePlan(p *planEdit) {
	if p.creating() || !p.plan.boolean("user_data_replace_on_change") {
		return
	}
	for _, name := range []string{"user_data", "user_data_base64"} {
		if p.config.set(name) && p.changed(name) {
			p.requireReplace(name)
		}
	}
}

// validateSecurityGroup: the "-1" (all) protocol takes ports 0 to 0, as the real provider
// insists before calling AWS.
func validateSecurityGroup(c configView) []string {
	var problems []string
	for _, dir := range []string{"ingress", "egress"} {
		for _, rule := range c.blocks(dir) {
			problems = append(problems, allProtocolPorts(rule)...)
		}
	}
	return problems
}

func validateRulePorts(c configView) []string { return allProtocolPorts(c) }

func allProtocolPorts(rule map[string]any) []string {
	proto, _ := rule["protocol"].(string)
	if proto != "-1" && proto != "all" {
		return nil
	}
	from, fromOK := rule["from_port"].(int64)
	to, toOK := rule["to_port"].(int64)
	if fromOK && toOK && (from != 0 || to != 0) {
		return []string{fmt.Sprintf("from_port (%d) and to_port (%d) must both be 0 to use the 'ALL' \"-1\" protocol!", from, to)}
	}
	return nil
}

// validateAMIQuery: provider 6 refuses most_recent without an owner to pin it down, since a
// public AMI from anyone could win.
func validateAMIQuery(c configView) []string {
	if !c.boolean("most_recent") || c.set("owners") || c.boolean("allow_unsafe_filter") {
		return nil
	}
	for _, f := range c.blocks("filter") {
		if n, _ := f["name"].(string); n == "owner-id" || n == "image-id" || n == "owner-alias" {
			return nil
		}
	}
	return []string{"Most Recent Image Not Filtered: \"most_recent\" is set to \"true\" and results are not filtered by owner or image ID. " +
		"With this configuration, a third party may introduce a new image which will be returned by this data source. " +
		"Filter by owner or image ID to avoid this possibility, or set allow_unsafe_filter."}
}

// exactlyOne: one and only one of names must be given.
func exactlyOne(names ...string) func(configView) []string {
	return func(c configView) []string {
		n := 0
		for _, name := range names {
			if !c.known(name) {
				return nil
			}
			if c.set(name) {
				n++
			}
		}
		if n != 1 {
			return []string{fmt.Sprintf("Invalid combination of arguments: exactly one of `%s` must be specified", joinNames(names))}
		}
		return nil
	}
}

// conflicts: at most one of names may be given.
func conflicts(names ...string) func(configView) []string {
	return func(c configView) []string {
		var given []string
		for _, name := range names {
			if c.set(name) {
				given = append(given, name)
			}
		}
		if len(given) > 1 {
			return []string{fmt.Sprintf("Conflicting configuration arguments: only one of `%s` can be specified", joinNames(given))}
		}
		return nil
	}
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ","
		}
		out += n
	}
	return out
}
