locals {
  name     = "${var.env}-core"
  zones    = [for az in var.azs : "${var.region}${az}"]
  nat_zones = var.single_nat_gateway ? slice(local.zones, 0, 1) : local.zones
  tags = {
    Environment = var.env
    ManagedBy   = "terraform"
  }
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = local.name })
}

resource "aws_subnet" "public" {
  count                   = length(local.zones)
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(var.cidr, 8, count.index)
  availability_zone       = local.zones[count.index]
  map_public_ip_on_launch = true
  tags                    = merge(local.tags, { Name = "${local.name}-public-${count.index}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index + 10)
  availability_zone = local.zones[count.index]
  tags              = merge(local.tags, { Name = "${local.name}-private-${count.index}", Tier = "private" })
}

resource "aws_eip" "nat" {
  count  = length(local.nat_zones)
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  count         = length(local.nat_zones)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_security_group" "bastion" {
  name        = "${local.name}-bastion"
  description = "Bastion host"
  vpc_id      = aws_vpc.main.id

  dynamic "ingress" {
    for_each = length(var.admin_cidrs) > 0 ? [1] : []
    content {
      description = "SSH from admins"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = var.admin_cidrs
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "service" {
  for_each           = var.services
  name               = "${var.env}-${each.key}"
  internal           = each.value.internal
  load_balancer_type = "application"
  subnets            = each.value.internal ? aws_subnet.private[*].id : aws_subnet.public[*].id
}

resource "aws_db_instance" "main" {
  identifier     = "${local.name}-db"
  engine         = "postgres"
  instance_class = "db.t3.medium"
  username       = "app"
  password       = var.db_password
  tags           = local.tags
}
