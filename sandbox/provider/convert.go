package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strconv"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Conversion between terraform's values and the private API's JSON attributes. In JSON, every
// block is a list of objects (a single block too, as a one-element list), strings are strings,
// numbers are numbers, and null or unknown values are left out. The one single-object block,
// timeouts, is an object; it only concerns the provider and is not sent to the world.

// unknownValue stands for a value terraform does not know yet, in the views that plan hooks
// and validators see. It never reaches the world.
type unknownValue struct{}

// toJSON converts v to its JSON form; null and, unless keepUnknown, unknown values become nil
// and are left out of objects and maps.
func toJSON(v tftypes.Value, keepUnknown bool) (any, error) {
	if !v.IsKnown() {
		if keepUnknown {
			return unknownValue{}, nil
		}
		return nil, nil
	}
	if v.IsNull() {
		return nil, nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case typ.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case typ.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		if f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return i, nil
			}
		}
		x, _ := f.Float64()
		return x, nil
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}), typ.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			j, err := toJSON(e, keepUnknown)
			if err != nil {
				return nil, err
			}
			out = append(out, j)
		}
		return out, nil
	case typ.Is(tftypes.Map{}), typ.Is(tftypes.Object{}):
		var fields map[string]tftypes.Value
		if err := v.As(&fields); err != nil {
			return nil, err
		}
		out := map[string]any{}
		for k, e := range fields {
			j, err := toJSON(e, keepUnknown)
			if err != nil {
				return nil, err
			}
			if j != nil {
				out[k] = j
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported terraform type %s", typ)
}

// objectToJSON converts an object value to the attribute map sent to the world.
func objectToJSON(v tftypes.Value, keepUnknown bool) (map[string]any, error) {
	j, err := toJSON(v, keepUnknown)
	if err != nil {
		return nil, err
	}
	m, _ := j.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// objectFromJSON builds the terraform value of an object with spec o from JSON attributes.
// Attributes missing from m are null; blocks missing from m are empty.
func objectFromJSON(o objectSpec, m map[string]any) (tftypes.Value, error) {
	fields := map[string]tftypes.Value{}
	for _, a := range o.attrs {
		v, err := attrFromJSON(a, m[a.name])
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", a.name, err)
		}
		fields[a.name] = v
	}
	for _, b := range o.blocks {
		v, err := blockFromJSON(b, m[b.name])
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", b.name, err)
		}
		fields[b.name] = v
	}
	return tftypes.NewValue(o.tfType(), fields), nil
}

func attrFromJSON(a attr, j any) (tftypes.Value, error) {
	if a.kind == kNestedList || a.kind == kNestedSet {
		obj := objectSpec{attrs: a.nested}
		if j == nil {
			return tftypes.NewValue(a.tfType(), nil), nil
		}
		items, ok := j.([]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a list of objects, got %T", j)
		}
		elems := make([]tftypes.Value, 0, len(items))
		for _, it := range items {
			m, _ := it.(map[string]any)
			e, err := objectFromJSON(obj, m)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, e)
		}
		return tftypes.NewValue(a.tfType(), elems), nil
	}
	return valueFromJSON(a.tfType(), j)
}

func blockFromJSON(b block, j any) (tftypes.Value, error) {
	obj := b.object()
	var items []any
	switch x := j.(type) {
	case nil:
	case []any:
		items = x
	case map[string]any: // a lone object is accepted for a block too
		items = []any{x}
	default:
		return tftypes.Value{}, fmt.Errorf("want a list of objects, got %T", j)
	}
	if b.kind == blockSingle {
		if len(items) == 0 || items[0] == nil {
			return tftypes.NewValue(b.tfType(), nil), nil
		}
		m, _ := items[0].(map[string]any)
		return objectFromJSON(obj, m)
	}
	elems := make([]tftypes.Value, 0, len(items))
	for _, it := range items {
		m, _ := it.(map[string]any)
		e, err := objectFromJSON(obj, m)
		if err != nil {
			return tftypes.Value{}, err
		}
		elems = append(elems, e)
	}
	return tftypes.NewValue(b.tfType(), elems), nil
}

// valueFromJSON converts a JSON value to a primitive or a collection of primitives, tolerating
// the usual mismatches of an API (numbers as strings and the reverse).
func valueFromJSON(t tftypes.Type, j any) (tftypes.Value, error) {
	if j == nil {
		return tftypes.NewValue(t, nil), nil
	}
	switch {
	case t.Is(tftypes.String):
		switch x := j.(type) {
		case string:
			return tftypes.NewValue(t, x), nil
		case bool:
			return tftypes.NewValue(t, strconv.FormatBool(x)), nil
		case json.Number:
			return tftypes.NewValue(t, x.String()), nil
		case float64:
			return tftypes.NewValue(t, strconv.FormatFloat(x, 'f', -1, 64)), nil
		case int, int64:
			return tftypes.NewValue(t, fmt.Sprint(x)), nil
		case map[string]any, []any: // a document where a string is expected: keep it as JSON
			b, err := json.Marshal(x)
			return tftypes.NewValue(t, string(b)), err
		}
	case t.Is(tftypes.Bool):
		switch x := j.(type) {
		case bool:
			return tftypes.NewValue(t, x), nil
		case string:
			b, err := strconv.ParseBool(x)
			if err == nil {
				return tftypes.NewValue(t, b), nil
			}
		}
	case t.Is(tftypes.Number):
		var s string
		switch x := j.(type) {
		case json.Number:
			s = x.String()
		case float64:
			return tftypes.NewValue(t, big.NewFloat(x)), nil
		case int:
			return tftypes.NewValue(t, new(big.Float).SetInt64(int64(x))), nil
		case int64:
			return tftypes.NewValue(t, new(big.Float).SetInt64(x)), nil
		case string:
			s = x
		default:
			return tftypes.Value{}, fmt.Errorf("want a number, got %T", j)
		}
		f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("want a number, got %q", s)
		}
		return tftypes.NewValue(t, f), nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		var elemType tftypes.Type
		if l, ok := t.(tftypes.List); ok {
			elemType = l.ElementType
		} else {
			elemType = t.(tftypes.Set).ElementType
		}
		items, ok := j.([]any)
		if !ok {
			if _, isString := j.(string); isString { // one value where a list is expected
				items = []any{j}
			} else {
				return tftypes.Value{}, fmt.Errorf("want a list, got %T", j)
			}
		}
		elems := make([]tftypes.Value, 0, len(items))
		for _, it := range items {
			e, err := valueFromJSON(elemType, it)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, e)
		}
		return tftypes.NewValue(t, elems), nil
	case t.Is(tftypes.Map{}):
		m, ok := j.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a map, got %T", j)
		}
		elems := map[string]tftypes.Value{}
		for k, it := range m {
			e, err := valueFromJSON(t.(tftypes.Map).ElementType, it)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems[k] = e
		}
		return tftypes.NewValue(t, elems), nil
	}
	return tftypes.Value{}, fmt.Errorf("want %s, got %T", t, j)
}

// fillUnknowns returns planned with each unknown part taken from world: what terraform planned
// is kept exactly (so the result is always consistent with the plan), what it left to the
// provider comes from the world.
func fillUnknowns(planned, world tftypes.Value) tftypes.Value {
	if !planned.IsKnown() {
		if world.Type() != nil && world.Type().Equal(planned.Type()) {
			return world
		}
		return tftypes.NewValue(planned.Type(), nil)
	}
	if planned.IsNull() || planned.IsFullyKnown() {
		return planned
	}
	worldKnown := world.Type() != nil && world.IsKnown() && !world.IsNull()
	switch t := planned.Type().(type) {
	case tftypes.Object:
		var pf, wf map[string]tftypes.Value
		_ = planned.As(&pf)
		if worldKnown {
			_ = world.As(&wf)
		}
		out := map[string]tftypes.Value{}
		for k, pv := range pf {
			wv, ok := wf[k]
			if !ok {
				wv = tftypes.NewValue(t.AttributeTypes[k], nil)
			}
			out[k] = fillUnknowns(pv, wv)
		}
		return tftypes.NewValue(t, out)
	case tftypes.List:
		var pe, we []tftypes.Value
		_ = planned.As(&pe)
		if worldKnown {
			_ = world.As(&we)
		}
		out := make([]tftypes.Value, len(pe))
		for i, pv := range pe {
			wv := tftypes.NewValue(t.ElementType, nil)
			if i < len(we) {
				wv = we[i]
			}
			out[i] = fillUnknowns(pv, wv)
		}
		return tftypes.NewValue(t, out)
	}
	// Sets and maps with unknown parts cannot be matched element by element: take the world's.
	if worldKnown && world.Type().Equal(planned.Type()) {
		return world
	}
	return unknownsToNull(planned)
}

// unknownsToNull replaces every unknown value with null: after apply nothing may stay unknown.
func unknownsToNull(v tftypes.Value) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, x tftypes.Value) (tftypes.Value, error) {
		if !x.IsKnown() {
			return tftypes.NewValue(x.Type(), nil), nil
		}
		return x, nil
	})
	if err != nil {
		return v
	}
	return out
}

// equivalentJSON reports whether two strings hold the same JSON document (policies come back
// from AWS reformatted; the real provider does not call that drift).
func equivalentJSON(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(normalisePolicy(x), normalisePolicy(y))
}

// normalisePolicy treats a one-element list and its element alike, as IAM does.
func normalisePolicy(v any) any {
	switch x := v.(type) {
	case []any:
		if len(x) == 1 {
			return normalisePolicy(x[0])
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalisePolicy(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalisePolicy(e)
		}
		return out
	}
	return v
}

// decodeJSON decodes with numbers kept exact.
func decodeJSON(data []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(into)
}
