package endpoint

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// S3 speaks REST-XML, path-style only (/bucket/key): the sandbox has no DNS
// for virtual-hosted buckets, so SDKs need UsePathStyle (the AWS CLI uses
// path style for an IP endpoint on its own).

const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

func s3Err(status int, code, format string, args ...any) *world.Error {
	return apiError(status, code, format, args...)
}

func notImplementedS3(what string) *world.Error {
	return s3Err(http.StatusNotImplemented, "NotImplemented", "A header or query you provided implies functionality that is not implemented by the sandbox (%s).", what)
}

func serveS3(c *call) {
	raw := strings.TrimPrefix(c.r.URL.EscapedPath(), "/")
	escBucket, escKey, _ := strings.Cut(raw, "/")
	bucket, err1 := url.PathUnescape(escBucket)
	key, err2 := url.PathUnescape(escKey)
	if err1 != nil || err2 != nil {
		c.fail(s3Err(http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI."))
		return
	}
	q := c.r.URL.Query()
	switch {
	case bucket == "":
		if c.r.Method != http.MethodGet {
			c.fail(s3Err(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."))
			return
		}
		c.op = "ListBuckets"
		listBuckets(c)
	case key == "":
		serveBucket(c, bucket, q)
	default:
		serveObject(c, bucket, key, q)
	}
}

// bucketOf returns the bucket resource or answers NoSuchBucket.
func (c *call) bucketOf(s *world.State, name string) *world.Resource {
	b := s.Find("aws_s3_bucket", name)
	if b == nil {
		c.fail(s3Err(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist"))
	}
	return b
}

type s3Owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

// canonicalOwner is the sandbox account's S3 canonical user id.
var canonicalOwner = s3Owner{ID: "7b3c6e5f0b1a4d2e9f8c7b6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e", DisplayName: "sandbox-learner"}

type bucketXML struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

type listBucketsXML struct {
	XMLName           xml.Name    `xml:"ListAllMyBucketsResult"`
	Xmlns             string      `xml:"xmlns,attr"`
	Owner             s3Owner     `xml:"Owner"`
	Buckets           []bucketXML `xml:"Buckets>Bucket"`
	ContinuationToken string      `xml:"ContinuationToken,omitempty"`
	Prefix            string      `xml:"Prefix,omitempty"`
}

func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// listBuckets answers ListBuckets in name order, with the paging parameters
// S3 added in 2024 (max-buckets, continuation-token, prefix, bucket-region):
// without max-buckets every bucket comes back in one page, as before.
func listBuckets(c *call) {
	q := c.r.URL.Query()
	maxBuckets := 0
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			c.fail(s3Err(http.StatusBadRequest, "InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000."))
			return
		}
		maxBuckets = n
	}
	after := ""
	if tok := q.Get("continuation-token"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || !strings.HasPrefix(string(b), "gdlab:") {
			c.fail(s3Err(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect"))
			return
		}
		after = strings.TrimPrefix(string(b), "gdlab:")
	}
	prefix, region := q.Get("prefix"), q.Get("bucket-region")
	s := c.world.Snapshot()
	out := listBucketsXML{Xmlns: s3Namespace, Owner: canonicalOwner, Prefix: prefix}
	buckets := append([]*world.Resource(nil), s.List("aws_s3_bucket")...)
	sort.Slice(buckets, func(i, j int) bool { return buckets[i].ID < buckets[j].ID })
	for _, b := range buckets {
		if b.ID <= after || !strings.HasPrefix(b.ID, prefix) || (region != "" && region != s.Region) {
			continue
		}
		if maxBuckets > 0 && len(out.Buckets) == maxBuckets {
			last := out.Buckets[len(out.Buckets)-1].Name
			out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte("gdlab:" + last))
			break
		}
		out.Buckets = append(out.Buckets, bucketXML{Name: b.ID, CreationDate: s3Time(b.CreatedAt), BucketRegion: s.Region})
	}
	writeXML(c, http.StatusOK, out)
}

// bucketSubresources maps a bucket query key to the operation it selects.
var bucketSubresources = []struct{ key, op string }{
	{"location", "GetBucketLocation"}, {"policy", "GetBucketPolicy"}, {"publicAccessBlock", "GetPublicAccessBlock"},
	{"encryption", "GetBucketEncryption"}, {"acl", "GetBucketAcl"}, {"versioning", "GetBucketVersioning"},
	{"tagging", "GetBucketTagging"}, {"ownershipControls", "GetBucketOwnershipControls"},
	{"lifecycle", ""}, {"logging", ""}, {"cors", ""}, {"website", ""}, {"notification", ""}, {"object-lock", ""},
	{"replication", ""}, {"accelerate", ""}, {"requestPayment", ""}, {"policyStatus", ""}, {"uploads", ""},
	{"delete", ""}, {"versions", ""}, {"analytics", ""}, {"metrics", ""}, {"inventory", ""}, {"intelligent-tiering", ""},
}

func serveBucket(c *call, name string, q url.Values) {
	op := "ListObjects"
	sub := ""
	for _, sr := range bucketSubresources {
		if _, ok := q[sr.key]; ok {
			op, sub = sr.op, sr.key
			break
		}
	}
	if q.Get("list-type") == "2" {
		op = "ListObjectsV2"
	}
	switch c.r.Method {
	case http.MethodHead:
		op = "HeadBucket"
	case http.MethodGet:
	default:
		c.op = c.r.Method + " bucket"
		c.fail(notImplementedS3(c.r.Method + " on a bucket"))
		return
	}
	c.op = op
	if op == "" {
		c.fail(notImplementedS3("GET ?" + sub))
		return
	}
	s := c.world.Snapshot()
	b := c.bucketOf(s, name)
	if b == nil {
		return
	}
	switch op {
	case "HeadBucket":
		c.w.Header().Set("X-Amz-Bucket-Region", s.Region)
		c.wrote = true
		c.w.WriteHeader(http.StatusOK)
	case "ListObjectsV2", "ListObjects":
		listObjects(c, s, name, q, op == "ListObjectsV2")
	case "GetBucketLocation":
		loc := s.Region
		if loc == "us-east-1" {
			loc = ""
		}
		writeXML(c, http.StatusOK, struct {
			XMLName xml.Name `xml:"LocationConstraint"`
			Xmlns   string   `xml:"xmlns,attr"`
			Value   string   `xml:",chardata"`
		}{Xmlns: s3Namespace, Value: loc})
	case "GetBucketPolicy":
		p := s.BucketConfig("aws_s3_bucket_policy", name)
		if p == nil || world.Str(p.Attrs, "policy") == "" {
			c.fail(s3Err(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist"))
			return
		}
		c.wrote = true
		c.w.Header().Set("Content-Type", "application/json")
		c.w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(c.w, world.Str(p.Attrs, "policy"))
	case "GetPublicAccessBlock":
		getPublicAccessBlock(c, s, name)
	case "GetBucketEncryption":
		getBucketEncryption(c, s, name)
	case "GetBucketAcl":
		writeXML(c, http.StatusOK, aclXML{Xmlns: s3Namespace, Owner: canonicalOwner,
			Grants: []grantXML{{Grantee: granteeXML{XmlnsXsi: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: canonicalOwner.ID, DisplayName: canonicalOwner.DisplayName}, Permission: "FULL_CONTROL"}}})
	case "GetBucketVersioning":
		status := ""
		if v := s.BucketConfig("aws_s3_bucket_versioning", name); v != nil {
			status = world.Str(world.Block(v.Attrs, "versioning_configuration"), "status")
			if status == "Disabled" {
				status = ""
			}
		}
		writeXML(c, http.StatusOK, struct {
			XMLName xml.Name `xml:"VersioningConfiguration"`
			Xmlns   string   `xml:"xmlns,attr"`
			Status  string   `xml:"Status,omitempty"`
		}{Xmlns: s3Namespace, Status: status})
	case "GetBucketTagging":
		tags := world.Tags(b)
		if len(tags) == 0 {
			c.fail(s3Err(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist"))
			return
		}
		out := taggingXML{Xmlns: s3Namespace}
		for _, k := range world.SortedKeys(tags) {
			out.Tags = append(out.Tags, s3TagXML{k, tags[k]})
		}
		writeXML(c, http.StatusOK, out)
	case "GetBucketOwnershipControls":
		own := "BucketOwnerEnforced"
		if o := s.BucketConfig("aws_s3_bucket_ownership_controls", name); o != nil {
			if v := world.Str(world.Block(o.Attrs, "rule"), "object_ownership"); v != "" {
				own = v
			}
		}
		writeXML(c, http.StatusOK, struct {
			XMLName   xml.Name `xml:"OwnershipControls"`
			Xmlns     string   `xml:"xmlns,attr"`
			Ownership string   `xml:"Rule>ObjectOwnership"`
		}{Xmlns: s3Namespace, Ownership: own})
	}
}

type s3TagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type taggingXML struct {
	XMLName xml.Name   `xml:"Tagging"`
	Xmlns   string     `xml:"xmlns,attr"`
	Tags    []s3TagXML `xml:"TagSet>Tag"`
}

// granteeXML declares the xsi prefix on itself, as S3 does; clients read
// the raw attribute name "xsi:type".
type granteeXML struct {
	XmlnsXsi    string `xml:"xmlns:xsi,attr"`
	Type        string `xml:"xsi:type,attr"`
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

type grantXML struct {
	Grantee    granteeXML `xml:"Grantee"`
	Permission string     `xml:"Permission"`
}

type aclXML struct {
	XMLName xml.Name   `xml:"AccessControlPolicy"`
	Xmlns   string     `xml:"xmlns,attr"`
	Owner   s3Owner    `xml:"Owner"`
	Grants  []grantXML `xml:"AccessControlList>Grant"`
}

// getPublicAccessBlock: buckets created since April 2023 block public access
// unless configured otherwise, so a bucket without the resource reports all
// true; once the configuration is deleted the bucket has none.
func getPublicAccessBlock(c *call, s *world.State, name string) {
	out := struct {
		XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
		Xmlns                 string   `xml:"xmlns,attr"`
		BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
		IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
		BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
		RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
	}{Xmlns: s3Namespace, BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
	p := s.BucketConfig("aws_s3_bucket_public_access_block", name)
	if p == nil && world.PublicAccessBlockDeleted(s.Find("aws_s3_bucket", name)) {
		c.fail(s3Err(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"))
		return
	}
	if p != nil {
		out.BlockPublicAcls = world.Bool(p.Attrs, "block_public_acls", false)
		out.IgnorePublicAcls = world.Bool(p.Attrs, "ignore_public_acls", false)
		out.BlockPublicPolicy = world.Bool(p.Attrs, "block_public_policy", false)
		out.RestrictPublicBuckets = world.Bool(p.Attrs, "restrict_public_buckets", false)
	}
	writeXML(c, http.StatusOK, out)
}

// getBucketEncryption: SSE-S3 (AES256) is every bucket's default since 2023.
func getBucketEncryption(c *call, s *world.State, name string) {
	type byDefault struct {
		SSEAlgorithm   string `xml:"SSEAlgorithm"`
		KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
	}
	type rule struct {
		Default          byDefault `xml:"ApplyServerSideEncryptionByDefault"`
		BucketKeyEnabled bool      `xml:"BucketKeyEnabled"`
	}
	out := struct {
		XMLName xml.Name `xml:"ServerSideEncryptionConfiguration"`
		Xmlns   string   `xml:"xmlns,attr"`
		Rules   []rule   `xml:"Rule"`
	}{Xmlns: s3Namespace, Rules: []rule{{Default: byDefault{SSEAlgorithm: "AES256"}}}}
	if e := s.BucketConfig("aws_s3_bucket_server_side_encryption_configuration", name); e != nil {
		out.Rules = nil
		for _, r := range world.Blocks(e.Attrs, "rule") {
			d := world.Block(r, "apply_server_side_encryption_by_default")
			out.Rules = append(out.Rules, rule{Default: byDefault{SSEAlgorithm: world.Str(d, "sse_algorithm"),
				KMSMasterKeyID: world.Str(d, "kms_master_key_id")}, BucketKeyEnabled: world.Bool(r, "bucket_key_enabled", false)})
		}
	}
	writeXML(c, http.StatusOK, out)
}

type contentsXML struct {
	Key          string   `xml:"Key"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
	Size         int      `xml:"Size"`
	StorageClass string   `xml:"StorageClass"`
	Owner        *s3Owner `xml:"Owner,omitempty"`
}

type prefixXML struct {
	Prefix string `xml:"Prefix"`
}

type listObjectsXML struct {
	XMLName               xml.Name      `xml:"ListBucketResult"`
	Xmlns                 string        `xml:"xmlns,attr"`
	Name                  string        `xml:"Name"`
	Prefix                string        `xml:"Prefix"`
	Delimiter             string        `xml:"Delimiter,omitempty"`
	MaxKeys               int           `xml:"MaxKeys"`
	EncodingType          string        `xml:"EncodingType,omitempty"`
	IsTruncated           bool          `xml:"IsTruncated"`
	KeyCount              *int          `xml:"KeyCount,omitempty"`
	ContinuationToken     string        `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string        `xml:"NextContinuationToken,omitempty"`
	StartAfter            string        `xml:"StartAfter,omitempty"`
	Marker                *string       `xml:"Marker,omitempty"`
	NextMarker            string        `xml:"NextMarker,omitempty"`
	Contents              []contentsXML `xml:"Contents"`
	CommonPrefixes        []prefixXML   `xml:"CommonPrefixes"`
}

// listObjects answers ListObjectsV2 (continuation tokens) and ListObjects
// (markers), with prefix, delimiter, max-keys and encoding-type=url.
func listObjects(c *call, s *world.State, bucket string, q url.Values, v2 bool) {
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.fail(s3Err(http.StatusBadRequest, "InvalidArgument", "Provided max-keys not an integer or within integer range"))
			return
		}
		maxKeys = min(n, 1000)
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	after := q.Get("start-after")
	if !v2 {
		after = q.Get("marker")
	}
	if tok := q.Get("continuation-token"); v2 && tok != "" {
		b, err := url.QueryUnescape(tok)
		if err != nil || !strings.HasPrefix(b, "gdlab:") {
			c.fail(s3Err(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect"))
			return
		}
		after = strings.TrimPrefix(b, "gdlab:")
	}
	objs := s.Objects[bucket]
	keys := world.SortedKeys(objs)
	out := listObjectsXML{Xmlns: s3Namespace, Name: bucket, Prefix: prefix, Delimiter: delim, MaxKeys: maxKeys}
	seenPrefix := map[string]bool{}
	count := 0
	last := ""
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) || (after != "" && k <= after) {
			continue
		}
		var common string
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				common = k[:len(prefix)+i+len(delim)]
				if seenPrefix[common] || (after != "" && common <= after) {
					continue
				}
			}
		}
		if count >= maxKeys {
			out.IsTruncated = true
			break
		}
		count++
		if common != "" {
			seenPrefix[common] = true
			out.CommonPrefixes = append(out.CommonPrefixes, prefixXML{common})
			last = common
			continue
		}
		o := objs[k]
		ct := contentsXML{Key: k, LastModified: s3Time(o.LastModified), ETag: `"` + o.ETag + `"`, Size: len(o.Body), StorageClass: "STANDARD"}
		if !v2 || q.Get("fetch-owner") == "true" {
			ct.Owner = &canonicalOwner
		}
		out.Contents = append(out.Contents, ct)
		last = k
	}
	if v2 {
		out.KeyCount = &count
		out.ContinuationToken = q.Get("continuation-token")
		out.StartAfter = q.Get("start-after")
		if out.IsTruncated {
			out.NextContinuationToken = url.QueryEscape("gdlab:" + last)
		}
	} else {
		m := q.Get("marker")
		out.Marker = &m
		if out.IsTruncated && delim != "" {
			out.NextMarker = last
		}
	}
	if q.Get("encoding-type") == "url" {
		out.EncodingType = "url"
		esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/") }
		out.Prefix, out.Delimiter, out.StartAfter = esc(out.Prefix), esc(out.Delimiter), esc(out.StartAfter)
		for i := range out.Contents {
			out.Contents[i].Key = esc(out.Contents[i].Key)
		}
		for i := range out.CommonPrefixes {
			out.CommonPrefixes[i].Prefix = esc(out.CommonPrefixes[i].Prefix)
		}
	}
	writeXML(c, http.StatusOK, out)
}

func serveObject(c *call, bucket, key string, q url.Values) {
	for _, sub := range []string{"acl", "tagging", "uploads", "uploadId", "retention", "legal-hold", "attributes", "torrent", "restore", "select"} {
		if _, ok := q[sub]; ok {
			c.op = c.r.Method + " object ?" + sub
			c.fail(notImplementedS3("object ?" + sub))
			return
		}
	}
	switch c.r.Method {
	case http.MethodGet, http.MethodHead:
		c.op = "GetObject"
		if c.r.Method == http.MethodHead {
			c.op = "HeadObject"
		}
		getObject(c, bucket, key)
	case http.MethodPut:
		c.op = "PutObject"
		if c.r.Header.Get("X-Amz-Copy-Source") != "" {
			c.fail(notImplementedS3("CopyObject"))
			return
		}
		putObject(c, bucket, key)
	case http.MethodDelete:
		c.op = "DeleteObject"
		if err := c.world.DeleteObject(bucket, key); err != nil {
			c.fail(err)
			return
		}
		c.wrote = true
		c.w.WriteHeader(http.StatusNoContent)
	default:
		c.fail(s3Err(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."))
	}
}

func getObject(c *call, bucket, key string) {
	s := c.world.Snapshot()
	if c.bucketOf(s, bucket) == nil {
		return
	}
	o := s.Objects[bucket][key]
	if o == nil {
		c.fail(s3Err(http.StatusNotFound, "NoSuchKey", "The specified key does not exist."))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", o.ContentType)
	h.Set("ETag", `"`+o.ETag+`"`)
	h.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	h.Set("X-Amz-Request-Id", c.requestID)
	for _, k := range world.SortedKeys(o.Metadata) {
		h.Set("X-Amz-Meta-"+k, o.Metadata[k])
	}
	body := o.Body
	status := http.StatusOK
	if rg := c.r.Header.Get("Range"); rg != "" {
		if from, to, ok := parseRange(rg, len(body)); ok {
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to, len(body)))
			body = body[from : to+1]
			status = http.StatusPartialContent
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.wrote = true
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write(body)
	}
}

// parseRange understands a single "bytes=a-b", "bytes=a-" or "bytes=-n".
func parseRange(h string, size int) (int, int, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") || size == 0 {
		return 0, 0, false
	}
	a, b, _ := strings.Cut(spec, "-")
	switch {
	case a == "":
		n, err := strconv.Atoi(b)
		if err != nil || n <= 0 {
			return 0, 0, false
		}
		return max(0, size-n), size - 1, true
	default:
		from, err := strconv.Atoi(a)
		if err != nil || from >= size {
			return 0, 0, false
		}
		to := size - 1
		if b != "" {
			if t, err := strconv.Atoi(b); err == nil && t < to {
				to = t
			}
		}
		if to < from {
			return 0, 0, false
		}
		return from, to, true
	}
}

func putObject(c *call, bucket, key string) {
	body := c.body
	if isAWSChunked(c.r) {
		decoded, err := decodeAWSChunked(body)
		if err != nil {
			c.fail(s3Err(http.StatusBadRequest, "IncompleteBody", "The request body is not valid aws-chunked encoding: %v", err))
			return
		}
		body = decoded
	}
	meta := map[string]string{}
	for k, v := range c.r.Header {
		if m, ok := strings.CutPrefix(strings.ToLower(k), "x-amz-meta-"); ok && len(v) > 0 {
			meta[m] = v[0]
		}
	}
	ct := c.r.Header.Get("Content-Type")
	o, err := c.world.PutObject(bucket, key, body, ct, meta)
	if err != nil {
		c.fail(err)
		return
	}
	h := c.w.Header()
	h.Set("ETag", `"`+o.ETag+`"`)
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	h.Set("X-Amz-Request-Id", c.requestID)
	c.wrote = true
	c.w.WriteHeader(http.StatusOK)
}

func isAWSChunked(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") ||
		strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-")
}

// decodeAWSChunked strips SigV4 streaming framing:
// hex-size[;chunk-signature=…]\r\n data \r\n … 0[;…]\r\n [trailers] \r\n.
func decodeAWSChunked(b []byte) ([]byte, error) {
	rd := bufio.NewReader(bytes.NewReader(b))
	var out bytes.Buffer
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("chunk header: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil || size < 0 || size > maxBody {
			return nil, fmt.Errorf("bad chunk size %q", sizeHex)
		}
		if size == 0 {
			return out.Bytes(), nil // trailers (checksums) follow; the sandbox ignores them
		}
		if _, err := io.CopyN(&out, rd, size); err != nil {
			return nil, fmt.Errorf("chunk data: %w", err)
		}
		if _, err := rd.ReadString('\n'); err != nil {
			return nil, fmt.Errorf("chunk end: %w", err)
		}
	}
}
