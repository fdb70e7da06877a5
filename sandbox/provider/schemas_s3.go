package provider

// S3 types, as the real provider declares them (provider 6.x: inline bucket configuration is
// gone from new code, each concern has its own resource).

func init() {
	addResources(
		resourceSpec{typeName: "aws_s3_bucket", what: "S3 Bucket", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").optComp().forceNewA(),
				str("bucket_prefix").optComp().forceNewA(),
				boolean("force_destroy").def(false),
				boolean("object_lock_enabled").optComp().forceNewA(),
				str("acceleration_status").optComp().deprecate("acceleration_status is deprecated. Use the aws_s3_bucket_accelerate_configuration resource instead."),
				str("policy").optComp().policy().deprecate("policy is deprecated. Use the aws_s3_bucket_policy resource instead."),
				str("request_payer").optComp().deprecate("request_payer is deprecated. Use the aws_s3_bucket_request_payment_configuration resource instead."),
				str("arn").comp(),
				str("bucket_domain_name").comp(),
				str("bucket_region").comp(),
				str("bucket_regional_domain_name").comp(),
				str("hosted_zone_id").comp(),
			},
			blocks: []block{timeoutsBlock("create", "read", "update", "delete")},
		}, validate: conflicts("bucket", "bucket_prefix")},
		resourceSpec{typeName: "aws_s3_bucket_public_access_block", what: "S3 Bucket Public Access Block", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				boolean("block_public_acls").def(false),
				boolean("block_public_policy").def(false),
				boolean("ignore_public_acls").def(false),
				boolean("restrict_public_buckets").def(false),
				boolean("skip_destroy").opt(),
			},
		}},
		resourceSpec{typeName: "aws_s3_bucket_ownership_controls", what: "S3 Bucket Ownership Controls", regional: true, objectSpec: objectSpec{
			attrs: []attr{str("bucket").req().forceNewA()},
			blocks: []block{listBlock("rule", 1,
				str("object_ownership").req().values("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"),
			).min(1)},
		}},
		resourceSpec{typeName: "aws_s3_bucket_server_side_encryption_configuration", what: "S3 Bucket Server-side Encryption Configuration", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				str("expected_bucket_owner").opt().forceNewA(),
			},
			blocks: []block{setBlock("rule",
				boolean("bucket_key_enabled").opt(),
				strList("blocked_encryption_types").optComp(),
			).min(1).with(listBlock("apply_server_side_encryption_by_default", 1,
				str("sse_algorithm").req().values("AES256", "aws:kms", "aws:kms:dsse"),
				str("kms_master_key_id").opt(),
			))},
		}},
		resourceSpec{typeName: "aws_s3_bucket_versioning", what: "S3 Bucket Versioning", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				str("expected_bucket_owner").opt().forceNewA(),
				str("mfa").opt(),
			},
			blocks: []block{listBlock("versioning_configuration", 1,
				str("status").req().values("Enabled", "Suspended", "Disabled"),
				str("mfa_delete").optComp().values("Enabled", "Disabled"),
			).min(1)},
		}},
		resourceSpec{typeName: "aws_s3_bucket_policy", what: "S3 Bucket Policy", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				str("policy").req().policy(),
			},
		}},
		resourceSpec{typeName: "aws_s3_bucket_lifecycle_configuration", what: "S3 Bucket Lifecycle Configuration", regional: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				str("expected_bucket_owner").opt().forceNewA(),
				str("transition_default_minimum_object_size").optComp(),
			},
			blocks: []block{listBlock("rule", 0,
				str("id").req(),
				str("status").req().values("Enabled", "Disabled"),
				str("prefix").opt(),
			).with(
				listBlock("expiration", 1, str("date").opt(), integer("days").optComp(), boolean("expired_object_delete_marker").optComp()),
				listBlock("filter", 1, str("prefix").opt(), integer("object_size_greater_than").opt(), integer("object_size_less_than").opt()),
				listBlock("abort_incomplete_multipart_upload", 1, integer("days_after_initiation").opt()),
				listBlock("noncurrent_version_expiration", 1, integer("newer_noncurrent_versions").opt(), integer("noncurrent_days").req()),
			)},
		}},
		resourceSpec{typeName: "aws_s3_object", what: "S3 Object", regional: true, tagged: true, objectSpec: objectSpec{
			attrs: []attr{
				str("bucket").req().forceNewA(),
				str("key").req().forceNewA(),
				str("acl").opt().values("private", "public-read", "public-read-write", "aws-exec-read",
					"authenticated-read", "bucket-owner-read", "bucket-owner-full-control"),
				str("content").opt(),
				str("content_base64").opt(),
				str("source").opt(),
				str("source_hash").opt(),
				str("cache_control").opt(),
				str("content_disposition").opt(),
				str("content_encoding").opt(),
				str("content_language").opt(),
				str("content_type").optComp(),
				str("etag").optComp().changing(),
				boolean("force_destroy").def(false),
				str("kms_key_id").optComp(),
				boolean("bucket_key_enabled").optComp(),
				str("server_side_encryption").optComp().values("AES256", "aws:kms", "aws:kms:dsse"),
				str("storage_class").optComp(),
				str("checksum_algorithm").opt().values("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"),
				strMap("metadata").opt(),
				str("website_redirect").opt(),
				str("object_lock_legal_hold_status").opt(),
				str("object_lock_mode").opt(),
				str("object_lock_retain_until_date").opt(),
				str("arn").comp(),
				str("checksum_crc32").comp(),
				str("checksum_crc32c").comp(),
				str("checksum_crc64nvme").comp(),
				str("checksum_sha1").comp(),
				str("checksum_sha256").comp(),
				str("version_id").comp().changing(),
			},
			blocks: []block{listBlock("override_provider", 1).with(
				listBlock("default_tags", 1, strMap("tags").opt()),
			)},
		}, planHook: objectPlan, validate: conflicts("content", "content_base64", "source")},
	)
}

// objectPlan: a new body gives the object a new version and etag, unknown until uploaded.
func objectPlan(p *planEdit) {
	if p.creating() {
		return
	}
	for _, name := range []string{"content", "content_base64", "source", "source_hash", "kms_key_id", "server_side_encryption"} {
		if p.changed(name) {
			p.markUnknown("version_id")
			if !p.config.set("etag") {
				p.markUnknown("etag")
			}
			return
		}
	}
}
