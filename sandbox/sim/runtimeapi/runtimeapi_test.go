package runtimeapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// echoBinary is the test function, built once from testdata/echofn.
var echoBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "runtimeapi-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	echoBinary = filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", echoBinary, "./testdata/echofn")
	build.Stderr = os.Stderr
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the test function:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

type logSink struct {
	mu     sync.Mutex
	events []LogEvent
}

func (s *logSink) add(e LogEvent) {
	s.mu.Lock()
	s.events = append(s.events, e)
	s.mu.Unlock()
}

func (s *logSink) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		out = append(out, e.Message)
	}
	return out
}

func newRunner(t *testing.T, timeout time.Duration) (*Runner, *logSink) {
	t.Helper()
	logs := &logSink{}
	r := &Runner{
		Function: Function{
			Name: "gdlab-isolate", ARN: "arn:aws:lambda:us-west-2:123456789012:function:gdlab-isolate",
			Timeout: timeout, Command: []string{echoBinary}, Dir: t.TempDir(), Region: "us-west-2",
			EndpointURL: "http://127.0.0.1:1", Environment: map[string]string{"TOPIC_ARN": "arn:aws:sns:us-west-2:123456789012:t", "AWS_REGION": "overridden?"},
		},
		Log: logs.add,
	}
	t.Cleanup(r.Close)
	return r, logs
}

func mustInvoke(t *testing.T, r *Runner, payload string) Result {
	t.Helper()
	res, err := r.Invoke(context.Background(), []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestInvokeSuccessAndWarmReuse(t *testing.T) {
	r, logs := newRunner(t, 5*time.Second)
	res := mustInvoke(t, r, `{"print":"hello from the handler"}`)
	if res.Error != nil {
		t.Fatalf("error %v", res.Error)
	}
	var got struct {
		RequestID   string            `json:"request_id"`
		FunctionARN string            `json:"function_arn"`
		HasDeadline bool              `json:"has_deadline"`
		Env         map[string]string `json:"env"`
	}
	if err := json.Unmarshal(res.Payload, &got); err != nil {
		t.Fatalf("payload %s: %v", res.Payload, err)
	}
	if got.RequestID != res.RequestID || got.FunctionARN != r.Function.ARN || !got.HasDeadline {
		t.Errorf("context: %+v (request %s)", got, res.RequestID)
	}
	wantEnv := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "gdlab-isolate", "AWS_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
		"TOPIC_ARN": "arn:aws:sns:us-west-2:123456789012:t", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_ACCESS_KEY_ID": "ASIAGDLABSANDBOX0000",
	}
	for k, v := range wantEnv {
		if got.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, got.Env[k], v)
		}
	}
	if !res.ColdStart {
		t.Error("first invocation is not a cold start")
	}
	second := mustInvoke(t, r, `{}`)
	if second.ColdStart || second.Error != nil {
		t.Errorf("second invocation: cold %v error %v", second.ColdStart, second.Error)
	}

	msgs := logs.messages()
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{
		"START RequestId: " + res.RequestID + " Version: $LATEST",
		"hello from the handler",
		"stderr: hello from the handler",
		"END RequestId: " + res.RequestID,
		"REPORT RequestId: " + res.RequestID + "\tDuration: ",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("logs lack %q:\n%s", want, joined)
		}
	}
	// The handler's output sits between START and END.
	idx := func(s string) int {
		for i, m := range msgs {
			if m == s {
				return i
			}
		}
		return -1
	}
	start, line, end := idx("START RequestId: "+res.RequestID+" Version: $LATEST"), idx("hello from the handler"), idx("END RequestId: "+res.RequestID)
	if !(start < line && line < end) {
		t.Errorf("order START %d, output %d, END %d:\n%s", start, line, end, joined)
	}
	if !strings.Contains(msgs[end+1], "Init Duration") {
		t.Errorf("cold REPORT lacks Init Duration: %s", msgs[end+1])
	}
	if strings.Contains(msgs[len(msgs)-1], "Init Duration") {
		t.Errorf("warm REPORT has Init Duration: %s", msgs[len(msgs)-1])
	}
	logs.mu.Lock()
	stream := logs.events[0].Stream
	logs.mu.Unlock()
	if !strings.Contains(stream, "/[$LATEST]") {
		t.Errorf("stream name %q", stream)
	}
}

func TestInvokeFailures(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		timeout  time.Duration
		wantType string
		wantLog  string
	}{
		{"handler error", `{"mode":"error"}`, 5 * time.Second, "errorString", ""},
		{"timeout", `{"mode":"sleep","sleep_ms":5000}`, 300 * time.Millisecond, "Sandbox.Timedout", "Task timed out after 0.30 seconds"},
		{"crash", `{"mode":"exit"}`, 5 * time.Second, "Runtime.ExitError", "Runtime exited with error: exit status 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, logs := newRunner(t, tt.timeout)
			res := mustInvoke(t, r, tt.payload)
			if res.Error == nil || res.Error.Type != tt.wantType {
				t.Fatalf("error %+v, want type %s", res.Error, tt.wantType)
			}
			joined := strings.Join(logs.messages(), "\n")
			if tt.wantLog != "" && !strings.Contains(joined, tt.wantLog) {
				t.Errorf("logs lack %q:\n%s", tt.wantLog, joined)
			}
			if !strings.Contains(joined, "END RequestId: "+res.RequestID) {
				t.Errorf("no END line:\n%s", joined)
			}
			// The environment recovers: the next invocation works.
			if next := mustInvoke(t, r, `{}`); next.Error != nil {
				t.Errorf("after %s: %v", tt.name, next.Error)
			}
		})
	}
}

func TestInvokeAsyncRetries(t *testing.T) {
	r, _ := newRunner(t, 5*time.Second)
	var slept []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }

	attempts, err := r.InvokeAsync(context.Background(), []byte(`{"mode":"error"}`), sleep)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 3 || len(slept) != 2 || slept[0] != time.Minute || slept[1] != 2*time.Minute {
		t.Errorf("%d attempts, slept %v", len(attempts), slept)
	}
	for _, a := range attempts {
		if a.RequestID != attempts[0].RequestID {
			t.Error("retries changed the request id")
		}
	}

	slept = nil
	marker := filepath.Join(t.TempDir(), "failed-once")
	attempts, err = r.InvokeAsync(context.Background(), []byte(`{"mode":"flaky","fail_marker":"`+marker+`"}`), sleep)
	if err != nil || len(attempts) != 2 || attempts[1].Error != nil || len(slept) != 1 {
		t.Errorf("flaky: %d attempts, err %v, slept %v", len(attempts), err, slept)
	}
}

func TestInitFailures(t *testing.T) {
	r, logs := newRunner(t, time.Second)
	r.Function.Command = []string{"/bin/sh", "-c", "echo booting; exit 7"}
	if _, err := r.Invoke(context.Background(), []byte(`{}`)); err == nil {
		t.Fatal("a runtime that exits at init succeeded")
	}
	if joined := strings.Join(logs.messages(), "\n"); !strings.Contains(joined, "booting") || !strings.Contains(joined, "Runtime.ExitError") {
		t.Errorf("logs:\n%s", joined)
	}
	r.Function.Command = []string{filepath.Join(t.TempDir(), "missing")}
	if _, err := r.Invoke(context.Background(), []byte(`{}`)); err == nil {
		t.Error("a missing bootstrap succeeded")
	}
}

func TestServerAPI(t *testing.T) {
	s, err := NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := "http://" + s.Addr() + apiPrefix
	post := func(path, body string, header map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("invocation/unknown/response", "{}", nil); code != http.StatusBadRequest {
		t.Errorf("unknown request id: %d", code)
	}
	if code := post("invocation/x/other", "{}", nil); code != http.StatusNotFound {
		t.Errorf("unknown call: %d", code)
	}

	type answer struct {
		payload []byte
		fe      *FunctionError
		err     error
	}
	answers := make(chan answer, 1)
	go func() {
		p, fe, err := s.Invoke(context.Background(), &Invocation{RequestID: "req-1", Payload: []byte(`{"a":1}`),
			Deadline: time.UnixMilli(1700000000123), FunctionARN: "arn:fn", TraceID: "Root=1-x"})
		answers <- answer{p, fe, err}
	}()
	resp, err := http.Get(base + "invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for k, v := range map[string]string{
		"Lambda-Runtime-Aws-Request-Id": "req-1", "Lambda-Runtime-Deadline-Ms": "1700000000123",
		"Lambda-Runtime-Invoked-Function-Arn": "arn:fn", "Lambda-Runtime-Trace-Id": "Root=1-x",
	} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if string(body) != `{"a":1}` {
		t.Errorf("body %s", body)
	}
	if code := post("invocation/req-1/error", `{"errorMessage":"boom","errorType":"MyError","stackTrace":[]}`, nil); code != http.StatusAccepted {
		t.Errorf("error post: %d", code)
	}
	a := <-answers
	if a.err != nil || a.fe == nil || a.fe.Type != "MyError" || a.fe.Message != "boom" {
		t.Errorf("answer %+v", a)
	}
	if code := post("init/error", "not json", map[string]string{"Lambda-Runtime-Function-Error-Type": "Runtime.Bad"}); code != http.StatusAccepted {
		t.Errorf("init error post: %d", code)
	}
	if fe := <-s.InitError(); fe.Type != "Runtime.Bad" || fe.Message != "not json" {
		t.Errorf("init error %+v", fe)
	}
}

func TestBilled(t *testing.T) {
	for d, want := range map[time.Duration]int64{0: 1, time.Millisecond: 1, 1500 * time.Microsecond: 2, 12 * time.Millisecond: 12} {
		if got := billed(d); got != want {
			t.Errorf("billed(%v) = %d, want %d", d, got, want)
		}
	}
}

func BenchmarkWarmInvoke(b *testing.B) {
	r := &Runner{Function: Function{Name: "bench", Timeout: 5 * time.Second, Command: []string{echoBinary}, Dir: b.TempDir()}}
	defer r.Close()
	for b.Loop() {
		if res, err := r.Invoke(context.Background(), []byte(`{}`)); err != nil || res.Error != nil {
			b.Fatal(err, res.Error)
		}
	}
}
