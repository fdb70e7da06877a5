package terraform

import (
	"bytes"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

func parseFile(tb testing.TB, name string) []Event {
	tb.Helper()
	f, err := os.Open("testdata/streams/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rec recorder
	if err := ParseStream(f, rec.handle); err != nil {
		tb.Fatal(err)
	}
	return rec.events
}

func countTypes(events []Event) map[tfjson.LogMessageType]int {
	n := map[tfjson.LogMessageType]int{}
	for _, ev := range events {
		n[TypeOf(ev)]++
	}
	return n
}

// TestParseRecordedStreams checks the parser against streams recorded from
// the real binary (testdata/record-streams.sh).
func TestParseRecordedStreams(t *testing.T) {
	tests := []struct {
		file  string
		count map[tfjson.LogMessageType]int
		check func(t *testing.T, events []Event)
	}{
		{
			file:  "plan.jsonl",
			count: map[tfjson.LogMessageType]int{"version": 1, TypePlannedChange: 3, TypeChangeSummary: 1, TypeOutputs: 1},
			check: func(t *testing.T, events []Event) {
				pc := events[1].(PlannedChange)
				if pc.Action != ActionCreate || !strings.HasPrefix(pc.Message(), pc.Resource.Addr) {
					t.Errorf("planned change = %+v", pc)
				}
				cs := events[4].(ChangeSummary)
				if cs.Add != 3 || cs.Operation != "plan" {
					t.Errorf("change summary = %+v", cs)
				}
				out := events[5].(OutputsEvent)
				if out.Outputs["message"].Action != ActionCreate {
					t.Errorf("outputs = %+v", out.Outputs)
				}
			},
		},
		{
			file: "apply.jsonl",
			count: map[tfjson.LogMessageType]int{"version": 1, TypePlannedChange: 3, TypeApplyStart: 3, TypeApplyProgress: 1, TypeApplyComplete: 3,
				TypeProvisionStart: 1, TypeProvisionProgress: 1, TypeProvisionComplete: 1, TypeChangeSummary: 1, TypeOutputs: 1},
			check: func(t *testing.T, events []Event) {
				for _, ev := range events {
					switch e := ev.(type) {
					case ApplyProgress:
						if e.Elapsed != 10*time.Second || e.Resource.Module != "module.slow" || e.Resource.ResourceName != "wait" {
							t.Errorf("apply progress = %+v", e)
						}
					case ApplyComplete:
						if e.IDKey != "id" || e.IDValue == "" {
							t.Errorf("apply complete without id: %+v", e)
						}
						if e.Resource.Addr == "module.slow.terraform_data.wait" && e.Elapsed != 11*time.Second {
							t.Errorf("wait took %v, want 11s", e.Elapsed)
						}
					case OutputsEvent:
						if string(e.Outputs["message"].Value) != `"ab12cd34:one"` || string(e.Outputs["ready"].Type) != `"bool"` {
							t.Errorf("outputs = %s %s", e.Outputs["message"].Value, e.Outputs["ready"].Type)
						}
					}
				}
			},
		},
		{
			file: "interrupted_apply.jsonl",
			count: map[tfjson.LogMessageType]int{"version": 1, TypeRefreshStart: 3, TypeRefreshComplete: 3, TypePlannedChange: 4, TypeApplyErrored: 2,
				"log": 2, "diagnostic": 4},
			check: func(t *testing.T, events []Event) {
				var actions []ChangeAction
				var diags []tfjson.Diagnostic
				for _, ev := range events {
					switch e := ev.(type) {
					case PlannedChange:
						actions = append(actions, e.Action)
						if e.Action == ActionReplace && e.Reason != "requested" {
							t.Errorf("replace reason = %q", e.Reason)
						}
					case tfjson.DiagnosticLogMessage:
						diags = append(diags, e.Diagnostic)
					}
				}
				want := []ChangeAction{ActionCreate, ActionUpdate, ActionReplace, ActionUpdate}
				if !reflect.DeepEqual(actions, want) {
					t.Errorf("actions = %v, want %v", actions, want)
				}
				var bad *tfjson.Diagnostic
				for i := range diags {
					if diags[i].Address == "module.failing.terraform_data.bad" {
						bad = &diags[i]
					}
				}
				if bad == nil || bad.Severity != tfjson.DiagnosticSeverityError || !strings.Contains(HintFor(*bad), "ec2:CreateVpc") {
					t.Errorf("failing diagnostic = %+v", bad)
				}
			},
		},
		{
			file: "destroy.jsonl",
			count: map[tfjson.LogMessageType]int{"version": 1, TypeRefreshStart: 4, TypeRefreshComplete: 4, TypePlannedChange: 4, TypeOutputs: 1, TypeApplyStart: 4, TypeApplyComplete: 4,
				TypeChangeSummary: 2}, // the destroy's plan, then the destroy
			check: func(t *testing.T, events []Event) {
				last := events[len(events)-1].(ChangeSummary)
				if last.Operation != "destroy" || last.Remove != 4 {
					t.Errorf("last summary = %+v", last)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			events := parseFile(t, tt.file)
			got := countTypes(events)
			for typ, n := range tt.count {
				if got[typ] != n {
					t.Errorf("%s: %d events, want %d (all: %v)", typ, got[typ], n, got)
				}
			}
			if got[""] != 0 {
				t.Errorf("%d events of unknown type", got[""])
			}
			if TypeOf(events[0]) != tfjson.MessageTypeVersion {
				t.Errorf("first event %T, want version", events[0])
			}
			tt.check(t, events)
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []struct {
		name, line string
		wantErr    bool
		wantType   tfjson.LogMessageType
	}{
		{name: "not json", line: `Error: something`, wantErr: true},
		{name: "planned change without change", line: `{"type":"planned_change","@message":"x"}`, wantErr: true},
		{name: "future message type", line: `{"@level":"info","@message":"new","type":"test_summary"}`, wantType: ""},
		{name: "hook type without hook", line: `{"@level":"info","@message":"x","type":"apply_start"}`, wantType: ""},
		{name: "log", line: `{"@level":"info","@message":"Stopping operation...","type":"log"}`, wantType: "log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseEvent([]byte(tt.line))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && TypeOf(ev) != tt.wantType {
				t.Errorf("TypeOf = %q, want %q", TypeOf(ev), tt.wantType)
			}
		})
	}
}

// TestEventWriterSplitsChunks feeds a recorded stream in random pieces, as a
// pipe may deliver it, and expects the same events as a whole-file parse.
func TestEventWriterSplitsChunks(t *testing.T) {
	raw, err := os.ReadFile("testdata/streams/interrupted_apply.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := parseFile(t, "interrupted_apply.jsonl")
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		var rec recorder
		var log bytes.Buffer
		w := newEventWriter(&log, rec.handle)
		rest := raw
		for len(rest) > 0 {
			n := min(1+rng.IntN(300), len(rest))
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		w.flush()
		if !reflect.DeepEqual(rec.events, want) {
			t.Fatalf("round %d: %d events, want %d", round, len(rec.events), len(want))
		}
		if !bytes.Equal(log.Bytes(), raw) {
			t.Fatalf("round %d: log differs from the stream", round)
		}
	}
}

func TestEventWriterCountsForeignLines(t *testing.T) {
	var rec recorder
	w := newEventWriter(nil, rec.handle)
	w.Write([]byte("plain text\n{\"@level\":\"info\",\"@message\":\"m\",\"type\":\"log\"}\n"))
	w.Write([]byte(`{"@level":"info","@message":"no newline","type":"log"}`))
	w.flush()
	if len(rec.events) != 2 || w.badLines != 1 {
		t.Errorf("events %d, bad lines %d; want 2, 1", len(rec.events), w.badLines)
	}
}

// BenchmarkParseStream measures the parser on all recorded streams.
func BenchmarkParseStream(b *testing.B) {
	var all []byte
	for _, f := range []string{"plan.jsonl", "apply.jsonl", "interrupted_apply.jsonl", "destroy.jsonl"} {
		raw, err := os.ReadFile("testdata/streams/" + f)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, raw...)
	}
	events := 0
	b.SetBytes(int64(len(all)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ParseStream(bytes.NewReader(all), func(Event) { events++ }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
