package incident

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/sim/clock"
	"github.com/gdlab-dev/gdlab/sandbox/sim/finding"
	"github.com/gdlab-dev/gdlab/sandbox/sim/snsmail"
	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Options configure the engine; zero values are the defaults.
type Options struct {
	// TimeScale is how many simulated seconds pass per real second (0: 60,
	// one simulated minute per real second). It is persisted with the world.
	TimeScale float64
	// GdlabExe is the gdlab executable; the engine runs `GdlabExe sandbox
	// lambda` for a function whose bootstrap cannot run on this host (the lab
	// builds arm64). Empty: such functions fail as Runtime.InvalidEntrypoint.
	GdlabExe string
	// LabDir is the lab folder, where .gdlab/sandbox/outbox.mbox is written.
	// Empty: the folder of the world.
	LabDir string
	// Logger receives the engine's own diagnostics (nil: discarded).
	Logger *slog.Logger

	// BootDelay is the simulated time from launch until the instance has
	// booted and its beacon timer starts (0: 45 s).
	BootDelay time.Duration
	// DetectionDelay is the simulated time GuardDuty takes to report traffic
	// (0: finding.DefaultDetectionDelay).
	DetectionDelay time.Duration
	// Tick is the real interval between simulation steps (0: 150 ms).
	Tick time.Duration
}

// Engine is a running incident simulation over one world.
type Engine struct {
	w        *world.World
	endpoint string
	opts     Options
	log      *slog.Logger
	clock    *SimClock
	outbox   string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{}

	mu        sync.Mutex
	inflight  map[string]bool // delivery ids being made by this process
	runners   map[string]*functionRunner
	logLines  []world.LogEvent // Lambda output not yet in the world
	timeline  []Milestone
	milestone map[string]bool
	closed    bool
}

// Start starts the engine over w, whose endpoint listens at endpointURL (the
// URL functions call back through; empty: the world's recorded endpoint). It
// sets the world's clock scale, installs the world hooks and runs the
// simulation until Close. Deliveries a previous process left unfinished are
// made again.
func Start(ctx context.Context, w *world.World, endpointURL string, opts Options) (*Engine, error) {
	if w == nil {
		return nil, errors.New("incident: no world")
	}
	if endpointURL == "" {
		endpointURL = w.Endpoint()
	}
	if endpointURL == "" {
		return nil, errors.New("incident: no endpoint URL (start the endpoint first)")
	}
	if opts.TimeScale == 0 {
		opts.TimeScale = clock.DefaultScale
	}
	if opts.BootDelay == 0 {
		opts.BootDelay = 45 * time.Second
	}
	if opts.DetectionDelay == 0 {
		opts.DetectionDelay = finding.DefaultDetectionDelay
	}
	if opts.Tick == 0 {
		opts.Tick = 150 * time.Millisecond
	}
	if opts.LabDir == "" {
		// The world lives in <lab>/.gdlab/sandbox.
		opts.LabDir = filepath.Dir(filepath.Dir(w.Dir()))
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := w.SetClockScale(opts.TimeScale); err != nil {
		return nil, fmt.Errorf("incident: time scale: %w", err)
	}
	ectx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Engine{
		w: w, endpoint: endpointURL, opts: opts, log: log,
		clock:  &SimClock{w: w, real: time.Now},
		outbox: filepath.Join(opts.LabDir, filepath.FromSlash(snsmail.OutboxPath)),
		ctx:    ectx, cancel: cancel, kick: make(chan struct{}, 1),
		inflight: map[string]bool{}, runners: map[string]*functionRunner{}, milestone: map[string]bool{},
	}
	w.SetHooks(world.Hooks{
		FindingsCreated: e.onFindingsCreated,
		Published:       func(*world.World, world.Publication) { e.nudge() },
		ResourceChanged: func(*world.World, string, *world.Resource) { e.nudge() },
	})
	e.wg.Add(1)
	go e.loop()
	return e, nil
}

// Close stops the simulation: no more ticks, running functions are stopped
// and their logs written. The world keeps what is left to do.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.w.SetHooks(world.Hooks{})
	e.cancel()
	e.wg.Wait()
	e.mu.Lock()
	for _, r := range e.runners {
		r.runner.Close()
	}
	e.runners = map[string]*functionRunner{}
	e.mu.Unlock()
	return errors.Join(e.flushLogs(), e.flushOutbox())
}

// Clock is the simulated clock (probe.Clock's shape).
func (e *Engine) Clock() *SimClock { return e.clock }

// OutboxPath is the mbox file SNS email lands in.
func (e *Engine) OutboxPath() string { return e.outbox }

// ConfirmSubscription does what the link in the confirmation email does.
// Confirming an already confirmed subscription is not an error.
func (e *Engine) ConfirmSubscription(ctx context.Context, subscriptionARN string) error {
	var topic, token string
	var pending, found bool
	e.w.View(func(s *world.State) {
		if sub := s.Find("aws_sns_topic_subscription", subscriptionARN); sub != nil {
			found = true
			topic = world.Str(sub.Attrs, "topic_arn")
			token = world.SubscriptionToken(sub)
			pending = world.Bool(sub.Attrs, "pending_confirmation", false)
		}
	})
	switch {
	case !found:
		return fmt.Errorf("no subscription %s", subscriptionARN)
	case !pending:
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := e.w.ConfirmSubscription(topic, token); err != nil {
		return err
	}
	e.mark("subscription confirmed", subscriptionARN)
	return nil
}

// nudge asks the loop for a step now instead of at the next tick.
func (e *Engine) nudge() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func (e *Engine) loop() {
	defer e.wg.Done()
	t := time.NewTicker(e.opts.Tick)
	defer t.Stop()
	for {
		e.step()
		select {
		case <-e.ctx.Done():
			return
		case <-t.C:
		case <-e.kick:
		}
	}
}

// step advances the simulation to the current simulated time and makes the
// deliveries that are due. Errors are logged: the loop must go on.
func (e *Engine) step() {
	if err := e.simulate(); err != nil {
		e.log.Warn("sandbox incident step", "error", err)
	}
	e.startDeliveries()
	if err := e.flushLogs(); err != nil {
		e.log.Warn("sandbox lambda logs", "error", err)
	}
	if err := e.flushOutbox(); err != nil {
		e.log.Warn("sandbox outbox", "error", err)
	}
}
