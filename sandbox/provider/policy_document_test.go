package provider

import (
	"context"
	"strings"
	"testing"
)

func TestPolicyDocumentRendersLikeTheRealProvider(t *testing.T) {
	args := map[string]any{
		"version": "2012-10-17",
		"statement": []any{
			map[string]any{
				"sid":        "AllowEventBridge",
				"effect":     "Allow",
				"actions":    []any{"sns:Publish"},
				"resources":  []any{"arn:aws:sns:us-west-2:123456789012:topic"},
				"principals": []any{map[string]any{"type": "Service", "identifiers": []any{"events.amazonaws.com"}}},
			},
			map[string]any{
				"actions":   []any{"ec2:DescribeInstances", "ec2:ModifyInstanceAttribute", "logs:PutLogEvents"},
				"resources": []any{"*"},
				"condition": []any{map[string]any{"test": "ArnEquals", "variable": "aws:SourceArn",
					"values": []any{"arn:b", "arn:a"}}},
			},
			map[string]any{
				"effect":      "Deny",
				"not_actions": []any{"s3:*"},
				"resources":   []any{"arn:aws:s3:::&{aws:username}/*"},
				"principals":  []any{map[string]any{"type": "*", "identifiers": []any{"*"}}},
			},
		},
	}
	got, err := renderPolicyDocument(context.Background(), nil, args)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowEventBridge",
      "Effect": "Allow",
      "Action": "sns:Publish",
      "Resource": "arn:aws:sns:us-west-2:123456789012:topic",
      "Principal": {
        "Service": "events.amazonaws.com"
      }
    },
    {
      "Effect": "Allow",
      "Action": [
        "logs:PutLogEvents",
        "ec2:ModifyInstanceAttribute",
        "ec2:DescribeInstances"
      ],
      "Resource": "*",
      "Condition": {
        "ArnEquals": {
          "aws:SourceArn": [
            "arn:b",
            "arn:a"
          ]
        }
      }
    },
    {
      "Effect": "Deny",
      "NotAction": "s3:*",
      "Resource": "arn:aws:s3:::${aws:username}/*",
      "Principal": "*"
    }
  ]
}`
	if got["json"] != want {
		t.Errorf("json:\n%s\nwant:\n%s", got["json"], want)
	}
	if m := got["minified_json"].(string); strings.ContainsAny(m, "\n ") || !strings.HasPrefix(m, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowEventBridge"`) {
		t.Errorf("minified_json: %s", m)
	}
	if got["id"] == "" {
		t.Error("no id")
	}
}

func TestPolicyDocumentMergesAndRejectsDuplicateSids(t *testing.T) {
	source := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`
	args := map[string]any{
		"version":                 "2012-10-17",
		"source_policy_documents": []any{source},
		"statement":               []any{map[string]any{"sid": "B", "effect": "Deny", "actions": []any{"s3:PutObject"}, "resources": []any{"*"}}},
	}
	got, err := renderPolicyDocument(context.Background(), nil, args)
	if err != nil {
		t.Fatal(err)
	}
	j := got["minified_json"].(string)
	if strings.Count(j, `"Sid"`) != 2 || !strings.Contains(j, `{"Sid":"B","Effect":"Deny"`) {
		t.Errorf("statement B not overridden by sid: %s", j)
	}
	args["statement"] = []any{
		map[string]any{"sid": "X", "actions": []any{"a:b"}},
		map[string]any{"sid": "X", "actions": []any{"a:c"}},
	}
	if _, err := renderPolicyDocument(context.Background(), nil, args); err == nil || !strings.Contains(err.Error(), "duplicate Sid") {
		t.Errorf("duplicate sids: %v", err)
	}
	if p := validatePolicyDocument(configView{"statement": []any{map[string]any{"sid": "not ok"}}}); len(p) != 1 {
		t.Errorf("a sid with a space passed validation: %v", p)
	}
}
