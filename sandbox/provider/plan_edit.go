package provider

import (
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// planEdit is a resource plan open for the adjustments the real provider makes in its
// CustomizeDiff: computed values it knows at plan time, values that become unknown, arguments
// whose change replaces the resource.
type planEdit struct {
	fields  map[string]tftypes.Value // the planned top-level attributes, edited in place
	types   map[string]tftypes.Type
	plan    configView // JSON views, unknown values as unknownValue{}
	state   configView // nil when creating
	config  configView
	replace []string
}

func newPlanEdit(plan, state, config tftypes.Value) (*planEdit, error) {
	e := &planEdit{types: plan.Type().(tftypes.Object).AttributeTypes}
	if err := plan.As(&e.fields); err != nil {
		return nil, err
	}
	var err error
	var view map[string]any
	if view, err = objectToJSON(plan, true); err != nil {
		return nil, err
	}
	e.plan = view
	if !state.IsNull() {
		if view, err = objectToJSON(state, true); err != nil {
			return nil, err
		}
		e.state = view
	}
	if view, err = objectToJSON(config, true); err != nil {
		return nil, err
	}
	e.config = view
	return e, nil
}

func (e *planEdit) creating() bool { return e.state == nil }

// changed reports whether the planned value of name differs from the prior state.
func (e *planEdit) changed(name string) bool {
	if e.state == nil {
		return false
	}
	_, unknown := e.plan[name].(unknownValue)
	return unknown || !equalJSON(e.plan[name], e.state[name])
}

func (e *planEdit) setString(name, s string) {
	e.fields[name] = tftypes.NewValue(e.types[name], s)
	e.plan[name] = s
}

func (e *planEdit) setStringMap(name string, m map[string]string) {
	elems := map[string]tftypes.Value{}
	view := map[string]any{}
	for k, v := range m {
		elems[k] = tftypes.NewValue(tftypes.String, v)
		view[k] = v
	}
	e.fields[name] = tftypes.NewValue(e.types[name], elems)
	e.plan[name] = view
}

func (e *planEdit) markUnknown(name string) {
	e.fields[name] = tftypes.NewValue(e.types[name], tftypes.UnknownValue)
	e.plan[name] = unknownValue{}
}

func (e *planEdit) requireReplace(name string) { e.replace = append(e.replace, name) }

func (e *planEdit) value(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, e.fields) }

// configView is a configuration, plan or state as JSON, with unknown values as unknownValue{}.
type configView map[string]any

func (c configView) str(name string) string {
	s, _ := c[name].(string)
	return s
}

func (c configView) boolean(name string) bool {
	b, _ := c[name].(bool)
	return b
}

// set reports whether name is given (known or not); an empty list or block counts as not
// given, as in the real provider.
func (c configView) set(name string) bool {
	if l, ok := c[name].([]any); ok {
		return len(l) > 0
	}
	return c[name] != nil
}

func (c configView) known(name string) bool {
	_, unknown := c[name].(unknownValue)
	return !unknown
}

func (c configView) blocks(name string) []map[string]any { return blockItems(c[name]) }

func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !equalJSON(v, y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
