locals {
  env = "staging"
  services = {
    api    = { port = 8080 }
    orders = { port = 9081 }
    debug  = { port = 5005, public = true }
  }
}

module "network" {
  source = "../../modules/network"
  name   = "${local.env}-net"
  cidr   = "10.30.0.0/16"
  zones  = ["eu-west-1a", "eu-west-1b"]
}

module "service" {
  source   = "../../modules/service"
  for_each = local.services
  name     = each.key
  env      = local.env
  vpc_id   = module.network.vpc_id
  vpc_cidr = module.network.cidr
  port     = each.value.port
  public   = try(each.value.public, false)
}
