package endpoint

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gdlab-dev/gdlab/internal/eventpattern"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// EventBridge speaks JSON 1.1 (X-Amz-Target AWSEvents.*). Patterns are
// matched by steps/probe/eventpattern, the same matcher the probes trust.

type eventsInput struct {
	Name         string `json:"Name"`
	NamePrefix   string `json:"NamePrefix"`
	EventBusName string `json:"EventBusName"`
	Rule         string `json:"Rule"`
	NextToken    string `json:"NextToken"`
	Limit        *int   `json:"Limit"`
	EventPattern string `json:"EventPattern"`
	Event        string `json:"Event"`
}

func eventsNotFound(rule, bus string) *world.Error {
	return apiError(http.StatusBadRequest, "ResourceNotFoundException", "Rule %s does not exist on EventBus %s.", rule, bus)
}

func serveEvents(c *call) {
	c.service = "events"
	var in eventsInput
	if !c.decodeJSONBody(&in) {
		return
	}
	bus := in.EventBusName
	if i := strings.LastIndex(bus, ":event-bus/"); i >= 0 {
		bus = bus[i+len(":event-bus/"):]
	}
	if bus == "" {
		bus = "default"
	}
	switch c.op {
	case "ListRules":
		offset, max, ok := c.jsonPage(in.NextToken, in.Limit, 100)
		if !ok {
			return
		}
		rules := []map[string]any{}
		c.world.View(func(s *world.State) {
			for _, r := range s.List("aws_cloudwatch_event_rule") {
				if world.Str(r.Attrs, "event_bus_name") == bus && strings.HasPrefix(world.Str(r.Attrs, "name"), in.NamePrefix) {
					rules = append(rules, ruleJSON(r, false))
				}
			}
		})
		start, end, next := page(len(rules), offset, max)
		out := map[string]any{"Rules": rules[start:end]}
		if next != "" {
			out["NextToken"] = next
		}
		writeJSON(c, http.StatusOK, out)
	case "DescribeRule":
		if in.Name == "" {
			c.fail(validation("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"))
			return
		}
		var out map[string]any
		c.world.View(func(s *world.State) {
			if r := s.Find("aws_cloudwatch_event_rule", world.RuleID(bus, in.Name)); r != nil {
				out = ruleJSON(r, true)
			}
		})
		if out == nil {
			c.fail(eventsNotFound(in.Name, bus))
			return
		}
		writeJSON(c, http.StatusOK, out)
	case "ListTargetsByRule":
		listTargetsByRule(c, in, bus)
	case "TestEventPattern":
		testEventPattern(c, in)
	default:
		c.fail(unknownOperation(c.op))
	}
}

func ruleJSON(r *world.Resource, describe bool) map[string]any {
	a := r.Attrs
	out := map[string]any{"Name": world.Str(a, "name"), "Arn": world.Str(a, "arn"), "State": world.Str(a, "state"),
		"EventBusName": world.Str(a, "event_bus_name")}
	for k, attr := range map[string]string{"EventPattern": "event_pattern", "ScheduleExpression": "schedule_expression",
		"Description": "description", "RoleArn": "role_arn"} {
		if v := world.Str(a, attr); v != "" {
			out[k] = v
		}
	}
	if describe {
		out["CreatedBy"] = world.Account
	}
	return out
}

func listTargetsByRule(c *call, in eventsInput, bus string) {
	if in.Rule == "" {
		c.fail(validation("1 validation error detected: Value null at 'rule' failed to satisfy constraint: Member must not be null"))
		return
	}
	offset, max, ok := c.jsonPage(in.NextToken, in.Limit, 100)
	if !ok {
		return
	}
	var targets []map[string]any
	found := false
	c.world.View(func(s *world.State) {
		rule := s.Find("aws_cloudwatch_event_rule", world.RuleID(bus, in.Rule))
		if rule == nil {
			return
		}
		found = true
		for _, t := range s.TargetsOfRule(rule) {
			targets = append(targets, targetJSON(t))
		}
	})
	if !found {
		c.fail(eventsNotFound(in.Rule, bus))
		return
	}
	if targets == nil {
		targets = []map[string]any{}
	}
	start, end, next := page(len(targets), offset, max)
	out := map[string]any{"Targets": targets[start:end]}
	if next != "" {
		out["NextToken"] = next
	}
	writeJSON(c, http.StatusOK, out)
}

func targetJSON(t *world.Resource) map[string]any {
	a := t.Attrs
	out := map[string]any{"Id": world.Str(a, "target_id"), "Arn": world.Str(a, "arn")}
	for k, attr := range map[string]string{"Input": "input", "InputPath": "input_path", "RoleArn": "role_arn"} {
		if v := world.Str(a, attr); v != "" {
			out[k] = v
		}
	}
	if it := world.Block(a, "input_transformer"); it != nil {
		tr := map[string]any{"InputTemplate": world.Str(it, "input_template")}
		if paths := world.StrMap(it, "input_paths"); len(paths) > 0 {
			tr["InputPathsMap"] = paths
		}
		out["InputTransformer"] = tr
	}
	if rp := world.Block(a, "retry_policy"); rp != nil {
		out["RetryPolicy"] = map[string]any{"MaximumEventAgeInSeconds": world.Num(rp, "maximum_event_age_in_seconds", 86400),
			"MaximumRetryAttempts": world.Num(rp, "maximum_retry_attempts", 185)}
	}
	if dl := world.Block(a, "dead_letter_config"); dl != nil && world.Str(dl, "arn") != "" {
		out["DeadLetterConfig"] = map[string]any{"Arn": world.Str(dl, "arn")}
	}
	return out
}

// testEventPattern answers as EventBridge does: the event must be a full
// event (id, account, source, time, region, detail-type) and the pattern valid.
func testEventPattern(c *call, in eventsInput) {
	pattern, err := eventpattern.Compile([]byte(in.EventPattern))
	if err != nil {
		c.fail(apiError(http.StatusBadRequest, "InvalidEventPatternException", "Event pattern is not valid. Reason: %v", err))
		return
	}
	var event map[string]any
	if err := json.Unmarshal([]byte(in.Event), &event); err != nil {
		c.fail(validation("Parameter Event is not valid. Reason: the event is not valid JSON."))
		return
	}
	for _, field := range []string{"id", "account", "source", "time", "region", "detail-type"} {
		if _, ok := event[field]; !ok {
			c.fail(validation("Parameter Event is not valid. Reason: Provided Event is missing required field %s.", field))
			return
		}
	}
	match, err := pattern.Match([]byte(in.Event))
	if err != nil {
		c.fail(validation("Parameter Event is not valid. Reason: %v", err))
		return
	}
	writeJSON(c, http.StatusOK, map[string]any{"Result": match})
}
