package probe

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Check is one verifiable claim about what a step built.
type Check struct {
	ID    string `json:"id"`
	Step  int    `json:"step"`
	Title string `json:"title"`
	// Needs lists the terraform outputs the check reads; when one is
	// missing the check is skipped (the step is not applied yet).
	Needs []string `json:"needs,omitempty"`
	run   func(ctx context.Context, p *Prober, out Outputs) Result
}

// Steps whose checks run against the account (design.md §3). Step 1 is
// Preflight; step 8 is every check of steps 2–7.
const (
	StepPreflight   = 1
	StepNetwork     = 2
	StepS3          = 3
	StepGuardDuty   = 4
	StepSNS         = 5
	StepEventBridge = 6
	StepLambda      = 7
	StepConverge    = 8
	StepIncident    = 9
)

// checkTimeout bounds one check, retries included.
const checkTimeout = 20 * time.Second

// parallelChecks is how many checks run at once: enough to make `verify`
// quick, few enough to stay far from any API throttling.
const parallelChecks = 4

var checksByStep = map[int][]Check{}

func register(checks ...Check) {
	for _, c := range checks {
		checksByStep[c.Step] = append(checksByStep[c.Step], c)
	}
}

// ChecksFor returns the checks of a step in display order. Step 1 has none
// here (see Preflight); step 8 returns every check of steps 2–7.
func ChecksFor(step int) []Check {
	if step == StepConverge {
		var all []Check
		for s := StepNetwork; s <= StepLambda; s++ {
			all = append(all, checksByStep[s]...)
		}
		return all
	}
	return append([]Check(nil), checksByStep[step]...)
}

// Run runs the checks of step against the account and returns their results
// in the order of ChecksFor.
func (p *Prober) Run(ctx context.Context, out Outputs, step int) []CheckResult {
	return p.RunChecks(ctx, out, ChecksFor(step))
}

// RunChecks runs the given checks, a few at a time, keeping their order.
func (p *Prober) RunChecks(ctx context.Context, out Outputs, checks []Check) []CheckResult {
	results := make([]CheckResult, len(checks))
	slots := make(chan struct{}, parallelChecks)
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = CheckResult{ID: c.ID, Step: c.Step, Title: c.Title, Result: p.RunCheck(ctx, out, c)}
		}()
	}
	wg.Wait()
	return results
}

// RunCheck runs one check.
func (p *Prober) RunCheck(ctx context.Context, out Outputs, c Check) Result {
	if missing := out.Missing(c.Needs...); len(missing) > 0 {
		return skipped(fmt.Sprintf("Terraform output %s is not there yet.", strings.Join(missing, ", ")),
			fmt.Sprintf("Apply step %d first.", c.Step))
	}
	if err := ctx.Err(); err != nil {
		return skipped("Not run: "+err.Error()+".", "")
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return c.run(ctx, p, out)
}
