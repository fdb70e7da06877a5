package terraform

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFindTerraform(t *testing.T) {
	path := terraformBinary(t)
	ctx := testContext(t)

	b, err := FindTerraform(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if b.Path != path || b.Version.LessThan(MinVersion) {
		t.Errorf("found %s %s, want %s", b.Path, b.Version, path)
	}

	// A binary too old for the lab, in the cache folder, with nothing on PATH.
	cache := t.TempDir()
	fake := "#!/bin/sh\necho '{\"terraform_version\":\"1.4.7\",\"platform\":\"linux_amd64\",\"provider_selections\":{},\"terraform_outdated\":false}'\n"
	if err := os.WriteFile(filepath.Join(cache, "terraform"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = FindTerraform(ctx, cache)
	var old *TooOldError
	if !errors.As(err, &old) || old.Version.String() != "1.4.7" || !strings.Contains(err.Error(), "1.5.0") {
		t.Errorf("old binary: %v, want *TooOldError naming 1.5.0", err)
	}

	_, err = FindTerraform(ctx, t.TempDir())
	var missing *NotFoundError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "install terraform") {
		t.Errorf("no binary: %v, want *NotFoundError", err)
	}
}

// TestInstallTerraformOffline: with no way to reach the release server the
// install fails with OfflineError, quickly rather than after retries.
func TestInstallTerraformOffline(t *testing.T) {
	// A port that refuses connections: listen, note the address, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()

	// A server that accepts connections and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()

	tests := []struct {
		name string
		opts InstallOptions
	}{
		{name: "connection refused, latest", opts: InstallOptions{ReleasesURL: refused}},
		{name: "connection refused, exact", opts: InstallOptions{ReleasesURL: refused, Version: "1.11.4"}},
		{name: "server never answers", opts: InstallOptions{ReleasesURL: "http://" + silent.Addr().String(), Timeout: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.CacheDir = t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := InstallTerraform(ctx, tt.opts)
			var offline *OfflineError
			if !errors.As(err, &offline) {
				t.Fatalf("install: %v, want *OfflineError", err)
			}
			if ctx.Err() != nil {
				t.Fatal("install ran into the test's own deadline: it hangs")
			}
			t.Log(err)
			if !strings.Contains(err.Error(), "install terraform yourself") {
				t.Errorf("message %q lacks the way out", err)
			}
		})
	}
}

func TestInstallTerraformReusesCachedExactVersion(t *testing.T) {
	path := terraformBinary(t)
	ctx := testContext(t)
	b, err := FindTerraform(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "terraform"), src, 0o755); err != nil {
		t.Fatal(err)
	}
	// The release URL refuses connections: only the cache can satisfy this.
	got, err := InstallTerraform(ctx, InstallOptions{CacheDir: cache, Version: b.Version.String(), ReleasesURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Path != filepath.Join(cache, "terraform") || !got.Version.Equal(b.Version) {
		t.Errorf("got %+v", got)
	}
}
