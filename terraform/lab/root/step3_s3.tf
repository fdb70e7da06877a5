# Step 3: the flow-log bucket with the VPC flow log, and the bucket for the threat list.

module "s3" {
  source = "./modules/s3"

  name_prefix = "gdlab-${var.lab_id}"
  vpc_id      = module.vpc.vpc_id
}

output "threat_list_bucket" {
  description = "Name of the bucket that holds the GuardDuty threat list."
  value       = module.s3.threat_list_bucket
}

output "flow_log_bucket" {
  description = "Name of the bucket the VPC flow log is delivered to."
  value       = module.s3.flow_log_bucket
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = module.s3.flow_log_id
}
