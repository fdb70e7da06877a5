package lambda

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// FuzzHandle runs decoding and the decision path on arbitrary input: no input
// may panic, return a non-retryable error, or touch any instance but the
// lab's, and only ever move it into the forensic group.
//
//	go test ./lambda -run '^$' -fuzz FuzzHandle -fuzztime 30s
func FuzzHandle(f *testing.F) {
	f.Add(readEvent(f, "finding_event.json"))
	f.Add(readEvent(f, "sample_finding_event.json"))
	lab := string(readEvent(f, "finding_event.json"))
	f.Add([]byte(strings.Replace(lab, `"additionalInfo":{`, `"additionalInfo":{"sample":"true",`, 1)))
	f.Add([]byte(strings.Replace(lab, `"instanceDetails":{`, `"instanceDetails":null,"x":{`, 1)))
	f.Add([]byte(strings.Replace(lab, `"severity":5`, `"severity":"5"`, 1)))
	f.Add([]byte(`{"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{"resource":{"instanceDetails":{"instanceId":"i-0abc1234def567890"}}}}`))
	f.Add([]byte(`{"detail":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, event []byte) {
		ec2 := &fakeEC2{groups: map[string][]GroupRef{labConfig.InstanceID: {{ID: initialSG}}}}
		sns := &fakeSNS{}
		h := &Handler{Config: labConfig, EC2: ec2, SNS: sns}
		res, err := h.Handle(context.Background(), event)
		if err != nil {
			t.Fatalf("returned error %v for input that needs no AWS retry", err)
		}
		switch res.Outcome {
		case OutcomeIsolated, OutcomeSkipped:
		default:
			t.Fatalf("outcome %q", res.Outcome)
		}
		if res.Outcome == OutcomeSkipped && res.Reason == "" {
			t.Fatal("skipped without a reason")
		}
		for _, m := range ec2.modifies {
			if aws.ToString(m.InstanceId) != labConfig.InstanceID || len(m.Groups) != 1 || m.Groups[0] != labConfig.ForensicsSG {
				t.Fatalf("modified %s to %v", aws.ToString(m.InstanceId), m.Groups)
			}
		}
		if (res.Outcome == OutcomeIsolated) != (len(ec2.modifies) == 1) {
			t.Fatalf("outcome %s with %d modifies", res.Outcome, len(ec2.modifies))
		}
	})
}
