variable "flow_logs" { type = bool }
variable "grants" { type = list(string) }
variable "log_buckets" { type = bool }

data "aws_caller_identity" "me" {}
data "aws_iam_roles" "readers" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Known only after apply where enabled, zero where not: may exist in one environment only.
resource "aws_flow_log" "this" {
  count           = var.flow_logs ? length(data.aws_iam_roles.readers.names) : 0
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# One key known only after apply: the known keys are compared, the rest is not.
resource "aws_iam_role_policy_attachment" "grant" {
  for_each   = toset(concat(var.grants, [data.aws_caller_identity.me.account_id]))
  role       = each.value
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# A module call whose count is known only after apply in one environment.
module "logs" {
  source = "./modules/logs"
  count  = var.log_buckets ? length(data.aws_iam_roles.readers.names) : 0
}

# A module whose source cannot be had: nothing inside it is compared.
module "edge" {
  source = "s3::https://example-bucket.s3.amazonaws.com/modules/edge.zip"
  name   = "edge"
}
