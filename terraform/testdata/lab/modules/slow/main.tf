variable "lab_id" {
  type = string
}

variable "sleep_seconds" {
  type = number
}

resource "terraform_data" "wait" {
  input = var.lab_id
  provisioner "local-exec" {
    command = "sleep ${var.sleep_seconds}"
  }
}

resource "terraform_data" "after" {
  input = terraform_data.wait.id
}

output "id" {
  value = terraform_data.after.id
}
