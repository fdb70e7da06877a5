# Exported once the topic policy is in place, so EventBridge targets are never wired to a topic
# that would still refuse them.
output "topic_arn" {
  description = "ARN of the findings topic, available once EventBridge may publish to it."
  value       = aws_sns_topic.findings.arn

  depends_on = [aws_sns_topic_policy.findings]
}

output "topic_name" {
  description = "Name of the findings topic."
  value       = aws_sns_topic.findings.name
}

output "email_subscription_arn" {
  description = "ARN of the email subscription (pending until the learner confirms it)."
  value       = aws_sns_topic_subscription.email.arn
}

output "tap_queue_url" {
  description = "URL of the SQS queue that receives a copy of every message."
  value       = aws_sqs_queue.tap.url
}

output "tap_queue_arn" {
  description = "ARN of the SQS tap queue."
  value       = aws_sqs_queue.tap.arn
}
