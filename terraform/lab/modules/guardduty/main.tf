# GuardDuty with a custom threat list holding the malicious host's Elastic IP. Traffic from the
# compromised host to that address becomes an UnauthorizedAccess:EC2/MaliciousIPCaller.Custom
# finding.

locals {
  # An account has at most one detector per region, and destroying a detector deletes its
  # findings. A detector that existed before the lab is therefore only read, never managed.
  manage_detector = var.existing_detector_id == ""
  detector_id     = local.manage_detector ? aws_guardduty_detector.lab[0].id : data.aws_guardduty_detector.existing[0].id

  threat_list_key = "threat-lists/malicious-ips.txt"
}

resource "aws_guardduty_detector" "lab" {
  count = local.manage_detector ? 1 : 0

  enable = true
  # Updates of an existing finding are re-published every 15 minutes instead of the default six
  # hours. New findings are published within about five minutes regardless.
  finding_publishing_frequency = "FIFTEEN_MINUTES"
}

data "aws_guardduty_detector" "existing" {
  count = local.manage_detector ? 0 : 1

  id = var.existing_detector_id
}

# TXT format: one IP address or CIDR range per line.
resource "aws_s3_object" "threat_list" {
  bucket       = var.threat_list_bucket
  key          = local.threat_list_key
  content      = "${var.malicious_ip}\n"
  content_type = "text/plain"
}

resource "aws_guardduty_threatintelset" "lab" {
  detector_id = local.detector_id
  name        = "${var.name_prefix}-malicious-ips"
  format      = "TXT"
  location    = "https://s3.amazonaws.com/${aws_s3_object.threat_list.bucket}/${aws_s3_object.threat_list.key}"
  activate    = true

  lifecycle {
    # GuardDuty reads the list when the set is activated, not when the object changes; a new
    # list (for example a new Elastic IP) only takes effect through a new set.
    replace_triggered_by = [aws_s3_object.threat_list]
  }
}
