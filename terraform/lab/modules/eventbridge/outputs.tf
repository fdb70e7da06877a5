output "ec2_finding_rule_name" {
  description = "Name of the rule matching UnauthorizedAccess:EC2/MaliciousIPCaller.Custom."
  value       = aws_cloudwatch_event_rule.ec2_finding.name
}

output "ec2_finding_rule_arn" {
  description = "ARN of the EC2 finding rule."
  value       = aws_cloudwatch_event_rule.ec2_finding.arn
}

output "iam_finding_rule_name" {
  description = "Name of the rule matching UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom."
  value       = aws_cloudwatch_event_rule.iam_finding.name
}

output "iam_finding_rule_arn" {
  description = "ARN of the IAM-user finding rule."
  value       = aws_cloudwatch_event_rule.iam_finding.arn
}
