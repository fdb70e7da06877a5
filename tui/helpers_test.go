package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/gdlab-dev/gdlab/steps"
)

// testStart is the fixed moment tests start at.
var testStart = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// testClock is a clock tests move by hand.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time          { return c.t }
func (c *testClock) Advance(d time.Duration) { c.t = c.t.Add(d) }
func newTestClock() *testClock               { return &testClock{t: testStart} }

// testPages is a fixed catalogue, so snapshots do not move when the real
// docs or HCL are edited.
func testPages() []Page {
	titles := []struct{ title, summary, hcl string }{
		{"Initial configuration", "Create the lab folder; check credentials, region, tools and GuardDuty.", ""},
		{"Terraform init", "VPC, public subnet, INITIAL_SG, two instances and the malicious EIP.",
			"# step2_network.tf\nmodule \"vpc\" {\n  source = \"./modules/vpc\"\n  lab_id = var.lab_id\n}\n\nmodule \"compute\" {\n  source    = \"./modules/compute\"\n  subnet_id = module.vpc.subnet_id\n}\n"},
		{"S3 buckets", "A private flow-log bucket with a VPC flow log, and a threat-list bucket.", "module \"s3\" {\n  source = \"./modules/s3\"\n}\n"},
		{"GuardDuty", "Enable (or reuse) the detector and activate a threat list with the EIP.", "module \"guardduty\" {\n  source = \"./modules/guardduty\"\n}\n"},
		{"SNS", "A topic EventBridge may publish to, your email subscription, an SQS tap.", "module \"sns\" {\n  source = \"./modules/sns\"\n}\n"},
		{"EventBridge", "Rules that match threat-list findings and mail a readable summary.", "module \"eventbridge\" {\n  source = \"./modules/eventbridge\"\n}\n"},
		{"Lambda", "A rule-less forensic security group and a Go Lambda that moves the host.", "module \"lambda\" {\n  source = \"./modules/lambda\"\n}\n"},
		{"Apply all", "Plan the whole lab again: no changes expected, every check green.", ""},
		{"Verify the response", "Watch the finding, the email and the isolation; time the response.", ""},
	}
	var pages []Page
	for i, t := range titles {
		n := i + 1
		pages = append(pages, Page{
			Step: steps.Step{Number: n, Title: t.title, Summary: t.summary},
			Doc: fmt.Sprintf("# %d · %s\n\n%s\n\nThis page explains **why** the step exists and what it creates.\n\n"+
				"- one point the learner should notice\n- another point, with `inline code`\n\n## By hand\n\n```sh\naws sts get-caller-identity\n```\n", n, t.title, t.summary),
			HCL: t.hcl,
		})
	}
	pages = append(pages, Page{
		Step: steps.Step{Number: steps.CleanupNumber, Kind: steps.CleanupStep, Title: "Cleanup",
			Summary: "Destroy the lab and prove nothing tagged with its lab id is left."},
		Doc: "# Cleanup\n\nDestroy everything and audit the account.\n",
	})
	return pages
}

// newTestModel is a colourless model on a test clock, sized w×h.
func newTestModel(t testing.TB, lab steps.Lab, clock *testClock, w, h int) Model {
	t.Helper()
	m := New(lab, Options{NoColor: true, Now: clock.Now, Pages: testPages()})
	return update(m, tea.WindowSizeMsg{Width: w, Height: h})
}

// update feeds msgs to the model in order, dropping the commands: tests
// play the Lab's part by sending its messages themselves.
func update(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

// keyMsg builds the key message bubbletea would send for a key name.
func keyMsg(name string) tea.KeyMsg {
	switch name {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

func keys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = keyMsg(n)
	}
	return out
}

// typed is one key message per rune of s.
func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// requireScreen checks the frame fills exactly w×h cells at most and
// matches its golden file (go test ./tui -update rewrites them).
func requireScreen(t *testing.T, m Model, w, h int) {
	t.Helper()
	view := m.View()
	if strings.Contains(view, "\x1b") {
		t.Errorf("colourless view contains escape sequences: %q", view)
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if cw := cellWidth(l); cw > w {
			t.Errorf("line %d is %d cells wide, over %d: %q", i+1, cw, w, l)
		}
	}
	golden.RequireEqual(t, []byte(view+"\n"))
}

func timeParse(s string) (time.Duration, error) { return time.ParseDuration(s) }

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
