package endpoint

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// FuzzRouter throws arbitrary requests at the router and decoders: none may
// crash a handler (the recover middleware would answer "failed to handle"),
// answer with HTML, or hang.
func FuzzRouter(f *testing.F) {
	seeds := []struct{ method, path, auth, target, ctype, body string }{
		{"POST", "/", "Credential=a/20250101/us-west-2/ec2/aws4_request", "", "application/x-www-form-urlencoded", "Action=DescribeInstances&Filter.1.Name=tag:Name&Filter.1.Value.1=*"},
		{"POST", "/", "Credential=a/20250101/us-west-2/sts/aws4_request", "", "application/x-www-form-urlencoded", "Action=GetCallerIdentity"},
		{"POST", "/", "Credential=a/20250101/us-west-2/sqs/aws4_request", "AmazonSQS.ReceiveMessage", "application/x-amz-json-1.0", `{"QueueUrl":"x","MaxNumberOfMessages":99}`},
		{"POST", "/", "", "AWSEvents.TestEventPattern", "application/x-amz-json-1.1", `{"EventPattern":"{\"a\":[{\"numeric\":[\">\",1]}]}","Event":"{}"}`},
		{"POST", "/", "", "Logs_20140328.GetLogEvents", "application/x-amz-json-1.1", `{"logGroupName":"g","logStreamName":"s","nextToken":"f/-1"}`},
		{"POST", "/detector/abc/findings", "Credential=a/20250101/us-west-2/guardduty/aws4_request", "", "application/json", `{"findingCriteria":{"criterion":{"severity":{"gte":4}}}}`},
		{"GET", "/2015-03-31/functions/%2F..%2F/policy", "Credential=a/20250101/us-west-2/lambda/aws4_request", "", "", ""},
		{"PUT", "/fuzz-bucket/key", "Credential=a/20250101/us-west-2/s3/aws4_request", "", "", "5;chunk-signature=x\r\nhello\r\n0\r\n\r\n"},
		{"GET", "/fuzz-bucket?list-type=2&max-keys=-1", "Credential=a/20250101/us-west-2/s3/aws4_request", "", "", ""},
		{"POST", "/_gdlab/v1/resources/aws_instance", "", "", "application/json", `{"attrs":{"ami":"ami-1","vpc_security_group_ids":[1,2]}}`},
		{"PUT", "/_gdlab/v1/resources/aws_eip/%zz", "", "", "application/json", `{"attrs":null}`},
		{"POST", "/service/ResourceGroupsTaggingAPI_20170126/operation/GetResources", "", "", "application/cbor", "\xa1\x6aTagFilters\x81\xa1\x63Key\x61k"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.auth, s.target, s.ctype, []byte(s.body))
	}
	w, err := world.Open(f.TempDir(), "us-west-2")
	if err != nil {
		f.Fatal(err)
	}
	// A little of everything, so handlers reach their deeper paths.
	for _, r := range []struct {
		typ   string
		attrs map[string]any
	}{
		{"aws_s3_bucket", map[string]any{"bucket": "fuzz-bucket"}},
		{"aws_guardduty_detector", map[string]any{}},
		{"aws_sqs_queue", map[string]any{"name": "x"}},
		{"aws_cloudwatch_log_group", map[string]any{"name": "g"}},
	} {
		if _, err := w.CreateResource(r.typ, r.attrs); err != nil {
			f.Fatal(err)
		}
	}
	h := NewHandler(w)
	f.Fuzz(func(t *testing.T, method, path, auth, target, ctype string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#") || len(method) == 0 || strings.ContainsAny(method, " \r\n/()<>@,;:\\\"[]?={}") {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		if auth != "" {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+auth)
		}
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		if strings.HasPrefix(path, "/service/") {
			req.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), "failed to handle this request") {
			t.Fatalf("handler panicked on %s %s: %s", method, path, rec.Body.String())
		}
		if ct := rec.Header().Get("Content-Type"); strings.Contains(ct, "html") {
			t.Fatalf("HTML answer (%s) for %s %s", ct, method, path)
		}
		if rec.Code == 0 {
			t.Fatalf("no status for %s %s", method, path)
		}
	})
}
