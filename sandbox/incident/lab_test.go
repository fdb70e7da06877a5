package incident

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/lambda/pack"
	"github.com/gdlab-dev/gdlab/sandbox/endpoint"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// The lab's resources, created directly through the world the way the lab's
// modules create them (terraform/lab/modules/*), so the incident arises from
// them exactly as it does after `terraform apply`.

type lab struct {
	dir          string
	w            *world.World
	srv          *endpoint.Server
	detector     string
	compromised  string
	forensicSG   string
	initialSG    string
	eip          string
	flowBucket   string
	topic        string
	emailSub     string
	tapQueueURL  string
	function     string
	ruleARN      string
	logGroupName string
}

const labPrefix = "gdlab-t1"

func mustCreate(t testing.TB, w *world.World, typ string, attrs map[string]any) *world.Resource {
	t.Helper()
	r, err := w.CreateResource(typ, attrs)
	if err != nil {
		t.Fatalf("create %s: %v", typ, err)
	}
	return r
}

// renderUserData renders the compute module's template as templatefile does.
func renderUserData(t testing.TB, target string) string {
	t.Helper()
	root := pack.FindModuleRoot(".")
	b, err := os.ReadFile(filepath.Join(root, "terraform/lab/modules/compute/templates/compromised_user_data.sh.tftpl"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("${target_ip}", target, "${interval_seconds}", "60", "${ping_count}", "6").Replace(string(b))
}

// newLab opens a world in dir (a fresh one when empty) and starts its endpoint.
func openLab(t testing.TB, dir string) *lab {
	t.Helper()
	w, err := world.Open(dir, "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := endpoint.Start(w, endpoint.LoopbackAddr(0))
	if err != nil {
		t.Fatal(err)
	}
	l := &lab{dir: dir, w: w, srv: srv}
	t.Cleanup(func() { l.stopEndpoint() })
	return l
}

func (l *lab) stopEndpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.srv.Close(ctx)
}

// build creates the lab's resources; zipPath is the function's package.
func (l *lab) build(t testing.TB, zipPath, arch string) {
	t.Helper()
	w := l.w
	vpc := mustCreate(t, w, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/24", "enable_dns_hostnames": true})
	subnet := mustCreate(t, w, "aws_subnet", map[string]any{"vpc_id": vpc.ID, "cidr_block": "10.0.0.0/26",
		"availability_zone": "us-west-2a", "map_public_ip_on_launch": true})
	initial := mustCreate(t, w, "aws_security_group", map[string]any{"name": labPrefix + "-INITIAL_SG", "vpc_id": vpc.ID,
		"ingress": []any{map[string]any{"protocol": "icmp", "from_port": -1, "to_port": -1, "cidr_blocks": []any{"10.0.0.0/24"}}},
		"egress":  []any{map[string]any{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": []any{"0.0.0.0/0"}}}})
	l.initialSG = initial.ID
	malSG := mustCreate(t, w, "aws_security_group", map[string]any{"name": labPrefix + "-malicious-host", "vpc_id": vpc.ID})
	ami := world.Images("us-west-2")[1].ID
	for _, im := range world.Images("us-west-2") {
		if im.Architecture == "x86_64" {
			ami = im.ID
		}
	}
	mal := mustCreate(t, w, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro", "subnet_id": subnet.ID,
		"vpc_security_group_ids": []any{initial.ID, malSG.ID}, "tags": map[string]any{"Name": "IAC-Tutorial: Malicious Instance"}})
	eip := mustCreate(t, w, "aws_eip", map[string]any{"domain": "vpc", "instance": mal.ID})
	l.eip = world.Str(eip.Attrs, "public_ip")
	comp := mustCreate(t, w, "aws_instance", map[string]any{"ami": ami, "instance_type": "t3.micro", "subnet_id": subnet.ID,
		"vpc_security_group_ids": []any{initial.ID}, "user_data": renderUserData(t, l.eip),
		"tags": map[string]any{"Name": "IAC-Tutorial: Compromised Instance"}})
	l.compromised = comp.ID
	mustCreate(t, w, "aws_vpc_security_group_ingress_rule", map[string]any{"security_group_id": malSG.ID,
		"ip_protocol": "icmp", "from_port": 8, "to_port": -1, "cidr_ipv4": world.Str(comp.Attrs, "public_ip") + "/32"})

	l.flowBucket = labPrefix + "-flow-logs"
	mustCreate(t, w, "aws_s3_bucket", map[string]any{"bucket": l.flowBucket})
	mustCreate(t, w, "aws_flow_log", map[string]any{"vpc_id": vpc.ID, "traffic_type": "ALL", "log_destination_type": "s3",
		"log_destination": "arn:aws:s3:::" + l.flowBucket, "max_aggregation_interval": 60})

	lists := labPrefix + "-threat-lists"
	mustCreate(t, w, "aws_s3_bucket", map[string]any{"bucket": lists})
	det := mustCreate(t, w, "aws_guardduty_detector", map[string]any{"enable": true, "finding_publishing_frequency": "FIFTEEN_MINUTES"})
	l.detector = det.ID
	mustCreate(t, w, "aws_s3_object", map[string]any{"bucket": lists, "key": "threat-lists/malicious-ips.txt",
		"content": l.eip + "\n", "content_type": "text/plain"})
	mustCreate(t, w, "aws_guardduty_threatintelset", map[string]any{"detector_id": det.ID, "name": labPrefix + "-malicious-ips",
		"format": "TXT", "location": "https://s3.amazonaws.com/" + lists + "/threat-lists/malicious-ips.txt", "activate": true})

	topic := mustCreate(t, w, "aws_sns_topic", map[string]any{"name": labPrefix + "-findings"})
	l.topic = topic.ID
	mustCreate(t, w, "aws_sns_topic_policy", map[string]any{"arn": topic.ID, "policy": `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"AllowEventBridge","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic.ID + `"}]}`})
	l.emailSub = mustCreate(t, w, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic.ID, "protocol": "email",
		"endpoint": "learner@example.com"}).ID
	tap := mustCreate(t, w, "aws_sqs_queue", map[string]any{"name": labPrefix + "-tap"})
	l.tapQueueURL = tap.ID
	mustCreate(t, w, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic.ID, "protocol": "sqs",
		"endpoint": world.Str(tap.Attrs, "arn")})

	forensic := mustCreate(t, w, "aws_security_group", map[string]any{"name": labPrefix + "-FORENSIC_SG", "vpc_id": vpc.ID})
	l.forensicSG = forensic.ID
	l.function = labPrefix + "-remediation"
	l.logGroupName = "/aws/lambda/" + l.function
	mustCreate(t, w, "aws_cloudwatch_log_group", map[string]any{"name": l.logGroupName, "retention_in_days": 7})
	role := mustCreate(t, w, "aws_iam_role", map[string]any{"name": l.function + "-lambda",
		"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	fn := mustCreate(t, w, "aws_lambda_function", map[string]any{"function_name": l.function, "role": world.Str(role.Attrs, "arn"),
		"runtime": "provided.al2023", "architectures": []any{arch}, "handler": "bootstrap", "filename": zipPath,
		"timeout": 30, "memory_size": 128,
		"environment": []any{map[string]any{"variables": map[string]any{
			"INSTANCE_ID": comp.ID, "FORENSICS_SG": forensic.ID, "TOPIC_ARN": topic.ID}}}})

	rule := mustCreate(t, w, "aws_cloudwatch_event_rule", map[string]any{"name": labPrefix + "-ec2-malicious-ip-caller", "state": "ENABLED",
		"event_pattern": `{"detail":{"type":["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]},"detail-type":["GuardDuty Finding"],"source":["aws.guardduty"]}`})
	l.ruleARN = world.Str(rule.Attrs, "arn")
	mustCreate(t, w, "aws_cloudwatch_event_target", map[string]any{"rule": world.Str(rule.Attrs, "name"), "target_id": "findings-topic",
		"arn": topic.ID, "input_transformer": []any{map[string]any{
			"input_paths": map[string]any{"finding_id": "$.detail.id", "type": "$.detail.type", "severity": "$.detail.severity",
				"region": "$.detail.region", "instance_id": "$.detail.resource.instanceDetails.instanceId",
				"remote_ip": "$.detail.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4"},
			"input_template": `"GuardDuty finding: <type>"` + "\n" + `"Severity: <severity>"` + "\n" + `"Region: <region>"` + "\n" +
				`"Instance: <instance_id> may be compromised: it is contacting <remote_ip>, an address on your custom threat list."` + "\n" +
				`"Finding ID: <finding_id>"` + "\n"}}})
	mustCreate(t, w, "aws_lambda_permission", map[string]any{"statement_id": "AllowEc2FindingRule", "action": "lambda:InvokeFunction",
		"function_name": world.Str(fn.Attrs, "function_name"), "principal": "events.amazonaws.com", "source_arn": l.ruleARN})
	mustCreate(t, w, "aws_cloudwatch_event_target", map[string]any{"rule": world.Str(rule.Attrs, "name"), "target_id": "remediation-lambda",
		"arn": world.Str(fn.Attrs, "arn")})
}

// nativeZip builds the remediation function for this machine once, so its
// bootstrap runs here directly.
var nativeZip = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "gdlab-incident-zip-")
	if err != nil {
		return "", err
	}
	tempDirs = append(tempDirs, dir)
	res, err := pack.Build(context.Background(), pack.Options{Arch: runtime.GOARCH,
		Output: filepath.Join(dir, "remediation.zip"), SourceDir: pack.FindModuleRoot(".")})
	return res.Path, err
})

// gdlabExe builds the gdlab binary once, for the Lambda-mode path.
var gdlabExe = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "gdlab-incident-exe-")
	if err != nil {
		return "", err
	}
	tempDirs = append(tempDirs, dir)
	exe := filepath.Join(dir, "gdlab")
	return exe, goBuild(pack.FindModuleRoot("."), exe, "./cmd/gdlab")
})

var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func needLinux(t testing.TB) {
	if runtime.GOOS != "linux" {
		t.Skip("the function's bootstrap is a Linux executable")
	}
}
