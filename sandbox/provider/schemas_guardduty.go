package provider

// GuardDuty types, as the real provider declares them (provider 6.x).

var guardDutyFeatureNames = []string{"S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION",
	"RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"}

func init() {
	enableBlock := func(name string) block { return listBlock(name, 1, boolean("enable").req()).min(1) }
	addResources(
		resourceSpec{typeName: "aws_guardduty_detector", what: "GuardDuty Detector", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				boolean("enable").def(true),
				str("finding_publishing_frequency").optComp().values("FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"),
				str("account_id").comp(),
				str("arn").comp(),
			},
			blocks: []block{listBlock("datasources", 1).filled().
				deprecate("datasources is deprecated. Use the aws_guardduty_detector_feature resource instead.").
				with(
					enableBlock("s3_logs"),
					listBlock("kubernetes", 1).min(1).with(enableBlock("audit_logs")),
					listBlock("malware_protection", 1).min(1).with(
						listBlock("scan_ec2_instance_with_findings", 1).min(1).with(enableBlock("ebs_volumes")),
					),
				)},
		}},
		resourceSpec{typeName: "aws_guardduty_detector_feature", what: "GuardDuty Detector Feature", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("detector_id").req().forceNewA(),
				str("name").req().forceNewA().values(guardDutyFeatureNames...),
				str("status").req().values("ENABLED", "DISABLED"),
			},
			blocks: []block{listBlock("additional_configuration", 0,
				str("name").req().values("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"),
				str("status").req().values("ENABLED", "DISABLED"),
			)},
		}},
		resourceSpec{typeName: "aws_guardduty_threatintelset", what: "GuardDuty Threat Intel Set", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				boolean("activate").req(),
				str("detector_id").req().forceNewA(),
				str("format").req().forceNewA().values("TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"),
				str("location").req(),
				str("name").req(),
				str("arn").comp(),
			},
		}},
		resourceSpec{typeName: "aws_guardduty_ipset", what: "GuardDuty IP Set", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				boolean("activate").req(),
				str("detector_id").req().forceNewA(),
				str("format").req().forceNewA().values("TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"),
				str("location").req(),
				str("name").req(),
				str("arn").comp(),
			},
		}},
	)
	addDataSources(
		dataSpec{typeName: "aws_guardduty_detector", what: "GuardDuty Detector", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("id").optComp(),
				str("arn").comp(),
				str("finding_publishing_frequency").comp(),
				str("service_role_arn").comp(),
				str("status").comp(),
				strMap("tags").comp(),
				nestedList("features",
					str("name").comp(),
					str("status").comp(),
					nestedList("additional_configuration", str("name").comp(), str("status").comp()).comp(),
				).comp(),
			},
		}},
	)
}
