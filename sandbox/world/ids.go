package world

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// randomHex returns n lowercase hex digits.
func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// ec2ID is an EC2 id in the current long format, e.g. vpc-0a1b2c3d4e5f67890.
func ec2ID(prefix string) string { return prefix + "-" + randomHex(17) }

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// iamUniqueID is an IAM unique id such as AROA followed by 17 characters.
func iamUniqueID(prefix string) string {
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, c := range b {
		sb.WriteByte(upperAlnum[int(c)%len(upperAlnum)])
	}
	return sb.String()
}

// NewUUID is a random RFC 4122 version 4 UUID, the shape of SNS/SQS message ids.
func NewUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// NewToken is an opaque random token (receipt handles, confirmation tokens).
func NewToken(n int) string { return randomHex(n) }

// uniqueName mimics the provider's id.UniqueId / name_prefix: prefix plus a
// timestamp-like suffix of 26 digits.
func uniqueName(prefix string) string {
	if prefix == "" {
		prefix = "terraform-"
	}
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, c := range b {
		fmt.Fprintf(&sb, "%02d", int(c)%100)
	}
	return sb.String()
}
