package e2e

import "path/filepath"

// outboxFile is the lab folder's mbox, where the sandbox delivers SNS email.
func outboxFile(lab string) string {
	return filepath.Join(lab, ".gdlab", "sandbox", "outbox.mbox")
}
