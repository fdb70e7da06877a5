package world

import (
	"encoding/json"
	"sort"
)

// Attribute helpers. Attribute values come from JSON (the provider's requests
// and world.json), so numbers arrive as float64, lists as []any and maps as
// map[string]any; the helpers accept the Go-native forms too.

// Str is a string attribute, or "".
func Str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// Bool is a bool attribute, or def when absent or null.
func Bool(m map[string]any, k string, def bool) bool {
	if b, ok := m[k].(bool); ok {
		return b
	}
	return def
}

// Num is a numeric attribute, or def.
func Num(m map[string]any, k string, def float64) float64 {
	switch v := m[k].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case json.Number:
		f, err := v.Float64()
		if err == nil {
			return f
		}
	}
	return def
}

// Strs is a list or set of strings (non-strings skipped).
func Strs(m map[string]any, k string) []string {
	switch v := m[k].(type) {
	case []string:
		return append([]string(nil), v...)
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// StrMap is a map of strings such as tags.
func StrMap(m map[string]any, k string) map[string]string {
	out := map[string]string{}
	switch v := m[k].(type) {
	case map[string]string:
		for a, b := range v {
			out[a] = b
		}
	case map[string]any:
		for a, b := range v {
			if s, ok := b.(string); ok {
				out[a] = s
			}
		}
	}
	return out
}

// Blocks is a nested block list (list of objects).
func Blocks(m map[string]any, k string) []map[string]any {
	var out []map[string]any
	switch v := m[k].(type) {
	case []map[string]any:
		return v
	case []any:
		for _, x := range v {
			if o, ok := x.(map[string]any); ok {
				out = append(out, o)
			}
		}
	}
	return out
}

// Block is the first object of a nested block list, or nil.
func Block(m map[string]any, k string) map[string]any {
	b := Blocks(m, k)
	if len(b) == 0 {
		return nil
	}
	return b[0]
}

// Tags returns a resource's effective tags: tags_all (which the provider
// already merged with default_tags), else tags.
func Tags(r *Resource) map[string]string {
	if t := StrMap(r.Attrs, "tags_all"); len(t) > 0 {
		return t
	}
	return StrMap(r.Attrs, "tags")
}

// SortedKeys returns a map's keys in order (stable output for listings).
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// present reports whether an attribute was given (not absent, not null, not "").
func present(m map[string]any, k string) bool {
	v, ok := m[k]
	if !ok || v == nil {
		return false
	}
	if s, ok := v.(string); ok {
		return s != ""
	}
	return true
}

// setDefault sets an attribute when it was not given.
func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok || m[k] == nil {
		m[k] = v
	}
}

// strList converts []string to the JSON-shaped []any attributes use.
func strList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
