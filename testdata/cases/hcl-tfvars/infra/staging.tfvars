env                = "staging"
region             = "eu-west-1"
cidr               = "10.1.0.0/16"
single_nat_gateway = true
admin_cidrs        = ["0.0.0.0/0"]
services = {
  api = { port = 8080, internal = false }
  web = { port = 443, internal = false }
}
db_password = "staging-other-password"
