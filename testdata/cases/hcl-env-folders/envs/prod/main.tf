locals {
  env = "prod"
  services = {
    api    = { port = 8080 }
    orders = { port = 8081 }

  }
}

module "network" {
  source = "../../modules/network"
  name   = "${local.env}-net"
  cidr   = "10.20.0.0/16"
  zones  = ["us-east-1a", "us-east-1b"]
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
