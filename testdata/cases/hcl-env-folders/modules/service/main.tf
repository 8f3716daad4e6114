variable "name" { type = string }
variable "env" { type = string }
variable "vpc_id" { type = string }
variable "vpc_cidr" { type = string }
variable "port" { type = number }
variable "public" {
  type    = bool
  default = false
}

resource "aws_security_group" "this" {
  name   = "${var.env}-${var.name}"
  vpc_id = var.vpc_id

  ingress {
    description = "service port"
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = var.public ? ["0.0.0.0/0"] : [var.vpc_cidr]
  }
}

resource "aws_service_discovery_service" "this" {
  name = var.name
  dns_config {
    namespace_id   = "ns-${var.env}"
    routing_policy = "MULTIVALUE"
    dns_records {
      ttl  = 10
      type = "A"
    }
  }
}

output "security_group_id" { value = aws_security_group.this.id }
