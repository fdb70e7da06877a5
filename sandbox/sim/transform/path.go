// Package transform models what EventBridge does between a matching rule and
// its targets: the input transformer (input_paths and input_template, with
// the predefined variables and EventBridge's unescaped insertion), the
// constant Input and InputPath modes, and routing an event to every target
// of every enabled rule whose pattern matches (patterns are evaluated by
// steps/probe/eventpattern).
//
// Differences from AWS: paths support dot names and array indexes, not
// wildcards; a variable whose path is missing from the event is replaced by
// nothing, as the user guide says ("that variable isn't created and won't
// appear in the output"); JSON output is minified, other output is passed
// as it is; delivery itself (SNS, Lambda, SQS) is the caller's.
package transform

import (
	"fmt"
	"strconv"
	"strings"
)

// Path is a parsed input path such as $.detail.resource.instanceDetails.instanceId
// or $.detail.networkInterfaces[0].publicIp.
type Path struct {
	text  string
	steps []step
}

// step is an object key, or an array index when key is empty and isIndex.
type step struct {
	key     string
	index   int
	isIndex bool
}

// ParsePath parses a JSON path of the subset EventBridge documents: "$",
// dot-separated names (letters, digits, '-', '_', '/', ':', '@' and the like)
// and [n] array indexes.
func ParsePath(text string) (Path, error) {
	rest, ok := strings.CutPrefix(text, "$")
	if !ok {
		return Path{}, fmt.Errorf("input path %q must start with $", text)
	}
	p := Path{text: text}
	for rest != "" {
		switch rest[0] {
		case '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			key := rest[1 : 1+end]
			if key == "" || strings.ContainsAny(key, "]*\"' \t\n") {
				return Path{}, fmt.Errorf("input path %q: bad name %q", text, key)
			}
			p.steps = append(p.steps, step{key: key})
			rest = rest[1+end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return Path{}, fmt.Errorf("input path %q: unclosed [", text)
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 || rest[1] == '+' {
				return Path{}, fmt.Errorf("input path %q: %q is not an array index", text, rest[1:end])
			}
			p.steps = append(p.steps, step{index: n, isIndex: true})
			rest = rest[end+1:]
		default:
			return Path{}, fmt.Errorf("input path %q: unexpected %q", text, rest[:1])
		}
	}
	return p, nil
}

// String is the path as written.
func (p Path) String() string { return p.text }

// Lookup finds the value at the path in a decoded event; ok is false when
// the event has no such value.
func (p Path) Lookup(event any) (value any, ok bool) {
	v := event
	for _, s := range p.steps {
		if s.isIndex {
			arr, isArr := v.([]any)
			if !isArr || s.index >= len(arr) {
				return nil, false
			}
			v = arr[s.index]
			continue
		}
		obj, isObj := v.(map[string]any)
		if !isObj {
			return nil, false
		}
		if v, ok = obj[s.key]; !ok {
			return nil, false
		}
	}
	return v, true
}
