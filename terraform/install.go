package terraform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hc-install/product"
	"github.com/hashicorp/hc-install/releases"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// MinVersion is the oldest terraform the lab supports.
var MinVersion = version.Must(version.NewVersion("1.5.0"))

// DefaultVersionConstraint picks the release InstallTerraform installs when
// no exact version is asked for.
const DefaultVersionConstraint = ">= 1.5.0, < 2.0.0"

// Binary is a usable terraform executable.
type Binary struct {
	Path    string
	Version *version.Version
}

// NotFoundError says no terraform binary was found.
type NotFoundError struct {
	CacheDir string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("terraform was not found on PATH or in %s: install terraform %s or newer (https://developer.hashicorp.com/terraform/install), or let gdlab install it into that folder", e.CacheDir, MinVersion)
}

// TooOldError says the terraform found is older than MinVersion.
type TooOldError struct {
	Binary
}

func (e *TooOldError) Error() string {
	return fmt.Sprintf("%s is terraform %s; the lab needs %s or newer", e.Path, e.Version, MinVersion)
}

// DefaultCacheDir is where InstallTerraform puts terraform by default.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "gdlab", "terraform"), nil
}

// FindTerraform looks for terraform on PATH, then in cacheDir (where
// InstallTerraform puts it), and checks its version. It never downloads.
func FindTerraform(ctx context.Context, cacheDir string) (*Binary, error) {
	var candidates []string
	if p, err := exec.LookPath("terraform"); err == nil {
		candidates = append(candidates, p)
	}
	if cacheDir != "" {
		candidates = append(candidates, filepath.Join(cacheDir, product.Terraform.BinaryName()))
	}
	var tooOld error
	for _, p := range candidates {
		b, err := checkBinary(ctx, p)
		var old *TooOldError
		switch {
		case err == nil:
			return b, nil
		case errors.As(err, &old):
			tooOld = err
		case errors.Is(err, os.ErrNotExist):
		default:
			return nil, err
		}
	}
	if tooOld != nil {
		return nil, tooOld
	}
	return nil, &NotFoundError{CacheDir: cacheDir}
}

// checkBinary asks a binary for its version through terraform-exec.
func checkBinary(ctx context.Context, path string) (*Binary, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	tf, err := tfexec.NewTerraform(os.TempDir(), path)
	if err != nil {
		return nil, err
	}
	v, _, err := tf.Version(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: reading terraform version: %w", path, err)
	}
	b := &Binary{Path: path, Version: v}
	if v.Core().LessThan(MinVersion) {
		return nil, &TooOldError{Binary: *b}
	}
	return b, nil
}

// InstallOptions configure InstallTerraform.
type InstallOptions struct {
	// CacheDir receives the binary; default DefaultCacheDir.
	CacheDir string
	// Version installs exactly this release, e.g. "1.11.4"; empty installs
	// the newest release matching Constraint.
	Version string
	// Constraint defaults to DefaultVersionConstraint.
	Constraint string
	// Timeout bounds the whole install; default 3 minutes.
	Timeout time.Duration
	// ReleasesURL replaces https://releases.hashicorp.com (same layout).
	ReleasesURL string
	// HTTPClient replaces the default client, which does not retry so that
	// an offline machine gets its answer in seconds.
	HTTPClient *http.Client
}

// OfflineError says the release server could not be reached.
type OfflineError struct {
	Err error
}

func (e *OfflineError) Error() string {
	return "could not download terraform (no connection to the release server?): install terraform yourself and put it on PATH: " + e.Err.Error()
}

func (e *OfflineError) Unwrap() error { return e.Err }

// InstallTerraform downloads terraform into the cache folder with
// hc-install, which verifies the download's checksums and their signature.
// An exact version already in the cache is reused without a download.
func InstallTerraform(ctx context.Context, opts InstallOptions) (*Binary, error) {
	if opts.CacheDir == "" {
		dir, err := DefaultCacheDir()
		if err != nil {
			return nil, err
		}
		opts.CacheDir = dir
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 3 * time.Minute
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = noRetryClient()
	}
	if err := os.MkdirAll(opts.CacheDir, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	var path string
	var err error
	if opts.Version != "" {
		want, verr := version.NewVersion(opts.Version)
		if verr != nil {
			return nil, fmt.Errorf("terraform version %q: %w", opts.Version, verr)
		}
		if b, cerr := checkBinary(ctx, filepath.Join(opts.CacheDir, product.Terraform.BinaryName())); cerr == nil && b.Version.Equal(want) {
			return b, nil
		}
		ev := &releases.ExactVersion{
			Product: product.Terraform, Version: want, InstallDir: opts.CacheDir,
			Timeout: opts.Timeout, ApiBaseURL: opts.ReleasesURL, HTTPClient: opts.HTTPClient,
		}
		path, err = ev.Install(ctx)
	} else {
		c := opts.Constraint
		if c == "" {
			c = DefaultVersionConstraint
		}
		cs, cerr := version.NewConstraint(c)
		if cerr != nil {
			return nil, fmt.Errorf("terraform version constraint %q: %w", c, cerr)
		}
		lv := &releases.LatestVersion{
			Product: product.Terraform, Constraints: cs, InstallDir: opts.CacheDir,
			Timeout: opts.Timeout, ApiBaseURL: opts.ReleasesURL, HTTPClient: opts.HTTPClient,
		}
		path, err = lv.Install(ctx)
	}
	if err != nil {
		if isConnectionError(ctx, err) {
			return nil, &OfflineError{Err: err}
		}
		return nil, fmt.Errorf("installing terraform: %w", err)
	}
	return checkBinary(ctx, path)
}

func noRetryClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}}
}

// isConnectionError tells network failures (no route, refused, DNS,
// timeout) from a release server that answered with an error.
func isConnectionError(ctx context.Context, err error) bool {
	var netErr net.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &opErr) || errors.As(err, &dnsErr) || (errors.As(err, &netErr) && netErr.Timeout())
}
