package transform

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/gdlab-dev/gdlab/terraform/lab"
)

// sampleFindingEvent is the illustrative GuardDuty event of
// aws-lab-facts.md §3.
const sampleFindingEvent = `{"version":"0","id":"5f3b9c1e-0d2a-4c1b-9e7f-2a6d8b4c0e11","detail-type":"GuardDuty Finding",
 "source":"aws.guardduty","account":"123456789012","time":"2025-06-01T10:21:07Z","region":"us-west-2","resources":[],
 "detail":{"schemaVersion":"2.0","accountId":"123456789012","region":"us-west-2","partition":"aws",
  "id":"b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
  "arn":"arn:aws:guardduty:us-west-2:123456789012:detector/12abc34d5e6f/finding/b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
  "type":"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom","severity":5,
  "createdAt":"2025-06-01T10:14:55.120Z","updatedAt":"2025-06-01T10:14:55.120Z",
  "title":"EC2 instance i-0abc1234def567890 is communicating with a host on a custom threat list.",
  "description":"EC2 instance i-0abc1234def567890 is communicating with 203.0.113.25 on list MyThreatIntelSet.",
  "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abc1234def567890","instanceType":"t3.micro",
   "networkInterfaces":[{"privateIpAddress":"10.0.0.12","publicIp":"198.51.100.7","vpcId":"vpc-0123456789abcdef0",
    "securityGroups":[{"groupId":"sg-0aaa1111bbbb2222c","groupName":"initial-sg"}]}]}},
  "service":{"serviceName":"guardduty","detectorId":"12abc34d5e6f",
   "action":{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{"connectionDirection":"OUTBOUND",
    "protocol":"ICMP","blocked":false,"remoteIpDetails":{"ipAddressV4":"203.0.113.25"}}},
   "evidence":{"threatIntelligenceDetails":[{"threatListName":"MyThreatIntelSet","threatNames":[]}]},
   "additionalInfo":{"threatListName":"MyThreatIntelSet"},"resourceRole":"TARGET",
   "eventFirstSeen":"2025-06-01T10:05:12Z","eventLastSeen":"2025-06-01T10:12:40Z","archived":false,"count":8}}}`

// labRules reads the lab's EventBridge module as terraform would evaluate
// it (name_prefix "gdlab"), turning its rules and targets into Rules.
func labRules(t *testing.T) []Rule {
	t.Helper()
	const path = "modules/eventbridge/main.tf"
	src, err := fs.ReadFile(lab.Files, path)
	if err != nil {
		t.Fatal(err)
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	body := file.Body.(*hclsyntax.Body)
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{
			"name_prefix":   cty.StringVal("gdlab"),
			"sns_topic_arn": cty.StringVal("arn:aws:sns:us-west-2:123456789012:gdlab-findings"),
		})},
		Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc},
	}
	locals := map[string]cty.Value{}
	for _, b := range body.Blocks {
		if b.Type == "locals" {
			for name, attr := range b.Body.Attributes {
				locals[name] = eval(t, attr.Expr, ctx)
			}
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(locals)

	rulesByLabel := map[string]*Rule{}
	var order []string
	for _, b := range body.Blocks {
		if b.Type != "resource" || b.Labels[0] != "aws_cloudwatch_event_rule" {
			continue
		}
		name := eval(t, b.Body.Attributes["name"].Expr, ctx).AsString()
		rulesByLabel[b.Labels[1]] = &Rule{
			Name: name, ARN: "arn:aws:events:us-west-2:123456789012:rule/" + name,
			EventPattern: eval(t, b.Body.Attributes["event_pattern"].Expr, ctx).AsString(),
			State:        eval(t, b.Body.Attributes["state"].Expr, ctx).AsString(),
		}
		order = append(order, b.Labels[1])
	}
	for _, b := range body.Blocks {
		if b.Type != "resource" || b.Labels[0] != "aws_cloudwatch_event_target" {
			continue
		}
		// rule = aws_cloudwatch_event_rule.<label>.name
		ruleLabel := b.Body.Attributes["rule"].Expr.Variables()[0][1].(hcl.TraverseAttr).Name
		target := Target{
			ID:  eval(t, b.Body.Attributes["target_id"].Expr, ctx).AsString(),
			ARN: eval(t, b.Body.Attributes["arn"].Expr, ctx).AsString(),
		}
		for _, inner := range b.Body.Blocks {
			if inner.Type != "input_transformer" {
				continue
			}
			tr := &Transformer{InputPaths: map[string]string{}}
			for k, v := range eval(t, inner.Body.Attributes["input_paths"].Expr, ctx).AsValueMap() {
				tr.InputPaths[k] = v.AsString()
			}
			tr.InputTemplate = eval(t, inner.Body.Attributes["input_template"].Expr, ctx).AsString()
			target.Transformer = tr
		}
		rulesByLabel[ruleLabel].Targets = append(rulesByLabel[ruleLabel].Targets, target)
	}
	var rules []Rule
	for _, label := range order {
		rules = append(rules, *rulesByLabel[label])
	}
	return rules
}

func eval(t *testing.T, expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	t.Helper()
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return v
}

func TestLabRulesDeliverReadableMessage(t *testing.T) {
	rules := labRules(t)
	if len(rules) != 2 {
		t.Fatalf("lab has %d rules, want 2", len(rules))
	}
	deliveries, err := Route(rules, []byte(sampleFindingEvent), time.Date(2025, 6, 1, 10, 21, 8, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(deliveries) != 1 {
		t.Fatalf("%d deliveries, want only the EC2 rule's topic target: %+v", len(deliveries), deliveries)
	}
	d := deliveries[0]
	if d.RuleName != "gdlab-ec2-malicious-ip-caller" || d.TargetID != "findings-topic" {
		t.Errorf("delivered via %s/%s", d.RuleName, d.TargetID)
	}
	wantLines := []string{
		`"GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"`,
		`"Severity: 5"`,
		`"Region: us-west-2"`,
		`"Instance: i-0abc1234def567890 may be compromised: it is contacting 203.0.113.25, an address on your custom threat list."`,
		`"Finding ID: b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4"`,
		`"Investigate: https://console.aws.amazon.com/guardduty/home?region=us-west-2#/findings?search=id%3Db4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4"`,
	}
	got := strings.Split(strings.TrimRight(d.Payload, "\n"), "\n")
	if len(got) != len(wantLines) {
		t.Fatalf("payload:\n%s", d.Payload)
	}
	for i := range got {
		if strings.TrimSpace(got[i]) != wantLines[i] {
			t.Errorf("line %d\n got %s\nwant %s", i, got[i], wantLines[i])
		}
	}
}

func TestLabIAMRuleGetsIAMFindings(t *testing.T) {
	event := strings.Replace(sampleFindingEvent, "UnauthorizedAccess:EC2/", "UnauthorizedAccess:IAMUser/", 1)
	deliveries, err := Route(labRules(t), []byte(event), time.Now())
	if err != nil || len(deliveries) != 1 || deliveries[0].RuleName != "gdlab-iam-malicious-ip-caller" {
		t.Fatalf("%+v %v", deliveries, err)
	}
	// The IAM paths are missing from this event: those variables vanish.
	if !strings.Contains(deliveries[0].Payload, `"IAM user:  made AWS API calls from , an address`) {
		t.Errorf("payload:\n%s", deliveries[0].Payload)
	}
}

func TestRouteModes(t *testing.T) {
	pattern := `{"source":["aws.ec2"]}`
	rules := []Rule{
		{Name: "off", State: "DISABLED", EventPattern: pattern, Targets: []Target{{ID: "never"}}},
		{Name: "other", EventPattern: `{"source":["aws.s3"]}`, Targets: []Target{{ID: "never"}}},
		{Name: "broken", EventPattern: `{"source":"not-a-list"}`, Targets: []Target{{ID: "never"}}},
		{Name: "on", EventPattern: pattern, Targets: []Target{
			{ID: "whole"},
			{ID: "constant", Input: `{"fixed":true}`},
			{ID: "path", InputPath: "$.detail"},
			{ID: "missing path", InputPath: "$.nothing"},
			{ID: "bad transformer", Transformer: &Transformer{}},
		}},
	}
	deliveries, err := Route(rules, []byte(docEvent), time.Now())
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "bad transformer") {
		t.Errorf("error %v", err)
	}
	want := map[string]string{
		"constant":     `{"fixed":true}`,
		"path":         `{"instance-id":"i-0123456789","state":"RUNNING"}`,
		"missing path": `null`,
	}
	if len(deliveries) != 4 {
		t.Fatalf("%d deliveries: %+v", len(deliveries), deliveries)
	}
	for _, d := range deliveries {
		if w, ok := want[d.TargetID]; ok && d.Payload != w {
			t.Errorf("%s: %s, want %s", d.TargetID, d.Payload, w)
		}
		if d.TargetID == "whole" && !strings.HasPrefix(d.Payload, `{"version":"0","id":"7bf73129`) {
			t.Errorf("whole event: %s", d.Payload)
		}
	}
	if _, err := Route(rules, []byte("not json"), time.Now()); err == nil {
		t.Error("bad event accepted")
	}
}
