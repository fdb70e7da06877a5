package snsmail

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	date   = time.Date(2025, 6, 1, 10, 21, 7, 0, time.UTC)
	topic  = Topic{ARN: "arn:aws:sns:us-west-2:123456789012:gdlab-findings"}
	subArn = topic.ARN + ":0f1e2d3c-aaaa-bbbb-cccc-111122223333"
)

func TestLinks(t *testing.T) {
	c := ConfirmURL("http://127.0.0.1:4566/", "tok en", topic.ARN)
	if !strings.HasPrefix(c, "http://127.0.0.1:4566/confirm?Token=tok+en&TopicArn=arn%3Aaws%3Asns") {
		t.Errorf("confirm URL %s", c)
	}
	u, err := url.Parse(c)
	if err != nil || u.Query().Get("TopicArn") != topic.ARN || u.Query().Get("Token") != "tok en" {
		t.Errorf("confirm URL does not parse back: %v", err)
	}
	if un := UnsubscribeURL("http://127.0.0.1:4566", subArn, "learner@example.com"); !strings.Contains(un, "/unsubscribe?SubscriptionArn=") {
		t.Errorf("unsubscribe URL %s", un)
	}
}

func TestEmails(t *testing.T) {
	tests := []struct {
		name        string
		email       Email
		fromName    string
		subject     string
		bodyContain []string
	}{
		{"confirmation", Confirmation(topic, "learner@example.com", "http://127.0.0.1:1/confirm?Token=t&TopicArn=a", "m1", date),
			"AWS Notifications", ConfirmationSubject, []string{topic.ARN, "http://127.0.0.1:1/confirm?Token=t&TopicArn=a"}},
		{"confirmation with display name", Confirmation(Topic{ARN: topic.ARN, DisplayName: "GuardDuty lab"}, "x@example.com", "u", "m2", date),
			"GuardDuty lab", ConfirmationSubject, nil},
		{"notification, default subject, topic name as sender", Notification(topic, "learner@example.com", "", "\"GuardDuty finding\"", "http://u", "m3", date),
			"gdlab-findings", DefaultMessageSubject, []string{"\"GuardDuty finding\"\n\n--\nIf you wish to stop receiving", "http://u"}},
		{"notification with subject", Notification(Topic{ARN: topic.ARN, DisplayName: "Lab"}, "x@example.com", "Instance isolated", "done\n", "u", "m4", date),
			"Lab", "Instance isolated", []string{"done\n\n--\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.email.FromName != tt.fromName || tt.email.Subject != tt.subject {
				t.Errorf("from %q subject %q", tt.email.FromName, tt.email.Subject)
			}
			for _, s := range tt.bodyContain {
				if !strings.Contains(tt.email.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, tt.email.Body)
				}
			}
		})
	}
}

func TestMboxRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), OutboxPath)
	tricky := "From the lab: a line mbox must quote\n>From already quoted\nnormal line\nFrom"
	emails := []Email{
		Confirmation(topic, "learner@example.com", "http://127.0.0.1:1/confirm?Token=t&TopicArn=a", "m1@sandbox", date),
		Notification(topic, "learner@example.com", "Café ☕ alert", tricky, "http://u", "m2@sandbox", date.Add(time.Minute)),
	}
	if err := Append(path, emails[0]); err != nil {
		t.Fatal(err)
	}
	if err := Append(path, emails[1]); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("\n>From the lab")) || !bytes.Contains(raw, []byte("\n>>From already")) {
		t.Errorf("body From lines not quoted:\n%s", raw)
	}
	msgs, err := Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs {
		e := emails[i]
		from, err := m.Header.AddressList("From")
		if err != nil || from[0].Address != Sender || from[0].Name != e.FromName {
			t.Errorf("message %d From %v %v", i, from, err)
		}
		if d, err := m.Header.Date(); err != nil || !d.Equal(e.Date) {
			t.Errorf("message %d Date %v %v", i, d, err)
		}
		if got := m.Header.Get("Message-ID"); got != "<"+e.MessageID+">" {
			t.Errorf("message %d Message-ID %q", i, got)
		}
		if m.Header.Get("MIME-Version") != "1.0" || !strings.Contains(m.Header.Get("Content-Type"), "charset=UTF-8") {
			t.Errorf("message %d MIME headers %v", i, m.Header)
		}
		body, _ := io.ReadAll(m.Body)
		if string(body) != e.Body && string(body) != e.Body+"\n" {
			t.Errorf("message %d body\n%q\nwant\n%q", i, body, e.Body)
		}
	}
	// The subject survives MIME encoding.
	if s := msgs[1].Header.Get("Subject"); !strings.HasPrefix(s, "=?utf-8?q?") {
		t.Errorf("subject not encoded: %q", s)
	}
}

// bsd-mailx (or any mail(1)) must list and print the outbox.
func TestMailReadsOutbox(t *testing.T) {
	mailCmd, err := exec.LookPath("mail")
	if err != nil {
		t.Skip("mail(1) is not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "outbox.mbox")
	if err := Append(path,
		Confirmation(topic, "learner@example.com", "http://127.0.0.1:9/confirm?Token=t&TopicArn=a", "m1@sandbox", date),
		Notification(topic, "learner@example.com", "", "From here on, isolated.", "http://u", "m2@sandbox", date)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mailCmd, "-N", "-f", path)
	cmd.Stdin = strings.NewReader("h\np 2\nq\n")
	cmd.Env = []string{"HOME=" + dir, "MAILRC=/dev/null", "PAGER=cat", "LANG=C.UTF-8", "TERM=dumb"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mail: %v\n%s", err, out)
	}
	// The header list cuts subjects to the terminal width; mail(1) shows
	// mboxrd-quoted lines with their ">".
	for _, want := range []string{"AWS Notification - Subscrip", DefaultMessageSubject, ">From here on, isolated.", "2 messages"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("mail output lacks %q:\n%s", want, out)
		}
	}
}

func TestReadRejectsGarbage(t *testing.T) {
	if _, err := Read(strings.NewReader("Subject: no From_ line\n\nbody\n")); err == nil {
		t.Error("accepted an mbox without From_ line")
	}
}

func TestSQSBody(t *testing.T) {
	unsub := "http://127.0.0.1:1/unsubscribe?SubscriptionArn=x"
	raw, err := SQSBody(true, topic.ARN, "us-west-2", "s", `{"a":1}`, "id-1", unsub, date)
	if err != nil || raw != `{"a":1}` {
		t.Errorf("raw delivery %q %v", raw, err)
	}
	for _, subject := range []string{"", "Instance <isolated> & done"} {
		body, err := SQSBody(false, topic.ARN, "us-west-2", subject, "hello <world>", "id-1", unsub, date.Add(123*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"Type": "Notification", "MessageId": "id-1", "TopicArn": topic.ARN, "Message": "hello <world>",
			"Timestamp": "2025-06-01T10:21:07.123Z", "SignatureVersion": "1", "UnsubscribeURL": unsub}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("%s = %v, want %v", k, e[k], v)
			}
		}
		if _, has := e["Subject"]; has != (subject != "") {
			t.Errorf("subject %q: present %v", subject, has)
		}
		if e["Signature"] == "" || !strings.HasPrefix(e["SigningCertURL"].(string), "https://sns.us-west-2.amazonaws.com/") {
			t.Errorf("signature fields %v %v", e["Signature"], e["SigningCertURL"])
		}
		if strings.Contains(body, `\u003c`) {
			t.Errorf("HTML-escaped: %s", body)
		}
	}
}

func FuzzMboxRoundTrip(f *testing.F) {
	f.Add("hello\nFrom me\n>From you\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, message string) {
		if strings.ContainsAny(message, "\r\x00") {
			return // bodies are normalised to LF; NUL is not text
		}
		e := Notification(topic, "a@example.com", "", message, "u", "id", date)
		msgs, err := Read(bytes.NewReader(e.Mbox()))
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%d messages, %v", len(msgs), err)
		}
		body, _ := io.ReadAll(msgs[0].Body)
		if string(body) != e.Body && string(body) != e.Body+"\n" {
			t.Fatalf("body %q, want %q", body, e.Body)
		}
	})
}
