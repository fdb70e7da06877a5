package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gdlab-dev/gdlab/internal/eventpattern"
)

// Rule is an EventBridge rule with its targets.
type Rule struct {
	Name         string
	ARN          string
	EventPattern string
	State        string // ENABLED (default), DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
	Targets      []Target
}

// Target is one target of a rule; at most one of Input, InputPath and
// Transformer is set (none: the whole event).
type Target struct {
	ID          string
	ARN         string
	Input       string
	InputPath   string
	Transformer *Transformer
}

// Delivery is one payload for one target.
type Delivery struct {
	RuleName  string
	RuleARN   string
	TargetID  string
	TargetARN string
	Payload   string
}

// Route matches an event (JSON) against every enabled rule and builds the
// input of each target of the rules that match, in rule then target order.
// A rule or target that cannot be evaluated is skipped and reported in the
// error; the other deliveries still happen, as in EventBridge.
func Route(rules []Rule, event []byte, ingestion time.Time) ([]Delivery, error) {
	var out []Delivery
	var errs []error
	for _, r := range rules {
		if r.State == "DISABLED" {
			continue
		}
		p, err := eventpattern.Compile([]byte(r.EventPattern))
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %s: %w", r.Name, err))
			continue
		}
		ok, err := p.Match(event)
		if err != nil {
			return nil, err // the event itself is bad: no rule can match it
		}
		if !ok {
			continue
		}
		ctx := Context{RuleName: r.Name, RuleARN: r.ARN, IngestionTime: ingestion}
		for _, t := range r.Targets {
			payload, err := t.input(event, ctx)
			if err != nil {
				errs = append(errs, fmt.Errorf("rule %s target %s: %w", r.Name, t.ID, err))
				continue
			}
			out = append(out, Delivery{RuleName: r.Name, RuleARN: r.ARN, TargetID: t.ID, TargetARN: t.ARN, Payload: payload})
		}
	}
	return out, errors.Join(errs...)
}

func (t Target) input(event []byte, ctx Context) (string, error) {
	switch {
	case t.Transformer != nil:
		c, err := t.Transformer.Compile()
		if err != nil {
			return "", err
		}
		return c.Apply(event, ctx)
	case t.Input != "":
		return t.Input, nil
	case t.InputPath != "":
		p, err := ParsePath(t.InputPath)
		if err != nil {
			return "", err
		}
		decoded, err := decode(event)
		if err != nil {
			return "", err
		}
		v, ok := p.Lookup(decoded)
		if !ok {
			return "null", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	default:
		return compactJSON(event), nil
	}
}
