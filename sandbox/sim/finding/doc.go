// Package finding models GuardDuty for the lab's one finding type,
// UnauthorizedAccess:EC2/MaliciousIPCaller.Custom: threat lists (TXT format)
// and their ACTIVE/ERROR status, matching traffic against ACTIVE lists,
// building findings in the GetFindings wire schema, the detection delay and
// the update/re-publication rule, sample findings, and the EventBridge
// envelope GuardDuty publishes findings in.
//
// Differences from AWS: only the TXT list format is read (the others make the
// set ERROR); the remote IP's organization and country are placeholders (no
// geo database); the detection delay is a fixed parameter; `count` grows by
// one per observation the caller reports; finding ids are derived from
// detector, instance, remote IP and type instead of being random, so a
// restarted sandbox re-finds the same finding rather than duplicating it.
package finding

import "time"

// TypeEC2MaliciousIPCallerCustom is the finding type the lab's traffic makes.
const TypeEC2MaliciousIPCallerCustom = "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"

// Timestamp layouts of the finding schema: created/updated carry
// milliseconds, event first/last seen whole seconds.
const (
	layoutMillis  = "2006-01-02T15:04:05.000Z"
	layoutSeconds = "2006-01-02T15:04:05Z"
)

func millis(t time.Time) string  { return t.UTC().Format(layoutMillis) }
func seconds(t time.Time) string { return t.UTC().Format(layoutSeconds) }
