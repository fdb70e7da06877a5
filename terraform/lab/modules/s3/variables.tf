variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>. Bucket names add the account id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the VPC whose traffic the flow log records."
  type        = string
}
