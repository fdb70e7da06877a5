package provider

import (
	"encoding/json"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var testSpec = objectSpec{
	attrs: []attr{
		str("id").comp(),
		str("name").req(),
		integer("count").opt(),
		float("ratio").opt(),
		boolean("enabled").opt(),
		strSet("groups").optComp(),
		strList("zones").opt(),
		strMap("tags").opt(),
		str("arn").comp(),
	},
	blocks: []block{
		setBlock("ingress", integer("from_port").req(), str("protocol").req(), strList("cidr_blocks").opt()),
		listBlock("options", 1, str("mode").opt()).with(listBlock("inner", 1, boolean("on").opt())),
		timeoutsBlock("create"),
	},
}

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := decodeJSON([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestJSONRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, in, out string }{
		{"full", `{"id":"x-1","name":"a","count":3,"ratio":0.5,"enabled":true,"groups":["sg-1"],"zones":["a","b"],
			"tags":{"k":"v"},"arn":"arn:x","ingress":[{"from_port":-1,"protocol":"icmp","cidr_blocks":["10.0.0.0/24"]}],
			"options":[{"mode":"m","inner":[{"on":false}]}],"timeouts":{"create":"5m"}}`, ""},
		{"sparse: missing blocks become empty, missing attributes null", `{"name":"a"}`,
			`{"name":"a","ingress":[],"options":[]}`},
		{"tolerant: numbers as strings, one string for a list, lone object for a block",
			`{"name":"a","count":"7","zones":"z","options":{"mode":"m"}}`,
			`{"name":"a","count":7,"zones":["z"],"ingress":[],"options":[{"mode":"m","inner":[]}]}`},
		{"big integers stay exact", `{"name":"a","count":9007199254740993}`, `{"name":"a","count":9007199254740993,"ingress":[],"options":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := objectFromJSON(testSpec, mustJSON(t, tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !v.Type().Equal(testSpec.tfType()) {
				t.Fatalf("type %s", v.Type())
			}
			back, err := objectToJSON(v, false)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.out
			if want == "" {
				want = tc.in
			}
			gotJSON, _ := json.Marshal(back)
			if !reflect.DeepEqual(mustJSON(t, string(gotJSON)), mustJSON(t, want)) {
				t.Errorf("round trip:\n got %s\nwant %s", gotJSON, want)
			}
		})
	}
}

func TestJSONRejectsWrongShapes(t *testing.T) {
	for _, in := range []string{`{"count":"many"}`, `{"tags":["x"]}`, `{"ingress":"x"}`, `{"enabled":"maybe"}`} {
		if _, err := objectFromJSON(testSpec, mustJSON(t, in)); err == nil {
			t.Errorf("%s: accepted", in)
		}
	}
}

func TestToJSONLeavesOutUnknownAndNull(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"a": tftypes.String, "b": tftypes.String, "c": tftypes.Number, "d": tftypes.List{ElementType: tftypes.String},
	}}
	v := tftypes.NewValue(typ, map[string]tftypes.Value{
		"a": tftypes.NewValue(tftypes.String, "x"),
		"b": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"c": tftypes.NewValue(tftypes.Number, nil),
		"d": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue),
	})
	got, err := objectToJSON(v, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]any{"a": "x"}) {
		t.Errorf("got %v", got)
	}
	view, _ := objectToJSON(v, true)
	if _, ok := view["b"].(unknownValue); !ok {
		t.Errorf("view keeps unknown as a marker, got %v", view)
	}
}

func TestFillUnknownsKeepsThePlan(t *testing.T) {
	o := objectSpec{attrs: []attr{str("id").comp(), str("name").req(), str("arn").comp(), str("extra").comp()},
		blocks: []block{listBlock("root", 1, integer("size").optComp(), str("volume_id").comp())}}
	typ := o.tfType()
	rootType := typ.AttributeTypes["root"].(tftypes.List)
	planned := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":    tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"name":  tftypes.NewValue(tftypes.String, "planned-name"),
		"arn":   tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"extra": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"root": tftypes.NewValue(rootType, []tftypes.Value{tftypes.NewValue(rootType.ElementType, map[string]tftypes.Value{
			"size":      tftypes.NewValue(tftypes.Number, big.NewFloat(8)),
			"volume_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		})}),
	})
	world, err := objectFromJSON(o, mustJSON(t, `{"id":"i-1","name":"world-renamed","arn":"arn:1","root":[{"size":30,"volume_id":"vol-1"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := unknownsToNull(fillUnknowns(planned, world))
	if !got.IsFullyKnown() {
		t.Fatal("unknown values left after apply")
	}
	j, _ := objectToJSON(got, false)
	want := mustJSON(t, `{"id":"i-1","name":"planned-name","arn":"arn:1","root":[{"size":8,"volume_id":"vol-1"}]}`)
	if !reflect.DeepEqual(normaliseNumbers(j), normaliseNumbers(want)) {
		t.Errorf("got %v, want %v", j, want)
	}
}

func TestReadBackShowsDriftButKeepsEquivalents(t *testing.T) {
	o := objectSpec{attrs: []attr{str("id").comp(), strSet("groups").optComp(), str("policy").req().policy(),
		boolean("force_destroy").opt()},
		blocks: []block{listBlock("logging", 1, str("format").req()).filled()}}
	prior, err := objectFromJSON(o, mustJSON(t, `{"id":"i-1","groups":["sg-a"],"force_destroy":true,
		"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"]}]}"}`))
	if err != nil {
		t.Fatal(err)
	}
	world := mustJSON(t, `{"id":"i-1","groups":["sg-forensic"],"logging":[{"format":"Text"}],
		"policy":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\"}],\"Version\":\"2012-10-17\"}"}`)
	got, err := readBack(o, prior, world)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := objectToJSON(got, false)
	if g := j["groups"].([]any); len(g) != 1 || g[0] != "sg-forensic" {
		t.Errorf("drift hidden: groups = %v", g)
	}
	var priorFields map[string]tftypes.Value
	_ = prior.As(&priorFields)
	var gotFields map[string]tftypes.Value
	_ = got.As(&gotFields)
	if !gotFields["policy"].Equal(priorFields["policy"]) {
		t.Errorf("an equivalent policy counted as drift: %v", j["policy"])
	}
	if j["force_destroy"] != true {
		t.Errorf("an argument the world does not know was lost: %v", j["force_destroy"])
	}
	if l := j["logging"].([]any); len(l) != 0 {
		t.Errorf("a block AWS fills in by itself shows as drift: %v", l)
	}
}

func TestEquivalentJSON(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{`{"a":1,"b":[1,2]}`, `{"b":[1,2],"a":1}`, true},
		{`{"Action":["s3:Get"]}`, `{"Action":"s3:Get"}`, true},
		{`{"a":[1,2]}`, `{"a":[2,1]}`, false},
		{`not json`, `not json`, true},
		{`not json`, `{}`, false},
	} {
		if got := equivalentJSON(tc.a, tc.b); got != tc.same {
			t.Errorf("equivalentJSON(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

func normaliseNumbers(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func TestDeleteRetriesWhileADependencyGoes(t *testing.T) {
	calls := 0
	err := deleteRetrying(t.Context(), func() error {
		calls++
		if calls < 3 {
			return &apiError{Status: 400, Code: "DependencyViolation", Message: "in use"}
		}
		return nil
	}, 5*time.Second)
	if err != nil || calls != 3 {
		t.Errorf("err %v after %d calls", err, calls)
	}
	calls = 0
	err = deleteRetrying(t.Context(), func() error {
		calls++
		return &apiError{Status: 400, Code: "DependencyViolation", Message: "in use"}
	}, 300*time.Millisecond)
	if err == nil || calls < 2 {
		t.Errorf("a lasting dependency: err %v after %d calls", err, calls)
	}
	calls = 0
	_ = deleteRetrying(t.Context(), func() error {
		calls++
		return &apiError{Status: 400, Code: "InvalidParameterValue"}
	}, 5*time.Second)
	if calls != 1 {
		t.Errorf("other errors are retried: %d calls", calls)
	}
}
