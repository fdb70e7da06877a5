# Step 4: GuardDuty and the custom threat list with the malicious host's Elastic IP.

variable "existing_detector_id" {
  description = "ID of the GuardDuty detector this account already has in the region; empty to let the lab create (and later delete) one."
  type        = string
  default     = ""
}

module "guardduty" {
  source = "./modules/guardduty"

  name_prefix          = "gdlab-${var.lab_id}"
  existing_detector_id = var.existing_detector_id
  threat_list_bucket   = module.s3.threat_list_bucket
  malicious_ip         = module.compute.malicious_ip
}

output "detector_id" {
  description = "ID of the GuardDuty detector the lab uses."
  value       = module.guardduty.detector_id
}

output "detector_managed" {
  description = "False when the lab reuses a detector that existed before it (and must never delete it)."
  value       = module.guardduty.detector_managed
}

output "threat_intel_set_id" {
  description = "ID of the threat intel set (without the detector id)."
  value       = module.guardduty.threat_intel_set_id
}

output "threat_list_object_key" {
  description = "Key of the threat list object in the threat-list bucket."
  value       = module.guardduty.threat_list_object_key
}
