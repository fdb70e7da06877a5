package world

import "github.com/gdlab-dev/gdlab/sandbox/sim/clock"

// Clock is the sandbox's simulated time, persisted with the world: from its
// anchor it runs Scale times as fast as the real clock. It is the one clock
// implementation of the sandbox (sim/clock); part 1 keeps Scale at 1
// (simulated = real), the incident engine raises it to compress the incident.
type Clock = clock.State
