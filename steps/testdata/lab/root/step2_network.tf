module "vpc" {
  source = "./modules/net"
  name   = "gdlab-${var.lab_id}-vpc"
}

output "vpc_id" {
  value = module.vpc.id
}

output "compromised_instance_id" {
  value = "i-0fixture0000000001"
}
