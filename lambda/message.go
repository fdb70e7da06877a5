package lambda

import (
	"fmt"
	"strings"
)

// Notification is what the function tells the SNS topic after isolating an
// instance.
type Notification struct {
	FindingID    string
	FindingType  string
	Severity     float64
	SeverityName string
	InstanceID   string
	RemoteIP     string
	GroupsLeft   []GroupRef
	GroupNow     string
	Time         string // RFC 3339, UTC
}

// GroupRef is a security group by id and, when known, name.
type GroupRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

func (g GroupRef) String() string {
	if g.Name == "" {
		return g.ID
	}
	return g.ID + " (" + g.Name + ")"
}

// Subject is the email subject; SNS allows at most 100 characters.
func (n Notification) Subject() string {
	s := fmt.Sprintf("GuardDuty: instance %s isolated (%s %.1f)", n.InstanceID, n.SeverityName, n.Severity)
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// Body is the plain-text message. Email cannot be formatted beyond plain
// text, so it is one "Label: value" line per fact, readable by a person and
// easy to pick apart in tests.
func (n Notification) Body() string {
	left := make([]string, len(n.GroupsLeft))
	for i, g := range n.GroupsLeft {
		left[i] = g.String()
	}
	remote := n.RemoteIP
	if remote == "" {
		remote = "unknown"
	}
	var b strings.Builder
	b.WriteString("The lab's remediation function isolated an EC2 instance after an Amazon GuardDuty finding.\n\n")
	fmt.Fprintf(&b, "Finding: %s\n", n.FindingID)
	fmt.Fprintf(&b, "Type: %s\n", n.FindingType)
	fmt.Fprintf(&b, "Severity: %.1f (%s)\n", n.Severity, n.SeverityName)
	fmt.Fprintf(&b, "Instance: %s\n", n.InstanceID)
	fmt.Fprintf(&b, "Remote IP: %s\n", remote)
	fmt.Fprintf(&b, "Groups left: %s\n", strings.Join(left, ", "))
	fmt.Fprintf(&b, "Group now: %s\n", n.GroupNow)
	fmt.Fprintf(&b, "Time: %s\n\n", n.Time)
	b.WriteString("All of the instance's security groups were replaced by the forensic group. " +
		"Connections that were already tracked may go on until they time out. " +
		"Investigate the instance before you release it.\n")
	return b.String()
}
