# Step 2: the network and the two hosts of the scenario.

module "vpc" {
  source = "./modules/vpc"

  name_prefix = "gdlab-${var.lab_id}"
}

module "compute" {
  source = "./modules/compute"

  name_prefix   = "gdlab-${var.lab_id}"
  vpc_id        = module.vpc.vpc_id
  subnet_id     = module.vpc.subnet_id
  initial_sg_id = module.vpc.initial_sg_id
}

output "vpc_id" {
  description = "ID of the lab VPC."
  value       = module.vpc.vpc_id
}

output "subnet_id" {
  description = "ID of the public subnet."
  value       = module.vpc.subnet_id
}

output "initial_sg_id" {
  description = "ID of INITIAL_SG, the security group both instances start in."
  value       = module.vpc.initial_sg_id
}

output "compromised_instance_id" {
  description = "ID of the compromised instance."
  value       = module.compute.compromised_instance_id
}

output "malicious_instance_id" {
  description = "ID of the malicious instance."
  value       = module.compute.malicious_instance_id
}

output "malicious_ip" {
  description = "Elastic IP of the malicious instance."
  value       = module.compute.malicious_ip
}

output "malicious_eip_allocation_id" {
  description = "Allocation ID of the malicious instance's Elastic IP."
  value       = module.compute.malicious_eip_allocation_id
}
