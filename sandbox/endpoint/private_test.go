package endpoint

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func TestPrivateResourceAPI(t *testing.T) {
	s, _ := startSandbox(t)
	vpcID, vpc := create(t, s, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/24"})
	if vpc["arn"] == nil || vpc["id"] != vpcID {
		t.Fatalf("vpc attrs %v", vpc)
	}
	queueURL, _ := create(t, s, "aws_sqs_queue", map[string]any{"name": "tap"})
	if queueURL != s.URL+"/123456789012/tap" {
		t.Errorf("queue url %s", queueURL)
	}
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		code   string
	}{
		{"read", "GET", "/_gdlab/v1/resources/aws_vpc/" + vpcID, nil, 200, ""},
		{"read escaped url id", "GET", "/_gdlab/v1/resources/aws_sqs_queue/" + url.PathEscape(queueURL), nil, 200, ""},
		{"read missing", "GET", "/_gdlab/v1/resources/aws_vpc/vpc-0000", nil, 404, "NotFound"},
		{"update", "PUT", "/_gdlab/v1/resources/aws_vpc/" + vpcID, map[string]any{"attrs": map[string]any{"enable_dns_hostnames": true}}, 200, ""},
		{"update missing", "PUT", "/_gdlab/v1/resources/aws_vpc/vpc-0000", map[string]any{"attrs": map[string]any{}}, 404, "NotFound"},
		{"create bad type", "POST", "/_gdlab/v1/resources/not-a-type", map[string]any{"attrs": map[string]any{}}, 400, "InvalidParameterValue"},
		{"create bad json", "POST", "/_gdlab/v1/resources/aws_vpc", "[", 400, "ValidationException"},
		{"create invalid cidr", "POST", "/_gdlab/v1/resources/aws_vpc", map[string]any{"attrs": map[string]any{"cidr_block": "10.0.0.0/8"}}, 400, "InvalidVpc.Range"},
		{"data zones", "POST", "/_gdlab/v1/data/aws_availability_zones", map[string]any{"args": map[string]any{"state": "available"}}, 200, ""},
		{"data no detector", "POST", "/_gdlab/v1/data/aws_guardduty_detector", map[string]any{"args": map[string]any{}}, 404, "NotFound"},
		{"data unknown", "POST", "/_gdlab/v1/data/aws_nothing", map[string]any{}, 404, "UnsupportedDataSource"},
		{"wrong method", "PATCH", "/_gdlab/v1/resources/aws_vpc/" + vpcID, nil, 405, "MethodNotAllowed"},
		{"unknown api", "GET", "/_gdlab/v1/nothing", nil, 404, "NotFound"},
		{"delete", "DELETE", "/_gdlab/v1/resources/aws_vpc/" + vpcID, nil, 204, ""},
		{"delete again", "DELETE", "/_gdlab/v1/resources/aws_vpc/" + vpcID, nil, 404, "NotFound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			if s, ok := body.(string); ok {
				body = rawJSON(s)
			}
			status, out := privateCall(t, s, c.method, c.path, body)
			if status != c.status {
				t.Fatalf("status %d, want %d (%v)", status, c.status, out)
			}
			if c.code != "" && out["code"] != c.code {
				t.Errorf("code %v, want %s", out["code"], c.code)
			}
			if c.code != "" && (out["message"] == nil || out["message"] == "") {
				t.Errorf("no message in %v", out)
			}
		})
	}
	_, out := privateCall(t, s, "POST", "/_gdlab/v1/data/aws_availability_zones", map[string]any{"args": map[string]any{}})
	names := out["attrs"].(map[string]any)["names"].([]any)
	if len(names) != 3 || names[0] != "us-west-2a" {
		t.Errorf("zones %v", names)
	}
}

// rawJSON is sent verbatim (to test malformed bodies).
type rawJSON string

func TestListenerRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0"} {
		if _, err := Start(nil, addr); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Start(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
}

func TestSNSConfirmLink(t *testing.T) {
	s, w := startSandbox(t)
	topic, _ := create(t, s, "aws_sns_topic", map[string]any{"name": "t"})
	sub, _ := create(t, s, "aws_sns_topic_subscription", map[string]any{"topic_arn": topic, "protocol": "email", "endpoint": "me@example.com"})
	mail := w.Snapshot().Mail
	if len(mail) != 1 {
		t.Fatalf("mail %v", mail)
	}
	link := s.URL + "/_gdlab/v1/sns/confirm?TopicArn=" + url.QueryEscape(topic) + "&Token=" + w.Snapshot().Find("aws_sns_topic_subscription", sub).Private["token"]
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("confirm link: %d", resp.StatusCode)
	}
	_, out := privateCall(t, s, "GET", "/_gdlab/v1/resources/aws_sns_topic_subscription/"+url.PathEscape(sub), nil)
	if out["attrs"].(map[string]any)["pending_confirmation"] != false {
		t.Errorf("still pending after the link: %v", out)
	}
}
