package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/aws/smithy-go/logging"
)

// logFile is gdlab's own log inside the lab folder's .gdlab/, next to
// terraform.log; the terminal belongs to the TUI or the command's output.
const logFile = "gdlab.log"

// openLogger returns a JSON slog logger appending to <dir>/.gdlab/gdlab.log,
// creating the folder when needed, and the function that closes the file.
func openLogger(dir string) (*slog.Logger, func() error, error) {
	folder := filepath.Join(dir, ".gdlab")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, nil, fmt.Errorf("lab folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(folder, logFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return logger, f.Close, nil
}

// sdkLogger sends the AWS SDK's own warnings (retries, IMDS fallbacks) to
// the log file; the SDK's default writes them to stderr, over the TUI.
type sdkLogger struct{ log *slog.Logger }

func (l sdkLogger) Logf(classification logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if classification == logging.Warn {
		level = slog.LevelWarn
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, v...), "source", "aws-sdk")
}
