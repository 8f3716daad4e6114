variable "name" { type = string }
variable "cidr" { type = string }
variable "zones" { type = list(string) }

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

resource "aws_subnet" "private" {
  for_each          = { for i, z in var.zones : z => i }
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, each.value)
  availability_zone = each.key
  tags              = { Name = "${var.name}-${each.key}" }
}

output "vpc_id" { value = aws_vpc.this.id }
output "subnet_ids" { value = [for s in aws_subnet.private : s.id] }
output "cidr" { value = aws_vpc.this.cidr_block }
