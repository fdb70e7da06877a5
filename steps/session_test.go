package steps

import "testing"

func TestMessageHeadline(t *testing.T) {
	tests := []struct {
		msg  MessageDelivered
		want string
	}{
		{MessageDelivered{Subject: "GuardDuty: instance i-1 isolated", Text: "body"}, "GuardDuty: instance i-1 isolated"},
		{MessageDelivered{Text: "\"GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom\"\n\"Severity: 5\""},
			"GuardDuty finding: UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"},
		{MessageDelivered{}, ""},
	}
	for _, tt := range tests {
		if got := tt.msg.Headline(); got != tt.want {
			t.Errorf("Headline(%+v) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
