variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the lab VPC (for the malicious host's security group)."
  type        = string
}

variable "subnet_id" {
  description = "ID of the public subnet both instances run in."
  type        = string
}

variable "initial_sg_id" {
  description = "ID of INITIAL_SG, the security group both instances start in."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type of both hosts; must be an x86_64 type to match the AMI."
  type        = string
  default     = "t3.micro"
}

variable "beacon_interval_seconds" {
  description = "How often the compromised host starts a burst of pings to the malicious Elastic IP."
  type        = number
  default     = 60

  validation {
    condition     = var.beacon_interval_seconds >= 30 && var.beacon_interval_seconds <= 600
    error_message = "beacon_interval_seconds must be between 30 and 600."
  }
}

variable "beacon_ping_count" {
  description = "Pings per burst, sent two seconds apart, so a burst always ends within the shortest interval."
  type        = number
  default     = 6

  validation {
    condition     = var.beacon_ping_count >= 1 && var.beacon_ping_count <= 10
    error_message = "beacon_ping_count must be between 1 and 10."
  }
}
