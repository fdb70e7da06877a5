package terraform

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockedError says another gdlab process works in the lab folder.
type LockedError struct {
	Dir string
	// PID of the holder as it wrote it into the lock file; 0 if unknown.
	PID int
}

func (e *LockedError) Error() string {
	who := "another gdlab process"
	if e.PID > 0 {
		who = fmt.Sprintf("another gdlab process (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is already working in %s; wait for it to finish or stop it, then try again", who, e.Dir)
}

// folderLock is an exclusive flock on .gdlab/lock. The kernel drops it when
// the process exits for any reason, so a crash never leaves a stale lock.
type folderLock struct {
	file *os.File
}

func lockFolder(dir string) (*folderLock, error) {
	path := filepath.Join(dir, journalDir, "lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lab lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Dir: dir, PID: readLockPID(path)}
		}
		return nil, fmt.Errorf("lab lock: %w", err)
	}
	// The pid is only for the message a second process prints.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &folderLock{file: f}, nil
}

func readLockPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}

func (l *folderLock) unlock() error {
	if l == nil || l.file == nil {
		return nil
	}
	// The file stays: removing it would let a waiter lock an unlinked inode
	// while a third process creates and locks a fresh one.
	_ = l.file.Truncate(0)
	err := l.file.Close() // closing the descriptor releases the flock
	l.file = nil
	return err
}
