package probe

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeGuardDuty answers the GuardDuty REST-JSON calls probe makes, with the
// documented shapes (lowerCamel JSON, ids in the path), for what moto lacks:
// threat intel sets, findings and sample findings.
type fakeGuardDuty struct {
	mu         sync.Mutex
	detectors  map[string]fakeDetector
	sets       map[string]map[string]any // set id → GetThreatIntelSet body
	findings   []map[string]any          // GetFindings shapes
	samples    int
	calls      []string
	lastFilter map[string]any
}

type fakeDetector struct {
	Status    string
	Frequency string
}

func newFakeGuardDuty(t *testing.T) (*fakeGuardDuty, string) {
	t.Helper()
	f := &fakeGuardDuty{detectors: map[string]fakeDetector{}, sets: map[string]map[string]any{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeGuardDuty) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	reply := func(status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
	notFound := func() {
		w.Header().Set("X-Amzn-ErrorType", "BadRequestException")
		reply(400, map[string]any{"message": "The request is rejected because the input detectorId is not owned by the current account.", "__type": "BadRequestException"})
	}
	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "detector":
		ids := []string{}
		for id := range f.detectors {
			ids = append(ids, id)
		}
		reply(200, map[string]any{"detectorIds": ids})
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "detector":
		d, ok := f.detectors[parts[1]]
		if !ok {
			notFound()
			return
		}
		reply(200, map[string]any{"status": d.Status, "findingPublishingFrequency": d.Frequency,
			"serviceRole": "arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
			"createdAt":   "2025-06-01T10:00:00.000Z"})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[2] == "threatintelset":
		ids := []string{}
		for id := range f.sets {
			ids = append(ids, id)
		}
		reply(200, map[string]any{"threatIntelSetIds": ids})
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "threatintelset":
		set, ok := f.sets[parts[3]]
		if _, det := f.detectors[parts[1]]; !ok || !det {
			notFound()
			return
		}
		reply(200, set)
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "findings":
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.lastFilter = body
		ids := []string{}
		for _, fd := range f.findings {
			ids = append(ids, fd["id"].(string))
		}
		reply(200, map[string]any{"findingIds": ids})
	case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "findings" && parts[3] == "get":
		reply(200, map[string]any{"findings": f.findings})
	case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "findings" && parts[3] == "create":
		f.samples++
		reply(200, map[string]any{})
	default:
		reply(404, map[string]any{"message": "not faked: " + r.Method + " " + r.URL.Path})
	}
}

func (f *fakeGuardDuty) setSet(id string, body map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets[id] = body
}
