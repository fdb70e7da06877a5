variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "existing_detector_id" {
  description = "ID of a GuardDuty detector the account already has in this region; empty to create one for the lab."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[0-9a-z]{0,300}$", var.existing_detector_id))
    error_message = "existing_detector_id must be empty or a detector id (lowercase letters and digits)."
  }
}

variable "threat_list_bucket" {
  description = "Name of the bucket the threat list object is written to."
  type        = string
}

variable "malicious_ip" {
  description = "Public IPv4 address to put on the threat list: the malicious host's Elastic IP."
  type        = string

  validation {
    condition     = can(cidrhost("${var.malicious_ip}/32", 0))
    error_message = "malicious_ip must be an IPv4 address."
  }
}
