package incident

import (
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/sim/transform"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// EventBridge: a finding becomes a "GuardDuty Finding" event on the default
// bus, matched against the world's rules; each matching target gets a
// delivery, recorded in the world before it is made.

// busRules are the default bus's rules with their targets, as transform
// evaluates them.
func busRules(s *world.State) []transform.Rule {
	var out []transform.Rule
	for _, r := range s.List("aws_cloudwatch_event_rule") {
		if bus := world.Str(r.Attrs, "event_bus_name"); bus != "" && bus != "default" {
			continue
		}
		if world.Str(r.Attrs, "event_pattern") == "" {
			continue // a schedule rule never matches events
		}
		rule := transform.Rule{Name: world.Str(r.Attrs, "name"), ARN: world.Str(r.Attrs, "arn"),
			EventPattern: world.Str(r.Attrs, "event_pattern"), State: world.Str(r.Attrs, "state")}
		for _, t := range s.TargetsOfRule(r) {
			target := transform.Target{ID: world.Str(t.Attrs, "target_id"), ARN: world.Str(t.Attrs, "arn"),
				Input: world.Str(t.Attrs, "input"), InputPath: world.Str(t.Attrs, "input_path")}
			if it := world.Block(t.Attrs, "input_transformer"); it != nil {
				target.Transformer = &transform.Transformer{InputPaths: world.StrMap(it, "input_paths"),
					InputTemplate: world.Str(it, "input_template")}
			}
			rule.Targets = append(rule.Targets, target)
		}
		out = append(out, rule)
	}
	return out
}

// publishFinding puts a finding's event on the bus and queues its deliveries.
func (e *Engine) publishFinding(tx *world.Tx, st *state, detail map[string]any) error {
	eventID, err := finding.NewEventID(nil)
	if err != nil {
		return err
	}
	event, err := finding.Event(tx.Account, tx.Region, eventID, tx.Now, detail)
	if err != nil {
		return err
	}
	findingID, _ := detail["id"].(string)
	deliveries, err := transform.Route(busRules(tx.State), event, tx.Now)
	if err != nil {
		// The other targets still get theirs, as in EventBridge.
		e.log.Warn("sandbox EventBridge: a rule or target could not be evaluated", "error", err)
	}
	at := tx.Now
	tx.After(func() { e.markAt("finding published to EventBridge", findingID, at) })
	for _, d := range deliveries {
		kind := targetKind(d.TargetARN)
		if kind == "" {
			e.log.Warn("sandbox EventBridge: target type not simulated", "target", d.TargetARN)
			continue
		}
		st.Deliveries = append(st.Deliveries, &delivery{ID: world.NewUUID(), Kind: kind, RuleName: d.RuleName,
			RuleARN: d.RuleARN, TargetID: d.TargetID, TargetARN: d.TargetARN, Payload: d.Payload,
			FindingID: findingID, Queued: tx.Now})
		rule := d.RuleName
		tx.After(func() { e.markAt("rule matched", rule, at) })
	}
	return nil
}

func targetKind(arn string) string {
	switch {
	case strings.HasPrefix(arn, "arn:aws:sns:"):
		return "sns"
	case strings.HasPrefix(arn, "arn:aws:sqs:"):
		return "sqs"
	case strings.HasPrefix(arn, "arn:aws:lambda:"):
		return "lambda"
	}
	return ""
}

// onFindingsCreated routes findings made outside the engine (sample
// findings) like simulated ones.
func (e *Engine) onFindingsCreated(w *world.World, fs []*world.Finding) {
	err := w.Update(func(tx *world.Tx) error {
		st := loadState(tx.State)
		for _, f := range fs {
			if err := e.publishFinding(tx, st, f.Detail); err != nil {
				return err
			}
		}
		return saveState(tx, st)
	})
	if err != nil {
		e.log.Warn("sandbox EventBridge: routing new findings", "error", err)
	}
	e.nudge()
}
