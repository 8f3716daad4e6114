variable "env" {
  type = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "cidr" {
  type = string
}

variable "azs" {
  type    = list(string)
  default = ["a", "b", "c"]
}

variable "single_nat_gateway" {
  type    = bool
  default = false
}

variable "admin_cidrs" {
  description = "Who may reach the bastion over SSH."
  type        = list(string)
  default     = []
}

variable "services" {
  type = map(object({
    port     = number
    internal = optional(bool, true)
  }))
}

variable "db_password" {
  type      = string
  sensitive = true
}
