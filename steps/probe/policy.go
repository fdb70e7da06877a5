package probe

import (
	"encoding/json"
	"strings"

	"github.com/gdlab-dev/gdlab/internal/eventpattern"
)

// policyDocument is the part of an IAM-style resource policy the checks
// read. Fields that may be a string or a list are stringOrList.
type policyDocument struct {
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Principal policyPrincipal           `json:"Principal"`
	Action    stringOrList              `json:"Action"`
	Resource  stringOrList              `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition"`
}

// policyPrincipal is either "*" or {"Service": …, "AWS": …}.
type policyPrincipal struct {
	Any     bool
	Service stringOrList
	AWS     stringOrList
}

func (p *policyPrincipal) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		p.Any = s == "*"
		return nil
	}
	var m struct {
		Service stringOrList `json:"Service"`
		AWS     stringOrList `json:"AWS"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	p.Service, p.AWS = m.Service, m.AWS
	return nil
}

type stringOrList []string

func (s *stringOrList) UnmarshalJSON(data []byte) error {
	var one string
	if json.Unmarshal(data, &one) == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

func parsePolicy(text string) (policyDocument, error) {
	var doc policyDocument
	err := json.Unmarshal([]byte(text), &doc)
	return doc, err
}

// allowsService returns the first Allow statement that lets service call
// action on resource, nil if none does.
func (d policyDocument) allowsService(service, action, resource string) *policyStatement {
	for i, st := range d.Statement {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		if !st.Principal.Any && !containsFold(st.Principal.Service, service) {
			continue
		}
		if !matchesAny(st.Action, action) || !matchesAny(st.Resource, resource) {
			continue
		}
		return &d.Statement[i]
	}
	return nil
}

func containsFold(list []string, want string) bool {
	for _, s := range list {
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}

// matchesAny reports whether value matches one of the IAM patterns, where
// * stands for any run of characters (IAM's wildcard; ? is rare enough to
// ignore here).
func matchesAny(patterns []string, value string) bool {
	for _, p := range patterns {
		if eventpattern.MatchWildcard(strings.ToLower(p), strings.ToLower(value)) {
			return true
		}
	}
	return false
}
