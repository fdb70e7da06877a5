package snsmail

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// OutboxPath is the outbox's place in a lab folder.
const OutboxPath = ".gdlab/sandbox/outbox.mbox"

// Mbox renders the email as one mboxrd entry: the From_ line, headers, the
// body with ">From " quoting, and a closing blank line.
func (e Email) Mbox() []byte {
	var b bytes.Buffer
	date := e.Date.UTC()
	fmt.Fprintf(&b, "From %s %s\n", Sender, date.Format("Mon Jan _2 15:04:05 2006"))
	from := mail.Address{Name: e.FromName, Address: Sender}
	fmt.Fprintf(&b, "Date: %s\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\n", e.MessageID)
	fmt.Fprintf(&b, "From: %s\n", from.String())
	fmt.Fprintf(&b, "To: %s\n", e.To)
	fmt.Fprintf(&b, "Subject: %s\n", header(e.Subject))
	b.WriteString("MIME-Version: 1.0\n")
	b.WriteString("Content-Type: text/plain; charset=UTF-8\n")
	b.WriteString("Content-Transfer-Encoding: 8bit\n")
	b.WriteString("X-Gdlab-Sandbox: simulated SNS email\n\n")
	body := strings.ReplaceAll(e.Body, "\r\n", "\n")
	for _, line := range strings.SplitAfter(body, "\n") {
		if line == "" {
			continue
		}
		if fromLine.MatchString(line) {
			b.WriteByte('>')
		}
		b.WriteString(line)
	}
	if !strings.HasSuffix(body, "\n") {
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// fromLine is a body line mboxrd quotes: "From " after any number of '>'.
var fromLine = regexp.MustCompile(`^>*From `)

// outboxMu serialises appends within this process; O_APPEND keeps
// concurrent processes' single writes whole.
var outboxMu sync.Mutex

// Append adds emails to the mbox at path, creating it and its folders.
func Append(path string, emails ...Email) error {
	var b bytes.Buffer
	for _, e := range emails {
		b.Write(e.Mbox())
	}
	outboxMu.Lock()
	defer outboxMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Read splits an mboxrd file into messages, undoing the ">From " quoting.
func Read(r io.Reader) ([]*mail.Message, error) {
	var messages []*mail.Message
	var cur *bytes.Buffer
	flush := func() error {
		if cur == nil {
			return nil
		}
		m, err := mail.ReadMessage(bytes.NewReader(bytes.TrimSuffix(cur.Bytes(), []byte("\n"))))
		if err != nil {
			return err
		}
		messages = append(messages, m)
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "From ") {
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &bytes.Buffer{}
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("mbox does not start with a From line")
		}
		if strings.HasPrefix(line, ">") && fromLine.MatchString(line) {
			line = line[1:]
		}
		cur.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return messages, nil
}
