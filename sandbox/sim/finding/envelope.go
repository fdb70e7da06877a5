package finding

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/gdlab-dev/gdlab/lambda"
)

// Event wraps a finding detail in the EventBridge envelope GuardDuty
// publishes: version "0", detail-type "GuardDuty Finding", source
// "aws.guardduty", resources empty.
func Event(account, region, eventID string, at time.Time, detail map[string]any) ([]byte, error) {
	return json.Marshal(lambda.NewFindingEnvelope(eventID, account, region, seconds(at), detail))
}

// NewEventID draws a random (version 4) UUID from r; crypto/rand when nil.
func NewEventID(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
