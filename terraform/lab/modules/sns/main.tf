# The notification path: EventBridge and the remediation Lambda publish to one topic, which mails
# the learner and copies every message to an SQS queue so gdlab can show what was sent.

# No server-side encryption, on purpose. EventBridge cannot publish to a topic encrypted with the
# AWS-managed key alias/aws/sns, because that key's policy cannot grant events.amazonaws.com. A
# customer-managed key could, but it survives the lab for a 7-day minimum deletion window, costs
# money meanwhile and keeps the lab's tag alive after cleanup. The messages are finding summaries
# of a throwaway lab, and every hop (publish, email, SQS) already uses TLS.
#tfsec:ignore:aws-sns-enable-topic-encryption -- see above: alias/aws/sns cannot receive from EventBridge, a CMK outlives the lab by 7+ days; content is a lab finding summary
#tfsec:ignore:aws-sns-topic-encryption-use-cmk -- see above: a CMK would outlive the lab by at least 7 days and fail the cleanup audit
resource "aws_sns_topic" "findings" {
  name         = "${var.name_prefix}-guardduty-findings"
  display_name = "gdlab GuardDuty"

  tags = {
    Name = "${var.name_prefix}-guardduty-findings"
  }
}

# Lets EventBridge rules publish to exactly this topic. No aws:SourceArn condition: EventBridge
# documents that condition blocks do not work in SNS topic policies for its deliveries. The
# Lambda publishes with its own IAM role, which needs no statement here.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AllowEventBridgePublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.findings.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic_policy" "findings" {
  arn    = aws_sns_topic.findings.arn
  policy = data.aws_iam_policy_document.topic.json
}

# Stays "pending confirmation" until the learner clicks the link in the first email.
resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.findings.arn
  protocol  = "email"
  endpoint  = var.email
}

# The tap: a queue that receives a copy of every message, so gdlab can display exactly what was
# emailed. Messages keep the SNS envelope (no raw delivery), which carries subject and timestamp.
resource "aws_sqs_queue" "tap" {
  name                      = "${var.name_prefix}-sns-tap"
  message_retention_seconds = 86400
  # SQS-managed keys: SNS can deliver to them, unlike the AWS-managed KMS key.
  sqs_managed_sse_enabled = true

  tags = {
    Name = "${var.name_prefix}-sns-tap"
  }
}

data "aws_iam_policy_document" "tap" {
  statement {
    sid       = "AllowFindingsTopic"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.tap.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.findings.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "tap" {
  queue_url = aws_sqs_queue.tap.id
  policy    = data.aws_iam_policy_document.tap.json
}

resource "aws_sns_topic_subscription" "tap" {
  topic_arn            = aws_sns_topic.findings.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.tap.arn
  raw_message_delivery = false

  # Deliveries before the queue policy exists would be refused and lost.
  depends_on = [aws_sqs_queue_policy.tap]
}
