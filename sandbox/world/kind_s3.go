package world

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
)

// S3 buckets, their one-per-bucket configuration resources, and objects.

func init() {
	register("aws_s3_bucket", &kind{create: createBucket, remove: removeBucket})
	for _, typ := range bucketConfigTypes {
		register(typ, &kind{create: createBucketConfig, singleton: true})
	}
	kinds["aws_s3_bucket_public_access_block"].remove = removePublicAccessBlock
	register("aws_s3_object", &kind{create: createS3Object, update: updateS3Object, read: readS3Object, remove: removeS3Object})
}

// bucketConfigTypes are the resources that configure one bucket; their id is
// the bucket name.
var bucketConfigTypes = []string{
	"aws_s3_bucket_public_access_block", "aws_s3_bucket_policy",
	"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
	"aws_s3_bucket_ownership_controls", "aws_s3_bucket_acl", "aws_s3_bucket_lifecycle_configuration",
	"aws_s3_bucket_logging", "aws_s3_bucket_notification", "aws_s3_bucket_cors_configuration",
}

var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// takenBucketNames stand for buckets that other accounts own, so the sandbox
// can answer BucketAlreadyExists as S3's global namespace would.
var takenBucketNames = map[string]bool{"examplebucket": true, "my-bucket": true, "test": true, "bucket": true, "aws": true}

// hostedZoneIDs are S3 website hosted zones per region (Route 53 alias targets).
var hostedZoneIDs = map[string]string{
	"us-east-1": "Z3AQBSTGFYJSTF", "us-east-2": "Z2O1EMRO9K5GLX", "us-west-1": "Z2F56UZL2M1ACD",
	"us-west-2": "Z3BJ6K6RIION7M", "eu-west-1": "Z1BKCTXD74EZPE", "eu-central-1": "Z21DNDUVLTQW6Q",
	"eu-west-2": "Z3GKZC51ZF0DB4", "ap-southeast-1": "Z3O0J2DXBE1FTB", "ap-southeast-2": "Z1WCIGYICN2BYD",
	"ap-northeast-1": "Z2M4EHUR26P7ZW", "ca-central-1": "Z1QDHH18159H29",
}

func createBucket(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := Str(a, "bucket")
	if name == "" {
		prefix := Str(a, "bucket_prefix")
		if prefix == "" {
			prefix = "terraform-"
		}
		name = strings.ToLower(uniqueName(prefix))
		a["bucket"] = name
	}
	if !bucketNameRE.MatchString(name) || strings.Contains(name, "..") || strings.HasPrefix(name, "xn--") {
		return errorf(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.")
	}
	if tx.Find("aws_s3_bucket", name) != nil {
		return errorf(http.StatusConflict, "BucketAlreadyOwnedByYou",
			"Your previous request to create the named bucket succeeded and you already own it.")
	}
	if takenBucketNames[name] {
		return errorf(http.StatusConflict, "BucketAlreadyExists",
			"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	}
	r.ID = name
	a["arn"] = "arn:aws:s3:::" + name
	a["bucket_domain_name"] = name + ".s3.amazonaws.com"
	a["bucket_regional_domain_name"] = name + ".s3." + tx.Region + ".amazonaws.com"
	a["bucket_region"] = tx.Region
	a["region"] = tx.Region
	a["hosted_zone_id"] = hostedZoneIDs[tx.Region]
	for k, v := range map[string]any{"force_destroy": false, "object_lock_enabled": false,
		"acceleration_status": "", "request_payer": "BucketOwner", "bucket_prefix": "",
		"policy": "", "website_domain": "", "website_endpoint": ""} {
		setDefault(a, k, v)
	}
	tx.Objects[name] = map[string]*Object{}
	return nil
}

func removeBucket(tx *Tx, r *Resource) error {
	if len(tx.Objects[r.ID]) > 0 && !Bool(r.Attrs, "force_destroy", false) {
		return errorf(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
	}
	delete(tx.Objects, r.ID)
	for _, typ := range append(bucketConfigTypes, "aws_s3_object") {
		tx.removeWhere(typ, func(x *Resource) bool { return Str(x.Attrs, "bucket") == r.ID })
	}
	return nil
}

func noSuchBucket(name string) *Error {
	return errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
}

func createBucketConfig(tx *Tx, r *Resource) error {
	bucket := Str(r.Attrs, "bucket")
	if tx.Find("aws_s3_bucket", bucket) == nil {
		return noSuchBucket(bucket)
	}
	r.ID = bucket
	switch r.Type {
	case "aws_s3_bucket_public_access_block":
		for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			setDefault(r.Attrs, k, false)
		}
		delete(tx.Find("aws_s3_bucket", bucket).Private, publicAccessBlockDeleted)
	case "aws_s3_bucket_policy":
		if !validJSON(Str(r.Attrs, "policy")) {
			return errorf(http.StatusBadRequest, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'")
		}
	case "aws_s3_bucket_acl":
		if acl := Str(r.Attrs, "acl"); acl != "" {
			r.ID = bucket + "," + acl
		}
	}
	setDefault(r.Attrs, "expected_bucket_owner", "")
	return nil
}

// publicAccessBlockDeleted marks a bucket (Private) whose public access block
// was deleted: S3 gives a new bucket an all-blocking configuration, and
// DeletePublicAccessBlock (what the provider calls on destroy) leaves none.
const publicAccessBlockDeleted = "public_access_block_deleted"

func removePublicAccessBlock(tx *Tx, r *Resource) error {
	if b := tx.Find("aws_s3_bucket", Str(r.Attrs, "bucket")); b != nil {
		if b.Private == nil {
			b.Private = map[string]string{}
		}
		b.Private[publicAccessBlockDeleted] = "true"
	}
	return nil
}

// PublicAccessBlockDeleted reports whether a bucket's public access block was
// deleted (so it has none, rather than the default one of a new bucket).
func PublicAccessBlockDeleted(bucket *Resource) bool {
	return bucket != nil && bucket.Private[publicAccessBlockDeleted] != ""
}

// BucketConfig returns the configuration resource of a bucket, or nil.
func (s *State) BucketConfig(typ, bucket string) *Resource {
	return s.FindBy(typ, "bucket", bucket)
}

func etagOf(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

// objectContent reads an aws_s3_object's body from content, content_base64 or
// source (a file on this machine, read now as the real provider reads it).
func objectContent(a map[string]any) ([]byte, error) {
	switch {
	case present(a, "content_base64"):
		b, err := base64.StdEncoding.DecodeString(Str(a, "content_base64"))
		if err != nil {
			return nil, Invalid("content_base64 is not valid base64: %v", err)
		}
		return b, nil
	case present(a, "source"):
		b, err := os.ReadFile(Str(a, "source"))
		if err != nil {
			return nil, Invalid("opening S3 object source (%s): %v", Str(a, "source"), err)
		}
		return b, nil
	}
	return []byte(Str(a, "content")), nil
}

func createS3Object(tx *Tx, r *Resource) error {
	bucket, key := Str(r.Attrs, "bucket"), Str(r.Attrs, "key")
	if tx.Find("aws_s3_bucket", bucket) == nil {
		return noSuchBucket(bucket)
	}
	if key == "" {
		return errorf(http.StatusBadRequest, "InvalidArgument", "key must not be empty")
	}
	r.ID = key
	return writeObjectFromAttrs(tx, r)
}

func writeObjectFromAttrs(tx *Tx, r *Resource) error {
	a := r.Attrs
	body, err := objectContent(a)
	if err != nil {
		return err
	}
	bucket, key := Str(a, "bucket"), Str(a, "key")
	ct := Str(a, "content_type")
	if ct == "" {
		ct = "binary/octet-stream"
	}
	obj := tx.PutObject(bucket, key, body, ct, StrMap(a, "metadata"))
	a["content_type"] = ct
	a["etag"] = obj.ETag
	a["arn"] = "arn:aws:s3:::" + bucket + "/" + key
	for k, v := range map[string]any{"version_id": "", "storage_class": "STANDARD", "server_side_encryption": "AES256",
		"bucket_key_enabled": false, "force_destroy": false, "kms_key_id": "", "metadata": map[string]any{},
		"cache_control": "", "content_disposition": "", "content_encoding": "", "content_language": "",
		"website_redirect": "", "object_lock_legal_hold_status": "", "object_lock_mode": "",
		"object_lock_retain_until_date": "", "checksum_crc32": "", "checksum_crc32c": "", "checksum_crc64nvme": "",
		"checksum_sha1": "", "checksum_sha256": "", "checksum_algorithm": ""} {
		setDefault(a, k, v)
	}
	return nil
}

func updateS3Object(tx *Tx, old map[string]any, r *Resource) error {
	if Str(old, "bucket") != Str(r.Attrs, "bucket") || Str(old, "key") != Str(r.Attrs, "key") {
		delete(tx.Objects[Str(old, "bucket")], Str(old, "key"))
	}
	if tx.Find("aws_s3_bucket", Str(r.Attrs, "bucket")) == nil {
		return noSuchBucket(Str(r.Attrs, "bucket"))
	}
	return writeObjectFromAttrs(tx, r)
}

func readS3Object(s *State, r *Resource) error {
	obj := s.Objects[Str(r.Attrs, "bucket")][Str(r.Attrs, "key")]
	if obj == nil {
		return NotFound("object %s/%s does not exist", Str(r.Attrs, "bucket"), Str(r.Attrs, "key"))
	}
	r.Attrs["etag"] = obj.ETag
	r.Attrs["content_type"] = obj.ContentType
	return nil
}

func removeS3Object(tx *Tx, r *Resource) error {
	delete(tx.Objects[Str(r.Attrs, "bucket")], Str(r.Attrs, "key"))
	return nil
}

// PutObject stores an object (the bucket must exist; callers check).
func (tx *Tx) PutObject(bucket, key string, body []byte, contentType string, meta map[string]string) *Object {
	if tx.Objects[bucket] == nil {
		tx.Objects[bucket] = map[string]*Object{}
	}
	if contentType == "" {
		contentType = "binary/octet-stream"
	}
	obj := &Object{Body: append([]byte(nil), body...), ContentType: contentType, ETag: etagOf(body),
		LastModified: tx.Now.UTC().Truncate(time.Second), Metadata: meta}
	tx.Objects[bucket][key] = obj
	return obj
}

// PutObject stores an object through S3 semantics: NoSuchBucket when the
// bucket does not exist.
func (w *World) PutObject(bucket, key string, body []byte, contentType string, meta map[string]string) (*Object, error) {
	var out Object
	err := w.Update(func(tx *Tx) error {
		if tx.Find("aws_s3_bucket", bucket) == nil {
			return noSuchBucket(bucket)
		}
		out = *tx.PutObject(bucket, key, body, contentType, meta)
		return nil
	})
	return &out, err
}

// DeleteObject removes an object (S3 answers success even when it is absent).
func (w *World) DeleteObject(bucket, key string) error {
	return w.Update(func(tx *Tx) error {
		if tx.Find("aws_s3_bucket", bucket) == nil {
			return noSuchBucket(bucket)
		}
		delete(tx.Objects[bucket], key)
		return nil
	})
}

// ParseS3Location splits the locations GuardDuty accepts for lists
// (s3://b/k, https://s3.amazonaws.com/b/k, https://s3-region.amazonaws.com/b/k,
// https://s3.region.amazonaws.com/b/k, https://b.s3[.-region].amazonaws.com/k).
func ParseS3Location(loc string) (bucket, key string, ok bool) {
	if rest, found := strings.CutPrefix(loc, "s3://"); found {
		bucket, key, _ = strings.Cut(rest, "/")
		return bucket, key, bucket != "" && key != ""
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(loc, "https://"), "http://")
	if rest == loc {
		return "", "", false
	}
	host, p, _ := strings.Cut(rest, "/")
	if !strings.HasSuffix(host, ".amazonaws.com") {
		return "", "", false
	}
	if strings.HasPrefix(host, "s3.") || strings.HasPrefix(host, "s3-") {
		bucket, key, _ = strings.Cut(p, "/")
	} else if i := strings.Index(host, ".s3"); i > 0 {
		bucket, key = host[:i], p
	}
	return bucket, key, bucket != "" && key != ""
}
