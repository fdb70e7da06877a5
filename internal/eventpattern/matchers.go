package eventpattern

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// matcher accepts or rejects one leaf value of an event.
type matcher interface {
	match(v any) bool
}

type exactString string

func (m exactString) match(v any) bool { s, ok := v.(string); return ok && s == string(m) }

type exactNumber float64

func (m exactNumber) match(v any) bool {
	f, ok := number(v)
	return ok && f == float64(m)
}

type exactBool bool

func (m exactBool) match(v any) bool { b, ok := v.(bool); return ok && b == bool(m) }

type exactNull struct{}

func (exactNull) match(v any) bool { return v == nil }

type existsMatcher bool

// match is never called for exists: matchLeaf handles it, because it is the
// one matcher that can accept a missing field.
func (existsMatcher) match(any) bool { return false }

type prefixMatcher struct {
	prefix     string
	ignoreCase bool
}

func (m prefixMatcher) match(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if m.ignoreCase {
		return len(s) >= len(m.prefix) && strings.EqualFold(s[:len(m.prefix)], m.prefix)
	}
	return strings.HasPrefix(s, m.prefix)
}

type suffixMatcher struct {
	suffix     string
	ignoreCase bool
}

func (m suffixMatcher) match(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if m.ignoreCase {
		return len(s) >= len(m.suffix) && strings.EqualFold(s[len(s)-len(m.suffix):], m.suffix)
	}
	return strings.HasSuffix(s, m.suffix)
}

type equalsIgnoreCase string

func (m equalsIgnoreCase) match(v any) bool {
	s, ok := v.(string)
	return ok && strings.EqualFold(s, string(m))
}

// wildcardMatcher: * matches any run of characters; \* is a literal star.
type wildcardMatcher struct{ parts []string }

func (m wildcardMatcher) match(v any) bool {
	s, ok := v.(string)
	return ok && matchParts(m.parts, s)
}

// MatchWildcard reports whether s matches pattern, where * stands for any
// run of characters (no escapes). IAM policies use the same wildcard, so
// the probes' policy checks share it.
func MatchWildcard(pattern, s string) bool {
	return matchParts(strings.Split(pattern, "*"), s)
}

// matchParts matches s against the literal parts between the stars.
func matchParts(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

type cidrMatcher netip.Prefix

func (m cidrMatcher) match(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	addr, err := netip.ParseAddr(s)
	return err == nil && netip.Prefix(m).Contains(addr.Unmap())
}

// numericMatcher holds (operator, bound) pairs that must all hold.
type numericMatcher []numericCondition

type numericCondition struct {
	op    string
	bound float64
}

func (m numericMatcher) match(v any) bool {
	f, ok := number(v)
	if !ok {
		return false
	}
	for _, c := range m {
		var holds bool
		switch c.op {
		case "=":
			holds = f == c.bound
		case "<":
			holds = f < c.bound
		case "<=":
			holds = f <= c.bound
		case ">":
			holds = f > c.bound
		case ">=":
			holds = f >= c.bound
		}
		if !holds {
			return false
		}
	}
	return true
}

// anythingBut accepts a present value that none of its matchers accepts.
type anythingBut []matcher

func (m anythingBut) match(v any) bool {
	if v == nil {
		return false
	}
	for _, inner := range m {
		if inner.match(v) {
			return false
		}
	}
	return true
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func compileMatcher(item any, at string) (matcher, error) {
	switch v := item.(type) {
	case string:
		return exactString(v), nil
	case json.Number:
		f, ok := number(v)
		if !ok {
			return nil, fmt.Errorf("%s: number %s is out of range", at, v)
		}
		return exactNumber(f), nil
	case bool:
		return exactBool(v), nil
	case nil:
		return exactNull{}, nil
	case map[string]any:
		return compileOperator(v, at)
	default:
		return nil, fmt.Errorf("%s: a matcher cannot be %s", at, describe(v))
	}
}

func compileOperator(obj map[string]any, at string) (matcher, error) {
	if len(obj) != 1 {
		return nil, fmt.Errorf("%s: a matcher object must have exactly one operator", at)
	}
	for op, arg := range obj {
		switch op {
		case "prefix", "suffix":
			s, ignoreCase, err := stringOrIgnoreCase(arg, at, op)
			if err != nil {
				return nil, err
			}
			if op == "prefix" {
				return prefixMatcher{s, ignoreCase}, nil
			}
			return suffixMatcher{s, ignoreCase}, nil
		case "equals-ignore-case":
			s, ok := arg.(string)
			if !ok {
				return nil, fmt.Errorf("%s: equals-ignore-case needs a string", at)
			}
			return equalsIgnoreCase(s), nil
		case "wildcard":
			return compileWildcard(arg, at)
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return nil, fmt.Errorf("%s: exists needs true or false", at)
			}
			return existsMatcher(b), nil
		case "numeric":
			return compileNumeric(arg, at)
		case "cidr":
			s, ok := arg.(string)
			if !ok {
				return nil, fmt.Errorf("%s: cidr needs a string", at)
			}
			prefix, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%s: cidr %q: %v", at, s, err)
			}
			return cidrMatcher(prefix.Masked()), nil
		case "anything-but":
			return compileAnythingBut(arg, at)
		default:
			return nil, fmt.Errorf("%s: unknown operator %q", at, op)
		}
	}
	panic("unreachable")
}

func stringOrIgnoreCase(arg any, at, op string) (string, bool, error) {
	switch v := arg.(type) {
	case string:
		return v, false, nil
	case map[string]any:
		if s, ok := v["equals-ignore-case"].(string); ok && len(v) == 1 {
			return s, true, nil
		}
	}
	return "", false, fmt.Errorf("%s: %s needs a string or {\"equals-ignore-case\": string}", at, op)
}

func compileWildcard(arg any, at string) (matcher, error) {
	s, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("%s: wildcard needs a string", at)
	}
	if strings.Contains(s, "**") {
		return nil, fmt.Errorf("%s: wildcard %q has consecutive stars", at, s)
	}
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i++
		case s[i] == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	parts = append(parts, cur.String())
	return wildcardMatcher{parts: parts}, nil
}

func compileNumeric(arg any, at string) (matcher, error) {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 || len(list) > 4 {
		return nil, fmt.Errorf("%s: numeric needs one or two operator-number pairs", at)
	}
	var m numericMatcher
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok {
			return nil, fmt.Errorf("%s: numeric operator must be a string", at)
		}
		switch op {
		case "=", "<", "<=", ">", ">=":
		default:
			return nil, fmt.Errorf("%s: unknown numeric operator %q", at, op)
		}
		bound, ok := number(list[i+1])
		if !ok {
			return nil, fmt.Errorf("%s: numeric %s needs a number", at, op)
		}
		m = append(m, numericCondition{op: op, bound: bound})
	}
	return m, nil
}

func compileAnythingBut(arg any, at string) (matcher, error) {
	switch v := arg.(type) {
	case string, json.Number:
		inner, err := compileMatcher(v, at)
		if err != nil {
			return nil, err
		}
		return anythingBut{inner}, nil
	case []any:
		if len(v) == 0 {
			return nil, fmt.Errorf("%s: anything-but needs at least one value", at)
		}
		var m anythingBut
		for _, item := range v {
			switch item.(type) {
			case string, json.Number:
			default:
				return nil, fmt.Errorf("%s: anything-but lists strings or numbers, not %s", at, describe(item))
			}
			inner, err := compileMatcher(item, at)
			if err != nil {
				return nil, err
			}
			m = append(m, inner)
		}
		return m, nil
	case map[string]any:
		if len(v) != 1 {
			return nil, fmt.Errorf("%s: anything-but takes one operator", at)
		}
		for op, inner := range v {
			switch op {
			case "prefix", "suffix", "wildcard":
				m, err := compileOperator(map[string]any{op: inner}, at)
				if err != nil {
					return nil, err
				}
				return anythingBut{m}, nil
			case "equals-ignore-case":
				values, ok := inner.([]any)
				if !ok {
					values = []any{inner}
				}
				var m anythingBut
				for _, item := range values {
					s, ok := item.(string)
					if !ok {
						return nil, fmt.Errorf("%s: anything-but equals-ignore-case needs strings", at)
					}
					m = append(m, equalsIgnoreCase(s))
				}
				if len(m) == 0 {
					return nil, fmt.Errorf("%s: anything-but equals-ignore-case needs at least one string", at)
				}
				return m, nil
			default:
				return nil, fmt.Errorf("%s: anything-but cannot take %q", at, op)
			}
		}
	}
	return nil, fmt.Errorf("%s: anything-but needs a value, a list, or a prefix/suffix/wildcard/equals-ignore-case object", at)
}
