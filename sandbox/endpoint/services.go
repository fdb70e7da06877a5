package endpoint

// jsonServices route JSON-protocol requests by the X-Amz-Target prefix.
var jsonServices = map[string]func(*call){
	"AmazonSQS":                         serveSQSJSON,
	"AWSEvents":                         serveEvents,
	"Logs_20140328":                     serveLogs,
	"ResourceGroupsTaggingAPI_20170126": serveTagging,
}

// queryServices route query-protocol requests by signing name.
var queryServices = map[string]func(*call){
	"sts": serveSTS,
	"sns": serveSNS,
	"iam": serveIAM,
	"sqs": serveSQSQuery,
}
