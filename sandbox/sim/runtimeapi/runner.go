package runtimeapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Function is what the runner needs to know about a deployed function.
type Function struct {
	Name     string
	ARN      string
	Version  string // "$LATEST" when empty
	MemoryMB int    // 128 when zero
	Timeout  time.Duration
	// Command starts the runtime: the extracted bootstrap, or any program
	// speaking the Runtime API. Dir is its working directory (the task root).
	Command []string
	Dir     string
	// Environment is the function's configured variables.
	Environment map[string]string
	Region      string
	// EndpointURL is the sandbox endpoint (AWS_ENDPOINT_URL) the function's
	// SDK calls go to.
	EndpointURL string
}

// LogEvent is one line for CloudWatch Logs group /aws/lambda/<name>.
type LogEvent struct {
	Stream  string
	At      time.Time
	Message string
}

// Result is how one invocation ended.
type Result struct {
	RequestID string
	Payload   []byte
	// Error is the function's error, a timeout (Sandbox.Timedout) or a
	// crash (Runtime.ExitError); nil on success.
	Error     *FunctionError
	Duration  time.Duration // real time
	ColdStart bool
}

// InitTimeout bounds the runtime's start-up (AWS allows 10 s).
const InitTimeout = 10 * time.Second

// Runner keeps one execution environment of a function.
type Runner struct {
	Function Function
	// Log receives every log line; nil drops them.
	Log func(LogEvent)
	// LogClock stamps log lines (the sandbox's simulated clock); Real
	// measures durations and deadlines. Both default to time.Now.
	LogClock func() time.Time
	Real     func() time.Time
	// NewID makes request ids; random UUIDs by default.
	NewID func() string

	mu  sync.Mutex // one invocation at a time, like one environment
	env *environment
}

type environment struct {
	server  *Server
	cmd     *exec.Cmd
	stream  string
	outputs []*lineReader
	exited  chan struct{}
	exitErr error
	initDur time.Duration
	fresh   bool // no invocation has run yet (the next is a cold start)
}

func (r *Runner) realNow() time.Time {
	if r.Real != nil {
		return r.Real()
	}
	return time.Now()
}

func (r *Runner) logNow() time.Time {
	if r.LogClock != nil {
		return r.LogClock()
	}
	return time.Now()
}

func (r *Runner) log(stream, msg string) {
	if r.Log != nil {
		r.Log(LogEvent{Stream: stream, At: r.logNow(), Message: msg})
	}
}

// Invoke runs one invocation synchronously (RequestResponse).
func (r *Runner) Invoke(ctx context.Context, payload []byte) (Result, error) {
	return r.invoke(ctx, r.newID(), payload)
}

func (r *Runner) invoke(ctx context.Context, requestID string, payload []byte) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := Result{RequestID: requestID}
	if r.env != nil {
		select {
		case <-r.env.exited: // died since the last invocation: start afresh
			r.stop()
		default:
		}
	}
	if r.env == nil {
		env, err := r.start(ctx)
		if err != nil {
			return res, err
		}
		r.env = env
	}
	env := r.env
	res.ColdStart = env.fresh
	env.fresh = false

	timeout := r.Function.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	start := r.realNow()
	inv := &Invocation{
		RequestID: requestID, Payload: payload, Deadline: start.Add(timeout),
		FunctionARN: r.Function.ARN, TraceID: traceID(start),
	}
	r.log(env.stream, fmt.Sprintf("START RequestId: %s Version: %s", requestID, r.version()))
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	exitCtx, stopExitWatch := context.WithCancel(runCtx)
	go func() {
		select {
		case <-env.exited:
			stopExitWatch()
		case <-exitCtx.Done():
		}
	}()
	out, fe, err := env.server.Invoke(exitCtx, inv)
	res.Duration = r.realNow().Sub(start)
	status := ""
	switch {
	case err == nil:
		res.Payload, res.Error = out, fe
		env.drain()
	case ctx.Err() != nil:
		r.stop()
		return res, ctx.Err()
	case runCtx.Err() != nil:
		env.drain()
		r.stop()
		msg := fmt.Sprintf("Task timed out after %.2f seconds", timeout.Seconds())
		r.log(env.stream, fmt.Sprintf("%s %s %s", r.logNow().UTC().Format("2006-01-02T15:04:05.000Z"), requestID, msg))
		res.Error = &FunctionError{Type: "Sandbox.Timedout", Message: msg}
		status = "\tStatus: timeout"
	default: // the process exited mid-invocation
		env.drain()
		<-env.exited
		r.stop()
		msg := fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %v", requestID, env.exitErr)
		r.log(env.stream, msg)
		res.Error = &FunctionError{Type: "Runtime.ExitError", Message: msg}
		status = "\tStatus: error\tError Type: Runtime.ExitError"
	}
	r.log(env.stream, "END RequestId: "+requestID)
	report := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: 0 MB",
		requestID, float64(res.Duration)/float64(time.Millisecond), billed(res.Duration), r.memory())
	if res.ColdStart {
		report += fmt.Sprintf("\tInit Duration: %.2f ms", float64(env.initDur)/float64(time.Millisecond))
	}
	r.log(env.stream, report+status)
	return res, nil
}

// start launches the runtime process and waits for its first /next.
func (r *Runner) start(ctx context.Context) (*environment, error) {
	if len(r.Function.Command) == 0 {
		return nil, errors.New("function has no command to run")
	}
	server, err := NewServer()
	if err != nil {
		return nil, err
	}
	t := r.logNow().UTC()
	env := &environment{
		server: server, exited: make(chan struct{}), fresh: true,
		stream: fmt.Sprintf("%04d/%02d/%02d/[%s]%s", t.Year(), int(t.Month()), t.Day(), r.version(), randomHex(16)),
	}
	cmd := exec.Command(r.Function.Command[0], r.Function.Command[1:]...)
	cmd.Dir = r.Function.Dir
	cmd.Env = r.environ(server.Addr(), env.stream)
	outR, outW, err := os.Pipe()
	if err != nil {
		server.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		server.Close()
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	began := r.realNow()
	if err := cmd.Start(); err != nil {
		server.Close()
		for _, f := range []*os.File{outR, outW, errR, errW} {
			f.Close()
		}
		return nil, fmt.Errorf("start %s: %w", r.Function.Command[0], err)
	}
	outW.Close()
	errW.Close()
	emit := func(line string) { r.log(env.stream, line) }
	env.outputs = []*lineReader{newLineReader(outR, emit), newLineReader(errR, emit)}
	env.cmd = cmd
	go func() {
		env.exitErr = cmd.Wait()
		close(env.exited)
	}()

	initCtx, cancel := context.WithTimeout(ctx, InitTimeout)
	defer cancel()
	fail := func(msg string) (*environment, error) {
		env.drain()
		r.env = env
		r.stop()
		r.log(env.stream, msg)
		return nil, errors.New(msg)
	}
	select {
	case <-server.Started():
		env.initDur = r.realNow().Sub(began)
		return env, nil
	case fe := <-server.InitError():
		return fail(fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: %s (%s)",
			float64(r.realNow().Sub(began))/float64(time.Millisecond), fe.Type, fe.Message))
	case <-env.exited:
		return fail(fmt.Sprintf("INIT_REPORT Phase: init\tStatus: error\tError Type: Runtime.ExitError (%v)", env.exitErr))
	case <-initCtx.Done():
		return fail("INIT_REPORT Phase: init\tStatus: timeout")
	}
}

// environ is the process environment: the function's variables, then the
// reserved ones Lambda sets (they win), and dummy credentials so the SDK
// signs requests to the sandbox without looking for real ones.
func (r *Runner) environ(apiAddr, stream string) []string {
	vars := map[string]string{"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC"}
	for k, v := range r.Function.Environment {
		vars[k] = v
	}
	reserved := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          apiAddr,
		"AWS_LAMBDA_FUNCTION_NAME":        r.Function.Name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(r.memory()),
		"AWS_LAMBDA_FUNCTION_VERSION":     r.version(),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + r.Function.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      stream,
		"AWS_REGION":                      r.Function.Region,
		"AWS_DEFAULT_REGION":              r.Function.Region,
		"AWS_EXECUTION_ENV":               "AWS_Lambda_provided.al2023",
		"AWS_ACCESS_KEY_ID":               "ASIAGDLABSANDBOX0000",
		"AWS_SECRET_ACCESS_KEY":           "gdlab-sandbox-secret",
		"AWS_SESSION_TOKEN":               "gdlab-sandbox-session",
		"LAMBDA_TASK_ROOT":                r.Function.Dir,
		"_HANDLER":                        "bootstrap",
	}
	if r.Function.EndpointURL != "" {
		reserved["AWS_ENDPOINT_URL"] = r.Function.EndpointURL
	}
	for k, v := range reserved {
		vars[k] = v
	}
	out := make([]string, 0, len(vars))
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// stop ends the environment: kill the process, stop the server.
func (r *Runner) stop() {
	env := r.env
	if env == nil {
		return
	}
	r.env = nil
	if env.cmd != nil && env.cmd.Process != nil {
		env.cmd.Process.Kill()
		<-env.exited
	}
	for _, o := range env.outputs {
		<-o.done
	}
	env.server.Close()
}

// Close stops the execution environment if one is running.
func (r *Runner) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop()
}

func (env *environment) drain() {
	var started []*lineReader
	for _, o := range env.outputs {
		if o.startDrain() {
			started = append(started, o)
		}
	}
	for _, o := range started {
		o.wait()
	}
}

func (r *Runner) version() string {
	if r.Function.Version == "" {
		return "$LATEST"
	}
	return r.Function.Version
}

func (r *Runner) memory() int {
	if r.Function.MemoryMB <= 0 {
		return 128
	}
	return r.Function.MemoryMB
}

func (r *Runner) newID() string {
	if r.NewID != nil {
		return r.NewID()
	}
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// billed rounds up to the next millisecond, as Lambda bills.
func billed(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 || ms == 0 {
		ms++
	}
	return ms
}

func traceID(t time.Time) string {
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", t.Unix(), randomHex(12), randomHex(8))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }
