variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the lab VPC, where the forensic security group is created."
  type        = string
}

variable "compromised_instance_id" {
  description = "ID of the instance the function isolates."
  type        = string
}

variable "compromised_instance_arn" {
  description = "ARN of the instance the function isolates; the only instance it may modify."
  type        = string
}

variable "sns_topic_arn" {
  description = "ARN of the findings topic the function reports to."
  type        = string
}

variable "ec2_finding_rule_name" {
  description = "Name of the EventBridge rule whose findings trigger the function."
  type        = string
}

variable "ec2_finding_rule_arn" {
  description = "ARN of that rule; only it may invoke the function."
  type        = string
}

variable "lambda_zip_path" {
  description = "Path of the zip with the remediation function's bootstrap binary (linux/arm64)."
  type        = string
}
