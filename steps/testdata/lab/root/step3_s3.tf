resource "terraform_data" "step3" {
  input = "${var.lab_id}-step3"
}
