# staging leaves the same settings to the provider's defaults, and keeps idle
# connections twice as long (the one real difference).

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "web" {
  name   = "staging-web"
  vpc_id = aws_vpc.main.id
}

resource "aws_lb" "web" {
  name            = "staging-web"
  internal        = false
  idle_timeout    = 120
  subnets         = [aws_subnet.public.id]
  security_groups = [aws_security_group.web.id]

  access_logs {
    bucket = "acme-lb-logs"
  }
}

resource "google_compute_firewall" "iap_ssh" {
  name          = "staging-allow-iap-ssh"
  network       = "default"
  source_ranges = ["35.235.240.0/20"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
