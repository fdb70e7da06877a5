package lab

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// The facts the lab's safety and correctness rest on, each a pitfall of the original tutorial or
// of provider 6.x (shared/reference/aws-lab-facts.md).
func TestSafetyFacts(t *testing.T) {
	vpc := parseModule(t, "vpc")
	compute := parseModule(t, "compute")
	s3 := parseModule(t, "s3")
	guardduty := parseModule(t, "guardduty")
	sns := parseModule(t, "sns")
	lambda := parseModule(t, "lambda")

	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"provider tags every resource with gdlab:lab", func(t *testing.T) {
			provider := findBlock(t, []tfFile{parseFragment(t, MainFragment)}, "provider", "aws")
			tags := nestedBlocks(provider, "default_tags")
			if len(tags) != 1 {
				t.Fatalf("provider aws has %d default_tags blocks, want 1", len(tags))
			}
			attr := tags[0].Body.Attributes["tags"]
			if attr == nil || !strings.Contains(sourceOf(t, MainFragment, attr.Expr), `"gdlab:lab" = var.lab_id`) {
				t.Errorf(`default_tags must map "gdlab:lab" to var.lab_id`)
			}
		}},
		{"Elastic IP uses domain, not the removed vpc argument", func(t *testing.T) {
			eips := resourcesOfType(append(slices.Clone(vpc), compute...), "aws_eip")
			if len(eips) == 0 {
				t.Fatal("no aws_eip in the lab")
			}
			for _, eip := range eips {
				if _, ok := eip.Body.Attributes["vpc"]; ok {
					t.Errorf("aws_eip.%s sets vpc, removed in provider 6", eip.Labels[1])
				}
				if got := literalString(t, eip, "domain"); got != "vpc" {
					t.Errorf("aws_eip.%s domain = %q, want vpc", eip.Labels[1], got)
				}
			}
		}},
		{"AMI lookup names owners and the AL2023 x86_64 images", func(t *testing.T) {
			ami := findBlock(t, compute, "data", "aws_ami", "al2023")
			if owners := literalStrings(t, ami, "owners"); !slices.Equal(owners, []string{"amazon"}) {
				t.Errorf("owners = %v, want [amazon]", owners)
			}
			var names []string
			for _, f := range nestedBlocks(ami, "filter") {
				if literalString(t, f, "name") == "name" {
					names = literalStrings(t, f, "values")
				}
			}
			if !slices.Equal(names, []string{"al2023-ami-2023.*-x86_64"}) {
				t.Errorf("name filter = %v, want [al2023-ami-2023.*-x86_64]", names)
			}
		}},
		{"instances require IMDSv2 and encrypt their root volume", func(t *testing.T) {
			for _, inst := range resourcesOfType(compute, "aws_instance") {
				md := nestedBlocks(inst, "metadata_options")
				if len(md) != 1 || literalString(t, md[0], "http_tokens") != "required" {
					t.Errorf("aws_instance.%s must set metadata_options.http_tokens = required", inst.Labels[1])
				}
				root := nestedBlocks(inst, "root_block_device")
				if len(root) != 1 || literal(t, root[0], "encrypted") != cty.True {
					t.Errorf("aws_instance.%s must set root_block_device.encrypted = true", inst.Labels[1])
				}
			}
		}},
		{"compromised instance keeps the Lambda's security groups", func(t *testing.T) {
			inst := findBlock(t, compute, "resource", "aws_instance", "compromised")
			lc := nestedBlocks(inst, "lifecycle")
			if len(lc) != 1 || !slices.Contains(referenceList(t, lc[0], "ignore_changes"), "vpc_security_group_ids") {
				t.Error("lifecycle.ignore_changes must include vpc_security_group_ids")
			}
			if literal(t, inst, "user_data_replace_on_change") != cty.True {
				t.Error("user_data_replace_on_change must be true: cloud-init runs user data only once")
			}
		}},
		{"forensic security group has no rules at all", func(t *testing.T) {
			sg := findBlock(t, lambda, "resource", "aws_security_group", "forensic")
			for _, name := range []string{"ingress", "egress"} {
				if len(nestedBlocks(sg, name)) > 0 {
					t.Errorf("FORENSIC_SG has an %s block", name)
				}
				if _, ok := sg.Body.Attributes[name]; ok {
					t.Errorf("FORENSIC_SG sets %s", name)
				}
			}
			for _, m := range Modules() {
				for _, f := range parseModule(t, m) {
					for _, b := range f.body.Blocks {
						if b.Type == "resource" && strings.Contains(b.Labels[0], "security_group") && b.Labels[0] != "aws_security_group" &&
							refersTo(b.Body, "aws_security_group", "forensic") {
							t.Errorf("%s: %s.%s adds a rule to FORENSIC_SG", f.path, b.Labels[0], b.Labels[1])
						}
					}
				}
			}
		}},
		{"subnet takes its zone from the zone list", func(t *testing.T) {
			subnet := findBlock(t, vpc, "resource", "aws_subnet", "public")
			if !refersTo(subnet.Body, "data", "aws_availability_zones") {
				t.Error("aws_subnet.public availability_zone must come from data.aws_availability_zones")
			}
		}},
		{"no hard-coded availability zone", func(t *testing.T) {
			zone := regexp.MustCompile(`\b[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]\b`)
			err := fs.WalkDir(Files, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				src, err := fs.ReadFile(Files, p)
				if err != nil {
					return err
				}
				if m := zone.Find(src); m != nil {
					t.Errorf("%s hard-codes the availability zone %s", p, m)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"detector republishes every 15 minutes and only when the lab owns it", func(t *testing.T) {
			det := findBlock(t, guardduty, "resource", "aws_guardduty_detector", "lab")
			if got := literalString(t, det, "finding_publishing_frequency"); got != "FIFTEEN_MINUTES" {
				t.Errorf("finding_publishing_frequency = %q, want FIFTEEN_MINUTES", got)
			}
			if literal(t, det, "enable") != cty.True {
				t.Error("detector must be enabled")
			}
			if _, ok := det.Body.Attributes["count"]; !ok {
				t.Error("the detector must be conditional (count), so an existing one is reused, never managed")
			}
			findBlock(t, guardduty, "data", "aws_guardduty_detector", "existing")
		}},
		{"threat list is TXT, active and reloaded when the list changes", func(t *testing.T) {
			set := findBlock(t, guardduty, "resource", "aws_guardduty_threatintelset", "lab")
			if got := literalString(t, set, "format"); got != "TXT" {
				t.Errorf("format = %q, want TXT", got)
			}
			if literal(t, set, "activate") != cty.True {
				t.Error("activate must be true")
			}
			lc := nestedBlocks(set, "lifecycle")
			if len(lc) != 1 || !slices.Contains(referenceList(t, lc[0], "replace_triggered_by"), "aws_s3_object.threat_list") {
				t.Error("lifecycle.replace_triggered_by must include aws_s3_object.threat_list")
			}
		}},
		{"buckets are private, deletable and flow logs record all traffic", func(t *testing.T) {
			for _, b := range resourcesOfType(s3, "aws_s3_bucket") {
				if literal(t, b, "force_destroy") != cty.True {
					t.Errorf("aws_s3_bucket.%s must set force_destroy", b.Labels[1])
				}
			}
			blocks := resourcesOfType(s3, "aws_s3_bucket_public_access_block")
			if len(blocks) != 2 {
				t.Errorf("%d public access blocks, want one per bucket", len(blocks))
			}
			for _, b := range blocks {
				for _, a := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
					if literal(t, b, a) != cty.True {
						t.Errorf("aws_s3_bucket_public_access_block.%s: %s must be true", b.Labels[1], a)
					}
				}
			}
			fl := findBlock(t, s3, "resource", "aws_flow_log", "vpc")
			if literalString(t, fl, "traffic_type") != "ALL" || literalString(t, fl, "log_destination_type") != "s3" {
				t.Error("the flow log must record ALL traffic to s3")
			}
		}},
		{"topic policy lets EventBridge publish without conditions", func(t *testing.T) {
			doc := findBlock(t, sns, "data", "aws_iam_policy_document", "topic")
			for _, st := range nestedBlocks(doc, "statement") {
				if len(nestedBlocks(st, "condition")) > 0 {
					t.Error("EventBridge deliveries fail with conditions in the SNS topic policy")
				}
			}
			tap := findBlock(t, sns, "data", "aws_iam_policy_document", "tap")
			cond := nestedBlocks(nestedBlocks(tap, "statement")[0], "condition")
			if len(cond) != 1 || literalString(t, cond[0], "variable") != "aws:SourceArn" {
				t.Error("the SQS tap policy must be scoped with aws:SourceArn")
			}
		}},
		{"Lambda is a Go binary on provided.al2023 for arm64", func(t *testing.T) {
			fn := findBlock(t, lambda, "resource", "aws_lambda_function", "remediation")
			if got := literalString(t, fn, "runtime"); got != "provided.al2023" {
				t.Errorf("runtime = %q", got)
			}
			if got := literalStrings(t, fn, "architectures"); !slices.Equal(got, []string{"arm64"}) {
				t.Errorf("architectures = %v", got)
			}
			if got := literalString(t, fn, "handler"); got != "bootstrap" {
				t.Errorf("handler = %q", got)
			}
			env := nestedBlocks(fn, "environment")
			if len(env) != 1 {
				t.Fatal("no environment block")
			}
			vars := env[0].Body.Attributes["variables"]
			if vars == nil {
				t.Fatal("environment sets no variables")
			}
			for _, name := range []string{"INSTANCE_ID", "FORENSICS_SG", "TOPIC_ARN"} {
				if !strings.Contains(sourceOf(t, "modules/lambda/main.tf", vars.Expr), name+" ") {
					t.Errorf("environment lacks %s", name)
				}
			}
			if !slices.Contains(referenceList(t, fn, "depends_on"), "aws_cloudwatch_log_group.remediation") {
				t.Error("the function must depend on its log group, or Lambda creates an untagged one")
			}
		}},
		{"only the EC2 finding rule may invoke the Lambda", func(t *testing.T) {
			perm := findBlock(t, lambda, "resource", "aws_lambda_permission", "ec2_finding_rule")
			if literalString(t, perm, "principal") != "events.amazonaws.com" {
				t.Error("principal must be events.amazonaws.com")
			}
			if attr := perm.Body.Attributes["source_arn"]; attr == nil || !refersTo(perm.Body, "var", "ec2_finding_rule_arn") {
				t.Error("source_arn must be the EC2 finding rule's ARN")
			}
		}},
		{"Lambda may modify only the compromised instance", func(t *testing.T) {
			doc := findBlock(t, lambda, "data", "aws_iam_policy_document", "remediation")
			for _, st := range nestedBlocks(doc, "statement") {
				actions := literalStrings(t, st, "actions")
				if !slices.Contains(actions, "ec2:ModifyInstanceAttribute") {
					continue
				}
				src := sourceOf(t, "modules/lambda/main.tf", st.Body.Attributes["resources"].Expr)
				if !strings.Contains(src, "var.compromised_instance_arn") || strings.Contains(src, ":instance/*") {
					t.Errorf("ModifyInstanceAttribute resources = %s, want the compromised instance's ARN only", src)
				}
				return
			}
			t.Error("no statement grants ec2:ModifyInstanceAttribute")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// The EventBridge rules match exactly the two custom-threat-list finding types, and every SNS
// message template is a sequence of JSON strings whose placeholders all have an input path.
func TestEventRules(t *testing.T) {
	files := parseModule(t, "eventbridge")
	locals := map[string]cty.Value{}
	for _, b := range blocksOf(files, "locals") {
		for name, attr := range b.Body.Attributes {
			v, diags := attr.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("local.%s: %s", name, diags.Error())
			}
			locals[name] = v
		}
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"local": cty.ObjectVal(locals)},
		Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc},
	}
	rules := map[string]string{
		"ec2_finding": "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
		"iam_finding": "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
	}
	for rule, findingType := range rules {
		b := findBlock(t, files, "resource", "aws_cloudwatch_event_rule", rule)
		if got := literalString(t, b, "state"); got != "ENABLED" {
			t.Errorf("%s: state = %q, want ENABLED", rule, got)
		}
		v, diags := b.Body.Attributes["event_pattern"].Expr.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("%s: event_pattern: %s", rule, diags.Error())
		}
		var got, want any
		if err := json.Unmarshal([]byte(v.AsString()), &got); err != nil {
			t.Fatalf("%s: event_pattern is not JSON: %v", rule, err)
		}
		wantJSON := `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"type":["` + findingType + `"]}}`
		_ = json.Unmarshal([]byte(wantJSON), &want)
		if !jsonEqual(got, want) {
			t.Errorf("%s: event_pattern = %s, want %s", rule, v.AsString(), wantJSON)
		}
	}

	wantPaths := map[string]map[string]string{
		"ec2_finding_email": {
			"finding_id": "$.detail.id", "type": "$.detail.type", "severity": "$.detail.severity",
			"region": "$.detail.region", "instance_id": "$.detail.resource.instanceDetails.instanceId",
			"remote_ip": "$.detail.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4",
		},
		"iam_finding_email": {
			"finding_id": "$.detail.id", "type": "$.detail.type", "severity": "$.detail.severity",
			"region": "$.detail.region", "user_name": "$.detail.resource.accessKeyDetails.userName",
			"remote_ip": "$.detail.service.action.awsApiCallAction.remoteIpDetails.ipAddressV4",
		},
	}
	placeholder := regexp.MustCompile(`<([A-Za-z0-9_.-]+)>`)
	for target, want := range wantPaths {
		b := findBlock(t, files, "resource", "aws_cloudwatch_event_target", target)
		it := nestedBlocks(b, "input_transformer")
		if len(it) != 1 {
			t.Fatalf("%s: want one input_transformer", target)
		}
		pathsVal := literal(t, it[0], "input_paths")
		paths := map[string]string{}
		for k, v := range pathsVal.AsValueMap() {
			paths[k] = v.AsString()
		}
		for k, v := range want {
			if paths[k] != v {
				t.Errorf("%s: input_paths[%s] = %q, want %q", target, k, paths[k], v)
			}
		}
		template := literalString(t, it[0], "input_template")
		lines := strings.Split(strings.TrimSpace(template), "\n")
		if len(lines) < 3 {
			t.Errorf("%s: template has %d lines, want a readable multi-line message", target, len(lines))
		}
		for _, line := range lines {
			var s string
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Errorf("%s: template line %s is not a JSON string: %v", target, line, err)
			}
			for _, m := range placeholder.FindAllStringSubmatch(line, -1) {
				if _, ok := paths[m[1]]; !ok {
					t.Errorf("%s: template uses <%s>, which input_paths does not define", target, m[1])
				}
			}
		}
	}
}

// The compromised host's user data: a shell script whose settings block the sandbox reads, and
// a systemd timer that starts the beacon within seconds and repeats it.
func TestCompromisedUserData(t *testing.T) {
	const templatePath = "modules/compute/templates/compromised_user_data.sh.tftpl"
	src, err := fs.ReadFile(Files, templatePath)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, diags := hclsyntax.ParseTemplate(src, templatePath, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	// The template may use only the variables compute/main.tf passes to templatefile.
	inst := findBlock(t, parseModule(t, "compute"), "resource", "aws_instance", "compromised")
	call := sourceOf(t, "modules/compute/main.tf", inst.Body.Attributes["user_data"].Expr)
	for _, trav := range tmpl.Variables() {
		if !strings.Contains(call, trav.RootName()+" ") {
			t.Errorf("template uses %s, which templatefile does not pass", trav.RootName())
		}
	}
	out, diags := tmpl.Value(&hcl.EvalContext{Variables: map[string]cty.Value{
		"target_ip":        cty.StringVal("203.0.113.25"),
		"interval_seconds": cty.NumberIntVal(60),
		"ping_count":       cty.NumberIntVal(6),
	}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	script := out.AsString()
	for _, want := range []string{
		"#!/bin/bash\n",
		"\nBEACON_TARGET=203.0.113.25\n",
		"\nBEACON_INTERVAL_SECONDS=60\n",
		"\nBEACON_PING_COUNT=6\n",
		"\nOnUnitActiveSec=60s\n",
		"ExecStart=-/usr/bin/ping -n -c $BEACON_PING_COUNT -i $BEACON_PING_SPACING_SECONDS $BEACON_TARGET\n",
		"systemctl enable --now gdlab-beacon.timer",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("rendered user data lacks %q", want)
		}
	}
	if onActive := regexp.MustCompile(`\nOnActiveSec=(\d+)s\n`).FindStringSubmatch(script); onActive == nil || len(onActive[1]) > 2 {
		t.Error("the timer must fire within seconds of activation (OnActiveSec=<n>s, n < 100)")
	}
	if strings.Contains(script, "crontab") || strings.Contains(script, "/var/spool/cron") {
		t.Error("Amazon Linux 2023 has no cron")
	}
}

func resourcesOfType(files []tfFile, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range blocksOf(files, "resource") {
		if b.Labels[0] == typ {
			out = append(out, b)
		}
	}
	return out
}

// refersTo reports whether a body references root.next (e.g. aws_security_group.forensic or
// data.aws_availability_zones).
func refersTo(body *hclsyntax.Body, root, next string) bool {
	for _, trav := range references(body, "") {
		if trav.RootName() == root && attrStep(trav, 1) == next {
			return true
		}
	}
	return false
}

// sourceOf returns the source text of an expression of an embedded file.
func sourceOf(t *testing.T, file string, expr hclsyntax.Expression) string {
	t.Helper()
	name := file
	if !strings.Contains(name, "/") {
		name = RootDir + "/" + file
	}
	src, err := fs.ReadFile(Files, name)
	if err != nil {
		t.Fatal(err)
	}
	r := expr.Range()
	return string(r.SliceBytes(src))
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
