package provider

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// labTypes lists the aws_ resource and data source types used by the lab's HCL.
func labTypes(t *testing.T, dir string) (resources, data map[string][]string) {
	t.Helper()
	resources, data = map[string][]string{}, map[string][]string{}
	parser := hclparse.NewParser()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tf") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, diags := parser.ParseHCL(src, path)
		if diags.HasErrors() {
			t.Errorf("parsing %s: %s", path, diags.Error())
			return nil
		}
		body := f.Body.(*hclsyntax.Body)
		for _, b := range body.Blocks {
			if len(b.Labels) < 2 || !strings.HasPrefix(b.Labels[0], "aws_") {
				continue
			}
			rel, _ := filepath.Rel(dir, path)
			switch b.Type {
			case "resource":
				resources[b.Labels[0]] = append(resources[b.Labels[0]], rel)
			case "data":
				data[b.Labels[0]] = append(data[b.Labels[0]], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return resources, data
}

func TestEveryLabTypeHasASchema(t *testing.T) {
	labDir := filepath.Join("..", "..", "terraform", "lab")
	if _, err := os.Stat(labDir); err != nil {
		t.Fatalf("the lab HCL is not at %s: %v", labDir, err)
	}
	resources, data := labTypes(t, labDir)
	if len(resources) == 0 {
		t.Fatal("found no aws_ resources in the lab HCL; the walk is broken")
	}
	for typ, files := range resources {
		if _, ok := resourceSpecs[typ]; !ok {
			t.Errorf("resource type %s (used in %v) has no schema", typ, files)
		}
	}
	for typ, files := range data {
		if _, ok := dataSpecs[typ]; !ok {
			t.Errorf("data source type %s (used in %v) has no schema", typ, files)
		}
	}
	t.Logf("lab uses %d resource and %d data source types", len(resources), len(data))
}

// The types the lab is designed to use (design.md §3, aws-lab-facts.md §1) must exist even
// before the lab's HCL for a step is written.
func TestDesignedLabTypesExist(t *testing.T) {
	for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route_table",
		"aws_route_table_association", "aws_security_group", "aws_instance", "aws_eip", "aws_flow_log",
		"aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
		"aws_s3_object", "aws_guardduty_detector", "aws_guardduty_threatintelset", "aws_sns_topic",
		"aws_sns_topic_policy", "aws_sns_topic_subscription", "aws_sqs_queue", "aws_sqs_queue_policy",
		"aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_iam_role", "aws_iam_role_policy",
		"aws_lambda_function", "aws_lambda_permission", "aws_cloudwatch_log_group"} {
		if _, ok := resourceSpecs[typ]; !ok {
			t.Errorf("resource type %s missing", typ)
		}
	}
	for _, typ := range []string{"aws_availability_zones", "aws_ami", "aws_caller_identity", "aws_region",
		"aws_partition", "aws_guardduty_detector", "aws_iam_policy_document"} {
		if _, ok := dataSpecs[typ]; !ok {
			t.Errorf("data source type %s missing", typ)
		}
	}
}

// The framework accepts every schema (defaults only on computed attributes, and so on), and
// the shapes the conversion builds from the specs are the shapes terraform will send.
func TestSchemasAreValidAndMatchSpecs(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if len(resp.ResourceSchemas) != len(resourceSpecs) || len(resp.DataSourceSchemas) != len(dataSpecs) {
		t.Fatalf("served %d resources and %d data sources, want %d and %d",
			len(resp.ResourceSchemas), len(resp.DataSourceSchemas), len(resourceSpecs), len(dataSpecs))
	}
	for name, spec := range resourceSpecs {
		got := resp.ResourceSchemas[name].ValueType()
		if want := spec.full().tfType(); !got.Equal(want) {
			t.Errorf("%s: served type %s, conversion uses %s", name, got, want)
		}
		for _, common := range []string{"id"} {
			if !spec.full().has(common) {
				t.Errorf("%s lacks %s", name, common)
			}
		}
	}
	for name, spec := range dataSpecs {
		got := resp.DataSourceSchemas[name].ValueType()
		if want := spec.full().tfType(); !got.Equal(want) {
			t.Errorf("data %s: served type %s, conversion uses %s", name, got, want)
		}
	}
}

// Spot checks of the real provider's argument split, one per kind of rule.
func TestSchemaFollowsTheRealProvider(t *testing.T) {
	type want struct {
		typ, name                              string
		required, optional, computed, forceNew bool
	}
	for _, w := range []want{
		{"aws_vpc", "cidr_block", false, true, true, true},
		{"aws_vpc", "tags_all", false, false, true, false},
		{"aws_vpc", "region", false, true, true, true},
		{"aws_subnet", "vpc_id", true, false, false, true},
		{"aws_subnet", "availability_zone", false, true, true, true},
		{"aws_security_group", "description", false, true, true, true},
		{"aws_instance", "ami", false, true, true, true},
		{"aws_instance", "vpc_security_group_ids", false, true, true, false},
		{"aws_instance", "user_data", false, true, true, false},
		{"aws_s3_bucket", "bucket", false, true, true, true},
		{"aws_s3_bucket", "bucket_region", false, false, true, false},
		{"aws_s3_object", "key", true, false, false, true},
		{"aws_guardduty_threatintelset", "activate", true, false, false, false},
		{"aws_guardduty_threatintelset", "format", true, false, false, true},
		{"aws_sns_topic_subscription", "endpoint", true, false, false, true},
		{"aws_lambda_function", "function_name", true, false, false, true},
		{"aws_lambda_function", "role", true, false, false, false},
		{"aws_iam_role", "assume_role_policy", true, false, false, false},
		{"aws_cloudwatch_event_target", "target_id", false, true, true, true},
	} {
		spec, ok := resourceSpecs[w.typ]
		if !ok {
			t.Errorf("%s missing", w.typ)
			continue
		}
		a, ok := spec.full().attr(w.name)
		if !ok {
			t.Errorf("%s.%s missing", w.typ, w.name)
			continue
		}
		if a.required != w.required || a.optional != w.optional || a.computed != w.computed || a.forceNew != w.forceNew {
			t.Errorf("%s.%s: required/optional/computed/forceNew = %v/%v/%v/%v, want %v/%v/%v/%v", w.typ, w.name,
				a.required, a.optional, a.computed, a.forceNew, w.required, w.optional, w.computed, w.forceNew)
		}
	}
	// Global IAM types have no region argument; regional ones do.
	if resourceSpecs["aws_iam_role"].full().has("region") || !resourceSpecs["aws_sns_topic"].full().has("region") {
		t.Error("region argument on the wrong types")
	}
	if resourceSpecs["aws_eip"].full().has("vpc") {
		t.Error("aws_eip.vpc was removed in provider 6")
	}
	if resourceSpecs["aws_flow_log"].full().has("log_group_name") {
		t.Error("aws_flow_log.log_group_name was removed in provider 6")
	}
	names := ResourceTypes()
	if !sort.StringsAreSorted(names) {
		t.Error("ResourceTypes is not sorted")
	}
}
