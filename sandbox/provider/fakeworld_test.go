package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeWorld is a tiny stand-in for the sandbox world's private API, so the provider's tests do
// not depend on sandbox/world: it stores attributes as given, assigns ids and fills every
// computed attribute the spec declares with a plausible value.
type fakeWorld struct {
	mu        sync.Mutex
	resources map[string]map[string]map[string]any // type → id → attrs
	seq       int
	server    *httptest.Server
}

func startFakeWorld(t *testing.T) *fakeWorld {
	t.Helper()
	f := &fakeWorld{resources: map[string]map[string]map[string]any{}}
	f.server = httptest.NewServer(f) // httptest listens on 127.0.0.1
	t.Cleanup(f.server.Close)
	return f
}

func (f *fakeWorld) URL() string { return f.server.URL }

func (f *fakeWorld) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/_gdlab/v1/"), "/")
	var body struct {
		Attrs map[string]any `json:"attrs"`
		Args  map[string]any `json:"args"`
	}
	if r.Body != nil {
		_ = decodeJSON(mustRead(r), &body)
	}
	switch {
	case len(parts) == 2 && parts[0] == "data" && r.Method == http.MethodPost:
		attrs, ok := fakeData(parts[1], body.Args)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": "no " + parts[1] + " in the fake world"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"attrs": attrs})
	case len(parts) == 2 && parts[0] == "resources" && r.Method == http.MethodPost:
		typ := parts[1]
		spec, ok := resourceSpecs[typ]
		if !ok {
			writeJSON(w, http.StatusBadRequest, map[string]any{"code": "InvalidParameterValue", "message": "unknown type " + typ})
			return
		}
		if typ == "aws_s3_bucket" && f.bucketTaken(body.Attrs["bucket"]) {
			writeJSON(w, http.StatusConflict, map[string]any{"code": "BucketAlreadyExists", "message": "The requested bucket name is not available."})
			return
		}
		f.seq++
		id := fmt.Sprintf("%s-%04d", strings.TrimPrefix(typ, "aws_"), f.seq)
		attrs := body.Attrs
		if attrs == nil {
			attrs = map[string]any{}
		}
		attrs["id"] = id
		fillComputed(spec, id, attrs)
		if f.resources[typ] == nil {
			f.resources[typ] = map[string]map[string]any{}
		}
		f.resources[typ][id] = attrs
		writeJSON(w, http.StatusCreated, map[string]any{"id": id, "attrs": attrs})
	case len(parts) == 3 && parts[0] == "resources":
		typ, id := parts[1], parts[2]
		old, ok := f.resources[typ][id]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]any{"code": "NotFound", "message": id + " does not exist"})
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, map[string]any{"id": id, "attrs": old})
		case http.MethodPut:
			attrs := body.Attrs
			for k, v := range old { // computed values the plan left unknown stay
				if _, given := attrs[k]; !given {
					if a, ok := resourceSpecs[typ].full().attr(k); ok && a.computed && !a.optional {
						attrs[k] = v
					}
				}
			}
			attrs["id"] = id
			f.resources[typ][id] = attrs
			writeJSON(w, http.StatusOK, map[string]any{"id": id, "attrs": attrs})
		case http.MethodDelete:
			delete(f.resources[typ], id)
			w.WriteHeader(http.StatusNoContent)
		}
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": "UnknownOperation", "message": r.URL.Path})
	}
}

func (f *fakeWorld) bucketTaken(name any) bool {
	for _, b := range f.resources["aws_s3_bucket"] {
		if name != nil && b["bucket"] == name {
			return true
		}
	}
	return false
}

// only returns the single resource of a type, failing the test if there is not exactly one.
func (f *fakeWorld) only(t *testing.T, typ string) (string, map[string]any) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.resources[typ]); n != 1 {
		t.Fatalf("the world holds %d %s, want 1", n, typ)
	}
	for id, attrs := range f.resources[typ] {
		return id, attrs
	}
	return "", nil
}

// change edits a stored resource behind terraform's back (what the remediation Lambda does).
func (f *fakeWorld) change(typ, id, name string, value any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resources[typ][id][name] = value
}

func (f *fakeWorld) remove(typ, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.resources[typ], id)
}

func (f *fakeWorld) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, byID := range f.resources {
		n += len(byID)
	}
	return n
}

func fillComputed(spec resourceSpec, id string, attrs map[string]any) {
	for _, a := range spec.full().attrs {
		if _, given := attrs[a.name]; given || !a.computed {
			continue
		}
		switch a.kind {
		case kString:
			switch a.name {
			case "arn":
				attrs[a.name] = "arn:aws:fake:us-west-2:123456789012:" + strings.TrimPrefix(spec.typeName, "aws_") + "/" + id
			case "name", "bucket":
				attrs[a.name] = "generated-" + id
			default:
				attrs[a.name] = a.name + "-" + id
			}
		case kBool:
			attrs[a.name] = false
		case kInt, kFloat:
			attrs[a.name] = 0
		case kStringList, kStringSet, kNestedList, kNestedSet:
			attrs[a.name] = []any{}
		case kStringMap:
			attrs[a.name] = map[string]any{}
		}
	}
}

func fakeData(typ string, args map[string]any) (map[string]any, bool) {
	switch typ {
	case "aws_availability_zones":
		return map[string]any{"id": "us-west-2", "names": []any{"us-west-2a", "us-west-2b"},
			"zone_ids": []any{"usw2-az1", "usw2-az2"}, "group_names": []any{"us-west-2"}}, true
	case "aws_ami":
		return map[string]any{"id": "ami-0fake", "image_id": "ami-0fake", "architecture": "x86_64",
			"name": "al2023-ami-2023.6.0-kernel-6.1-x86_64", "owner_id": "137112412989"}, true
	case "aws_caller_identity", "aws_guardduty_detector":
		return nil, false // the provider falls back for the first; the second really has none
	}
	return map[string]any{"id": typ}, true
}

func mustRead(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
