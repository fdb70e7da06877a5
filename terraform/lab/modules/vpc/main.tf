# The lab network: one VPC with one public subnet. Both instances need a public route, because
# GuardDuty threat lists only match traffic to publicly routable addresses, so the compromised
# host must reach the malicious host's Elastic IP through the internet gateway. No NAT gateway:
# nothing here is private, and a NAT gateway would add cost and minutes of apply time.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "lab" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "${var.name_prefix}-vpc"
  }
}

# The first available zone of whatever region the lab runs in; the tutorial's hard-coded
# zone only existed in us-west-2.
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.lab.id
  cidr_block              = cidrsubnet(var.vpc_cidr, 2, 0)
  availability_zone       = data.aws_availability_zones.available.names[0]
  map_public_ip_on_launch = true

  tags = {
    Name = "${var.name_prefix}-public"
  }
}

resource "aws_internet_gateway" "lab" {
  vpc_id = aws_vpc.lab.id

  tags = {
    Name = "${var.name_prefix}-igw"
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.lab.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.lab.id
  }

  tags = {
    Name = "${var.name_prefix}-public"
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

# INITIAL_SG is the group both instances start in; the remediation Lambda later swaps the
# compromised instance out of it. Egress is open so the compromised host can reach the
# malicious Elastic IP; ICMP from inside the VPC lets the two hosts ping each other's private
# addresses when a learner pokes around. (Pings to the Elastic IP arrive from the sender's
# public address, so the compute module opens that path on the malicious host separately.)
resource "aws_security_group" "initial" {
  name        = "${var.name_prefix}-INITIAL_SG"
  description = "gdlab initial security group: open egress, ICMP from the lab VPC"
  vpc_id      = aws_vpc.lab.id

  ingress {
    description = "ICMP from hosts inside the lab VPC"
    protocol    = "icmp"
    from_port   = -1
    to_port     = -1
    cidr_blocks = [aws_vpc.lab.cidr_block]
  }

  #tfsec:ignore:aws-vpc-no-public-egress-sgr -- the lab scenario needs outbound internet: the compromised host must reach the malicious Elastic IP; isolation is the Lambda's job, which moves it to a rule-less group
  egress {
    description = "All outbound traffic (the simulated beacon to the malicious host)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name_prefix}-INITIAL_SG"
  }
}
