# Fixture root for the runner tests: only the built-in terraform_data
# resource, so terraform init needs no registry.
terraform {
  required_version = ">= 1.5.0"
}

variable "lab_id" {
  type = string
}

variable "message" {
  type    = string
  default = "one"
}

resource "terraform_data" "base" {
  input = "${var.lab_id}:${var.message}"
}

output "message" {
  value = terraform_data.base.output
}

output "ready" {
  value = true
}
