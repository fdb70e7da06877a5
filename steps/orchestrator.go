package steps

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/gdlab-dev/gdlab/steps/probe"
	"github.com/gdlab-dev/gdlab/terraform"
	"github.com/gdlab-dev/gdlab/terraform/lab"
)

// LambdaZipFile is where the remediation function's zip is built, inside
// the lab folder's .gdlab/ so it lives and dies with the lab.
const LambdaZipFile = "remediation.zip"

// Options open a lab folder against a target.
type Options struct {
	Dir    string
	Target TargetKind
	// Region is where a new lab is built; a reopened lab keeps its own.
	Region  string
	Profile string
	Email   string

	// AWS is the SDK configuration every AWS call uses (for the sandbox it
	// points at the sandbox endpoint).
	AWS           aws.Config
	ProberOptions []probe.Option
	// Preflight is what step 1 found; Open runs it when nil.
	Preflight *probe.PreflightReport
	// PreflightOptions are used when step 1 runs the preflight again.
	PreflightOptions probe.PreflightOptions

	// Terraform configures the runner; Env and CLIConfigFile are the
	// sandbox's hook, empty for real AWS.
	Terraform terraform.Options
	// TerraformCacheDir is searched for a terraform binary when none is on
	// PATH (see terraform.FindTerraform).
	TerraformCacheDir string

	// LabFiles is the lab's HCL (root/ and modules/); nil means the
	// embedded lab. Tests give a fixture.
	LabFiles fs.FS

	// BuildLambdaZip writes the remediation function's zip to path; the
	// Lambda step needs it before it can plan.
	BuildLambdaZip func(ctx context.Context, path string) error
	// ConfirmSubscription confirms the email subscription; only the sandbox
	// can (a real one needs the learner to click the link).
	ConfirmSubscription func(ctx context.Context, subscriptionARN string) error
	// ReadOutbox reads the mail the sandbox delivered; nil for real AWS,
	// whose email goes to the learner's mailbox.
	ReadOutbox func(ctx context.Context) ([]Mail, error)

	Watch  probe.WatchOptions
	Logger *slog.Logger
}

// Orchestrator is the Lab of one lab folder: it writes the root for a step,
// runs terraform through the runner, and checks the result with probes.
type Orchestrator struct {
	opts    Options
	ws      *terraform.Workspace
	runner  *terraform.Runner
	journal *Journal
	prober  *probe.Prober
	log     *slog.Logger
	resumed bool

	mu        sync.Mutex
	target    Target
	plans     map[int]string // step → saved plan file awaiting apply
	preflight *probe.PreflightReport
	watch     *probe.Watch
	zipBuilt  bool // the function's zip was built by this process
	// outputs are the root outputs as of the last apply, so the checks
	// that follow need not start terraform again to read them.
	lastOutputValues map[string]any
}

var _ Lab = (*Orchestrator)(nil)

// Open locks the lab folder, reads its journal (or starts one) and finds
// terraform. Close releases the folder.
func Open(ctx context.Context, opts Options) (*Orchestrator, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.LabFiles == nil {
		opts.LabFiles = lab.Files
	}
	ws, err := terraform.OpenWorkspace(opts.Dir)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			ws.Close()
		}
	}()
	journal, existed, err := OpenJournal(ws.JournalDir(), opts.Target, opts.Region)
	if err != nil {
		return nil, err
	}
	if existed && journal.Target != opts.Target {
		return nil, fmt.Errorf("the lab folder %s holds a %s lab; open it with%s --sandbox, or use another --dir",
			opts.Dir, journal.Target, map[bool]string{true: "", false: "out"}[journal.Target == TargetSandbox])
	}
	if existed && opts.Region != "" && journal.Region != opts.Region {
		return nil, fmt.Errorf("the lab folder %s was built in %s, not %s; use --region %s or another --dir",
			opts.Dir, journal.Region, opts.Region, journal.Region)
	}
	if opts.Email != "" {
		journal.Email = opts.Email
	}
	if !existed {
		if err := journal.Save(); err != nil {
			return nil, err
		}
	}

	if opts.Terraform.ExecPath == "" {
		bin, err := terraform.FindTerraform(ctx, opts.TerraformCacheDir)
		if err != nil {
			return nil, err
		}
		opts.Terraform.ExecPath = bin.Path
	}
	runner, err := terraform.NewRunner(ws, opts.Terraform)
	if err != nil {
		return nil, err
	}
	o := &Orchestrator{
		opts: opts, ws: ws, runner: runner, journal: journal,
		prober: probe.New(opts.AWS, opts.ProberOptions...), log: opts.Logger,
		resumed: existed, plans: map[int]string{}, preflight: opts.Preflight,
	}
	o.target = Target{Kind: opts.Target, Region: journal.Region, LabID: journal.LabID, Dir: ws.Dir()}
	if o.preflight != nil {
		o.applyPreflight(*o.preflight)
	}
	ok = true
	return o, nil
}

// Close releases the lab folder.
func (o *Orchestrator) Close() error {
	rerr := o.runner.Close()
	werr := o.ws.Close()
	return errors.Join(rerr, werr)
}

// Resumed reports whether the folder already held a lab.
func (o *Orchestrator) Resumed() bool { return o.resumed }

// Journal exposes the progress journal (read-only use).
func (o *Orchestrator) Journal() *Journal { return o.journal }

// Target describes where the lab runs.
func (o *Orchestrator) Target() Target {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.target
	t.CostPerHour = o.costPerHour()
	return t
}

// States returns the journal's step states.
func (o *Orchestrator) States() map[int]StepState {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.journal.States()
}

func (o *Orchestrator) applyPreflight(r probe.PreflightReport) {
	o.preflight = &r
	if r.Account != "" {
		o.target.Account = r.Account
	}
	o.target.CallerARN = r.CallerARN
	if s := o.journal.Steps[4].State; s == StatePending {
		o.journal.ExistingDetectorID = r.ExistingDetectorID
		if err := o.journal.Save(); err != nil {
			o.log.Error("journal write failed", "err", err)
		}
	}
	o.target.ReusesDetector = o.journal.ExistingDetectorID != ""
}

// lambdaZipPath is absolute so terraform finds it whatever its working dir.
func (o *Orchestrator) lambdaZipPath() string {
	return filepath.Join(o.ws.JournalDir(), LambdaZipFile)
}

// variables are the values for every root variable; the workspace writes
// only those the current root declares.
func (o *Orchestrator) variables() map[string]any {
	vars := map[string]any{
		"region":               o.journal.Region,
		"lab_id":               o.journal.LabID,
		"email":                o.journal.Email,
		"lambda_zip_path":      o.lambdaZipPath(),
		"existing_detector_id": o.journal.ExistingDetectorID,
	}
	return vars
}

// writeRoot lays out the lab folder for step n. Files the learner edited are
// kept and reported, never overwritten silently.
func (o *Orchestrator) writeRoot(n int, emit func(Event)) error {
	res, err := o.ws.Write(terraform.Root{
		Files:     o.opts.LabFiles,
		Fragments: FragmentsUpTo(n),
		Variables: o.variables(),
	}, terraform.WriteOptions{})
	if err != nil {
		return err
	}
	for _, e := range res.Edited {
		emit(Diagnostic{Severity: "warning", Summary: "You edited " + e.Path,
			Detail: "gdlab keeps your version and applies it as it is.",
			Hint:   "To get gdlab's version back, delete the file and apply the step again."})
	}
	return nil
}

// ensureLambdaZip builds the function's zip when a root that needs it is
// about to be planned or destroyed.
func (o *Orchestrator) ensureLambdaZip(ctx context.Context, n int, emit func(Event)) error {
	if n < 7 {
		return nil
	}
	if o.opts.BuildLambdaZip == nil {
		return errors.New("this gdlab cannot build the remediation function (no builder configured)")
	}
	// Built once per process: the source does not change under a running
	// gdlab, and the build is deterministic, so a rebuild only costs time.
	o.mu.Lock()
	built := o.zipBuilt
	o.mu.Unlock()
	if _, err := os.Stat(o.lambdaZipPath()); built && err == nil {
		return nil
	}
	emit(Phase{Name: "lambda-build", Text: "building the remediation function (Go, provided.al2023, arm64)"})
	if err := o.opts.BuildLambdaZip(ctx, o.lambdaZipPath()); err != nil {
		return err
	}
	o.mu.Lock()
	o.zipBuilt = true
	o.mu.Unlock()
	return nil
}

func (o *Orchestrator) setState(n int, s StepState, errText string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.journal.Set(n, s, errText); err != nil {
		o.log.Error("journal write failed", "step", n, "err", err)
	}
}

func validStep(n int) error {
	if n < 1 || n > LastLabStep {
		return fmt.Errorf("there is no step %d: the lab has steps 1 to %d", n, LastLabStep)
	}
	return nil
}
