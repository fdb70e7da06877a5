package terraform

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// wireMessage is the union of the fields the UI messages use, so one decode
// serves every message type that terraform-json does not cover.
type wireMessage struct {
	EventHeader
	Change  *wireChange             `json:"change"`
	Hook    *wireHook               `json:"hook"`
	Changes *wireCounts             `json:"changes"`
	Outputs map[string]OutputChange `json:"outputs"`
}

type wireChange struct {
	Resource         ResourceAddr  `json:"resource"`
	PreviousResource *ResourceAddr `json:"previous_resource"`
	Action           ChangeAction  `json:"action"`
	Reason           string        `json:"reason"`
}

type wireHook struct {
	Resource       ResourceAddr `json:"resource"`
	Action         ChangeAction `json:"action"`
	IDKey          string       `json:"id_key"`
	IDValue        string       `json:"id_value"`
	ElapsedSeconds float64      `json:"elapsed_seconds"`
	Provisioner    string       `json:"provisioner"`
	Output         string       `json:"output"`
}

type wireCounts struct {
	Add       int    `json:"add"`
	Change    int    `json:"change"`
	Import    int    `json:"import"`
	Remove    int    `json:"remove"`
	Operation string `json:"operation"`
}

// ParseEvent decodes one line of terraform's machine-readable UI.
func ParseEvent(line []byte) (Event, error) {
	var w wireMessage
	if err := json.Unmarshal(line, &w); err != nil {
		return nil, fmt.Errorf("terraform UI message: %w", err)
	}
	h := w.EventHeader
	elapsed := func() time.Duration {
		if w.Hook == nil {
			return 0
		}
		return time.Duration(w.Hook.ElapsedSeconds * float64(time.Second))
	}
	switch h.Type {
	case tfjson.MessageTypeVersion, tfjson.MessageTypeLog, tfjson.MessageTypeDiagnostic:
		return tfjson.UnmarshalLogMessage(line)
	case TypePlannedChange, TypeResourceDrift:
		if w.Change == nil {
			return nil, fmt.Errorf("terraform UI message %s without change", h.Type)
		}
		if h.Type == TypeResourceDrift {
			return ResourceDrift{EventHeader: h, Resource: w.Change.Resource, PreviousResource: w.Change.PreviousResource, Action: w.Change.Action}, nil
		}
		return PlannedChange{EventHeader: h, Resource: w.Change.Resource, PreviousResource: w.Change.PreviousResource, Action: w.Change.Action, Reason: w.Change.Reason}, nil
	case TypeChangeSummary:
		if w.Changes == nil {
			return nil, fmt.Errorf("terraform UI message %s without changes", h.Type)
		}
		c := w.Changes
		return ChangeSummary{EventHeader: h, Add: c.Add, Change: c.Change, Import: c.Import, Remove: c.Remove, Operation: c.Operation}, nil
	case TypeOutputs:
		return OutputsEvent{EventHeader: h, Outputs: w.Outputs}, nil
	}
	if w.Hook == nil {
		return tfjson.UnmarshalLogMessage(line)
	}
	k := w.Hook
	switch h.Type {
	case TypeApplyStart:
		return ApplyStart{EventHeader: h, Resource: k.Resource, Action: k.Action, IDKey: k.IDKey, IDValue: k.IDValue}, nil
	case TypeApplyProgress:
		return ApplyProgress{EventHeader: h, Resource: k.Resource, Action: k.Action, Elapsed: elapsed()}, nil
	case TypeApplyComplete:
		return ApplyComplete{EventHeader: h, Resource: k.Resource, Action: k.Action, IDKey: k.IDKey, IDValue: k.IDValue, Elapsed: elapsed()}, nil
	case TypeApplyErrored:
		return ApplyErrored{EventHeader: h, Resource: k.Resource, Action: k.Action, Elapsed: elapsed()}, nil
	case TypeProvisionStart, TypeProvisionProgress, TypeProvisionComplete, TypeProvisionErrored:
		return ProvisionEvent{EventHeader: h, Resource: k.Resource, Provisioner: k.Provisioner, Output: k.Output}, nil
	case TypeRefreshStart, TypeRefreshComplete:
		return RefreshEvent{EventHeader: h, Resource: k.Resource, IDKey: k.IDKey, IDValue: k.IDValue}, nil
	}
	return tfjson.UnmarshalLogMessage(line)
}

// ParseStream reads a whole recorded stream, one message a line, and calls
// handle for each event. Blank lines are skipped; a malformed line stops
// the parse with its line number.
func ParseStream(r io.Reader, handle EventHandler) error {
	s := newLineScanner(r)
	n := 0
	for s.Scan() {
		n++
		line := bytes.TrimSpace(s.Bytes())
		if len(line) == 0 {
			continue
		}
		ev, err := ParseEvent(line)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		handle(ev)
	}
	return s.Err()
}

// eventWriter is the io.Writer given to tfexec's *JSON commands: it copies
// every byte to the log and turns each complete line into an event.
// tfexec writes line by line, but a line may still arrive in pieces, so
// partial input is kept until its newline.
type eventWriter struct {
	mu      sync.Mutex
	log     io.Writer
	handle  EventHandler
	pending []byte
	// badLines counts lines that were not UI messages; they stay in the log.
	badLines int
}

func newEventWriter(log io.Writer, handle EventHandler) *eventWriter {
	return &eventWriter{log: log, handle: handle}
}

func (w *eventWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.log != nil {
		// A full disk must not abort terraform mid-apply, so log errors are dropped.
		_, _ = w.log.Write(p)
	}
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			break
		}
		w.emit(w.pending[:i])
		w.pending = w.pending[i+1:]
	}
	if len(w.pending) == 0 {
		w.pending = w.pending[:0:0]
	}
	return len(p), nil
}

// flush emits a final line that had no newline.
func (w *eventWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.emit(w.pending)
	w.pending = nil
}

func (w *eventWriter) emit(line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return
	}
	ev, err := ParseEvent(line)
	if err != nil {
		w.badLines++
		return
	}
	if w.handle != nil {
		w.handle(ev)
	}
}

// maxUILine bounds one UI message; diagnostics with large snippets or
// outputs with big values exceed bufio's 64 KiB default.
const maxUILine = 16 << 20

func newLineScanner(r io.Reader) *bufio.Scanner {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 64<<10), maxUILine)
	return s
}
