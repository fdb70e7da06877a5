package terraform

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestLockRefusesSecondOpenInProcess(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenWorkspace(dir)
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second open: %v, want *LockedError", err)
	}
	if locked.PID != os.Getpid() || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("error %q does not name pid %d", err, os.Getpid())
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenWorkspace(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}

// TestLockAcrossProcessesAndCrash holds the lock in a child process, checks
// that this process is refused with the child's pid, then kills the child
// the hard way and expects the lock to be free.
func TestLockAcrossProcessesAndCrash(t *testing.T) {
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "GDLAB_TEST_HOLD_LOCK="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	_, err = OpenWorkspace(dir)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != cmd.Process.Pid {
		t.Fatalf("open while the helper holds the lock: %v (want pid %d)", err, cmd.Process.Pid)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	ws, err := OpenWorkspace(dir)
	if err != nil {
		t.Fatalf("lock not released by the crash: %v", err)
	}
	ws.Close()
}
