variable "name_prefix" {
  description = "Prefix of every resource name, gdlab-<lab id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "email" {
  description = "Address that receives the finding notifications; it must confirm the subscription."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.email))
    error_message = "email must be an email address."
  }
}
