package incident

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/runtimeapi"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// functionSpec is what the engine needs of a deployed function, copied out
// of the world so the world's lock is not held while it runs.
type functionSpec struct {
	Name, ARN, CodePath, CodeSHA, LogGroup string
	Env                                    map[string]string
	Timeout                                time.Duration
	MemoryMB                               int
}

func specOf(fn *world.Resource) functionSpec {
	spec := functionSpec{Name: fn.ID, ARN: world.Str(fn.Attrs, "arn"), CodePath: world.FunctionCodePath(fn),
		CodeSHA: world.Str(fn.Attrs, "code_sha256"), LogGroup: "/aws/lambda/" + fn.ID,
		Timeout:  time.Duration(world.Num(fn.Attrs, "timeout", 3)) * time.Second,
		MemoryMB: int(world.Num(fn.Attrs, "memory_size", 128))}
	if env := world.Block(fn.Attrs, "environment"); env != nil {
		spec.Env = world.StrMap(env, "variables")
	}
	if lc := world.Block(fn.Attrs, "logging_config"); lc != nil && world.Str(lc, "log_group") != "" {
		spec.LogGroup = world.Str(lc, "log_group")
	}
	return spec
}

// functionRunner is one function's execution environment, kept warm while
// the function's code and configuration stay the same.
type functionRunner struct {
	key    string
	runner *runtimeapi.Runner
}

func (e *Engine) invokeLambda(d delivery) error {
	var spec functionSpec
	found, permitted := false, false
	e.w.View(func(s *world.State) {
		if fn := world.FunctionOf(s, d.TargetARN); fn != nil {
			found, spec = true, specOf(fn)
			permitted = lambdaPermits(s, fn, d.RuleARN)
		}
	})
	switch {
	case !found:
		return fmt.Errorf("function %s does not exist", d.TargetARN)
	case !permitted:
		return fmt.Errorf("function %s has no permission for events.amazonaws.com from %s", spec.Name, d.RuleARN)
	}
	r, err := e.runnerFor(spec)
	if err != nil {
		return err
	}
	e.mark("lambda invoked", spec.Name)
	results, err := r.InvokeAsync(e.ctx, []byte(d.Payload), e.clock.Sleep)
	if ferr := e.flushLogs(); ferr != nil {
		e.log.Warn("sandbox lambda logs", "error", ferr)
	}
	if err != nil {
		return err
	}
	if last := results[len(results)-1]; last.Error != nil {
		return fmt.Errorf("function %s failed after %d attempt(s): %w", spec.Name, len(results), last.Error)
	}
	e.mark("lambda succeeded", spec.Name)
	return nil
}

// runnerFor returns the function's warm environment, or a new one when its
// code or configuration changed.
func (e *Engine) runnerFor(spec functionSpec) (*runtimeapi.Runner, error) {
	keyJSON, _ := json.Marshal([]any{spec, e.endpoint, e.opts.GdlabExe})
	sum := sha256.Sum256(keyJSON)
	key := hex.EncodeToString(sum[:])
	e.mu.Lock()
	if fr := e.runners[spec.Name]; fr != nil && fr.key == key {
		e.mu.Unlock()
		return fr.runner, nil
	}
	e.mu.Unlock()

	codeSum := sha256.Sum256([]byte(spec.CodeSHA))
	command, dir, err := e.commandFor(spec, hex.EncodeToString(codeSum[:6]))
	if err != nil {
		return nil, err
	}
	group := spec.LogGroup
	r := &runtimeapi.Runner{
		Function: runtimeapi.Function{Name: spec.Name, ARN: spec.ARN, MemoryMB: spec.MemoryMB, Timeout: spec.Timeout,
			Command: command, Dir: dir, Environment: spec.Env, Region: e.w.Region(), EndpointURL: e.endpoint},
		Log: func(ev runtimeapi.LogEvent) {
			e.mu.Lock()
			e.logLines = append(e.logLines, world.LogEvent{Group: group, Stream: ev.Stream, Timestamp: ev.At.UnixMilli(), Message: ev.Message})
			e.mu.Unlock()
		},
		LogClock: e.w.Now,
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if old := e.runners[spec.Name]; old != nil {
		old.runner.Close()
	}
	e.runners[spec.Name] = &functionRunner{key: key, runner: r}
	return r, nil
}

// commandFor extracts the deployment package and picks how to run it: the
// zip's bootstrap when it is an executable for this host, otherwise gdlab's
// own Lambda mode, which runs the same handler package.
func (e *Engine) commandFor(spec functionSpec, tag string) ([]string, string, error) {
	dir := filepath.Join(e.w.Dir(), "lambda", spec.Name+"-"+tag)
	if err := extractZip(spec.CodePath, dir); err != nil {
		return nil, "", fmt.Errorf("function %s: deployment package: %w", spec.Name, err)
	}
	bootstrap := filepath.Join(dir, "bootstrap")
	if runsHere(bootstrap) {
		return []string{bootstrap}, dir, nil
	}
	if e.opts.GdlabExe == "" {
		return nil, "", fmt.Errorf("function %s: Runtime.InvalidEntrypoint: its bootstrap is not an executable for %s/%s and no gdlab executable was given for the sandbox's Lambda mode",
			spec.Name, runtime.GOOS, runtime.GOARCH)
	}
	return []string{e.opts.GdlabExe, "sandbox", "lambda"}, dir, nil
}

// runsHere: a Linux ELF executable for this machine's architecture.
func runsHere(path string) bool {
	if runtime.GOOS != "linux" {
		return false
	}
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386}[runtime.GOARCH]
	return (f.Type == elf.ET_EXEC || f.Type == elf.ET_DYN) && f.Machine == want && want != 0
}

// extractZip unpacks a deployment package (once per code version).
func extractZip(zipPath, dir string) error {
	if zipPath == "" {
		return errors.New("the world has no copy of the code")
	}
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return nil
	}
	data, err := os.ReadFile(zipPath)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range zr.File {
		if !filepath.IsLocal(f.Name) {
			return fmt.Errorf("unsafe path %q in the zip", f.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := writeZipEntry(f, target); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644)
}

func writeZipEntry(f *zip.File, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	mode := os.FileMode(0o644)
	// Lambda runs bootstrap whatever its mode in the zip; so does the sandbox.
	if f.Mode()&0o111 != 0 || f.Name == "bootstrap" {
		mode = 0o755
	}
	out, err := os.OpenFile(target, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// flushLogs writes the functions' output collected so far into the world.
func (e *Engine) flushLogs() error {
	e.mu.Lock()
	lines := e.logLines
	e.logLines = nil
	e.mu.Unlock()
	if len(lines) == 0 {
		return nil
	}
	return e.w.Update(func(tx *world.Tx) error {
		for _, l := range lines {
			tx.AppendLogEvents(l.Group, l.Stream, []world.LogEvent{l})
		}
		return nil
	})
}
