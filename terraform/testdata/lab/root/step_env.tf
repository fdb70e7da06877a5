module "envprobe" {
  source = "./modules/envprobe"
}
