# tflint configuration for the lab HCL (used by the quality-gate tests in this package).
# Only the terraform ruleset bundled with tflint is used, so no plugin has to be downloaded.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}
