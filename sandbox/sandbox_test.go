package sandbox

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

func start(t *testing.T, dir, region string) *Sandbox {
	t.Helper()
	// Any existing file will do as the provider binary: nothing runs it here.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Start(context.Background(), Options{Dir: dir, Region: region, GdlabExe: exe})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return sb
}

func TestStartServesLoopbackWithTerraformEnv(t *testing.T) {
	dir := t.TempDir()
	sb := start(t, dir, "")
	u, err := url.Parse(sb.Endpoint())
	if err != nil || u.Hostname() != "127.0.0.1" || u.Port() == "0" {
		t.Fatalf("endpoint %q is not a loopback URL with a port", sb.Endpoint())
	}
	if sb.Region() != DefaultRegion {
		t.Errorf("region %q, want %q for a new world without --region", sb.Region(), DefaultRegion)
	}
	env := sb.Env()
	for k, want := range map[string]string{
		"AWS_ENDPOINT_URL": sb.Endpoint(), "AWS_REGION": DefaultRegion,
		"AWS_ACCESS_KEY_ID": AccessKeyID, "AWS_SECRET_ACCESS_KEY": SecretAccessKey,
		"TF_CLI_CONFIG_FILE": sb.CLIConfigFile(), "CHECKPOINT_DISABLE": "1",
	} {
		if env[k] != want {
			t.Errorf("terraform env %s = %q, want %q", k, env[k], want)
		}
	}
	if env["GDLAB_SANDBOX_EXE"] == "" {
		t.Error("terraform env has no GDLAB_SANDBOX_EXE for the mirror's launcher")
	}
	cfg, err := os.ReadFile(sb.CLIConfigFile())
	if err != nil || !strings.Contains(string(cfg), "filesystem_mirror") {
		t.Errorf("CLI config %s: %v\n%s", sb.CLIConfigFile(), err, cfg)
	}
}

// TestAWSConfigReachesTheSandbox: gdlab's own SDK calls land in the sandbox
// account, S3 included (path style, since the sandbox answers on one host).
func TestAWSConfigReachesTheSandbox(t *testing.T) {
	sb := start(t, t.TempDir(), "eu-west-1")
	ctx := context.Background()
	cfg := sb.AWSConfig()
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != Account {
		t.Errorf("account %q, want %q", aws.ToString(id.Account), Account)
	}
	if _, err := sb.World.CreateResource("aws_s3_bucket", map[string]any{"bucket": "gdlab-sandbox-test-bucket"}); err != nil {
		t.Fatal(err)
	}
	buckets, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(buckets.Buckets) != 1 || aws.ToString(buckets.Buckets[0].Name) != "gdlab-sandbox-test-bucket" {
		t.Errorf("buckets: %+v", buckets.Buckets)
	}
}

// TestReopenKeepsTheWorldsRegion: a later process (no --region) sees the
// region the world was made in; another region is refused once it holds
// resources.
func TestReopenKeepsTheWorldsRegion(t *testing.T) {
	dir := t.TempDir()
	first := start(t, dir, "eu-central-1")
	if _, err := first.World.CreateResource("aws_sns_topic", map[string]any{"name": "gdlab-topic"}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if again := start(t, dir, ""); again.Region() != "eu-central-1" {
		t.Errorf("reopened world is in %q", again.Region())
	}
	if sb, err := Start(context.Background(), Options{Dir: dir, Region: "us-east-1", GdlabExe: os.Args[0]}); err == nil {
		sb.Close()
		t.Error("a world with resources in eu-central-1 was reopened in us-east-1")
	}
}

func TestConfirmSubscriptionAsTheLinkDoes(t *testing.T) {
	sb := start(t, t.TempDir(), "")
	topic, err := sb.World.CreateResource("aws_sns_topic", map[string]any{"name": "gdlab-topic"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sb.World.CreateResource("aws_sns_topic_subscription", map[string]any{
		"topic_arn": topic.ID, "protocol": "email", "endpoint": "learner@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	pending := func() bool {
		var p bool
		sb.World.View(func(s *world.State) {
			p = world.Bool(s.Find("aws_sns_topic_subscription", sub.ID).Attrs, "pending_confirmation", false)
		})
		return p
	}
	if !pending() {
		t.Fatal("a new email subscription is not pending")
	}
	ctx := context.Background()
	if err := sb.ConfirmSubscription(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	if pending() {
		t.Error("still pending after ConfirmSubscription")
	}
	if err := sb.ConfirmSubscription(ctx, sub.ID); err != nil {
		t.Errorf("confirming twice: %v", err)
	}
	if err := sb.ConfirmSubscription(ctx, topic.ID+":no-such"); err == nil {
		t.Error("confirming an unknown subscription succeeded")
	}
}

func TestStartRefusesBadOptions(t *testing.T) {
	for _, opts := range []Options{{}, {Dir: t.TempDir(), Port: 70000}} {
		if sb, err := Start(context.Background(), opts); err == nil {
			sb.Close()
			t.Errorf("Start(%+v) succeeded", opts)
		}
	}
}
