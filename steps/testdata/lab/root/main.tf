# Fixture lab for the orchestrator tests: the real lab's fragment names and
# outputs, built from terraform_data so terraform needs no provider.
terraform {
  required_version = ">= 1.5.0"
}

variable "region" {
  type = string
}

variable "lab_id" {
  type = string
}
