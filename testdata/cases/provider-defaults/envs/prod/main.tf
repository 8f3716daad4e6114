# prod spells out the provider's defaults.

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = false
}

resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.0.1.0/24"
  availability_zone               = "us-east-1a"
  map_public_ip_on_launch         = false
  assign_ipv6_address_on_creation = false
}

resource "aws_security_group" "web" {
  name                   = "prod-web"
  vpc_id                 = aws_vpc.main.id
  revoke_rules_on_delete = false
}

resource "aws_lb" "web" {
  name                       = "prod-web"
  internal                   = false
  load_balancer_type         = "application"
  enable_deletion_protection = false
  enable_http2               = true
  drop_invalid_header_fields = false
  idle_timeout               = 60
  subnets                    = [aws_subnet.public.id]
  security_groups            = [aws_security_group.web.id]

  access_logs {
    bucket  = "acme-lb-logs"
    enabled = false
  }
}

resource "google_compute_firewall" "iap_ssh" {
  name          = "prod-allow-iap-ssh"
  network       = "default"
  direction     = "INGRESS"
  priority      = 1000
  disabled      = false
  source_ranges = ["35.235.240.0/20"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
