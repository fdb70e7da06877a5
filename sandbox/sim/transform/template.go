package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Predefined variables of every input template.
const (
	VarRuleName      = "aws.events.rule-name"
	VarRuleARN       = "aws.events.rule-arn"
	VarIngestionTime = "aws.events.event.ingestion-time"
	VarEvent         = "aws.events.event"      // the event without its detail
	VarEventJSON     = "aws.events.event.json" // the whole event
)

// MaxInputPaths is EventBridge's limit of variables per transformer.
const MaxInputPaths = 100

// Transformer is an input_transformer block.
type Transformer struct {
	InputPaths    map[string]string
	InputTemplate string
}

// Context is what the predefined variables refer to.
type Context struct {
	RuleName      string
	RuleARN       string
	IngestionTime time.Time
}

// Compiled is a validated transformer ready to apply.
type Compiled struct {
	paths    map[string]Path
	template string
}

var variableName = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)

// Compile validates a transformer as PutTargets would: at most 100
// variables, names not reserved and not starting with "AWS", paths parseable.
func (t Transformer) Compile() (*Compiled, error) {
	if len(t.InputPaths) > MaxInputPaths {
		return nil, fmt.Errorf("input_paths has %d variables; at most %d are allowed", len(t.InputPaths), MaxInputPaths)
	}
	if t.InputTemplate == "" {
		return nil, errors.New("input_template is required")
	}
	c := &Compiled{paths: map[string]Path{}, template: t.InputTemplate}
	for name, text := range t.InputPaths {
		switch {
		case !variableName.MatchString(name):
			return nil, fmt.Errorf("input path variable %q: use letters, digits, '.', '-' and '_'", name)
		case strings.HasPrefix(strings.ToUpper(name), "AWS"):
			return nil, fmt.Errorf("input path variable %q: names starting with AWS are reserved", name)
		}
		p, err := ParsePath(text)
		if err != nil {
			return nil, err
		}
		c.paths[name] = p
	}
	return c, nil
}

// Apply transforms an event (JSON) into the target's input.
func (c *Compiled) Apply(event []byte, ctx Context) (string, error) {
	decoded, err := decode(event)
	if err != nil {
		return "", fmt.Errorf("event is not valid JSON: %w", err)
	}
	values := map[string]insert{}
	for name, p := range c.paths {
		if v, ok := p.Lookup(decoded); ok {
			values[name] = valueInsert(v)
		}
	}
	values[VarRuleName] = stringInsert(ctx.RuleName)
	values[VarRuleARN] = stringInsert(ctx.RuleARN)
	values[VarIngestionTime] = stringInsert(ctx.IngestionTime.UTC().Format("2006-01-02T15:04:05Z"))
	values[VarEventJSON] = jsonInsert(compactJSON(event))
	if obj, ok := decoded.(map[string]any); ok {
		without := make(map[string]any, len(obj))
		for k, v := range obj {
			if k != "detail" {
				without[k] = v
			}
		}
		values[VarEvent] = valueInsert(without)
	}
	known := func(name string) bool {
		if _, ok := c.paths[name]; ok {
			return true
		}
		_, ok := values[name]
		return ok
	}
	return substitute(c.template, known, values), nil
}

// insert is a variable's value: raw text for inside a quoted template
// string, and the text to use where a JSON value is expected.
type insert struct{ inString, asValue string }

func stringInsert(s string) insert { return insert{s, `"` + s + `"`} }
func jsonInsert(j string) insert   { return insert{j, j} }

// valueInsert renders an event value. Strings go in unescaped, as
// EventBridge does; everything else as its JSON text.
func valueInsert(v any) insert {
	if s, ok := v.(string); ok {
		return stringInsert(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return jsonInsert("null")
	}
	return jsonInsert(string(b))
}

// substitute replaces <name> placeholders, tracking whether each sits inside
// a JSON string literal of the template. Unknown names stay as written; a
// known name without a value (missing path) is dropped.
func substitute(template string, known func(string) bool, values map[string]insert) string {
	var out strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(template); i++ {
		ch := template[i]
		if ch == '<' {
			if end := strings.IndexByte(template[i+1:], '>'); end > 0 {
				name := template[i+1 : i+1+end]
				if known(name) {
					if v, ok := values[name]; ok {
						if inString {
							out.WriteString(v.inString)
						} else {
							out.WriteString(v.asValue)
						}
					}
					i += end + 1
					escaped = false
					continue
				}
			}
		}
		out.WriteByte(ch)
		switch {
		case escaped:
			escaped = false
		case inString && ch == '\\':
			escaped = true
		case ch == '"':
			inString = !inString
		}
	}
	return minifyIfJSON(out.String())
}

// minifyIfJSON compacts output that is a JSON object or array: the user
// guide says the JSON passed to targets is minified.
func minifyIfJSON(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return s
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(t)); err != nil {
		return s
	}
	return b.String()
}

func compactJSON(data []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		return string(data)
	}
	return b.String()
}

// decode reads JSON keeping numbers as written (5 stays 5, not 5.0).
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// Variables lists the template's placeholders in order of first use (for
// diagnostics such as "template uses <x>, which input_paths lacks").
func Variables(template string) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(template, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	return names
}

var placeholder = regexp.MustCompile(`<([A-Za-z0-9_.\-]+)>`)
