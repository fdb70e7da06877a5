# Automated response: a Go function that moves the compromised instance into a security group
# with no rules at all, then reports what it did to the findings topic.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  function_name = "${var.name_prefix}-remediation"
  partition     = split(":", data.aws_caller_identity.current.arn)[1]
}

# FORENSIC_SG has no ingress and no egress blocks, and that is the point: when Terraform creates a
# group in a VPC it also deletes the allow-all egress rule AWS adds by default, so this group
# blocks all new traffic in both directions. (Connections already tracked keep flowing until
# they time out; a network ACL would cut them too.)
resource "aws_security_group" "forensic" {
  name        = "${var.name_prefix}-FORENSIC_SG"
  description = "gdlab forensic isolation: no inbound or outbound rules"
  vpc_id      = var.vpc_id

  # No reference to the compromised instance here: a dependency on it would make Terraform
  # delete this group before the instance, which AWS refuses while the function has moved the
  # instance into it. Independent, the two are destroyed together and the provider retries the
  # group's deletion until the instance has terminated.
  tags = {
    Name = "${var.name_prefix}-FORENSIC_SG"
  }
}

# Created before the function so Lambda does not create an untagged group of its own that would
# outlive the lab.
#tfsec:ignore:aws-cloudwatch-log-group-customer-key -- the function logs instance and finding ids for 7 days; a customer-managed key would outlive the lab by at least 7 days and fail the cleanup audit, and log groups are encrypted at rest by CloudWatch anyway
resource "aws_cloudwatch_log_group" "remediation" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = 7

  tags = {
    Name = "/aws/lambda/${local.function_name}"
  }
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "remediation" {
  name               = "${local.function_name}-lambda"
  description        = "gdlab remediation function: isolates the compromised instance"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = {
    Name = "${local.function_name}-lambda"
  }
}

# Least privilege for one job: look up instances, move one specific instance between security
# groups, report to one topic, write to one log group.
data "aws_iam_policy_document" "remediation" {
  # DescribeInstances supports no resource-level permissions, so "*" is the only valid resource.
  statement {
    sid       = "DescribeInstances"
    effect    = "Allow"
    actions   = ["ec2:DescribeInstances"]
    resources = ["*"]
  }

  # ModifyInstanceAttribute is authorised on the instance and on the security groups it assigns.
  # The instance is the compromised one only; groups are those of this account and region, as
  # their ids are not known to IAM by VPC.
  statement {
    sid     = "IsolateCompromisedInstance"
    effect  = "Allow"
    actions = ["ec2:ModifyInstanceAttribute"]
    resources = [
      var.compromised_instance_arn,
      "arn:${local.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:security-group/*",
    ]
  }

  statement {
    sid       = "ReportToFindingsTopic"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [var.sns_topic_arn]
  }

  # Lambda names its log streams itself, so the streams of the function's own group are ":*".
  #tfsec:ignore:aws-iam-no-policy-wildcards -- the wildcard only covers log streams inside this function's own log group, whose names Lambda generates at run time
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.remediation.arn}:*"]
  }
}

resource "aws_iam_role_policy" "remediation" {
  name   = "isolate-compromised-instance"
  role   = aws_iam_role.remediation.id
  policy = data.aws_iam_policy_document.remediation.json
}

# X-Ray tracing stays off: one short invocation per finding is fully described by its log lines,
# and tracing would need extra permissions and a service the offline sandbox does not emulate.
#tfsec:ignore:aws-lambda-enable-tracing -- a single short API-calling invocation per finding is fully visible in its CloudWatch logs; tracing adds permissions and cost for no insight in this lab
resource "aws_lambda_function" "remediation" {
  function_name = local.function_name
  description   = "gdlab: isolate the compromised instance when GuardDuty reports it"
  role          = aws_iam_role.remediation.arn

  # A Go binary named bootstrap on the OS-only runtime; arm64 must match how it was built.
  runtime          = "provided.al2023"
  architectures    = ["arm64"]
  handler          = "bootstrap"
  filename         = var.lambda_zip_path
  source_code_hash = filebase64sha256(var.lambda_zip_path)

  timeout     = 30
  memory_size = 128

  environment {
    variables = {
      INSTANCE_ID  = var.compromised_instance_id
      FORENSICS_SG = aws_security_group.forensic.id
      TOPIC_ARN    = var.sns_topic_arn
    }
  }

  tags = {
    Name = local.function_name
  }

  # The role's policy must exist before the first invocation, and the log group before Lambda
  # would create one itself.
  depends_on = [
    aws_cloudwatch_log_group.remediation,
    aws_iam_role_policy.remediation,
  ]
}

# Only the lab's EC2 finding rule may invoke the function.
resource "aws_lambda_permission" "ec2_finding_rule" {
  statement_id  = "AllowEc2FindingRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.remediation.function_name
  principal     = "events.amazonaws.com"
  source_arn    = var.ec2_finding_rule_arn
}

resource "aws_cloudwatch_event_target" "ec2_finding_remediation" {
  rule      = var.ec2_finding_rule_name
  target_id = "remediation-lambda"
  arn       = aws_lambda_function.remediation.arn

  depends_on = [aws_lambda_permission.ec2_finding_rule]
}
