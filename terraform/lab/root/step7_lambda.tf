# Step 7: the remediation function that isolates the compromised instance.

variable "lambda_zip_path" {
  description = "Path of the remediation function's zip (built by `gdlab lambda build`)."
  type        = string

  validation {
    condition     = endswith(var.lambda_zip_path, ".zip") && fileexists(var.lambda_zip_path)
    error_message = "lambda_zip_path must name an existing .zip file; build it with `gdlab lambda build`."
  }
}

module "lambda" {
  source = "./modules/lambda"

  name_prefix              = "gdlab-${var.lab_id}"
  vpc_id                   = module.vpc.vpc_id
  compromised_instance_id  = module.compute.compromised_instance_id
  compromised_instance_arn = module.compute.compromised_instance_arn
  sns_topic_arn            = module.sns.topic_arn
  ec2_finding_rule_name    = module.eventbridge.ec2_finding_rule_name
  ec2_finding_rule_arn     = module.eventbridge.ec2_finding_rule_arn
  lambda_zip_path          = var.lambda_zip_path
}

output "forensic_sg_id" {
  description = "ID of FORENSIC_SG, the rule-less isolation group."
  value       = module.lambda.forensic_sg_id
}

output "lambda_function_name" {
  description = "Name of the remediation function."
  value       = module.lambda.function_name
}

output "lambda_function_arn" {
  description = "ARN of the remediation function."
  value       = module.lambda.function_arn
}

output "lambda_role_name" {
  description = "Name of the remediation function's IAM role."
  value       = module.lambda.role_name
}

output "lambda_log_group_name" {
  description = "Name of the remediation function's log group."
  value       = module.lambda.log_group_name
}
