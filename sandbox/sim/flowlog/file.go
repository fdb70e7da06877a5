package flowlog

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// Destination is where a flow log delivers: the bucket (and optional
// prefix, from the log_destination ARN), the account, region and flow log id.
type Destination struct {
	Bucket    string
	Prefix    string // folder inside the bucket, without slashes at the ends
	Account   string
	Region    string
	FlowLogID string // fl-…
}

// File is one delivered log object.
type File struct {
	Bucket string
	Key    string
	Body   []byte // gzip
}

// ObjectKey is the S3 key AWS uses for a file delivered at the given time:
// [prefix/]AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/
// <account>_vpcflowlogs_<region>_<flow-log-id>_<yyyymmddTHHmmZ>_<hash>.log.gz
func (d Destination) ObjectKey(delivered time.Time, hash string) string {
	t := delivered.UTC()
	key := fmt.Sprintf("AWSLogs/%s/vpcflowlogs/%s/%04d/%02d/%02d/%s_vpcflowlogs_%s_%s_%s_%s.log.gz",
		d.Account, d.Region, t.Year(), int(t.Month()), t.Day(),
		d.Account, d.Region, d.FlowLogID, t.Format("20060102T1504Z"), hash)
	if p := strings.Trim(d.Prefix, "/"); p != "" {
		key = p + "/" + key
	}
	return key
}

// BuildFile writes records (header first) as a gzip log file for delivery
// at the given simulated time.
func (d Destination) BuildFile(delivered time.Time, records []Record) (File, error) {
	var text bytes.Buffer
	text.WriteString(Header + "\n")
	for _, r := range records {
		text.WriteString(r.String() + "\n")
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.ModTime = delivered.UTC()
	if _, err := w.Write(text.Bytes()); err != nil {
		return File{}, err
	}
	if err := w.Close(); err != nil {
		return File{}, err
	}
	// A content hash keeps re-delivery after a restart idempotent: the same
	// records make the same key.
	sum := sha256.Sum256(text.Bytes())
	return File{Bucket: d.Bucket, Key: d.ObjectKey(delivered, hex.EncodeToString(sum[:4])), Body: gz.Bytes()}, nil
}

// ReadFile decompresses a log file and parses its records.
func ReadFile(body []byte) ([]Record, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	text, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	if len(lines) == 0 || lines[0] != Header {
		return nil, fmt.Errorf("log file does not start with the default-format header")
	}
	var out []Record
	for i, line := range lines[1:] {
		r, err := ParseRecord(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseDestinationARN reads an S3 log_destination ARN
// (arn:aws:s3:::bucket or arn:aws:s3:::bucket/prefix).
func ParseDestinationARN(arn string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("log destination %q is not an S3 bucket ARN", arn)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	return bucket, strings.Trim(prefix, "/"), nil
}
