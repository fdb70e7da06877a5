package endpoint

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gdlab-dev/gdlab/sandbox/world"
)

// Server is a running endpoint.
type Server struct {
	// URL is the endpoint's base URL, e.g. http://127.0.0.1:41234.
	URL   string
	World *world.World

	ln       net.Listener
	http     *http.Server
	done     chan struct{} // closed when Serve returns
	serveErr error
}

// ErrNotLoopback is returned for an address that is not on the loopback interface.
var ErrNotLoopback = errors.New("the sandbox endpoint listens on loopback (127.0.0.1) only")

// LoopbackAddr is the address to listen on for a port (0 = any free port).
func LoopbackAddr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// checkLoopback refuses any host that is not a loopback IP or "localhost":
// the sandbox accepts unauthenticated changes and must never be reachable
// from another machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox endpoint address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: refusing %q", ErrNotLoopback, addr)
	}
	return nil
}

// Start listens on addr (which must be a loopback address, e.g. LoopbackAddr(0))
// and serves the world until Close.
func Start(w *world.World, addr string) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	if host, port, _ := net.SplitHostPort(addr); host == "localhost" {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox endpoint: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), World: w, ln: ln, done: make(chan struct{})}
	w.SetEndpoint(s.URL)
	s.http = &http.Server{
		Handler:           NewHandler(w),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       30 * time.Second,
	}
	go func() {
		s.serveErr = s.http.Serve(ln)
		close(s.done)
	}()
	return s, nil
}

// Close stops the server gracefully (in-flight requests finish) within ctx.
func (s *Server) Close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if err != nil {
		_ = s.http.Close()
	}
	<-s.done
	if s.serveErr != nil && !errors.Is(s.serveErr, http.ErrServerClosed) {
		return s.serveErr
	}
	return err
}

// Done is closed when the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err is why the server stopped (nil after Close); valid once Done is closed.
func (s *Server) Err() error {
	if errors.Is(s.serveErr, http.ErrServerClosed) {
		return nil
	}
	return s.serveErr
}
