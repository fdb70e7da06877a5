package main

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/docs"
	"github.com/gdlab-dev/gdlab/steps"
)

// documentedEvents returns the example of every event in
// docs/json-events.md, by name, as the set of its fields.
func documentedEvents(t *testing.T) map[string][]string {
	t.Helper()
	text, err := docs.Read("json-events.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	rest := text
	for {
		_, after, found := strings.Cut(rest, "```json\n")
		if !found {
			break
		}
		body, next, _ := strings.Cut(after, "```")
		rest = next
		var obj map[string]any
		if err := json.Unmarshal([]byte(body), &obj); err != nil {
			t.Fatalf("an example in json-events.md is not JSON: %v\n%s", err, body)
		}
		name, _ := obj["event"].(string)
		if _, ok := obj["time"].(string); !ok || name == "" {
			t.Errorf("example without event or time: %s", body)
		}
		if _, err := time.Parse(time.RFC3339, obj["time"].(string)); err != nil {
			t.Errorf("%s: time is not RFC 3339: %v", name, err)
		}
		if _, ok := obj["step"].(float64); !ok {
			t.Errorf("%s: example has no numeric step", name)
		}
		if _, dup := out[name]; dup {
			t.Errorf("%s has two examples", name)
		}
		if !strings.Contains(text, "\n## "+name+"\n") {
			t.Errorf("%s has an example but no section", name)
		}
		out[name] = slices.Sorted(maps.Keys(obj))
	}
	return out
}

// The docs and the encoder agree: every event the encoder can produce is
// documented with exactly the fields it writes, and the docs describe no
// event the encoder cannot produce.
func TestJSONEventsDocumented(t *testing.T) {
	documented := documentedEvents(t)
	encoded := map[string][]string{}
	for _, e := range sampleEvents() {
		line, err := encodeEvent(e, sampleTime)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(line, &obj); err != nil {
			t.Fatal(err)
		}
		encoded[e.Name()] = slices.Sorted(maps.Keys(obj))
	}
	for _, name := range steps.AutoEventNames() {
		if _, ok := encoded[name]; !ok {
			t.Errorf("%s: no sample event encodes it", name)
		}
	}
	for name, fields := range encoded {
		doc, ok := documented[name]
		if !ok {
			t.Errorf("%s is not documented in docs/json-events.md", name)
			continue
		}
		if !slices.Equal(doc, fields) {
			t.Errorf("%s: documented fields %v, encoder writes %v", name, doc, fields)
		}
	}
	for name := range documented {
		if _, ok := encoded[name]; !ok {
			t.Errorf("docs/json-events.md documents %s, which gdlab never emits", name)
		}
	}
}
