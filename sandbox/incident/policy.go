package incident

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Resource policies EventBridge needs to deliver: the topic's or queue's
// policy must allow events.amazonaws.com the send action, and a Lambda
// function needs a permission for events.amazonaws.com (with a matching
// source_arn when one is given). Without them AWS counts the invocation as
// failed, and so does the sandbox.

const eventsPrincipal = "events.amazonaws.com"

type statement struct {
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    json.RawMessage `json:"Action"`
	Resource  json.RawMessage `json:"Resource"`
	Condition map[string]map[string]json.RawMessage
}

// strOrList decodes IAM's "x" or ["x", "y"].
func strOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// glob matches IAM wildcards (* and ?), case-insensitively when asked.
func glob(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	ok, _ := regexp.MatchString(re, s)
	return ok
}

func anyGlob(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if glob(p, s, fold) {
			return true
		}
	}
	return false
}

// principalIsEvents: "*", {"AWS": "*"} or {"Service": events.amazonaws.com}.
func principalIsEvents(raw json.RawMessage) bool {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return star == "*"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for _, s := range strOrList(m["Service"]) {
		if s == eventsPrincipal {
			return true
		}
	}
	for _, s := range strOrList(m["AWS"]) {
		if s == "*" {
			return true
		}
	}
	return false
}

// conditionAllows evaluates the aws:SourceArn / aws:SourceAccount keys the
// lab could use; other condition keys do not restrict EventBridge (for SNS,
// AWS documents that conditions don't apply to EventBridge deliveries).
func conditionAllows(cond map[string]map[string]json.RawMessage, ruleARN string) bool {
	for op, keys := range cond {
		for key, raw := range keys {
			var value string
			switch strings.ToLower(key) {
			case "aws:sourcearn":
				value = ruleARN
			case "aws:sourceaccount", "aws:sourceowner":
				value = world.Account
			default:
				continue
			}
			like := strings.Contains(strings.ToLower(op), "like")
			if !anyGlobOrEqual(strOrList(raw), value, like) {
				return false
			}
		}
	}
	return true
}

func anyGlobOrEqual(patterns []string, s string, like bool) bool {
	for _, p := range patterns {
		if (like && glob(p, s, false)) || p == s {
			return true
		}
	}
	return false
}

// policyAllowsEvents reports whether a resource policy lets EventBridge
// perform action on resourceARN for the rule.
func policyAllowsEvents(policy, action, resourceARN, ruleARN string) bool {
	var doc struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	var stmts []statement
	if json.Unmarshal(doc.Statement, &stmts) != nil {
		var one statement
		if json.Unmarshal(doc.Statement, &one) != nil {
			return false
		}
		stmts = []statement{one}
	}
	allowed := false
	for _, s := range stmts {
		if !principalIsEvents(s.Principal) || !anyGlob(strOrList(s.Action), action, true) {
			continue
		}
		if res := strOrList(s.Resource); len(res) > 0 && !anyGlob(res, resourceARN, false) {
			continue
		}
		if !conditionAllows(s.Condition, ruleARN) {
			continue
		}
		switch s.Effect {
		case "Deny":
			return false
		case "Allow":
			allowed = true
		}
	}
	return allowed
}

// lambdaPermits reports whether a function's permissions let the rule
// invoke it.
func lambdaPermits(s *world.State, fn *world.Resource, ruleARN string) bool {
	for _, p := range s.PermissionsOf(fn) {
		a := p.Attrs
		if world.Str(a, "principal") != eventsPrincipal {
			continue
		}
		if act := world.Str(a, "action"); !glob(act, "lambda:InvokeFunction", true) {
			continue
		}
		if q := world.Str(a, "qualifier"); q != "" && q != "$LATEST" {
			continue
		}
		if src := world.Str(a, "source_arn"); src != "" && !glob(src, ruleARN, false) {
			continue
		}
		if acct := world.Str(a, "source_account"); acct != "" && acct != world.Account {
			continue
		}
		return true
	}
	return false
}
