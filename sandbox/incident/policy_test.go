package incident

import "testing"

func TestPolicyAllowsEvents(t *testing.T) {
	topic := "arn:aws:sns:us-west-2:123456789012:findings"
	rule := "arn:aws:events:us-west-2:123456789012:rule/r"
	cases := []struct {
		name, policy string
		want         bool
	}{
		{"service principal", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic + `"}]}`, true},
		{"single statement object and action list", `{"Statement":{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":["SNS:Publish"],"Resource":"*"}}`, true},
		{"default topic policy", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish"],"Resource":"` + topic + `","Condition":{"StringEquals":{"AWS:SourceOwner":"999999999999"}}}]}`, false},
		{"other service", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`, false},
		{"other action", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Subscribe","Resource":"*"}]}`, false},
		{"wrong source arn", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:*","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-west-2:123456789012:rule/other"}}}]}`, false},
		{"source arn like", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:events:*:123456789012:rule/*"}}}]}`, true},
		{"deny wins", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"*"}]}`, false},
		{"not json", `nope`, false},
	}
	for _, c := range cases {
		if got := policyAllowsEvents(c.policy, "sns:Publish", topic, rule); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
