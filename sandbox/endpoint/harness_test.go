package endpoint

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// startSandbox serves a fresh world on a real loopback listener for one test.
func startSandbox(t testing.TB) (*Server, *world.World) {
	t.Helper()
	w, err := world.Open(t.TempDir(), "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(w, LoopbackAddr(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s, w
}

// privateCall does one private-API request and decodes the JSON answer.
func privateCall(t testing.TB, s *Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if raw, ok := body.(rawJSON); ok {
		rd = bytes.NewReader([]byte(raw))
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out
}

// create makes a resource through the private API and returns id and attrs.
func create(t testing.TB, s *Server, typ string, attrs map[string]any) (string, map[string]any) {
	t.Helper()
	status, out := privateCall(t, s, http.MethodPost, "/_gdlab/v1/resources/"+typ, map[string]any{"attrs": attrs})
	if status != http.StatusCreated {
		t.Fatalf("create %s: %d %v", typ, status, out)
	}
	a, _ := out["attrs"].(map[string]any)
	id, _ := out["id"].(string)
	return id, a
}
