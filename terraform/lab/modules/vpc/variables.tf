variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 range of the lab VPC; the public subnet takes its first quarter."
  type        = string
  default     = "10.0.0.0/24"

  validation {
    condition     = can(cidrsubnet(var.vpc_cidr, 2, 0))
    error_message = "vpc_cidr must be an IPv4 CIDR block with room for four subnets (/26 or larger)."
  }
}
