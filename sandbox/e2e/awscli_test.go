package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// awsCLI is the AWS CLI v2 (the first aws on PATH may be v1).
const awsCLI = "/usr/bin/aws"

var servedEndpointRE = regexp.MustCompile(`endpoint:\s+(http://127\.0\.0\.1:\d+)`)

// serveSandbox starts `gdlab sandbox serve` on the lab folder and returns
// its endpoint; the server is stopped with Ctrl-C when the test ends.
func serveSandbox(t *testing.T, lab string) string {
	t.Helper()
	cmd := gdlabCommand(t, lab, "sandbox", "serve")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("gdlab sandbox serve did not stop cleanly: %v\n%s", err, stderr.String())
		}
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := servedEndpointRE.FindStringSubmatch(lines.Text()); m != nil {
			go func() { // keep the pipe drained until the server stops
				for lines.Scan() {
				}
			}()
			return m[1]
		}
	}
	t.Fatalf("gdlab sandbox serve printed no endpoint\n%s", stderr.String())
	return ""
}

// awsJSON runs the AWS CLI against endpoint with throwaway credentials and
// no configuration files of the user's, and parses its JSON answer.
func awsJSON(t *testing.T, endpoint string, args ...string) map[string]any {
	t.Helper()
	out := awsRun(t, endpoint, append(args, "--output", "json")...)
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("aws %s: the answer is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	return v
}

func awsRun(t *testing.T, endpoint string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, awsCLI, append([]string{"--endpoint-url", endpoint}, args...)...)
	none := filepath.Join(t.TempDir(), "none")
	cmd.Env = append(gdlabEnv(), "AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox",
		"AWS_REGION=us-west-2", "AWS_DEFAULT_REGION=us-west-2", "AWS_PAGER=",
		"AWS_CONFIG_FILE="+none, "AWS_SHARED_CREDENTIALS_FILE="+none)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out.String()
}

// awsCLIAgainstServe looks at a lab after step 8 as the docs tell a learner
// to: GuardDuty findings, the flow-log bucket, the instances.
func awsCLIAgainstServe(t *testing.T, lab string) {
	if _, err := os.Stat(awsCLI); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the AWS CLI v2 is required in CI at %s", awsCLI)
		}
		t.Skipf("no AWS CLI v2 at %s", awsCLI)
	}
	s := openWorld(t, lab)
	var detector, flowBucket string
	if d := s.List("aws_guardduty_detector"); len(d) == 1 {
		detector = d[0].ID
	}
	for _, b := range s.List("aws_s3_bucket") {
		if strings.Contains(b.ID, "flow-logs") {
			flowBucket = b.ID
		}
	}
	instances := map[string]bool{}
	for _, r := range s.List("aws_instance") {
		instances[r.ID] = true
	}
	if detector == "" || flowBucket == "" || len(instances) != 2 {
		t.Fatalf("the world after step 8: detector %q, flow-log bucket %q, %d instances", detector, flowBucket, len(instances))
	}

	endpoint := serveSandbox(t, lab)

	findings := awsJSON(t, endpoint, "guardduty", "list-findings", "--detector-id", detector)
	if _, ok := findings["FindingIds"].([]any); !ok {
		t.Errorf("guardduty list-findings: no FindingIds list: %v", findings)
	}
	if out := awsRun(t, endpoint, "s3", "ls"); !strings.Contains(out, flowBucket) {
		t.Errorf("aws s3 ls does not list %s:\n%s", flowBucket, out)
	}
	awsRun(t, endpoint, "s3", "ls", "s3://"+flowBucket, "--recursive")

	described := awsJSON(t, endpoint, "ec2", "describe-instances")
	seen := map[string]bool{}
	reservations, _ := described["Reservations"].([]any)
	for _, r := range reservations {
		list, _ := world.LookupPath(r.(map[string]any), "Instances").([]any)
		for _, i := range list {
			id, _ := i.(map[string]any)["InstanceId"].(string)
			seen[id] = true
		}
	}
	for id := range instances {
		if !seen[id] {
			t.Errorf("ec2 describe-instances does not show %s: %v", id, described)
		}
	}
}
