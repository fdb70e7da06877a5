package eventpattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// maxDepth bounds nesting in patterns and events; EventBridge's own limits
// are far below it, and it keeps recursion safe on hostile input.
const maxDepth = 64

// Pattern is a compiled event pattern.
type Pattern struct {
	root *node
}

// node is one object level of a pattern: every field must match (AND), and
// each $or group needs one of its alternatives to match.
type node struct {
	fields []field
	ors    [][]*node
}

// field is a key of a node: either nested (child) or a leaf list of
// matchers of which one must accept one of the event's values.
type field struct {
	key      string
	child    *node
	matchers []matcher
}

// Compile parses and validates an event pattern (JSON).
func Compile(pattern []byte) (*Pattern, error) {
	v, err := decode(pattern)
	if err != nil {
		return nil, fmt.Errorf("event pattern is not valid JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("event pattern must be a JSON object")
	}
	root, err := compileNode(obj, "", 0)
	if err != nil {
		return nil, err
	}
	return &Pattern{root: root}, nil
}

// MustCompile is Compile for patterns written in code; it panics on error.
func MustCompile(pattern string) *Pattern {
	p, err := Compile([]byte(pattern))
	if err != nil {
		panic(err)
	}
	return p
}

// Match reports whether the event (JSON) matches the pattern.
func (p *Pattern) Match(event []byte) (bool, error) {
	v, err := decode(event)
	if err != nil {
		return false, fmt.Errorf("event is not valid JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return false, errors.New("event must be a JSON object")
	}
	if depth(v, 0) > maxDepth {
		return false, fmt.Errorf("event nests deeper than %d levels", maxDepth)
	}
	return p.root.match([]map[string]any{obj}), nil
}

// Matches compiles pattern and matches event in one call.
func Matches(pattern, event []byte) (bool, error) {
	p, err := Compile(pattern)
	if err != nil {
		return false, err
	}
	return p.Match(event)
}

// decode reads one JSON value, keeping numbers exact as json.Number.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func depth(v any, d int) int {
	if d > maxDepth {
		return d
	}
	deepest := d
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			deepest = max(deepest, depth(e, d+1))
		}
	case []any:
		for _, e := range t {
			deepest = max(deepest, depth(e, d+1))
		}
	}
	return deepest
}

func compileNode(obj map[string]any, path string, d int) (*node, error) {
	if d > maxDepth {
		return nil, fmt.Errorf("pattern nests deeper than %d levels", maxDepth)
	}
	if len(obj) == 0 && d > 0 {
		return nil, fmt.Errorf("%s: empty object matches nothing", path)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := &node{}
	for _, key := range keys {
		at := join(path, key)
		switch v := obj[key].(type) {
		case map[string]any:
			child, err := compileNode(v, at, d+1)
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, field{key: key, child: child})
		case []any:
			if key == "$or" {
				group, err := compileOr(v, path, d)
				if err != nil {
					return nil, err
				}
				n.ors = append(n.ors, group)
				continue
			}
			if len(v) == 0 {
				return nil, fmt.Errorf("%s: empty list matches nothing", at)
			}
			matchers := make([]matcher, 0, len(v))
			for _, item := range v {
				m, err := compileMatcher(item, at)
				if err != nil {
					return nil, err
				}
				matchers = append(matchers, m)
			}
			n.fields = append(n.fields, field{key: key, matchers: matchers})
		default:
			return nil, fmt.Errorf("%s: a pattern value must be a list of matchers or an object, got %s", at, describe(v))
		}
	}
	return n, nil
}

func compileOr(alternatives []any, path string, d int) ([]*node, error) {
	at := join(path, "$or")
	if len(alternatives) < 2 {
		return nil, fmt.Errorf("%s: needs at least two alternatives", at)
	}
	group := make([]*node, 0, len(alternatives))
	for _, alt := range alternatives {
		obj, ok := alt.(map[string]any)
		if !ok || len(obj) == 0 {
			return nil, fmt.Errorf("%s: each alternative must be a non-empty object", at)
		}
		n, err := compileNode(obj, path, d+1)
		if err != nil {
			return nil, err
		}
		group = append(group, n)
	}
	return group, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	default:
		return "an object"
	}
}

// match evaluates the node against the objects found at its level. Several
// objects appear when the event has an array of objects there: EventBridge
// flattens arrays, so each field may be satisfied by any of them.
func (n *node) match(objects []map[string]any) bool {
	for _, f := range n.fields {
		if f.child != nil {
			if !f.child.match(childObjects(objects, f.key)) {
				return false
			}
			continue
		}
		if !matchLeaf(f.matchers, objects, f.key) {
			return false
		}
	}
	for _, group := range n.ors {
		matched := false
		for _, alt := range group {
			if alt.match(objects) {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

func childObjects(objects []map[string]any, key string) []map[string]any {
	var out []map[string]any
	for _, o := range objects {
		if v, ok := o[key]; ok {
			collectObjects(v, &out)
		}
	}
	return out
}

func collectObjects(v any, out *[]map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		*out = append(*out, t)
	case []any:
		for _, e := range t {
			collectObjects(e, out)
		}
	}
}

// leafValues are the non-object values at key, arrays flattened.
func leafValues(objects []map[string]any, key string) (values []any, present bool) {
	for _, o := range objects {
		v, ok := o[key]
		if !ok {
			continue
		}
		present = true
		collectLeaves(v, &values)
	}
	return values, present
}

func collectLeaves(v any, out *[]any) {
	switch t := v.(type) {
	case map[string]any:
		// Objects are not leaves: exact and exists matching apply to leaves only.
	case []any:
		for _, e := range t {
			collectLeaves(e, out)
		}
	default:
		*out = append(*out, t)
	}
}

func matchLeaf(matchers []matcher, objects []map[string]any, key string) bool {
	values, _ := leafValues(objects, key)
	for _, m := range matchers {
		if e, ok := m.(existsMatcher); ok {
			if bool(e) == (len(values) > 0) {
				return true
			}
			continue
		}
		for _, v := range values {
			if m.match(v) {
				return true
			}
		}
	}
	return false
}
