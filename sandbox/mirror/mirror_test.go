package mirror

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func fakeExe(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "gdlab")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestPrepareLaysOutTheMirror(t *testing.T) {
	lab := t.TempDir()
	exe := fakeExe(t)
	cfgPath, env, err := Prepare(lab, exe)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Layout(lab)
	if cfgPath != p.CLIConfig {
		t.Errorf("config at %s, layout says %s", cfgPath, p.CLIConfig)
	}
	wantLauncher := filepath.Join(lab, ".gdlab", "sandbox", "mirror", "registry.terraform.io", "hashicorp", "aws",
		"6.999.0", runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-aws_v6.999.0")
	fi, err := os.Stat(wantLauncher)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("launcher is not executable: %v", fi.Mode())
	}
	cfg, _ := os.ReadFile(cfgPath)
	for _, want := range []string{`path    = "` + p.Mirror + `"`, `include = ["registry.terraform.io/hashicorp/aws"]`,
		`exclude = ["registry.terraform.io/hashicorp/aws"]`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("CLI config lacks %s:\n%s", want, cfg)
		}
	}
	envs := strings.Join(env, "\n")
	for _, want := range []string{"TF_CLI_CONFIG_FILE=" + cfgPath, ExeEnv + "=" + exe} {
		if !strings.Contains(envs, want) {
			t.Errorf("env lacks %s: %v", want, env)
		}
	}

	// Idempotent: a second run changes nothing, not even modification times.
	before, _ := os.Stat(wantLauncher)
	time.Sleep(10 * time.Millisecond)
	if _, _, err := Prepare(lab, exe); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(wantLauncher)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("a second Prepare rewrote the launcher")
	}
}

// The launcher does not depend on where gdlab is, so terraform's recorded package hash stays
// valid when gdlab moves or is rebuilt.
func TestLauncherIsTheSameForEveryBinary(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, _, err := Prepare(a, fakeExe(t)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Prepare(b, fakeExe(t)); err != nil {
		t.Fatal(err)
	}
	pa, _ := Layout(a)
	pb, _ := Layout(b)
	la, _ := os.ReadFile(pa.Launcher)
	lb, _ := os.ReadFile(pb.Launcher)
	if !bytes.Equal(la, lb) {
		t.Error("launchers differ between binaries")
	}
}

func TestPrepareRefusesAMissingBinary(t *testing.T) {
	if _, _, err := Prepare(t.TempDir(), filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("a missing gdlab binary was accepted")
	}
	if _, _, err := Prepare(t.TempDir(), ""); err == nil {
		t.Error("an empty gdlab path was accepted")
	}
}

// The launcher runs the binary it is given with `sandbox provider`, and refuses to run
// without one.
func TestLauncherExecsGdlab(t *testing.T) {
	lab := t.TempDir()
	record := filepath.Join(t.TempDir(), "args")
	exe := filepath.Join(t.TempDir(), "gdlab")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\necho \"$@\" > "+record+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, env, err := Prepare(lab, exe)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Layout(lab)
	cmd := exec.Command(p.Launcher)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("launcher: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(record)
	if strings.TrimSpace(string(got)) != "sandbox provider" {
		t.Errorf("gdlab ran with %q", got)
	}
	cmd = exec.Command(p.Launcher)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "only works inside gdlab's sandbox") {
		t.Errorf("launcher without gdlab's environment: %v %s", err, out)
	}
}

// terraform itself installs the sandbox provider from the mirror for the lab's `~> 6.0`
// constraint and reaches no registry (there is no network here).
func TestTerraformInitInstallsFromTheMirror(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not on PATH")
	}
	lab := t.TempDir()
	_, env, err := Prepare(lab, fakeExe(t))
	if err != nil {
		t.Fatal(err)
	}
	main := "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 6.0\"\n    }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(lab, "main.tf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // a second init (as on every gdlab run) agrees with the lock file
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "terraform", "init", "-no-color", "-input=false")
		cmd.Dir = lab
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "TF_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("terraform init (run %d): %v\n%s", i+1, err, out)
		}
		if i == 0 && !strings.Contains(string(out), "Installing hashicorp/aws v6.999.0") {
			t.Errorf("terraform did not install the sandbox provider:\n%s", out)
		}
	}
	lock, _ := os.ReadFile(filepath.Join(lab, ".terraform.lock.hcl"))
	if !strings.Contains(string(lock), `version     = "6.999.0"`) {
		t.Errorf("lock file:\n%s", lock)
	}
}
