resource "terraform_data" "step4" {
  input = "${var.lab_id}-step4"
}

variable "existing_detector_id" {
  type    = string
  default = ""
}

output "detector_managed" {
  value = var.existing_detector_id == ""
}
