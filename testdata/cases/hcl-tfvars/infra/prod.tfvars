env    = "prod"
region = "us-east-1"
cidr   = "10.0.0.0/16"
services = {
  api = { port = 8080 }
  web = { port = 443, internal = false }
}
db_password = "prod-s3cret-password"
