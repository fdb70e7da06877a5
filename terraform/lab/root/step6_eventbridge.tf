# Step 6: EventBridge rules that turn GuardDuty findings into readable emails.

module "eventbridge" {
  source = "./modules/eventbridge"

  name_prefix   = "gdlab-${var.lab_id}"
  sns_topic_arn = module.sns.topic_arn
}

output "ec2_finding_rule_name" {
  description = "Name of the EC2 finding rule."
  value       = module.eventbridge.ec2_finding_rule_name
}

output "ec2_finding_rule_arn" {
  description = "ARN of the EC2 finding rule."
  value       = module.eventbridge.ec2_finding_rule_arn
}

output "iam_finding_rule_name" {
  description = "Name of the IAM-user finding rule."
  value       = module.eventbridge.iam_finding_rule_name
}

output "iam_finding_rule_arn" {
  description = "ARN of the IAM-user finding rule."
  value       = module.eventbridge.iam_finding_rule_arn
}
