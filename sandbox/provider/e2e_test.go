package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const e2eConfig = `
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
  default_tags {
    tags = { "gdlab:lab" = "e2etest" }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_vpc" "lab" {
  cidr_block           = "10.0.0.0/24"
  enable_dns_hostnames = true
  tags                 = { Name = "lab" }
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.lab.id
  cidr_block              = "10.0.0.0/26"
  availability_zone       = data.aws_availability_zones.available.names[0]
  map_public_ip_on_launch = true
}

resource "aws_security_group" "initial" {
  name        = "initial"
  description = "initial group"
  vpc_id      = aws_vpc.lab.id

  ingress {
    protocol    = "icmp"
    from_port   = -1
    to_port     = -1
    cidr_blocks = [aws_vpc.lab.cidr_block]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "compromised" {
  ami                         = "ami-0fake"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  vpc_security_group_ids      = [aws_security_group.initial.id]
  user_data                   = %q
  user_data_replace_on_change = true
  tags                        = { Name = "compromised", "gdlab:lab" = "overridden" }
  %s
}

resource "aws_eip" "malicious" {
  domain   = "vpc"
  instance = aws_instance.compromised.id
}

resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

output "instance_tags_all" {
  value = aws_instance.compromised.tags_all
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}
`

func e2eMain(userData, lifecycle string) string {
	return fmt.Sprintf(e2eConfig, userData, lifecycle)
}

// TestTerraformLifecycle applies a small configuration through the real terraform: create,
// an empty second plan, drift that shows (and does not under ignore_changes), replacement on a
// ForceNew change, a resource gone from the world, and destroy to an empty world.
func TestTerraformLifecycle(t *testing.T) {
	world := startFakeWorld(t)
	ws := newWorkspace(t, world.URL())
	ws.write("main.tf", e2eMain("#!/bin/sh\necho one\n", ""))

	ws.must("init", "-no-color")
	lock, err := os.ReadFile(filepath.Join(ws.dir, ".terraform.lock.hcl"))
	if err != nil || !strings.Contains(string(lock), `version     = "6.999.0"`) {
		t.Fatalf("the lock file does not pin the sandbox provider: %v\n%s", err, lock)
	}

	ws.must("plan", "-no-color", "-out=tfplan")
	ws.must("apply", "-no-color", "tfplan")

	instanceID, instance := world.only(t, "aws_instance")
	tagsAll, _ := instance["tags_all"].(map[string]any)
	if tagsAll["gdlab:lab"] != "overridden" || tagsAll["Name"] != "compromised" {
		t.Errorf("tags_all sent to the world = %v, want default tags overridden by the resource's", tagsAll)
	}
	if instance["region"] != "us-west-2" {
		t.Errorf("region sent to the world = %v", instance["region"])
	}
	_, vpc := world.only(t, "aws_vpc")
	if vpcTags, _ := vpc["tags_all"].(map[string]any); vpcTags["gdlab:lab"] != "e2etest" || vpcTags["Name"] != "lab" {
		t.Errorf("vpc tags_all = %v", vpc["tags_all"])
	}
	_, role := world.only(t, "aws_iam_role")
	if _, hasRegion := role["region"]; hasRegion {
		t.Error("a global IAM role was given a region")
	}
	if !strings.Contains(role["assume_role_policy"].(string), `"Service": "lambda.amazonaws.com"`) {
		t.Errorf("trust policy rendered as %s", role["assume_role_policy"])
	}
	if out := ws.must("output", "-raw", "account_id"); out != sandboxAccountID {
		t.Errorf("account_id output = %q", out)
	}

	if out, code := ws.planExit(); code != 0 {
		t.Fatalf("the second plan is not empty:\n%s", out)
	}

	// The remediation Lambda moves the instance into the forensic group: drift.
	world.change("aws_instance", instanceID, "vpc_security_group_ids", []any{"sg-forensic"})
	out, code := ws.planExit()
	if code != 2 || !strings.Contains(out, "vpc_security_group_ids") || !strings.Contains(out, "sg-forensic") {
		t.Fatalf("drift in vpc_security_group_ids not shown (exit %d):\n%s", code, out)
	}
	ws.write("main.tf", e2eMain("#!/bin/sh\necho one\n", "lifecycle {\n    ignore_changes = [vpc_security_group_ids]\n  }"))
	if out, code := ws.planExit(); code != 0 {
		t.Fatalf("ignore_changes does not hide the drift:\n%s", out)
	}

	// user_data with user_data_replace_on_change replaces the instance.
	ws.write("main.tf", e2eMain("#!/bin/sh\necho two\n", "lifecycle {\n    ignore_changes = [vpc_security_group_ids]\n  }"))
	out, code = ws.planExit()
	if code != 2 || !strings.Contains(out, "aws_instance.compromised must be replaced") {
		t.Fatalf("a new user_data does not replace the instance (exit %d):\n%s", code, out)
	}
	ws.write("main.tf", e2eMain("#!/bin/sh\necho one\n", "lifecycle {\n    ignore_changes = [vpc_security_group_ids]\n  }"))

	// A resource deleted outside terraform leaves state and is planned again.
	eipID, _ := world.only(t, "aws_eip")
	world.remove("aws_eip", eipID)
	out, code = ws.planExit()
	if code != 2 || !strings.Contains(out, "aws_eip.malicious will be created") {
		t.Fatalf("a resource gone from the world is not planned again (exit %d):\n%s", code, out)
	}

	ws.must("destroy", "-no-color", "-auto-approve")
	if n := world.count(); n != 0 {
		t.Errorf("%d resources left in the world after destroy", n)
	}
	if out := ws.must("state", "list"); strings.TrimSpace(out) != "" {
		t.Errorf("state after destroy:\n%s", out)
	}
}

// TestTerraformRejectsWhatAWSRejects: values the real provider refuses at validate time are
// refused here too, and so are arguments provider 6 removed.
func TestTerraformRejectsWhatAWSRejects(t *testing.T) {
	ws := newWorkspace(t, "")
	for _, tc := range []struct{ name, hcl, want string }{
		{"eip domain", `resource "aws_eip" "x" { domain = "bogus" }`, "expected value to be one of [vpc standard], got bogus"},
		{"eip vpc removed", `resource "aws_eip" "x" { vpc = true }`, `An argument named "vpc" is not expected here`},
		{"publishing frequency", `resource "aws_guardduty_detector" "x" { finding_publishing_frequency = "HOURLY" }`, "got HOURLY"},
		{"runtime", `resource "aws_lambda_function" "x" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  filename      = "f.zip"
  handler       = "bootstrap"
  runtime       = "go1.y"
}`, "got go1.y"},
		{"architectures", `resource "aws_lambda_function" "x" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  filename      = "f.zip"
  handler       = "bootstrap"
  runtime       = "provided.al2023"
  architectures = ["arm"]
}`, "got arm"},
		{"flow log traffic type", `resource "aws_flow_log" "x" {
  vpc_id       = "vpc-1"
  traffic_type = "SOME"
}`, "got SOME"},
		{"threat list format", `resource "aws_guardduty_threatintelset" "x" {
  activate    = true
  detector_id = "d"
  format      = "CSV"
  location    = "s3://b/k"
  name        = "n"
}`, "got CSV"},
		{"rule state", `resource "aws_cloudwatch_event_rule" "x" {
  event_pattern = "{}"
  state         = "ON"
}`, "got ON"},
		{"all-protocol ports", `resource "aws_security_group" "x" {
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, "must both be 0"},
		{"ami without owner", `data "aws_ami" "x" {
  most_recent = true
  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}`, "Most Recent Image Not Filtered"},
		{"flow log target", `resource "aws_flow_log" "x" { traffic_type = "ALL" }`, "exactly one of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws.write("main.tf", "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"~> 6.0\" }\n  }\n}\n"+tc.hcl+"\n")
			if _, err := os.Stat(filepath.Join(ws.dir, ".terraform")); err != nil {
				ws.must("init", "-no-color")
			}
			out, code := ws.run("validate", "-no-color")
			if code == 0 || !strings.Contains(out, tc.want) {
				t.Errorf("validate exited %d, want an error containing %q:\n%s", code, tc.want, out)
			}
		})
	}

	// Outside gdlab's sandbox the provider refuses to start, saying why.
	ws.write("main.tf", "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"~> 6.0\" }\n  }\n}\n"+
		"provider \"aws\" {\n  region = \"us-west-2\"\n}\nresource \"aws_vpc\" \"x\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n")
	out, code := ws.run("plan", "-no-color")
	if code == 0 || !strings.Contains(out, "only works inside gdlab's sandbox") {
		t.Errorf("plan without AWS_ENDPOINT_URL exited %d:\n%s", code, out)
	}
}
