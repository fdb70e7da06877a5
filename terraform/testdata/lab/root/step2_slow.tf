variable "sleep_seconds" {
  type    = number
  default = 2
}

module "slow" {
  source        = "./modules/slow"
  lab_id        = var.lab_id
  sleep_seconds = var.sleep_seconds
}

output "slow_id" {
  value = module.slow.id
}
