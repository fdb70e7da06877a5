# Two private buckets: one receives the VPC flow log, the other holds the GuardDuty threat list.
# Both are deleted with their contents on destroy (force_destroy), so cleanup never stalls.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # The partition comes from the caller's ARN, so policies also work outside the aws partition.
  partition = split(":", data.aws_caller_identity.current.arn)[1]

  # Account id for global uniqueness: 6 + 30 + 11 + 12 characters stay under S3's 63.
  flow_log_bucket_name    = "${var.name_prefix}-flow-logs-${local.account_id}"
  threat_list_bucket_name = "${var.name_prefix}-threat-list-${local.account_id}"
}

# ---------------------------------------------------------------------------------------------
# Flow-log bucket and the flow log
# ---------------------------------------------------------------------------------------------

#tfsec:ignore:aws-s3-enable-bucket-logging -- lab bucket that lives for the length of the lab; access logs would need a third bucket that outlives it, and CloudTrail already records bucket management calls
resource "aws_s3_bucket" "flow_logs" {
  bucket        = local.flow_log_bucket_name
  force_destroy = true

  tags = {
    Name = local.flow_log_bucket_name
  }
}

resource "aws_s3_bucket_public_access_block" "flow_logs" {
  bucket                  = aws_s3_bucket.flow_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "flow_logs" {
  bucket = aws_s3_bucket.flow_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

#tfsec:ignore:aws-s3-encryption-customer-key -- SSE-S3 is deliberate: a customer-managed key lingers for at least 7 days after the lab is destroyed (costing money and failing the cleanup audit), and the objects are flow records of a throwaway lab VPC
resource "aws_s3_bucket_server_side_encryption_configuration" "flow_logs" {
  bucket = aws_s3_bucket.flow_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "flow_logs" {
  bucket = aws_s3_bucket.flow_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

# When a flow log targets a bucket, AWS appends its own log-delivery statements to the bucket
# policy. A Terraform-managed policy replaces the whole document, so those statements are
# written here too (as documented for VPC flow logs to S3), next to the TLS-only rule.
data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.flow_logs.arn, "${aws_s3_bucket.flow_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "AWSLogDeliveryWrite"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.flow_logs.arn}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:${data.aws_region.current.region}:${local.account_id}:*"]
    }
  }

  statement {
    sid       = "AWSLogDeliveryAclCheck"
    effect    = "Allow"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.flow_logs.arn]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:${data.aws_region.current.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_s3_bucket_policy" "flow_logs" {
  bucket = aws_s3_bucket.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json

  # A bucket policy cannot be attached while the public access block is still being written.
  depends_on = [aws_s3_bucket_public_access_block.flow_logs]
}

# All traffic of the VPC, aggregated per minute (not the default ten) so records of the beacon
# show up quickly. GuardDuty does not read this log - it has its own copy of the VPC's flow
# records - but it is the evidence a responder would look at.
resource "aws_flow_log" "vpc" {
  vpc_id                   = var.vpc_id
  traffic_type             = "ALL"
  log_destination_type     = "s3"
  log_destination          = aws_s3_bucket.flow_logs.arn
  max_aggregation_interval = 60

  tags = {
    Name = "${var.name_prefix}-vpc-flow-log"
  }

  # Created after the policy, so AWS finds its delivery statements already present.
  depends_on = [aws_s3_bucket_policy.flow_logs]
}

# ---------------------------------------------------------------------------------------------
# Threat-list bucket
# ---------------------------------------------------------------------------------------------

#tfsec:ignore:aws-s3-enable-bucket-logging -- lab bucket that lives for the length of the lab and holds one public IP address; access logs would need a third bucket that outlives it
resource "aws_s3_bucket" "threat_list" {
  bucket        = local.threat_list_bucket_name
  force_destroy = true

  tags = {
    Name = local.threat_list_bucket_name
  }
}

resource "aws_s3_bucket_public_access_block" "threat_list" {
  bucket                  = aws_s3_bucket.threat_list.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "threat_list" {
  bucket = aws_s3_bucket.threat_list.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# GuardDuty reads lists encrypted with SSE-S3 through its service-linked role; SSE-KMS would also
# need a key policy for that role.
#tfsec:ignore:aws-s3-encryption-customer-key -- SSE-S3 is deliberate: the object is one IP address, and a customer-managed key would linger 7+ days after the lab (cost, failed cleanup audit) and need grants for GuardDuty's service-linked role
resource "aws_s3_bucket_server_side_encryption_configuration" "threat_list" {
  bucket = aws_s3_bucket.threat_list.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "threat_list" {
  bucket = aws_s3_bucket.threat_list.id

  versioning_configuration {
    status = "Enabled"
  }
}

# GuardDuty needs no bucket policy to read a list in its own account; this one only refuses
# requests that are not made over TLS.
data "aws_iam_policy_document" "threat_list" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.threat_list.arn, "${aws_s3_bucket.threat_list.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "threat_list" {
  bucket = aws_s3_bucket.threat_list.id
  policy = data.aws_iam_policy_document.threat_list.json

  depends_on = [aws_s3_bucket_public_access_block.threat_list]
}
