package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptContext is cancelled by the first SIGINT or SIGTERM, which lets
// terraform stop gracefully (the Lab call returns only once it has). Later
// signals are swallowed with a reminder, so a second Ctrl-C cannot kill
// gdlab while terraform is still writing its state. stop releases the
// signals.
func interruptContext(parent context.Context, stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case <-done:
				return
			case <-sigs:
				if first {
					fmt.Fprintln(stderr, "gdlab: stopping; terraform finishes what it is doing so its state stays valid…")
					cancel()
					first = false
					continue
				}
				fmt.Fprintln(stderr, "gdlab: still stopping terraform, please wait")
			}
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
