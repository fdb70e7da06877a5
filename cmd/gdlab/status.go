package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gdlab-dev/gdlab/steps"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// statusReport is what `gdlab status` knows from the lab folder alone: the
// journal, the last recorded outputs and the folder lock. It reads without
// locking, so it works while another gdlab is applying.
type statusReport struct {
	LabID  string `json:"lab_id"`
	Target string `json:"target"`
	Region string `json:"region"`
	Dir    string `json:"dir"`
	Email  string `json:"email"`
	// BusyPID is the gdlab process working in the folder now; 0 if none.
	Busy        bool               `json:"busy"`
	BusyPID     int                `json:"busy_pid"`
	CurrentStep int                `json:"current_step"`
	Steps       []statusStep       `json:"steps"`
	Running     []string           `json:"running"`
	Outputs     map[string]any     `json:"outputs"`
	CostPerHour float64            `json:"cost_per_hour"`
	Cost        probe.CostEstimate `json:"cost"`
	// Incident is what step 9's watch saw; null before it ran.
	Incident *steps.IncidentRecord `json:"incident"`
}

type statusStep struct {
	Step      int             `json:"step"`
	Title     string          `json:"title"`
	State     steps.StepState `json:"state"`
	AppliedAt string          `json:"applied_at"`
	CheckedAt string          `json:"checked_at"`
	LastError string          `json:"last_error"`
}

func newStatusCommand(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "What is deployed, which step the lab is at, what the incident did",
		Long: `status reads the lab folder (--dir): the lab id, where it runs, every step's
state from the progress journal, the resources the last apply reported, and
what is running with its estimated cost per hour. It does not call AWS and
works while another gdlab is applying.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			j, err := existingJournal(g.dir)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if j == nil {
				if asJSON {
					fmt.Fprintln(out, "null")
					return nil
				}
				fmt.Fprintf(out, "There is no lab in %s yet: start one with `gdlab` or `gdlab run --auto`.\n", g.dir)
				return nil
			}
			r := buildStatus(g.dir, j, time.Now())
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(r)
			}
			printStatus(out, r)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return cmd
}

func buildStatus(dir string, j *steps.Journal, now time.Time) statusReport {
	abs, _ := filepath.Abs(dir)
	r := statusReport{LabID: j.LabID, Target: string(j.Target), Region: j.Region, Dir: abs,
		Email: j.Email, CurrentStep: j.CurrentStep(), Running: []string{}, Outputs: map[string]any{},
		Incident: j.Incident}
	r.Busy, r.BusyPID = folderBusy(dir)
	highest := 0
	for n := 1; n <= steps.LastLabStep; n++ {
		rec := j.Steps[n]
		st := statusStep{Step: n, Title: stepTitle(n), State: rec.State,
			AppliedAt: rfc3339(rec.AppliedAt), CheckedAt: rfc3339(rec.CheckedAt), LastError: rec.LastError}
		// The journal reader turns "running" into "failed: interrupted"
		// for the next run; while the folder is busy it is still running.
		if r.Busy && rec.State == steps.StateFailed && rec.LastError == "interrupted" {
			st.State, st.LastError = steps.StateRunning, ""
		}
		r.Steps = append(r.Steps, st)
		if n < steps.LastLabStep && rec.State != steps.StatePending {
			highest = n
		}
	}
	outs := probe.Outputs{}
	if data, err := os.ReadFile(filepath.Join(dir, ".gdlab", "outputs.json")); err == nil {
		if o, err := probe.ParseOutputsJSON(data); err == nil {
			outs = o
			_ = json.Unmarshal(data, &r.Outputs)
		}
	}
	if highest >= 2 {
		r.Running = runningSummary(outs, highest)
	}
	if j.Target != steps.TargetSandbox {
		managed := outs.DetectorManaged || !outs.Has("detector_managed")
		r.Cost = steps.HourlyCost(highest, managed, now)
		r.CostPerHour = r.Cost.Dollars
	}
	if r.Cost.Lines == nil {
		r.Cost.Lines = []probe.CostLine{}
	}
	return r
}

// folderBusy reports whether another gdlab holds the lab folder's lock,
// by trying it: the lock is released at once when it was free.
func folderBusy(dir string) (bool, int) {
	ws, err := terraform.OpenWorkspace(dir)
	var locked *terraform.LockedError
	if errors.As(err, &locked) {
		return true, locked.PID
	}
	if err == nil {
		ws.Close()
	}
	return false, 0
}

// runningSummary names what the lab has built, from its last outputs.
func runningSummary(o probe.Outputs, highest int) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if o.CompromisedInstanceID != "" || o.MaliciousInstanceID != "" {
		add("instances: %s (compromised), %s (malicious, %s)", valueOr(o.CompromisedInstanceID, "?"),
			valueOr(o.MaliciousInstanceID, "?"), valueOr(o.MaliciousIP, "no address yet"))
	}
	if o.VPCID != "" {
		add("network: %s", o.VPCID)
	}
	if o.FlowLogBucket != "" || o.ThreatListBucket != "" {
		add("buckets: %s, %s", valueOr(o.FlowLogBucket, "?"), valueOr(o.ThreatListBucket, "?"))
	}
	if o.DetectorID != "" {
		who := "created by the lab"
		if !o.DetectorManaged {
			who = "reused, left alone by cleanup"
		}
		add("GuardDuty detector: %s (%s)", o.DetectorID, who)
	}
	if o.SNSTopicARN != "" {
		add("SNS topic: %s", o.SNSTopicARN)
	}
	if o.EC2FindingRuleName != "" {
		add("EventBridge rules: %s, %s", o.EC2FindingRuleName, valueOr(o.IAMFindingRuleName, "?"))
	}
	if o.LambdaFunctionName != "" {
		add("Lambda function: %s", o.LambdaFunctionName)
	}
	if len(out) == 0 {
		add("steps 2 to %d (no outputs recorded yet)", highest)
	}
	return out
}

func printStatus(w io.Writer, r statusReport) {
	h := newHumanLines(w)
	h.printf("%s", h.s.heading.Render(fmt.Sprintf("Lab %s · %s · %s", r.LabID, r.Target, r.Region)))
	h.printf("folder %s", r.Dir)
	if r.Email != "" {
		h.printf("email  %s", r.Email)
	}
	if r.Busy {
		who := "another gdlab process"
		if r.BusyPID > 0 {
			who = fmt.Sprintf("gdlab (pid %d)", r.BusyPID)
		}
		h.printf("%s", h.s.pending.Render(who+" is working in this folder now"))
	}
	h.printf("")
	for _, st := range r.Steps {
		note := ""
		if st.LastError != "" {
			note = h.s.faint.Render(" — " + st.LastError)
		}
		h.printf(" %s %d %-24s %s%s", stateMark(h, st.State), st.Step, st.Title, st.State, note)
	}
	h.printf("")
	printIncident(h, r.Incident)
	if len(r.Running) == 0 {
		h.printf("Nothing of the lab is running.")
		return
	}
	h.printf("Running:")
	for _, line := range r.Running {
		h.printf("  %s", line)
	}
	if r.Target == string(steps.TargetSandbox) {
		h.printf("It runs in the offline sandbox and costs nothing.")
	} else {
		h.printf("Estimated cost while it runs: $%.2f/h.", r.CostPerHour)
	}
	sandbox := ""
	if r.Target == string(steps.TargetSandbox) {
		sandbox = " --sandbox"
	}
	h.printf("Remove everything: gdlab destroy --dir %s%s", shellWord(r.Dir), sandbox)
}

func stateMark(h *humanLines, s steps.StepState) string {
	switch s {
	case steps.StateChecked:
		return h.s.ok.Render("✓")
	case steps.StateApplied:
		return h.s.pending.Render("•")
	case steps.StateFailed:
		return h.s.bad.Render("✗")
	case steps.StateRunning:
		return h.s.pending.Render("▶")
	}
	return h.s.faint.Render("·")
}

// shellWord quotes s for POSIX shells when it needs it, so a printed
// command pastes as is.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printIncident says what the incident did, as step 9 recorded it.
func printIncident(h *humanLines, inc *steps.IncidentRecord) {
	if inc == nil {
		return
	}
	h.printf("Incident:")
	if inc.FindingID != "" {
		h.printf("  finding  %s (severity %g) %s, first seen %s", inc.FindingType, inc.Severity, inc.FindingID, rfc3339(inc.FirstSeen))
	} else {
		h.printf("  finding  none seen")
	}
	if len(inc.GroupsAfter) > 0 {
		before := strings.Join(inc.GroupsBefore, ", ")
		if before == "" {
			before = "(already moved when the watch began)"
		}
		h.printf("  instance %s → %s", before, strings.Join(inc.GroupsAfter, ", "))
	}
	switch {
	case inc.Isolated && inc.Simulated:
		h.printf("  isolated %s after the finding (simulated; %s real)", inc.TimeToRespond.Round(time.Second), inc.RealTimeToRespond.Round(time.Millisecond))
	case inc.Isolated:
		h.printf("  isolated %s after the finding", inc.TimeToRespond.Round(time.Second))
	default:
		h.printf("  the response was not seen end to end")
	}
	h.printf("")
}
