# Two rules on the default event bus, one per finding type of the custom threat list, each
# turning the finding into a short readable message for the findings topic. The lambda module
# adds the remediation function as a second target of the EC2 rule.

locals {
  ec2_finding_type = "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"
  iam_finding_type = "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"
}

resource "aws_cloudwatch_event_rule" "ec2_finding" {
  name        = "${var.name_prefix}-ec2-malicious-ip-caller"
  description = "GuardDuty: an EC2 instance contacts an address on the lab's threat list"
  state       = "ENABLED"

  event_pattern = jsonencode({
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
    detail = {
      type = [local.ec2_finding_type]
    }
  })

  tags = {
    Name = "${var.name_prefix}-ec2-malicious-ip-caller"
  }
}

# The EC2 message. Each template line is a JSON string (quoted), which is how EventBridge builds
# a plain-text message line by line; the heredoc spares one level of escaping. Values are pasted
# in unescaped, so only fields that never contain quotes are used.
resource "aws_cloudwatch_event_target" "ec2_finding_email" {
  rule      = aws_cloudwatch_event_rule.ec2_finding.name
  target_id = "findings-topic"
  arn       = var.sns_topic_arn

  input_transformer {
    input_paths = {
      finding_id  = "$.detail.id"
      type        = "$.detail.type"
      severity    = "$.detail.severity"
      region      = "$.detail.region"
      instance_id = "$.detail.resource.instanceDetails.instanceId"
      remote_ip   = "$.detail.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4"
    }
    input_template = <<-TEMPLATE
      "GuardDuty finding: <type>"
      "Severity: <severity>"
      "Region: <region>"
      "Instance: <instance_id> may be compromised: it is contacting <remote_ip>, an address on your custom threat list."
      "Finding ID: <finding_id>"
      "Investigate: https://console.aws.amazon.com/guardduty/home?region=<region>#/findings?search=id%3D<finding_id>"
    TEMPLATE
  }
}

# Practice rule for the IAM-user variant of the finding (an API call from a listed address). The
# lab generates no such traffic; sample findings or a learner's own experiment exercise it.
resource "aws_cloudwatch_event_rule" "iam_finding" {
  name        = "${var.name_prefix}-iam-malicious-ip-caller"
  description = "GuardDuty: AWS API calls come from an address on the lab's threat list"
  state       = "ENABLED"

  event_pattern = jsonencode({
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
    detail = {
      type = [local.iam_finding_type]
    }
  })

  tags = {
    Name = "${var.name_prefix}-iam-malicious-ip-caller"
  }
}

resource "aws_cloudwatch_event_target" "iam_finding_email" {
  rule      = aws_cloudwatch_event_rule.iam_finding.name
  target_id = "findings-topic"
  arn       = var.sns_topic_arn

  input_transformer {
    input_paths = {
      finding_id = "$.detail.id"
      type       = "$.detail.type"
      severity   = "$.detail.severity"
      region     = "$.detail.region"
      user_name  = "$.detail.resource.accessKeyDetails.userName"
      remote_ip  = "$.detail.service.action.awsApiCallAction.remoteIpDetails.ipAddressV4"
    }
    input_template = <<-TEMPLATE
      "GuardDuty finding: <type>"
      "Severity: <severity>"
      "Region: <region>"
      "IAM user: <user_name> made AWS API calls from <remote_ip>, an address on your custom threat list."
      "Finding ID: <finding_id>"
      "Investigate: https://console.aws.amazon.com/guardduty/home?region=<region>#/findings?search=id%3D<finding_id>"
    TEMPLATE
  }
}
