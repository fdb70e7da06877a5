# Step 5: the findings topic, its email subscription and the SQS tap gdlab reads messages from.

variable "email" {
  description = "Address that receives the finding notifications."
  type        = string
}

module "sns" {
  source = "./modules/sns"

  name_prefix = "gdlab-${var.lab_id}"
  email       = var.email
}

output "sns_topic_arn" {
  description = "ARN of the findings topic."
  value       = module.sns.topic_arn
}

output "email_subscription_arn" {
  description = "ARN of the email subscription."
  value       = module.sns.email_subscription_arn
}

output "sns_tap_queue_url" {
  description = "URL of the SQS queue that receives a copy of every message."
  value       = module.sns.tap_queue_url
}

output "sns_tap_queue_arn" {
  description = "ARN of the SQS tap queue."
  value       = module.sns.tap_queue_arn
}
