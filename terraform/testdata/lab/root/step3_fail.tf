module "failing" {
  source = "./modules/failing"
}
