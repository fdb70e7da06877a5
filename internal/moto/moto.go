// Package moto starts moto's standalone server on loopback for tests. moto is
// an AWS emulator we did not write, so tests against it check our AWS code
// against an independent reading of the AWS APIs.
package moto

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Server is a running moto server.
type Server struct {
	// Endpoint is the base URL, e.g. http://127.0.0.1:41234.
	Endpoint string
	cmd      *exec.Cmd
}

// Start runs `python3 -m moto.server` on a free loopback port and stops it
// when the test ends. When moto is missing the test is skipped, except in CI
// (CI=true) where a missing emulator is a broken machine and fails the test.
func Start(t testing.TB) *Server {
	t.Helper()
	if err := exec.Command("python3", "-c", "import moto.server").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("moto is required in CI but python3 -m moto.server is unavailable: %v", err)
		}
		t.Skipf("moto not installed (python3 -m moto.server): %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	cmd := exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_ALLOW_NONEXISTENT_REGION=true")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto: %v", err)
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
	t.Cleanup(s.stop)
	if err := s.waitReady(30 * time.Second); err != nil {
		t.Fatalf("moto did not become ready: %v", err)
	}
	return s
}

// Reset clears all of moto's state, so one server can serve several tests.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(s.Endpoint+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
}

// Env returns the environment that points the AWS SDKs at this server with
// dummy credentials and no shared config files or instance metadata.
func (s *Server) Env(region string) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + s.Endpoint,
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_SESSION_TOKEN=testing",
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
}

// Setenv applies Env to the current test process (restored after the test).
func (s *Server) Setenv(t testing.TB, region string) {
	t.Helper()
	for _, kv := range s.Env(region) {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				t.Setenv(kv[:i], kv[i+1:])
				break
			}
		}
	}
}

func (s *Server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

func (s *Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/moto-api/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
