package terraform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// Files the runner keeps in .gdlab/.
const (
	PlanFile        = "plan.tfplan"
	fingerprintFile = "init.fingerprint"
)

// DefaultInterruptGrace is how long terraform may take to stop after the
// interrupt before it is killed. The AWS provider finishes or abandons its
// in-flight calls and terraform then writes state; a kill before that can
// leave resources that state does not know about, so the wait is generous.
const DefaultInterruptGrace = 2 * time.Minute

var initJSONVersion = version.Must(version.NewVersion("1.9.0"))

// Options configure a Runner.
type Options struct {
	// ExecPath is the terraform binary (see FindTerraform, InstallTerraform).
	ExecPath string
	// Env adds variables to terraform's environment for this runner only.
	Env map[string]string
	// CLIConfigFile becomes TF_CLI_CONFIG_FILE for this runner only; the
	// sandbox points it at a config with its provider mirror. Empty: the
	// user's own terraform configuration applies untouched.
	CLIConfigFile string
	// InterruptGrace overrides DefaultInterruptGrace.
	InterruptGrace time.Duration
}

// Runner runs terraform commands in one lab folder, one at a time.
type Runner struct {
	ws   *Workspace
	opts Options
	tf   *tfexec.Terraform
	log  *os.File

	// mu serialises commands: tfexec's output writer belongs to the
	// *tfexec.Terraform, not to one call.
	mu sync.Mutex
}

// NewRunner prepares terraform for the workspace; it starts no process.
func NewRunner(ws *Workspace, opts Options) (*Runner, error) {
	if opts.ExecPath == "" {
		return nil, errors.New("terraform runner: no terraform binary given (see FindTerraform)")
	}
	tf, err := tfexec.NewTerraform(ws.Dir(), opts.ExecPath)
	if err != nil {
		return nil, fmt.Errorf("terraform runner: %w", err)
	}
	if env := runEnv(opts); env != nil {
		if err := tf.SetEnv(env); err != nil {
			return nil, fmt.Errorf("terraform runner: %w", err)
		}
	}
	grace := opts.InterruptGrace
	if grace <= 0 {
		grace = DefaultInterruptGrace
	}
	if err := tf.SetWaitDelay(grace); err != nil {
		return nil, fmt.Errorf("terraform runner: %w", err)
	}
	log, err := os.OpenFile(ws.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("terraform log: %w", err)
	}
	tf.SetStdout(log)
	tf.SetStderr(log)
	return &Runner{ws: ws, opts: opts, tf: tf, log: log}, nil
}

// runEnv is the environment for a runner with a sandbox hook, or nil to let
// terraform-exec pass the user's environment through untouched.
func runEnv(opts Options) map[string]string {
	if len(opts.Env) == 0 && opts.CLIConfigFile == "" {
		return nil
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	// terraform-exec refuses to pass variables it manages itself (TF_LOG, TF_VAR_…).
	env = tfexec.CleanEnv(env)
	for k, v := range opts.Env {
		env[k] = v
	}
	if opts.CLIConfigFile != "" {
		env["TF_CLI_CONFIG_FILE"] = opts.CLIConfigFile
	}
	return env
}

// Close closes the log file. The workspace stays open.
func (r *Runner) Close() error { return r.log.Close() }

// Version is the terraform binary's version.
func (r *Runner) Version(ctx context.Context) (*version.Version, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, _, err := r.tf.Version(ctx, false)
	return v, err
}

// RunError is a failed terraform command with the diagnostics it reported.
type RunError struct {
	Command     string       // init, plan, apply, destroy, output, show
	Diagnostics []Diagnostic // error diagnostics, with hints
	Err         error        // terraform-exec's error; errors.Is(err, context.Canceled) after a cancel
}

func (e *RunError) Error() string {
	if errors.Is(e.Err, context.Canceled) {
		return "terraform " + e.Command + " was interrupted; terraform saved its state, plan again to continue"
	}
	for _, d := range e.Diagnostics {
		msg := "terraform " + e.Command + ": " + d.Summary
		if d.Address != "" {
			msg += " (" + d.Address + ")"
		}
		if detail := firstLine(d.Detail); detail != "" {
			msg += ": " + detail
		}
		return msg
	}
	return "terraform " + e.Command + ": " + firstLine(e.Err.Error())
}

func (e *RunError) Unwrap() error { return e.Err }

// Hints are the one-line hints of the error's diagnostics.
func (e *RunError) Hints() []string {
	var hints []string
	for _, d := range e.Diagnostics {
		if d.Hint != "" && !slices.Contains(hints, d.Hint) {
			hints = append(hints, d.Hint)
		}
	}
	return hints
}

// stream runs one JSON-streaming terraform command with its events going to
// the collector and the caller's handler, and its bytes to the log.
func (r *Runner) stream(ctx context.Context, command string, handle EventHandler, run func(w io.Writer) error) (*collector, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.log, "# %s terraform %s\n", time.Now().UTC().Format(time.RFC3339), command)
	c := newCollector(handle)
	w := newEventWriter(r.log, c.handle)
	err := run(w)
	w.flush()
	// The next command's plain output goes to the log again, not to w.
	r.tf.SetStdout(r.log)
	if err != nil {
		return c, &RunError{Command: command, Diagnostics: c.errors(), Err: err}
	}
	return c, nil
}

// Init runs `terraform init` when the configuration's modules or providers
// differ from the last successful init (or .terraform is missing), and
// reports whether it ran.
func (r *Runner) Init(ctx context.Context, handle EventHandler) (bool, error) {
	fp, installs, err := r.initFingerprint()
	stored, _ := os.ReadFile(filepath.Join(r.ws.JournalDir(), fingerprintFile))
	// A configuration gdlab cannot parse goes to terraform, whose diagnostics say why.
	if err == nil && string(stored) == fp && (!installs || r.hasDotTerraform()) {
		return false, nil
	}
	return true, r.ForceInit(ctx, handle)
}

// ForceInit runs `terraform init` unconditionally.
func (r *Runner) ForceInit(ctx context.Context, handle EventHandler) error {
	// init -json arrived in terraform 1.9; older ones write plain text to the log.
	v, err := r.Version(ctx)
	if err != nil {
		return &RunError{Command: "init", Err: err}
	}
	useJSON := !v.LessThan(initJSONVersion)
	_, err = r.stream(ctx, "init", handle, func(w io.Writer) error {
		if useJSON {
			return r.tf.InitJSON(ctx, w, tfexec.Upgrade(false))
		}
		r.tf.SetStdout(r.log)
		return r.tf.Init(ctx, tfexec.Upgrade(false))
	})
	if err != nil {
		return err
	}
	fp, _, ferr := r.initFingerprint()
	if ferr != nil {
		return nil
	}
	return atomicfile.Write(filepath.Join(r.ws.JournalDir(), fingerprintFile), []byte(fp), 0o644)
}

// initFingerprint covers the configuration's dependencies and the CLI
// config in use, since a sandbox mirror and the registry give different providers.
func (r *Runner) initFingerprint() (fp string, installs bool, err error) {
	deps, installs, err := dependencyFingerprint(r.ws.Dir())
	if err != nil {
		return "", false, err
	}
	cli := "cli-config: user"
	if r.opts.CLIConfigFile != "" {
		b, _ := os.ReadFile(r.opts.CLIConfigFile)
		cli = "cli-config: " + r.opts.CLIConfigFile + " " + sha256Hex(b)
	}
	return sha256Hex([]byte(deps + "\n" + cli)), installs, nil
}

// hasDotTerraform reports whether init's installed modules and providers
// are there (someone may have deleted .terraform since).
func (r *Runner) hasDotTerraform() bool {
	_, err := os.Stat(filepath.Join(r.ws.Dir(), ".terraform"))
	return err == nil
}

// PlanOptions change what Plan plans.
type PlanOptions struct {
	// Destroy plans the removal of everything in state.
	Destroy bool
}

// PlanResult is a saved plan and what it will do.
type PlanResult struct {
	// PlanFile is the saved plan; Apply runs exactly this.
	PlanFile   string
	HasChanges bool
	Summary    PlanSummary
	// Drift lists changes made outside terraform since the last apply.
	Drift       []ResourceDrift
	Diagnostics []Diagnostic // warnings, and errors of a failed plan
}

// Plan runs `terraform plan -out` into .gdlab/plan.tfplan. A failed plan
// still returns its result, with the diagnostics.
func (r *Runner) Plan(ctx context.Context, opts PlanOptions, handle EventHandler) (*PlanResult, error) {
	planFile := filepath.Join(r.ws.JournalDir(), PlanFile)
	_ = os.Remove(planFile) // a failed plan must not leave an older plan to apply
	var hasChanges bool
	c, err := r.stream(ctx, "plan", handle, func(w io.Writer) error {
		var err error
		hasChanges, err = r.tf.PlanJSON(ctx, w, tfexec.Out(planFile), tfexec.Destroy(opts.Destroy))
		return err
	})
	res := &PlanResult{PlanFile: planFile, HasChanges: hasChanges, Summary: c.planSummary(), Drift: c.drift, Diagnostics: c.diagnostics}
	if err != nil {
		return res, err
	}
	return res, nil
}

// ShowPlan reads a saved plan in full (attribute values, before/after),
// for the Plan tab. It costs another terraform process that loads the
// providers' schemas, which is why Plan does not call it.
func (r *Runner) ShowPlan(ctx context.Context, planFile string) (*tfjson.Plan, error) {
	var p *tfjson.Plan
	err := r.quiet("show plan", func() (err error) {
		p, err = r.tf.ShowPlanFile(ctx, planFile)
		return err
	})
	if err != nil {
		return nil, &RunError{Command: "show", Err: err}
	}
	return p, nil
}

// ApplyResult is what an apply or destroy did.
type ApplyResult struct {
	Summary ApplySummary
	// Outputs are the root outputs as the apply reported them.
	Outputs     map[string]OutputChange
	Diagnostics []Diagnostic
}

// Apply applies exactly the saved plan; a failed or cancelled apply still
// returns what it did. The plan file is removed afterwards
// whatever the outcome: terraform refuses a plan once state has moved on.
func (r *Runner) Apply(ctx context.Context, planFile string, handle EventHandler) (*ApplyResult, error) {
	if _, err := os.Stat(planFile); err != nil {
		return nil, fmt.Errorf("terraform apply: no saved plan: %w", err)
	}
	defer os.Remove(planFile)
	c, err := r.stream(ctx, "apply", handle, func(w io.Writer) error {
		return r.tf.ApplyJSON(ctx, w, tfexec.DirOrPlan(planFile))
	})
	return c.applyResult(), err
}

// Destroy runs `terraform destroy` without a reviewed plan (gdlab destroy --yes).
func (r *Runner) Destroy(ctx context.Context, handle EventHandler) (*ApplyResult, error) {
	c, err := r.stream(ctx, "destroy", handle, func(w io.Writer) error {
		return r.tf.DestroyJSON(ctx, w)
	})
	return c.applyResult(), err
}

// quiet runs a command whose JSON answer is not copied to the log: state
// and outputs can hold secrets, and the log is for following what ran.
func (r *Runner) quiet(command string, run func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.log, "# %s terraform %s (answer not logged)\n", time.Now().UTC().Format(time.RFC3339), command)
	r.tf.SetStdout(nil)
	defer r.tf.SetStdout(r.log)
	return run()
}

// Outputs reads the root module's outputs from state.
func (r *Runner) Outputs(ctx context.Context) (Outputs, error) {
	var out map[string]tfexec.OutputMeta
	err := r.quiet("output", func() (err error) {
		out, err = r.tf.Output(ctx)
		return err
	})
	if err != nil {
		return nil, &RunError{Command: "output", Err: err}
	}
	return Outputs(out), nil
}

// State reads the current state (resources and outputs).
func (r *Runner) State(ctx context.Context) (*tfjson.State, error) {
	var s *tfjson.State
	err := r.quiet("show", func() (err error) {
		s, err = r.tf.Show(ctx)
		return err
	})
	if err != nil {
		return nil, &RunError{Command: "show", Err: err}
	}
	return s, nil
}
