resource "terraform_data" "step6" {
  input = "${var.lab_id}-step6"
}
