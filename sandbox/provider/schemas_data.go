package provider

import (
	"context"
	"errors"
)

// Account-level data sources. aws_region and aws_partition are pure (as in the real provider);
// aws_caller_identity asks the world, falling back to the sandbox's fixed account when the
// world does not answer that type.

var regionDescriptions = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
	"us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
	"ca-central-1": "Canada (Central)", "eu-west-1": "Europe (Ireland)", "eu-west-2": "Europe (London)",
	"eu-west-3": "Europe (Paris)", "eu-central-1": "Europe (Frankfurt)", "eu-north-1": "Europe (Stockholm)",
	"eu-south-1": "Europe (Milan)", "ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)",
	"ap-southeast-1": "Asia Pacific (Singapore)", "ap-southeast-2": "Asia Pacific (Sydney)",
	"ap-south-1": "Asia Pacific (Mumbai)", "sa-east-1": "South America (Sao Paulo)",
}

func init() {
	addDataSources(
		dataSpec{typeName: "aws_caller_identity", what: "STS Caller Identity", objectSpec: objectSpec{
			attrs: []attr{str("account_id").comp(), str("arn").comp(), str("user_id").comp()},
		}, local: callerIdentity},
		dataSpec{typeName: "aws_region", what: "Region", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").optComp().deprecate("name is deprecated. Use region instead."),
				str("endpoint").optComp(),
				str("description").comp(),
			},
		}, local: regionData},
		dataSpec{typeName: "aws_partition", what: "Partition", objectSpec: objectSpec{
			attrs: []attr{str("partition").comp(), str("dns_suffix").comp(), str("reverse_dns_prefix").comp()},
		}, local: func(context.Context, *providerData, map[string]any) (map[string]any, error) {
			return map[string]any{"id": "aws", "partition": "aws", "dns_suffix": "amazonaws.com",
				"reverse_dns_prefix": "com.amazonaws"}, nil
		}},
		dataSpec{typeName: "aws_ssm_parameter", what: "SSM Parameter", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("name").req(),
				boolean("with_decryption").def(true),
				str("arn").comp(),
				str("insecure_value").comp(),
				str("type").comp(),
				str("value").comp().secret(),
				integer("version").comp(),
			},
		}},
		dataSpec{typeName: "aws_iam_role", what: "IAM Role", objectSpec: objectSpec{
			attrs: []attr{
				str("name").req(),
				str("arn").comp(),
				str("assume_role_policy").comp(),
				str("create_date").comp(),
				str("description").comp(),
				integer("max_session_duration").comp(),
				str("path").comp(),
				str("permissions_boundary").comp(),
				strMap("tags").comp(),
				str("unique_id").comp(),
			},
		}},
	)
}

func callerIdentity(ctx context.Context, d *providerData, args map[string]any) (map[string]any, error) {
	attrs, err := d.world.data(ctx, "aws_caller_identity", args)
	var apiErr *apiError
	if errors.As(err, &apiErr) && apiErr.Status == 404 {
		return map[string]any{
			"id":         sandboxAccountID,
			"account_id": sandboxAccountID,
			"arn":        "arn:aws:iam::" + sandboxAccountID + ":user/gdlab-sandbox",
			"user_id":    "AIDASANDBOXGDLABUSER",
		}, nil
	}
	return attrs, err
}

func regionData(_ context.Context, d *providerData, args map[string]any) (map[string]any, error) {
	region, _ := args["name"].(string)
	if region == "" {
		region, _ = args["region"].(string)
	}
	return map[string]any{
		"id":          region,
		"region":      region,
		"name":        region,
		"endpoint":    "ec2." + region + ".amazonaws.com",
		"description": regionDescriptions[region],
	}, nil
}
