# The lab's root module. gdlab writes this file plus one fragment per completed step
# (step2_network.tf ... step7_lambda.tf) into the lab folder; each fragment adds its modules.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

# Every taggable resource carries gdlab:lab = <lab id>; the cleanup audit searches for that tag
# to prove nothing of the lab is left.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "gdlab:lab" = var.lab_id
    }
  }
}

variable "region" {
  description = "AWS region the lab is built in."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-west-2."
  }
}

variable "lab_id" {
  description = "Identifier of this lab: 8 lowercase letters or digits, part of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{8}$", var.lab_id))
    error_message = "lab_id must be exactly 8 lowercase letters or digits."
  }
}
