package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"

	"github.com/gdlab-dev/gdlab/internal/moto"
)

func TestExplain(t *testing.T) {
	denied := &smithy.OperationError{ServiceID: "EC2", OperationName: "DescribeRegions",
		Err: &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}}
	tests := []struct {
		name, profile string
		err           error
		sentence, fix string
	}{
		{"no credentials", "", fmt.Errorf("get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled"),
			"No AWS credentials", "gdlab --sandbox"},
		{"expired SSO", "lab", fmt.Errorf("refresh: %w", &ssocreds.InvalidTokenError{}), "SSO session has expired", "aws sso login --profile lab"},
		{"expired keys", "", &smithy.GenericAPIError{Code: "ExpiredToken", Message: "The security token included in the request is expired"}, "have expired", "Refresh"},
		{"bad keys", "", &smithy.GenericAPIError{Code: "InvalidClientTokenId"}, "rejected the credentials", "aws sts get-caller-identity"},
		{"access denied names the action", "", denied, "ec2:DescribeRegions", "Grant ec2:DescribeRegions"},
		{"eventbridge action prefix", "", &smithy.OperationError{ServiceID: "EventBridge", OperationName: "DescribeRule", Err: &smithy.GenericAPIError{Code: "AccessDeniedException"}},
			"events:DescribeRule", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sentence, fix := explain(tt.err, tt.profile)
			if !strings.Contains(sentence, tt.sentence) || !strings.Contains(fix, tt.fix) {
				t.Errorf("explain = %q / %q, want %q / %q", sentence, fix, tt.sentence, tt.fix)
			}
			if strings.Count(sentence, ". ") > 0 {
				t.Errorf("more than one sentence: %q", sentence)
			}
		})
	}
}

// fakeTool writes a script that prints out, standing in for terraform or go.
func fakeTool(t *testing.T, name, out string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	script := "#!/bin/sh\ncat <<'EOF'\n" + out + "\nEOF\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLocalPreflightChecks(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		check  func() Result
		status Status
		detail string
	}{
		{"terraform new enough", func() Result {
			r, _ := checkTerraformVersion(ctx, fakeTool(t, "terraform", `{"terraform_version":"1.9.8","platform":"linux_amd64"}`))
			return r
		}, StatusPass, "1.9.8"},
		{"terraform too old", func() Result {
			r, _ := checkTerraformVersion(ctx, fakeTool(t, "terraform", `{"terraform_version":"1.4.7"}`))
			return r
		}, StatusFail, "older than 1.5"},
		{"terraform without -json", func() Result {
			r, _ := checkTerraformVersion(ctx, fakeTool(t, "terraform", "Terraform v0.12.31"))
			return r
		}, StatusFail, "0.12.31"},
		{"terraform missing", func() Result {
			r, _ := checkTerraformVersion(ctx, filepath.Join(t.TempDir(), "terraform"))
			return r
		}, StatusFail, "does not run"},
		{"go present", func() Result {
			r, _ := checkGoToolchain(ctx, fakeTool(t, "go", "go version go1.26.8 linux/amd64"))
			return r
		}, StatusPass, "1.26.8"},
		{"email missing", func() Result { return checkEmail("") }, StatusWarn, "No email"},
		{"email with a name", func() Result { return checkEmail("Learner <l@example.com>") }, StatusFail, "not a plain email"},
		{"email without domain dot", func() Result { return checkEmail("l@localhost") }, StatusFail, "not a plain email"},
		{"email fine", func() Result { return checkEmail("l@example.com") }, StatusPass, "l@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.check()
			if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) {
				t.Errorf("got %s %q, want %s containing %q", r.Status, r.Detail, tt.status, tt.detail)
			}
			if r.Status == StatusFail && r.Hint == "" {
				t.Error("failure without a fix")
			}
		})
	}
}

func TestPreflightAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	tf := fakeTool(t, "terraform", `{"terraform_version":"1.11.4"}`)
	goTool := fakeTool(t, "go", "go version go1.26.8 linux/amd64")

	t.Run("ready, with an existing detector", func(t *testing.T) {
		server.Setenv(t, testRegion)
		gd, url := newFakeGuardDuty(t)
		gd.detectors["existing1"] = fakeDetector{Status: "ENABLED", Frequency: "SIX_HOURS"}
		report := Preflight(context.Background(), PreflightOptions{Email: "learner@example.com", TerraformPath: tf, GoPath: goTool,
			ProberOptions: []Option{WithServiceEndpoint("guardduty", url)}})
		if !report.Ready {
			t.Fatalf("not ready: %+v", report.Checks)
		}
		if report.Account != "123456789012" || report.CallerARN == "" || report.Region != testRegion {
			t.Errorf("identity: %q %q %q", report.Account, report.CallerARN, report.Region)
		}
		if report.ExistingDetectorID != "existing1" {
			t.Errorf("existing detector = %q", report.ExistingDetectorID)
		}
		got := resultsByID(report.Checks)[CheckGuardDuty]
		if !strings.Contains(got.Detail, "reuse") || !strings.Contains(got.Detail, "leave it") {
			t.Errorf("detector detail %q does not say it is reused and kept", got.Detail)
		}
	})

	t.Run("region that does not exist", func(t *testing.T) {
		server.Setenv(t, testRegion)
		_, url := newFakeGuardDuty(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		report := Preflight(ctx, PreflightOptions{Region: "us-wets-2", Email: "learner@example.com", TerraformPath: tf, GoPath: goTool,
			ProberOptions: []Option{WithServiceEndpoint("guardduty", url)}})
		region := resultsByID(report.Checks)[CheckRegion]
		if report.Ready || region.Status != StatusFail || !strings.Contains(region.Detail, "does not exist") {
			t.Errorf("region check: %s %q", region.Status, region.Detail)
		}
		if gd := resultsByID(report.Checks)[CheckGuardDuty]; gd.Status != StatusSkipped {
			t.Errorf("guardduty check should be skipped after a region failure, got %s", gd.Status)
		}
	})

	t.Run("profile that does not exist", func(t *testing.T) {
		server.Setenv(t, testRegion)
		report := Preflight(context.Background(), PreflightOptions{Profile: "nope", TerraformPath: tf, GoPath: goTool})
		cred := resultsByID(report.Checks)[CheckCredentials]
		if cred.Status != StatusFail || !strings.Contains(cred.Detail, `"nope" does not exist`) || !strings.Contains(cred.Hint, "aws configure --profile nope") {
			t.Errorf("credentials check: %s %q %q", cred.Status, cred.Detail, cred.Hint)
		}
	})
}

func TestClassifyUnwraps(t *testing.T) {
	wrapped := fmt.Errorf("check: %w", &smithy.OperationError{ServiceID: "S3", OperationName: "GetBucketEncryption",
		Err: &smithy.GenericAPIError{Code: "ServerSideEncryptionConfigurationNotFoundError"}})
	if !isNotFound(wrapped) {
		t.Error("a wrapped not-found API error was not recognised")
	}
	if isNotFound(errors.New("boom")) {
		t.Error("a plain error was taken for not-found")
	}
}
