# The two hosts of the scenario: a "compromised" instance that keeps contacting a "malicious"
# one, whose Elastic IP the guardduty module puts on a custom threat list.

# Latest Amazon Linux 2023 for x86_64 (t3 instances are x86_64). The name pattern leaves out the
# al2023-ami-minimal images; owners is mandatory with most_recent since provider 6.
data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

resource "aws_instance" "malicious" {
  ami                    = data.aws_ami.al2023.id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [var.initial_sg_id, aws_security_group.malicious_host.id]

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    encrypted   = true
    volume_type = "gp3"
  }

  tags = {
    Name = "IAC-Tutorial: Malicious Instance"
  }
}

# A fixed public address for the malicious host: it is what goes on the threat list and what the
# compromised host pings. The instance reference orders it after the subnet's internet route
# (see the vpc module's subnet_id output), which an Elastic IP association needs.
resource "aws_eip" "malicious" {
  domain   = "vpc"
  instance = aws_instance.malicious.id

  tags = {
    Name = "${var.name_prefix}-malicious-eip"
  }
}

resource "aws_instance" "compromised" {
  ami                    = data.aws_ami.al2023.id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [var.initial_sg_id]

  user_data = templatefile("${path.module}/templates/compromised_user_data.sh.tftpl", {
    target_ip        = aws_eip.malicious.public_ip
    interval_seconds = var.beacon_interval_seconds
    ping_count       = var.beacon_ping_count
  })
  # cloud-init runs user data only on first boot: a new beacon target needs a new instance.
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    encrypted   = true
    volume_type = "gp3"
  }

  tags = {
    Name = "IAC-Tutorial: Compromised Instance"
  }

  lifecycle {
    # The remediation Lambda moves this instance into the forensic security group. Without this,
    # the next plan would put it back into INITIAL_SG and undo the isolation.
    ignore_changes = [vpc_security_group_ids]
  }
}

# The compromised host pings the Elastic IP, so its packets leave through the internet gateway
# and reach the malicious host from the compromised host's public address, not from inside the
# VPC. This group lets exactly that address ping the malicious host, so the pings are answered
# like real beacon traffic. It is a separate rule resource because the group is created before
# the compromised instance whose address it names.
resource "aws_security_group" "malicious_host" {
  name        = "${var.name_prefix}-malicious-host"
  description = "gdlab malicious host: answers pings from the compromised host"
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.name_prefix}-malicious-host"
  }
}

resource "aws_vpc_security_group_ingress_rule" "echo_from_compromised" {
  security_group_id = aws_security_group.malicious_host.id
  description       = "ICMP echo request from the compromised host's public address"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = -1
  cidr_ipv4         = "${aws_instance.compromised.public_ip}/32"

  tags = {
    Name = "${var.name_prefix}-echo-from-compromised"
  }
}
