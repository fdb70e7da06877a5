package incident

import (
	"errors"
	"fmt"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// simulate advances the traffic and GuardDuty to the current simulated time.
// It looks first (View) and changes the world (Update, which persists it) only
// when something is due, so an idle sandbox does not rewrite its world.
func (e *Engine) simulate() error {
	now := e.w.Now()
	due := false
	e.w.View(func(s *world.State) {
		st := loadState(s)
		due = e.trafficDue(s, st, now) || guardDutyDue(s, st, now)
	})
	if !due {
		return nil
	}
	return e.w.Update(func(tx *world.Tx) error {
		st := loadState(tx.State)
		seen := e.advanceTraffic(tx, st)
		if err := e.advanceGuardDuty(tx, st, seen); err != nil {
			return err
		}
		return saveState(tx, st)
	})
}

// startDeliveries makes every recorded delivery this process is not making
// already, each in its own goroutine (Lambda invocations take a while).
func (e *Engine) startDeliveries() {
	var todo []delivery
	e.w.View(func(s *world.State) {
		for _, d := range loadState(s).Deliveries {
			todo = append(todo, *d)
		}
	})
	for _, d := range todo {
		e.mu.Lock()
		busy := e.inflight[d.ID] || e.closed
		if !busy {
			e.inflight[d.ID] = true
			e.wg.Add(1)
		}
		e.mu.Unlock()
		if busy {
			continue
		}
		go func() {
			defer e.wg.Done()
			err := e.deliver(d)
			if e.ctx.Err() != nil {
				// Stopped mid-way: the next engine makes it again.
				return
			}
			if err != nil {
				// EventBridge counts a FailedInvocation and moves on.
				e.log.Warn("sandbox EventBridge: delivery failed", "rule", d.RuleName, "target", d.TargetARN, "error", err)
				e.mark("delivery failed", d.TargetID+": "+err.Error())
			} else {
				e.mark("delivered to target", d.TargetID)
			}
			if err := e.finish(d.ID); err != nil {
				e.log.Warn("sandbox EventBridge: recording a delivery", "error", err)
			}
			e.nudge()
		}()
	}
}

// finish removes a made delivery from the world.
func (e *Engine) finish(id string) error {
	err := e.w.Update(func(tx *world.Tx) error {
		st := loadState(tx.State)
		kept := st.Deliveries[:0]
		for _, d := range st.Deliveries {
			if d.ID != id {
				kept = append(kept, d)
			}
		}
		st.Deliveries = kept
		return saveState(tx, st)
	})
	e.mu.Lock()
	delete(e.inflight, id)
	e.mu.Unlock()
	return err
}

var errNotAllowed = errors.New("the target's resource policy does not allow events.amazonaws.com")

func (e *Engine) deliver(d delivery) error {
	switch d.Kind {
	case "sns":
		return e.deliverSNS(d)
	case "sqs":
		return e.deliverSQS(d)
	case "lambda":
		return e.invokeLambda(d)
	}
	return fmt.Errorf("unknown target kind %q", d.Kind)
}

func (e *Engine) deliverSNS(d delivery) error {
	allowed, exists := false, false
	e.w.View(func(s *world.State) {
		if topic := s.Find("aws_sns_topic", d.TargetARN); topic != nil {
			exists = true
			allowed = policyAllowsEvents(world.Str(topic.Attrs, "policy"), "sns:Publish", topic.ID, d.RuleARN)
		}
	})
	switch {
	case !exists:
		return fmt.Errorf("topic %s does not exist", d.TargetARN)
	case !allowed:
		return errNotAllowed
	}
	_, err := e.w.Publish(d.TargetARN, "", d.Payload, nil)
	return err
}

func (e *Engine) deliverSQS(d delivery) error {
	var url string
	allowed := false
	e.w.View(func(s *world.State) {
		if q := s.FindBy("aws_sqs_queue", "arn", d.TargetARN); q != nil {
			url = q.ID
			allowed = policyAllowsEvents(world.Str(q.Attrs, "policy"), "sqs:SendMessage", d.TargetARN, d.RuleARN)
		}
	})
	switch {
	case url == "":
		return fmt.Errorf("queue %s does not exist", d.TargetARN)
	case !allowed:
		return errNotAllowed
	}
	_, err := e.w.SendMessage(url, d.Payload, nil)
	return err
}
