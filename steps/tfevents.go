package steps

import (
	"errors"

	"github.com/gdlab-dev/gdlab/terraform"
	tfjson "github.com/hashicorp/terraform-json"
)

// terraformHandler turns the runner's typed terraform events into the
// steps events the TUI and the CLI show; events they do not show are dropped.
func terraformHandler(emit func(Event)) terraform.EventHandler {
	return func(ev terraform.Event) {
		if e, ok := translateEvent(ev); ok {
			emit(e)
		}
	}
}

func translateEvent(ev terraform.Event) (Event, bool) {
	switch e := ev.(type) {
	case terraform.ApplyStart:
		return ResourceStarted{Address: e.Resource.Addr, Action: string(e.Action)}, true
	case terraform.ApplyProgress:
		return ResourceProgress{Address: e.Resource.Addr, Elapsed: e.Elapsed}, true
	case terraform.ApplyComplete:
		return ResourceDone{Address: e.Resource.Addr, Action: string(e.Action), Elapsed: e.Elapsed}, true
	case terraform.ApplyErrored:
		return ResourceFailed{Address: e.Resource.Addr, Elapsed: e.Elapsed, Message: e.Message()}, true
	case tfjson.DiagnosticLogMessage:
		d := e.Diagnostic
		return Diagnostic{Severity: string(d.Severity), Summary: d.Summary, Detail: d.Detail,
			Address: d.Address, Hint: terraform.HintFor(d)}, true
	}
	return nil, false
}

// planSummaryOf converts the runner's plan result into what the Plan tab shows.
func planSummaryOf(p *terraform.PlanResult) PlanSummary {
	if p == nil {
		return PlanSummary{}
	}
	s := PlanSummary{Add: p.Summary.Add, Change: p.Summary.Change, Destroy: p.Summary.Destroy}
	for _, r := range p.Summary.Resources {
		s.Resources = append(s.Resources, PlannedResource{Address: r.Address, Action: string(r.Action)})
	}
	return s
}

// diagnosticsOf returns the error diagnostics of a failed terraform run, so
// callers can show them even when the stream already went by.
func diagnosticsOf(err error) []Diagnostic {
	var re *terraform.RunError
	if !errors.As(err, &re) {
		return nil
	}
	out := make([]Diagnostic, 0, len(re.Diagnostics))
	for _, d := range re.Diagnostics {
		out = append(out, Diagnostic{Severity: string(d.Severity), Summary: d.Summary,
			Detail: d.Detail, Address: d.Address, Hint: d.Hint})
	}
	return out
}
