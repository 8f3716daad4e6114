variable "size" { type = string }
variable "min" { type = number }
variable "ports" { type = list(number) }
variable "fixed_cpu" { type = bool }
variable "open_ports" { type = list(number) }

data "aws_subnets" "private" {}
data "aws_security_group" "base" {}
data "aws_prefix_list" "egress" {}
data "aws_vpc" "shared" {}
data "aws_vpc" "legacy" {}

# A value known only after apply inside a nested block, and known values beside it.
resource "google_cloudfunctions2_function" "api" {
  name = "api"
  service_config {
    available_cpu      = var.fixed_cpu ? "1" : data.aws_subnets.private.cpu
    min_instance_count = var.min
    max_instance_count = 10
    vpc_connector      = data.aws_subnets.private.connector
    ingress_settings   = var.size == "large" ? data.aws_vpc.shared.ingress : data.aws_vpc.legacy.ingress
  }
}

resource "aws_mwaa_environment" "airflow" {
  name = "airflow"
  network_configuration {
    security_group_ids = compact(concat([data.aws_security_group.base.id], []))
    subnet_ids         = data.aws_subnets.private.ids
  }
  logging_configuration {
    task_logs {
      enabled   = true
      log_level = var.size == "large" ? "WARNING" : "INFO"
      group     = data.aws_subnets.private.log_group
    }
  }
}

# Outbound ports of a balancer to addresses known only after apply.
resource "aws_security_group" "lb" {
  name = "lb"
  egress {
    from_port   = var.ports[0]
    to_port     = var.ports[0]
    protocol    = "tcp"
    cidr_blocks = [data.aws_prefix_list.egress.cidr]
  }
}

# Both environments allow 443 from addresses known only after apply; staging also opens
# SSH to the world: reported, whatever the unknown addresses are.
resource "aws_security_group" "app" {
  name = "app"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [data.aws_prefix_list.egress.cidr]
  }
  dynamic "ingress" {
    for_each = var.open_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

# Rules wholly known only after apply in staging: not compared, and said.
resource "aws_security_group" "ops" {
  name = "ops"
  dynamic "ingress" {
    for_each = var.size == "large" ? [22] : jsondecode(data.aws_subnets.private.rules)
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}

# Addresses known only after apply in both, but from different sources: prod admits a
# shared network, staging a legacy one. A difference, though neither value is known.
resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.size == "large" ? data.aws_vpc.shared.cidr_block : data.aws_vpc.legacy.cidr_block]
  }
}
