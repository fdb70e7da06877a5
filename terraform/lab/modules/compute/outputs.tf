output "ami_id" {
  description = "Amazon Linux 2023 AMI both instances run."
  value       = data.aws_ami.al2023.id
}

output "compromised_instance_id" {
  description = "ID of the compromised instance."
  value       = aws_instance.compromised.id
}

output "compromised_instance_arn" {
  description = "ARN of the compromised instance; the Lambda may modify only this instance."
  value       = aws_instance.compromised.arn
}

output "compromised_public_ip" {
  description = "Public address the compromised host's beacon comes from."
  value       = aws_instance.compromised.public_ip
}

output "malicious_instance_id" {
  description = "ID of the malicious instance."
  value       = aws_instance.malicious.id
}

output "malicious_ip" {
  description = "Elastic IP of the malicious instance: the threat list entry and the beacon target."
  value       = aws_eip.malicious.public_ip
}

output "malicious_eip_allocation_id" {
  description = "Allocation ID of the malicious instance's Elastic IP."
  value       = aws_eip.malicious.allocation_id
}

output "malicious_host_sg_id" {
  description = "ID of the security group that lets the compromised host ping the malicious one."
  value       = aws_security_group.malicious_host.id
}
