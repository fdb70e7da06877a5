package terraform

import (
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// PlanSummary is what a plan will do.
type PlanSummary struct {
	// Add, Change, Import and Destroy are terraform's own counts; a replace
	// counts once in Add and once in Destroy.
	Add, Change, Import, Destroy int
	// Resources lists the planned changes in the order terraform reported them.
	Resources []ResourceChange
}

// Empty reports whether the plan changes nothing.
func (s PlanSummary) Empty() bool {
	return s.Add == 0 && s.Change == 0 && s.Import == 0 && s.Destroy == 0 && len(s.Resources) == 0
}

// ResourceChange is one planned resource change.
type ResourceChange struct {
	Address string
	Action  ChangeAction
	// Reason says why a resource is replaced or deleted, when terraform says.
	Reason string
}

// ApplySummary is what an apply or destroy did.
type ApplySummary struct {
	Added, Changed, Destroyed int
	Resources                 []ResourceResult
}

// ResourceResult is the outcome of one resource change.
type ResourceResult struct {
	Address string
	Action  ChangeAction
	Elapsed time.Duration
	// Done: the change completed. Failed: it errored. Neither: it started
	// and was interrupted, or had not finished when terraform stopped.
	Done, Failed bool
}

// collector builds results from events while passing them on.
type collector struct {
	next        EventHandler
	planned     []ResourceChange
	drift       []ResourceDrift
	summary     *ChangeSummary
	outputs     map[string]OutputChange
	resources   []ResourceResult
	index       map[string]int // address → position in resources
	diagnostics []Diagnostic
}

func newCollector(next EventHandler) *collector {
	return &collector{next: next, index: map[string]int{}}
}

func (c *collector) handle(ev Event) {
	switch e := ev.(type) {
	case PlannedChange:
		c.planned = append(c.planned, ResourceChange{Address: e.Resource.Addr, Action: e.Action, Reason: e.Reason})
	case ResourceDrift:
		c.drift = append(c.drift, e)
	case ChangeSummary:
		c.summary = &e
	case OutputsEvent:
		c.outputs = e.Outputs
	case ApplyStart:
		c.resource(e.Resource.Addr, e.Action)
	case ApplyProgress:
		c.resource(e.Resource.Addr, e.Action).Elapsed = e.Elapsed
	case ApplyComplete:
		r := c.resource(e.Resource.Addr, e.Action)
		r.Elapsed, r.Done = e.Elapsed, true
	case ApplyErrored:
		r := c.resource(e.Resource.Addr, e.Action)
		r.Elapsed, r.Failed = e.Elapsed, true
	case tfjson.DiagnosticLogMessage:
		c.diagnostics = append(c.diagnostics, withHint(e.Diagnostic))
	}
	if c.next != nil {
		c.next(ev)
	}
}

func (c *collector) resource(addr string, action ChangeAction) *ResourceResult {
	i, ok := c.index[addr]
	if !ok {
		i = len(c.resources)
		c.index[addr] = i
		c.resources = append(c.resources, ResourceResult{Address: addr, Action: action})
	}
	return &c.resources[i]
}

func (c *collector) errors() []Diagnostic {
	var errs []Diagnostic
	for _, d := range c.diagnostics {
		if d.Severity == tfjson.DiagnosticSeverityError {
			errs = append(errs, d)
		}
	}
	return errs
}

func (c *collector) planSummary() PlanSummary {
	s := PlanSummary{Resources: c.planned}
	if c.summary != nil {
		s.Add, s.Change, s.Import, s.Destroy = c.summary.Add, c.summary.Change, c.summary.Import, c.summary.Remove
	}
	return s
}

func (c *collector) applyResult() *ApplyResult {
	res := &ApplyResult{Outputs: c.outputs, Diagnostics: c.diagnostics}
	res.Summary.Resources = c.resources
	if c.summary != nil {
		res.Summary.Added, res.Summary.Changed, res.Summary.Destroyed = c.summary.Add, c.summary.Change, c.summary.Remove
	}
	return res
}
