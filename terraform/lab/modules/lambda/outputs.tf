output "forensic_sg_id" {
  description = "ID of FORENSIC_SG, the rule-less group the compromised instance is moved into."
  value       = aws_security_group.forensic.id
}

output "function_name" {
  description = "Name of the remediation function."
  value       = aws_lambda_function.remediation.function_name
}

output "function_arn" {
  description = "ARN of the remediation function."
  value       = aws_lambda_function.remediation.arn
}

output "role_name" {
  description = "Name of the function's IAM role."
  value       = aws_iam_role.remediation.name
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.remediation.name
}
