package lambda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/internal/testtool"
	"github.com/gdlab-dev/gdlab/lambda"
	"github.com/gdlab-dev/gdlab/lambda/pack"
)

// TestBootstrapUnderRuntimeEmulator runs the function as Lambda does: the
// zip gdlab builds, unpacked, its bootstrap started by AWS's Runtime
// Interface Emulator and invoked over HTTP, with the SDK pointed at moto.
func TestBootstrapUnderRuntimeEmulator(t *testing.T) {
	rie := testtool.Require(t, "aws-lambda-rie", "go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d")
	w := newLabWorld(t)
	bootstrap := buildBootstrap(t)

	rieAddr, runtimeAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", rieAddr,
		"--runtime-api-address", runtimeAddr,
		"--log-level", "error",
		bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = append(w.env(), "PATH="+os.Getenv("PATH"), "AWS_LAMBDA_FUNCTION_TIMEOUT=30")
	// Its own process group, so stopping it also stops the bootstrap it ran.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var output lockedBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopGroup(cmd) })
	waitListening(t, rieAddr, 10*time.Second)
	listening := time.Since(started)

	event := w.findingEvent(t)
	first, coldStart := invoke(t, rieAddr, event)
	if first.Outcome != lambda.OutcomeIsolated || !first.Notified {
		t.Fatalf("first invoke: %+v, want isolated and notified\nemulator output:\n%s", first, output.String())
	}
	w.assertIsolated(t)
	w.assertNotified(t, "b4c6a1e2f3d4e5f6a7b8c9d0e1f2a3b4")

	second, warm := invoke(t, rieAddr, event)
	if second.Outcome != lambda.OutcomeAlreadyIsolated {
		t.Fatalf("second invoke: %+v, want already isolated\nemulator output:\n%s", second, output.String())
	}

	logs := output.String()
	if !strings.Contains(logs, `"msg":"instance isolated"`) || !strings.Contains(logs, `"requestId":`) {
		t.Errorf("the function's JSON log lines are missing from its output:\n%s", logs)
	}
	// The first invoke starts bootstrap (the emulator starts it lazily), so
	// its round trip is the cold start as a caller sees it.
	t.Logf("under the emulator: cold start to response %v, warm invoke %v, emulator listening after %v",
		coldStart.Round(time.Millisecond), warm.Round(time.Millisecond), listening.Round(time.Millisecond))
}

// buildBootstrap builds the zip for this machine's architecture and unpacks
// it the way Lambda does, keeping the mode from the zip.
func buildBootstrap(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		t.Skipf("the emulator runs linux/amd64 or linux/arm64 binaries, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	dir := t.TempDir()
	res, err := pack.Build(context.Background(), pack.Options{
		Arch: runtime.GOARCH, Output: filepath.Join(dir, "fn.zip"), SourceDir: pack.FindModuleRoot("."),
	})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	task := filepath.Join(dir, "task")
	if err := os.Mkdir(task, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(task, f.Name), data, f.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(task, "bootstrap")
}

// invoke posts event to the emulator and decodes the function's result.
func invoke(t *testing.T, addr string, event []byte) (lambda.Result, time.Duration) {
	t.Helper()
	url := "http://" + addr + "/2015-03-31/functions/function/invocations"
	start := time.Now()
	resp, err := http.Post(url, "application/json", bytes.NewReader(event))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("invoke: %s: %s", resp.Status, body)
	}
	var res lambda.Result
	if err := json.Unmarshal(body, &res); err != nil || res.Outcome == "" {
		t.Fatalf("invoke response is not a result (%v): %s", err, body)
	}
	return res, took
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitListening(t *testing.T, addr string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("emulator not listening on %s after %v", addr, limit)
}

// stopGroup stops the emulator and the bootstrap it started.
func stopGroup(cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}

// lockedBuffer collects the emulator's output, written from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
