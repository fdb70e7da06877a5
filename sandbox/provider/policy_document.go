package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// aws_iam_policy_document is a pure function in the real provider too: it renders statements
// to IAM JSON. Rendered the same way here, so the policy text the world stores (and a learner
// reads) is what real AWS would get: one-element lists become strings, other lists of actions,
// resources and principals are sorted in reverse, condition values keep their order.

func init() {
	principals := func(name string) block {
		return setBlock(name, str("type").req(), strSet("identifiers").req())
	}
	addDataSources(dataSpec{typeName: "aws_iam_policy_document", what: "IAM Policy Document", objectSpec: objectSpec{
		attrs: []attr{
			str("version").def("2012-10-17").values("2008-10-17", "2012-10-17"),
			str("policy_id").opt(),
			strList("source_policy_documents").opt(),
			strList("override_policy_documents").opt(),
			str("json").comp(),
			str("minified_json").comp(),
		},
		blocks: []block{listBlock("statement", 0,
			str("sid").opt(),
			str("effect").def("Allow").values("Allow", "Deny"),
			strSet("actions").opt(),
			strSet("not_actions").opt(),
			strSet("resources").opt(),
			strSet("not_resources").opt(),
		).with(
			principals("principals"),
			principals("not_principals"),
			setBlock("condition", str("test").req(), str("variable").req(), strList("values").req()),
		)},
	}, local: renderPolicyDocument, validate: validatePolicyDocument})
}

var sidPattern = regexp.MustCompile(`^[a-zA-Z0-9]*$`)

func validatePolicyDocument(c configView) []string {
	var problems []string
	for _, st := range c.blocks("statement") {
		if sid, ok := st["sid"].(string); ok && !sidPattern.MatchString(sid) {
			problems = append(problems, fmt.Sprintf("invalid value for sid (must only include alphanumeric characters): %q", sid))
		}
	}
	return problems
}

// policyDoc and policyStatement fix the JSON key order of the rendered document.
type policyDoc struct {
	Version    string             `json:",omitempty"`
	Id         string             `json:",omitempty"`
	Statements []*policyStatement `json:"Statement,omitempty"`
}

type policyStatement struct {
	Sid           string          `json:",omitempty"`
	Effect        string          `json:",omitempty"`
	Actions       any             `json:"Action,omitempty"`
	NotActions    any             `json:"NotAction,omitempty"`
	Resources     any             `json:"Resource,omitempty"`
	NotResources  any             `json:"NotResource,omitempty"`
	Principals    json.RawMessage `json:"Principal,omitempty"`
	NotPrincipals json.RawMessage `json:"NotPrincipal,omitempty"`
	Conditions    json.RawMessage `json:"Condition,omitempty"`
}

func renderPolicyDocument(_ context.Context, _ *providerData, args map[string]any) (map[string]any, error) {
	doc := &policyDoc{}
	for i, src := range stringItems(args["source_policy_documents"]) {
		var part policyDoc
		if err := json.Unmarshal([]byte(src), &part); err != nil {
			return nil, fmt.Errorf("writing IAM Policy Document: merging source document %d: %w", i, err)
		}
		doc.merge(&part)
	}
	own := &policyDoc{}
	own.Version, _ = args["version"].(string)
	own.Id, _ = args["policy_id"].(string)
	seen := map[string]bool{}
	for _, st := range blockItems(args["statement"]) {
		s, err := renderStatement(st, own.Version)
		if err != nil {
			return nil, err
		}
		if s.Sid != "" {
			if seen[s.Sid] {
				return nil, fmt.Errorf("writing IAM Policy Document: duplicate Sid (%s). Remove the Sid or ensure the Sid is unique.", s.Sid)
			}
			seen[s.Sid] = true
		}
		own.Statements = append(own.Statements, s)
	}
	doc.merge(own)
	for i, src := range stringItems(args["override_policy_documents"]) {
		var part policyDoc
		if err := json.Unmarshal([]byte(src), &part); err != nil {
			return nil, fmt.Errorf("writing IAM Policy Document: merging override document %d: %w", i, err)
		}
		doc.merge(&part)
	}
	pretty, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	minified, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"json":          string(pretty),
		"minified_json": string(minified),
		"id":            strconv.FormatUint(uint64(crc32.ChecksumIEEE(pretty)), 10),
	}, nil
}

// merge adds other's statements, a statement with the Sid of an existing one replacing it.
func (d *policyDoc) merge(other *policyDoc) {
	if other.Id != "" {
		d.Id = other.Id
	}
	if other.Version > d.Version {
		d.Version = other.Version
	}
	for _, s := range other.Statements {
		replaced := false
		if s.Sid != "" {
			for i, old := range d.Statements {
				if old.Sid == s.Sid {
					d.Statements[i], replaced = s, true
					break
				}
			}
		}
		if !replaced {
			d.Statements = append(d.Statements, s)
		}
	}
}

func renderStatement(st map[string]any, version string) (*policyStatement, error) {
	s := &policyStatement{}
	s.Sid, _ = st["sid"].(string)
	s.Effect, _ = st["effect"].(string)
	if s.Effect == "" {
		s.Effect = "Allow"
	}
	s.Actions = oneOrReverseSorted(stringItems(st["actions"]))
	s.NotActions = oneOrReverseSorted(stringItems(st["not_actions"]))
	var err error
	if s.Resources, err = policyVariables(oneOrReverseSorted(stringItems(st["resources"])), version); err != nil {
		return nil, err
	}
	if s.NotResources, err = policyVariables(oneOrReverseSorted(stringItems(st["not_resources"])), version); err != nil {
		return nil, err
	}
	if s.Principals, err = renderPrincipals(blockItems(st["principals"])); err != nil {
		return nil, err
	}
	if s.NotPrincipals, err = renderPrincipals(blockItems(st["not_principals"])); err != nil {
		return nil, err
	}
	if s.Conditions, err = renderConditions(blockItems(st["condition"]), version); err != nil {
		return nil, err
	}
	return s, nil
}

// oneOrReverseSorted: nil for none, the string for one, the list sorted in reverse otherwise.
func oneOrReverseSorted(items []string) any {
	switch len(items) {
	case 0:
		return nil
	case 1:
		return items[0]
	}
	out := slices.Clone(items)
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// policyVariables turns the &{aws:username} spelling (which HCL leaves alone) into IAM's
// ${aws:username}, which version 2008-10-17 does not know.
func policyVariables(v any, version string) (any, error) {
	conv := func(s string) (string, error) {
		if version == "2008-10-17" && strings.Contains(s, "&{") {
			return "", fmt.Errorf("found &{ sequence in (%s), which is not supported in document version 2008-10-17", s)
		}
		return strings.ReplaceAll(s, "&{", "${"), nil
	}
	switch x := v.(type) {
	case string:
		return conv(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			var err error
			if out[i], err = conv(s); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// renderPrincipals: {"Type": id-or-ids}; a lone {"*": ["*"]} is just "*".
func renderPrincipals(items []map[string]any) (json.RawMessage, error) {
	if len(items) == 0 {
		return nil, nil
	}
	if len(items) == 1 {
		ids := stringItems(items[0]["identifiers"])
		if t, _ := items[0]["type"].(string); t == "*" && len(ids) == 1 && ids[0] == "*" {
			return json.RawMessage(`"*"`), nil
		}
	}
	out := map[string]any{}
	for _, p := range items {
		t, _ := p["type"].(string)
		ids := oneOrReverseSorted(stringItems(p["identifiers"]))
		switch prev := out[t].(type) {
		case nil:
			out[t] = ids
		case string:
			out[t] = append([]string{prev}, asStrings(ids)...)
		case []string:
			out[t] = append(prev, asStrings(ids)...)
		}
	}
	return json.Marshal(out)
}

// renderConditions: {"Test": {"Variable": value-or-values}}, values in the order given.
func renderConditions(items []map[string]any, version string) (json.RawMessage, error) {
	if len(items) == 0 {
		return nil, nil
	}
	grouped := map[string]map[string][]string{}
	for _, c := range items {
		test, _ := c["test"].(string)
		variable, _ := c["variable"].(string)
		if grouped[test] == nil {
			grouped[test] = map[string][]string{}
		}
		for _, v := range stringItems(c["values"]) {
			conv, err := policyVariables(v, version)
			if err != nil {
				return nil, err
			}
			grouped[test][variable] = append(grouped[test][variable], conv.(string))
		}
	}
	out := map[string]map[string]any{}
	for test, vars := range grouped {
		out[test] = map[string]any{}
		for variable, values := range vars {
			if len(values) == 1 {
				out[test][variable] = values[0]
			} else {
				out[test][variable] = values
			}
		}
	}
	return json.Marshal(out)
}

func asStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}
