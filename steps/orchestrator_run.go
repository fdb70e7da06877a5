package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
)

// outputsFile keeps the last known root outputs: the cleanup audit needs
// them after destroy has emptied the state.
const outputsFile = "outputs.json"

// Plan writes the root for step n and plans it. Steps 1 and 9 add no
// Terraform; their plan is empty.
func (o *Orchestrator) Plan(ctx context.Context, n int, emit func(Event)) (PlanSummary, error) {
	if err := validStep(n); err != nil {
		return PlanSummary{}, err
	}
	root := n
	if n == LastLabStep {
		// Step 9 adds nothing; its root is the whole lab.
		root = LastLabStep - 1
	}
	if n == 1 {
		emit(Phase{Name: "write", Text: "writing the lab folder " + o.ws.Dir()})
		return PlanSummary{}, o.writeRoot(1, emit)
	}
	if err := o.ensureLambdaZip(ctx, root, emit); err != nil {
		return PlanSummary{}, err
	}
	emit(Phase{Name: "write", Text: fmt.Sprintf("writing the root module for step %d", n)})
	if err := o.writeRoot(root, emit); err != nil {
		return PlanSummary{}, err
	}
	h := terraformHandler(emit)
	emit(Phase{Name: "init", Text: "terraform init (only when modules or providers changed)"})
	if _, err := o.runner.Init(ctx, h); err != nil {
		return PlanSummary{}, err
	}
	emit(Phase{Name: "plan", Text: "terraform plan"})
	res, err := o.runner.Plan(ctx, terraform.PlanOptions{}, h)
	if err != nil {
		return PlanSummary{}, err
	}
	o.mu.Lock()
	o.plans[n] = res.PlanFile
	o.mu.Unlock()
	return planSummaryOf(res), nil
}

// Apply applies the plan Plan saved for step n, then runs the step's checks.
func (o *Orchestrator) Apply(ctx context.Context, n int, emit func(Event)) ([]CheckResult, error) {
	if err := validStep(n); err != nil {
		return nil, err
	}
	if n == 1 {
		results, err := o.Verify(ctx, 1)
		o.recordChecks(1, results, err)
		return results, err
	}
	o.mu.Lock()
	planFile, planned := o.plans[n]
	delete(o.plans, n)
	o.mu.Unlock()
	if !planned {
		return nil, fmt.Errorf("step %d has no saved plan to apply: plan it first", n)
	}
	o.setState(n, StateRunning, "")
	emit(Phase{Name: "apply", Text: "terraform apply of the saved plan"})
	o.setOutputs(nil)
	if _, err := os.Stat(planFile); err == nil {
		res, err := o.runner.Apply(ctx, planFile, terraformHandler(emit))
		if err != nil {
			o.setState(n, StateFailed, err.Error())
			return nil, err
		}
		o.setOutputs(outputsOfApply(res))
	}
	o.setState(n, StateApplied, "")
	if err := o.saveOutputs(ctx); err != nil {
		o.log.Warn("could not record outputs", "err", err)
	}
	emit(Phase{Name: "checks", Text: fmt.Sprintf("checking step %d against the account", n)})
	results, err := o.Verify(ctx, n)
	o.recordChecks(n, results, err)
	return results, err
}

// recordChecks marks a step checked when every check passed.
func (o *Orchestrator) recordChecks(n int, results []CheckResult, err error) {
	switch {
	case err != nil:
		o.setState(n, StateFailed, err.Error())
	case allPassed(results):
		o.setState(n, StateChecked, "")
	default:
		o.setState(n, StateApplied, "some checks did not pass")
	}
}

func allPassed(results []CheckResult) bool {
	for _, r := range results {
		if r.Status == CheckFail {
			return false
		}
	}
	return true
}

// Verify runs the checks of step n against the target.
func (o *Orchestrator) Verify(ctx context.Context, n int) ([]CheckResult, error) {
	if err := validStep(n); err != nil {
		return nil, err
	}
	if n == 1 {
		opts := o.opts.PreflightOptions
		if opts.Region == "" {
			opts.Region = o.journal.Region
		}
		if opts.Email == "" {
			opts.Email = o.journal.Email
		}
		report := probe.Preflight(ctx, opts)
		o.mu.Lock()
		o.applyPreflight(report)
		o.mu.Unlock()
		return convertChecks(report.Checks), nil
	}
	outs, err := o.outputs(ctx)
	if err != nil {
		return nil, err
	}
	results := convertChecks(o.prober.Run(ctx, outs, n))
	if n == LastLabStep-1 {
		results = append(results, o.convergenceCheck(ctx))
	}
	return results, nil
}

// convergenceCheck is step 8's own claim: the whole lab is applied and a
// fresh plan of it has nothing to do.
func (o *Orchestrator) convergenceCheck(ctx context.Context) CheckResult {
	c := CheckResult{ID: "converge.plan-empty", Title: "terraform plan of the whole lab shows no changes",
		Command: "terraform -chdir=" + o.ws.Dir() + " plan"}
	res, err := o.runner.Plan(ctx, terraform.PlanOptions{}, nil)
	switch {
	case err != nil:
		c.Status, c.Detail = CheckFail, err.Error()
		c.Hint = "Fix the error above, then apply step 8 again."
	case res.HasChanges:
		c.Status = CheckFail
		c.Detail = fmt.Sprintf("plan wants %d to add, %d to change, %d to destroy",
			res.Summary.Add, res.Summary.Change, res.Summary.Destroy)
		c.Hint = "Something drifted or a step is not applied: apply step 8 to converge."
	default:
		c.Status, c.Detail = CheckPass, "no changes: the account matches the code"
	}
	return c
}

func convertChecks(in []probe.CheckResult) []CheckResult {
	out := make([]CheckResult, 0, len(in))
	for _, r := range in {
		out = append(out, CheckResult{ID: r.ID, Title: r.Title, Status: CheckStatus(r.Status),
			Detail: r.Detail, Hint: r.Hint, Command: r.Command})
	}
	return out
}

// outputs reads the root outputs from the state, falling back to the last
// recorded ones (e.g. after destroy, for the audit).
func (o *Orchestrator) outputs(ctx context.Context) (probe.Outputs, error) {
	values, err := o.outputValues(ctx)
	if err != nil {
		return probe.Outputs{}, err
	}
	return probe.NewOutputs(values)
}

func (o *Orchestrator) outputValues(ctx context.Context) (map[string]any, error) {
	o.mu.Lock()
	cached := o.lastOutputValues
	o.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	outs, err := o.runner.Outputs(ctx)
	if err != nil {
		return nil, err
	}
	values := make(map[string]any, len(outs))
	for name, meta := range outs {
		var v any
		if err := json.Unmarshal(meta.Value, &v); err != nil {
			return nil, fmt.Errorf("output %s: %w", name, err)
		}
		values[name] = v
	}
	o.setOutputs(values)
	return values, nil
}

func (o *Orchestrator) setOutputs(values map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lastOutputValues = values
}

// outputsOfApply reads the root outputs from the apply's own report; nil
// when one has no value there (a sensitive output), so they are read from
// the state instead.
func outputsOfApply(res *terraform.ApplyResult) map[string]any {
	if res == nil || len(res.Outputs) == 0 {
		return nil
	}
	values := make(map[string]any, len(res.Outputs))
	for name, oc := range res.Outputs {
		if oc.Sensitive || len(oc.Value) == 0 {
			return nil
		}
		var v any
		if err := json.Unmarshal(oc.Value, &v); err != nil {
			return nil
		}
		values[name] = v
	}
	return values
}

func (o *Orchestrator) saveOutputs(ctx context.Context) error {
	values, err := o.outputValues(ctx)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(values, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(o.ws.JournalDir(), outputsFile), data, 0o600)
}

func (o *Orchestrator) lastOutputs() probe.Outputs {
	data, err := os.ReadFile(filepath.Join(o.ws.JournalDir(), outputsFile))
	if err != nil {
		return probe.Outputs{}
	}
	outs, err := probe.ParseOutputsJSON(data)
	if err != nil {
		return probe.Outputs{}
	}
	return outs
}

// Destroy removes everything the lab built, then audits the account.
func (o *Orchestrator) Destroy(ctx context.Context, emit func(Event)) (AuditResult, error) {
	last := o.lastOutputs()
	highest := 1
	for n := 2; n < LastLabStep; n++ {
		if s := o.journal.Steps[n].State; s != StatePending {
			highest = n
		}
	}
	if highest > 1 {
		if err := o.ensureLambdaZip(ctx, highest, emit); err != nil {
			return AuditResult{}, err
		}
		if err := o.writeRoot(highest, emit); err != nil {
			return AuditResult{}, err
		}
		h := terraformHandler(emit)
		if _, err := o.runner.Init(ctx, h); err != nil {
			return AuditResult{}, err
		}
		emit(Phase{Name: "destroy", Text: "terraform destroy"})
		o.setOutputs(nil)
		if _, err := o.runner.Destroy(ctx, h); err != nil {
			return AuditResult{}, err
		}
	}
	o.mu.Lock()
	o.journal.Incident = nil
	o.mu.Unlock()
	for n := 2; n <= LastLabStep; n++ {
		o.setState(n, StatePending, "")
	}
	emit(Phase{Name: "audit", Text: "auditing the account for anything left of lab " + o.journal.LabID})
	report := o.prober.Audit(ctx, probe.AuditInput{LabID: o.journal.LabID, Outputs: last})
	return convertAudit(report), nil
}

func convertAudit(r probe.AuditReport) AuditResult {
	var out AuditResult
	for _, l := range r.Leftovers {
		out.Leftovers = append(out.Leftovers, Leftover{ARN: l.ARN, Kind: l.Kind,
			Note: "found by " + l.FoundBy, DeleteCommand: l.DeleteCommand})
	}
	for _, k := range r.Kept {
		out.Kept = append(out.Kept, k.ID+": "+k.Why)
	}
	for _, inc := range r.Incomplete {
		out.Leftovers = append(out.Leftovers, Leftover{Kind: "unverified",
			Note: "look-up failed, so this is not a proof: " + inc})
	}
	return out
}

// ConfirmSubscription confirms the pending email subscription (sandbox).
func (o *Orchestrator) ConfirmSubscription(ctx context.Context) error {
	if o.opts.ConfirmSubscription == nil {
		return errors.New("only the sandbox can confirm for you: click \"Confirm subscription\" in the email AWS sent")
	}
	outs, err := o.outputs(ctx)
	if err != nil {
		return err
	}
	return o.opts.ConfirmSubscription(ctx, outs.EmailSubscriptionARN)
}

// Outbox reads the sandbox's outbox.
func (o *Orchestrator) Outbox(ctx context.Context) ([]Mail, error) {
	if o.opts.ReadOutbox == nil {
		return nil, errors.New("only the sandbox has an outbox: real email goes to your mailbox")
	}
	return o.opts.ReadOutbox(ctx)
}
