package runtimeapi

import (
	"errors"
	"os"
	"strings"
	"time"
)

// lineReader turns a pipe from the function process into log lines.
type lineReader struct {
	f       *os.File
	emit    func(string)
	drained chan struct{}
	done    chan struct{}
}

func newLineReader(f *os.File, emit func(string)) *lineReader {
	lr := &lineReader{f: f, emit: emit, drained: make(chan struct{}, 1), done: make(chan struct{})}
	go lr.run()
	return lr
}

func (lr *lineReader) run() {
	defer close(lr.done)
	var pending []byte
	buf := make([]byte, 32*1024)
	for {
		n, err := lr.f.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := strings.IndexByte(string(pending), '\n')
			if i < 0 {
				break
			}
			lr.emit(strings.TrimRight(string(pending[:i]), "\r"))
			pending = pending[i+1:]
		}
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			lr.f.SetReadDeadline(time.Time{})
			select {
			case lr.drained <- struct{}{}:
			default:
			}
		case err != nil:
			if len(pending) > 0 {
				lr.emit(string(pending))
			}
			lr.f.Close()
			return
		}
	}
}

// startDrain begins waiting until what the process wrote so far has been
// emitted: the process wrote its output before posting its response, so it
// is already in the pipe, and a short read deadline tells when the pipe is
// empty. wait finishes it; draining both pipes together halves the wait.
func (lr *lineReader) startDrain() bool {
	select {
	case <-lr.drained:
	default:
	}
	return lr.f.SetReadDeadline(time.Now().Add(5*time.Millisecond)) == nil
}

func (lr *lineReader) wait() {
	select {
	case <-lr.drained:
	case <-lr.done:
	case <-time.After(time.Second):
	}
}
