// Package lambda is the lab's remediation function: it reads the EventBridge
// event for an Amazon GuardDuty finding, decides whether the finding is about
// the lab's compromised instance, moves that instance into the forensic
// security group and tells the SNS topic what it did.
//
// The logic works over two small interfaces ([EC2API], [SNSAPI]) so tests can
// use fakes; [NewFromEnvironment] wires the real aws-sdk-go-v2 clients, which
// honour AWS_ENDPOINT_URL (the sandbox and the tests rely on that). The main
// package is cmd/remediation; packaging lives in lambda/pack.
package lambda
