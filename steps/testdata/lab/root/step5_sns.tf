resource "terraform_data" "step5" {
  input = "${var.lab_id}-step5"
}

variable "email" {
  type = string
}

output "sns_topic_arn" {
  value = "arn:aws:sns:${var.region}:123456789012:gdlab-${var.lab_id}-${md5(var.email)}"
}
