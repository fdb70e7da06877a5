package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The first SIGINT cancels the context; the second is swallowed with a
// reminder instead of killing gdlab while terraform stops.
func TestInterruptContext(t *testing.T) {
	var stderr lockedBuffer
	ctx, stop := interruptContext(context.Background(), &stderr)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stderr.String(), "still stopping") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out := stderr.String(); !strings.Contains(out, "stopping;") || !strings.Contains(out, "still stopping") {
		t.Errorf("stderr: %q", out)
	}
}
