resource "terraform_data" "step7" {
  input = "${var.lab_id}-step7"
}

variable "lambda_zip_path" {
  type = string
  validation {
    condition     = fileexists(var.lambda_zip_path)
    error_message = "the zip must exist."
  }
}
