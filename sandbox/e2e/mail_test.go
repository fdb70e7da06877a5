package e2e

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// outboxFile is the lab folder's mbox, where the sandbox delivers SNS email.
func outboxFile(lab string) string {
	return filepath.Join(lab, ".gdlab", "sandbox", "outbox.mbox")
}

var confirmLinkRE = regexp.MustCompile(`(http://127\.0\.0\.1:\d+/_gdlab/v1/sns/confirm\?\S+)`)

// confirmationLink is the link of the newest confirmation email: from the
// outbox when the incident engine writes it, else from the world's record of
// sent mail. The email is sent when step 5 subscribes; the outbox is
// written within a simulation tick, hence the short wait.
func confirmationLink(t *testing.T, lab string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var text string
		if data, err := os.ReadFile(outboxFile(lab)); err == nil {
			text = string(data)
		} else {
			for _, m := range openWorld(t, lab).Mail {
				if m.Kind == "confirmation" {
					text += m.Body + "\n"
				}
			}
		}
		if all := confirmLinkRE.FindAllStringSubmatch(text, -1); len(all) > 0 {
			return all[len(all)-1][1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no confirmation email with a link in %s or the world", outboxFile(lab))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func httpGet(url string) (string, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}
