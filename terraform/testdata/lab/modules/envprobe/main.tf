# Prints what the sandbox hook changes in terraform's environment.
resource "terraform_data" "probe" {
  provisioner "local-exec" {
    command = "echo \"mark=$GDLAB_TEST_MARK cli=$TF_CLI_CONFIG_FILE\""
  }
}
