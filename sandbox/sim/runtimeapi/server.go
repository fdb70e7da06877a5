// Package runtimeapi runs a Lambda function's real code the way Lambda does:
// it serves the Lambda Runtime API (2018-06-01) on 127.0.0.1 to a function
// process (the deployed bootstrap, or any command speaking that API), hands
// it invocations, collects responses and errors, writes START/END/REPORT log
// lines around the process's own output, enforces the timeout, and retries
// failed asynchronous invocations twice.
//
// Differences from AWS: one execution environment per Runner, reused until
// it fails or times out (no concurrency, no freezing between invocations);
// no memory limit (REPORT shows 0 MB used); no extensions or telemetry API;
// the init phase is bounded by InitTimeout rather than AWS's 10 s plus
// billing rules; log timestamps come from the caller's (simulated) clock.
package runtimeapi

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const apiPrefix = "/2018-06-01/runtime/"

// Invocation is one event handed to the function.
type Invocation struct {
	RequestID   string
	Payload     []byte
	Deadline    time.Time // real time; the runtime computes remaining time from it
	FunctionARN string
	TraceID     string
}

// FunctionError is what the function reported through /error or /init/error.
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
	// Raw is the body as posted (it may carry a stack trace).
	Raw []byte `json:"-"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// outcome is how one invocation ended on the API side.
type outcome struct {
	payload []byte
	err     *FunctionError
}

// Server is the Runtime API of one execution environment.
type Server struct {
	listener net.Listener
	http     *http.Server

	mu       sync.Mutex
	queue    chan *Invocation
	inflight map[string]chan outcome
	// nextCalled is closed at the first GET /next: init is over.
	nextCalled     chan struct{}
	nextCalledOnce sync.Once
	initErr        chan *FunctionError
	closed         chan struct{}
}

// NewServer listens on a free port of 127.0.0.1 and serves the API.
func NewServer() (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		listener:   l,
		queue:      make(chan *Invocation, 1),
		inflight:   map[string]chan outcome{},
		nextCalled: make(chan struct{}),
		initErr:    make(chan *FunctionError, 1),
		closed:     make(chan struct{}),
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.http.Serve(l)
	return s, nil
}

// Addr is host:port, the value of AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Close stops the server; a blocked /next returns 500 so the runtime exits.
func (s *Server) Close() error {
	s.mu.Lock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.http.Shutdown(ctx)
}

// Started is closed once the runtime asked for its first invocation.
func (s *Server) Started() <-chan struct{} { return s.nextCalled }

// InitError delivers an error the runtime posted to /init/error.
func (s *Server) InitError() <-chan *FunctionError { return s.initErr }

// Invoke hands inv to the runtime and waits for its response or error. It
// returns ctx's error if ctx ends first (the caller then kills the process).
func (s *Server) Invoke(ctx context.Context, inv *Invocation) ([]byte, *FunctionError, error) {
	done := make(chan outcome, 1)
	s.mu.Lock()
	s.inflight[inv.RequestID] = done
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.inflight, inv.RequestID)
		s.mu.Unlock()
	}()
	select {
	case s.queue <- inv:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	select {
	case o := <-done:
		return o.payload, o.err, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// ServeHTTP routes the four Runtime API calls.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !ok {
		apiError(w, http.StatusNotFound, "NotFound", "unknown path "+r.URL.Path)
		return
	}
	switch {
	case path == "invocation/next" && r.Method == http.MethodGet:
		s.next(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		fe := readFunctionError(r)
		select {
		case s.initErr <- fe:
		default:
		}
		accepted(w)
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		id, kind, _ := strings.Cut(strings.TrimPrefix(path, "invocation/"), "/")
		switch kind {
		case "response":
			body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
			if err != nil {
				apiError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
				return
			}
			if len(body) > 6<<20 {
				// Lambda's synchronous response limit is 6 MB.
				s.finish(w, id, outcome{err: &FunctionError{Type: "Function.ResponseSizeTooLarge", Message: "Response payload size exceeded maximum allowed payload size (6291556 bytes)."}})
				return
			}
			s.finish(w, id, outcome{payload: body})
		case "error":
			s.finish(w, id, outcome{err: readFunctionError(r)})
		default:
			apiError(w, http.StatusNotFound, "NotFound", "unknown path "+r.URL.Path)
		}
	default:
		apiError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method+" "+r.URL.Path)
	}
}

func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	s.nextCalledOnce.Do(func() { close(s.nextCalled) })
	select {
	case inv := <-s.queue:
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.RequestID)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.Deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.FunctionARN)
		h.Set("Lambda-Runtime-Trace-Id", inv.TraceID)
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(inv.Payload)
	case <-s.closed:
		apiError(w, http.StatusInternalServerError, "ServiceShutdown", "the sandbox is stopping this execution environment")
	case <-r.Context().Done():
	}
}

func (s *Server) finish(w http.ResponseWriter, id string, o outcome) {
	s.mu.Lock()
	done, ok := s.inflight[id]
	if ok {
		delete(s.inflight, id)
	}
	s.mu.Unlock()
	if !ok {
		apiError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: "+id)
		return
	}
	done <- o
	accepted(w)
}

func readFunctionError(r *http.Request) *FunctionError {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	fe := &FunctionError{Raw: body}
	if err := json.Unmarshal(body, fe); err != nil || (fe.Type == "" && fe.Message == "") {
		fe.Message = string(body)
	}
	if t := r.Header.Get("Lambda-Runtime-Function-Error-Type"); fe.Type == "" && t != "" {
		fe.Type = t
	}
	if fe.Type == "" {
		fe.Type = "Unhandled"
	}
	return fe
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func apiError(w http.ResponseWriter, code int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}
