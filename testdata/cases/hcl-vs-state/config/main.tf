variable "env" {
  type    = string
  default = "prod"
}

locals {
  cidr = "10.40.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = local.cidr
  tags       = { Name = "${var.env}-main" }
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(local.cidr, 8, count.index)
  availability_zone = element(["us-east-1a", "us-east-1b"], count.index)
  tags              = { Name = "${var.env}-app-${count.index}" }
}

resource "aws_security_group" "app" {
  name        = "${var.env}-app"
  description = "App servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.cidr]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_route53_record" "app" {
  zone_id = "Z0PROD1234567890ABCD"
  name    = "app.${var.env}.example.com"
  type    = "A"
  ttl     = 300
  records = [cidrhost(aws_subnet.app[0].cidr_block, 10)]
}
