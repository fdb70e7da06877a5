package sandbox

import (
	"context"
	"time"
)

// Clock is simulated time as the incident watch reads it; it has the shape
// of probe.Clock without the sandbox importing the probes.
type Clock interface {
	Now() time.Time
	// Sleep waits for d of simulated time or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// Engine is the incident simulation running beside the endpoint: traffic,
// the GuardDuty finding, EventBridge, the SNS outbox and the Lambda.
type Engine interface {
	Close() error
	// ConfirmSubscription follows the confirmation link of a subscription.
	ConfirmSubscription(ctx context.Context, subscriptionARN string) error
	// Clock is the simulated clock the watch should run on.
	Clock() Clock
	// OutboxPath is the mbox file the sandbox's email lands in.
	OutboxPath() string
}

// startEngine starts the incident engine for a sandbox; nil while the build
// has no engine, so steps 1–8 work without it.
var startEngine func(ctx context.Context, s *Sandbox, opts Options) (Engine, error)

// HasIncidentEngine says whether this build simulates the incident (step 9).
func HasIncidentEngine() bool { return startEngine != nil }
