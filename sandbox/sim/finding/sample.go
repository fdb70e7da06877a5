package finding

import (
	"strings"
	"time"
)

// SampleInstanceID is the placeholder instance of EC2 sample findings.
const SampleInstanceID = "i-99999999"

// Sample is the detail of a finding as CreateSampleFindings makes it:
// placeholder values, title prefixed "[SAMPLE] ", additionalInfo.sample true.
// id is the caller's (sample ids are random in AWS, so the caller draws one).
func Sample(d Detector, findingType, id string, now time.Time) map[string]any {
	f := Finding{
		ID: id, Type: findingType, RemoteIP: sampleRemote,
		ThreatListName: "GeneratedFindingThreatListName",
		FirstSeen:      now, LastSeen: now, Count: 1, CreatedAt: now, UpdatedAt: now,
		Instance: Instance{
			ID: SampleInstanceID, Type: "m3.xlarge", ImageID: "ami-99999999",
			LaunchTime:       time.Date(2016, 8, 2, 2, 5, 6, 0, time.UTC),
			AvailabilityZone: "GeneratedFindingInstaceAvailabilityZone",
			Interfaces: []Interface{{
				ID: "eni-bfcffe88", PrivateIP: "10.0.0.1", PublicIP: "198.51.100.0",
				SubnetID: "GeneratedFindingSubnetId", VpcID: "GeneratedFindingVPCId",
				SecurityGroups: []SecurityGroup{{ID: "GeneratedFindingSecurityId", Name: "GeneratedFindingSecurityGroupName"}},
			}},
			Tags: map[string]string{"GeneratedFindingInstaceTag1": "GeneratedFindingInstaceValue1"},
		},
	}
	detail := f.Detail(d)
	detail["title"] = "[SAMPLE] " + sampleTitle(findingType)
	detail["description"] = "This is a sample finding of type " + findingType + "."
	service := detail["service"].(map[string]any)
	service["additionalInfo"] = map[string]any{
		"threatListName": "GeneratedFindingThreatListName", "sample": true, "type": "default",
		"value": `{"threatListName":"GeneratedFindingThreatListName","sample":true}`,
	}
	if !strings.Contains(findingType, ":EC2/") {
		// Non-EC2 types have no instance; a learner's rule for them still
		// needs a resource to look at.
		detail["resource"] = sampleNonEC2Resource(findingType)
	}
	return detail
}

var sampleRemote = mustAddr("198.51.100.0")

func sampleTitle(findingType string) string {
	if findingType == TypeEC2MaliciousIPCallerCustom {
		return "EC2 instance " + SampleInstanceID + " is communicating with a host on a custom threat list."
	}
	return "Sample finding of type " + findingType + "."
}

func sampleNonEC2Resource(findingType string) map[string]any {
	if strings.Contains(findingType, ":S3/") {
		return map[string]any{"resourceType": "S3Bucket", "s3BucketDetails": []any{map[string]any{
			"arn": "arn:aws:s3:::bucketName", "name": "bucketName", "type": "Destination"}}}
	}
	return map[string]any{"resourceType": "AccessKey", "accessKeyDetails": map[string]any{
		"accessKeyId": "GeneratedFindingAccessKeyId", "principalId": "GeneratedFindingPrincipalId",
		"userName": "GeneratedFindingUserName", "userType": "IAMUser"}}
}
