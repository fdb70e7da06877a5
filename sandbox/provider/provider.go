// Package provider is gdlab's sandbox build of the hashicorp/aws terraform provider: the same
// schemas as the real provider for every type the lab uses, with create/read/update/delete acting
// on the sandbox world through its private API (sandbox/API.md). terraform starts it from the
// filesystem mirror laid out by sandbox/mirror, as `gdlab sandbox provider`.
package provider

import (
	"context"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	// Address is the registry address the sandbox provider stands in for.
	Address = "registry.terraform.io/hashicorp/aws"
	// Version satisfies the lab's `~> 6.0` and is used by no real release.
	Version = "6.999.0"
)

// Serve runs the provider as a terraform plugin (protocol 6) until terraform stops it.
func Serve(ctx context.Context) error {
	return providerserver.Serve(ctx, New, providerserver.ServeOpts{
		Address:         Address,
		ProtocolVersion: 6,
	})
}

// New returns the provider.
func New() provider.Provider { return &awsProvider{} }

type awsProvider struct{}

func (p *awsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "aws"
	resp.Version = Version
}

// Schema accepts the real provider's commonly used top-level arguments so that a learner's
// provider block is valid here exactly when it is valid for AWS. Credentials and most tuning
// knobs are accepted and ignored: the sandbox has one account and no network.
func (p *awsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	optStr := pschema.StringAttribute{Optional: true}
	optBool := pschema.BoolAttribute{Optional: true}
	optInt := pschema.Int64Attribute{Optional: true}
	strSetAttr := pschema.SetAttribute{ElementType: types.StringType, Optional: true}
	strListAttr := pschema.ListAttribute{ElementType: types.StringType, Optional: true}
	endpoints := map[string]pschema.Attribute{}
	for _, svc := range []string{"cloudwatchevents", "cloudwatchlogs", "ec2", "eventbridge", "events",
		"guardduty", "iam", "lambda", "logs", "resourcegroupstaggingapi", "s3", "sns", "sqs", "ssm", "sts"} {
		endpoints[svc] = optStr
	}
	resp.Schema = pschema.Schema{
		Attributes: map[string]pschema.Attribute{
			"access_key":                         optStr,
			"secret_key":                         pschema.StringAttribute{Optional: true, Sensitive: true},
			"token":                              pschema.StringAttribute{Optional: true, Sensitive: true},
			"profile":                            optStr,
			"region":                             optStr,
			"shared_config_files":                strListAttr,
			"shared_credentials_files":           strListAttr,
			"max_retries":                        optInt,
			"retry_mode":                         optStr,
			"skip_credentials_validation":        optBool,
			"skip_metadata_api_check":            optStr,
			"skip_region_validation":             optBool,
			"skip_requesting_account_id":         optBool,
			"allowed_account_ids":                strSetAttr,
			"forbidden_account_ids":              strSetAttr,
			"insecure":                           optBool,
			"http_proxy":                         optStr,
			"https_proxy":                        optStr,
			"no_proxy":                           optStr,
			"custom_ca_bundle":                   optStr,
			"ec2_metadata_service_endpoint":      optStr,
			"ec2_metadata_service_endpoint_mode": optStr,
			"s3_use_path_style":                  optBool,
			"s3_us_east_1_regional_endpoint":     optStr,
			"sts_region":                         optStr,
			"token_bucket_rate_limiter_capacity": optInt,
			"use_dualstack_endpoint":             optBool,
			"use_fips_endpoint":                  optBool,
		},
		Blocks: map[string]pschema.Block{
			"default_tags": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{
				Attributes: map[string]pschema.Attribute{
					"tags": pschema.MapAttribute{ElementType: types.StringType, Optional: true},
				},
			}},
			"ignore_tags": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{
				Attributes: map[string]pschema.Attribute{"keys": strSetAttr, "key_prefixes": strSetAttr},
			}},
			"assume_role": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{
				Attributes: map[string]pschema.Attribute{
					"role_arn": optStr, "session_name": optStr, "external_id": optStr, "duration": optStr,
					"policy": optStr, "policy_arns": strSetAttr, "source_identity": optStr,
					"tags":                pschema.MapAttribute{ElementType: types.StringType, Optional: true},
					"transitive_tag_keys": strSetAttr,
				},
			}},
			"assume_role_with_web_identity": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{
				Attributes: map[string]pschema.Attribute{
					"role_arn": optStr, "session_name": optStr, "duration": optStr, "policy": optStr,
					"policy_arns": strSetAttr, "web_identity_token": optStr, "web_identity_token_file": optStr,
				},
			}},
			"endpoints": pschema.SetNestedBlock{NestedObject: pschema.NestedBlockObject{Attributes: endpoints}},
		},
	}
}

func (p *awsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	cfg, err := objectToJSON(req.Config.Raw, false)
	if err != nil {
		resp.Diagnostics.AddError("reading the provider configuration", err.Error())
		return
	}
	data, problem := newProviderData(cfg, os.Getenv)
	if problem != "" {
		resp.Diagnostics.AddError("the sandbox AWS provider cannot start", problem)
		return
	}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *awsProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, name := range sortedKeys(resourceSpecs) {
		spec := resourceSpecs[name]
		out = append(out, func() resource.Resource { return &genericResource{spec: spec} })
	}
	return out
}

func (p *awsProvider) DataSources(context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, name := range sortedKeys(dataSpecs) {
		spec := dataSpecs[name]
		out = append(out, func() datasource.DataSource { return &genericDataSource{spec: spec} })
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
