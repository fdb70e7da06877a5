package probe

import (
	"encoding/json"
	"time"

	"github.com/gdlab-dev/gdlab/lambda"
)

// Finding types the lab's rules handle (aws-lab-facts.md §2, §6).
const (
	EC2FindingType = "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"
	IAMFindingType = "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"
)

// FindingEvent returns an EventBridge event carrying a GuardDuty finding of
// findingType about instanceID, shaped like the events GuardDuty sends
// (envelope plus the GetFindings schema in detail). The rule-pattern checks
// evaluate patterns against it, and the sandbox can reuse it.
func FindingEvent(findingType, account, region, instanceID, maliciousIP string, at time.Time) []byte {
	ts := at.UTC().Format("2006-01-02T15:04:05.000Z")
	detail := map[string]any{
		"schemaVersion": "2.0", "accountId": account, "region": region, "partition": "aws",
		"id":          "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
		"arn":         "arn:aws:guardduty:" + region + ":" + account + ":detector/12abc34d5e6f/finding/b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4",
		"type":        findingType,
		"severity":    5,
		"createdAt":   ts,
		"updatedAt":   ts,
		"title":       "EC2 instance " + instanceID + " is communicating with a host on a custom threat list.",
		"description": "EC2 instance " + instanceID + " is communicating with " + maliciousIP + " on a custom threat list.",
		"resource": map[string]any{
			"resourceType": "Instance",
			"instanceDetails": map[string]any{
				"instanceId": instanceID, "instanceType": "t3.micro",
				"networkInterfaces": []any{map[string]any{"privateIpAddress": "10.0.0.12"}},
			},
		},
		"service": map[string]any{
			"serviceName": "guardduty", "detectorId": "12abc34d5e6f",
			"action": map[string]any{
				"actionType": "NETWORK_CONNECTION",
				"networkConnectionAction": map[string]any{
					"connectionDirection": "OUTBOUND", "protocol": "ICMP", "blocked": false,
					"remoteIpDetails": map[string]any{"ipAddressV4": maliciousIP},
				},
			},
			"additionalInfo": map[string]any{"threatListName": "gdlab"},
			"resourceRole":   "TARGET", "eventFirstSeen": ts, "eventLastSeen": ts, "archived": false, "count": 1,
		},
	}
	data, _ := json.Marshal(lambda.NewFindingEnvelope("5f3b9c1e-0d2a-4c1b-9e7f-2a6d8b4c0e11", account, region, ts, detail))
	return data
}
