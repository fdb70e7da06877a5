output "detector_id" {
  description = "ID of the GuardDuty detector the lab uses (created or reused)."
  value       = local.detector_id
}

output "detector_managed" {
  description = "True when the lab created the detector; false when it reuses one it must never delete."
  value       = local.manage_detector
}

output "threat_intel_set_id" {
  description = "ID of the threat intel set alone (the resource id is <detector id>:<set id>)."
  value       = split(":", aws_guardduty_threatintelset.lab.id)[1]
}

output "threat_intel_set_name" {
  description = "Name of the threat intel set, as GuardDuty findings report it."
  value       = aws_guardduty_threatintelset.lab.name
}

output "threat_list_object_key" {
  description = "Key of the threat list object in the threat-list bucket."
  value       = aws_s3_object.threat_list.key
}
