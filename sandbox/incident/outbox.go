package incident

import (
	"strings"

	"github.com/gdlab-dev/gdlab/sandbox/sim/snsmail"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// The world records every email SNS sends (world.Mail); the engine renders
// the ones not yet written into the lab's mbox outbox, once each.

func (e *Engine) flushOutbox() error {
	pending := false
	e.w.View(func(s *world.State) {
		for _, m := range s.Mail {
			if !m.Outboxed {
				pending = true
				return
			}
		}
	})
	if !pending {
		return nil
	}
	var kinds []string
	err := e.w.Update(func(tx *world.Tx) error {
		var emails []snsmail.Email
		var marked []*world.Mail
		for _, m := range tx.Mail {
			if m.Outboxed {
				continue
			}
			emails = append(emails, e.render(tx.State, m))
			marked = append(marked, m)
			kinds = append(kinds, m.Kind)
		}
		// Written before the world records it: a crash in between repeats a
		// mail rather than losing it.
		if err := snsmail.Append(e.outbox, emails...); err != nil {
			return err
		}
		for _, m := range marked {
			m.Outboxed = true
		}
		return nil
	})
	if err == nil {
		for _, k := range kinds {
			e.mark(k+" mail in the outbox", "")
		}
	}
	return err
}

// render turns a recorded mail into SNS's email, with links to this endpoint.
func (e *Engine) render(s *world.State, m *world.Mail) snsmail.Email {
	topic := snsmail.Topic{ARN: m.TopicARN}
	if t := s.Find("aws_sns_topic", m.TopicARN); t != nil {
		topic.DisplayName = world.Str(t.Attrs, "display_name")
	}
	links := strings.TrimRight(e.endpoint, "/") + "/_gdlab/v1/sns"
	if m.Kind == "confirmation" {
		token := ""
		if sub := s.Find("aws_sns_topic_subscription", m.SubscriptionARN); sub != nil {
			token = world.SubscriptionToken(sub)
		}
		if token != "" {
			return snsmail.Confirmation(topic, m.To, snsmail.ConfirmURL(links, token, m.TopicARN), m.ID, m.Date)
		}
		// The subscription is gone: keep the world's own wording.
		return snsmail.Email{MessageID: m.ID, Date: m.Date, FromName: "AWS Notifications", To: m.To, Subject: m.Subject, Body: m.Body}
	}
	subject := m.Subject
	if subject == snsmail.DefaultMessageSubject {
		subject = ""
	}
	return snsmail.Notification(topic, m.To, subject, m.Body, snsmail.UnsubscribeURL(links, m.SubscriptionARN, m.To), m.ID, m.Date)
}
