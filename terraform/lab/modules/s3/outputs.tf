output "flow_log_bucket" {
  description = "Name of the bucket the VPC flow log is delivered to."
  value       = aws_s3_bucket.flow_logs.id
}

output "flow_log_bucket_arn" {
  description = "ARN of the flow-log bucket."
  value       = aws_s3_bucket.flow_logs.arn
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = aws_flow_log.vpc.id
}

# Exported once the bucket's encryption, public access block and policy are in place, so the
# threat list object is written into a bucket that is already locked down.
output "threat_list_bucket" {
  description = "Name of the bucket that holds the GuardDuty threat list."
  value       = aws_s3_bucket.threat_list.id

  depends_on = [
    aws_s3_bucket_public_access_block.threat_list,
    aws_s3_bucket_server_side_encryption_configuration.threat_list,
    aws_s3_bucket_policy.threat_list,
  ]
}

output "threat_list_bucket_arn" {
  description = "ARN of the threat-list bucket."
  value       = aws_s3_bucket.threat_list.arn
}
