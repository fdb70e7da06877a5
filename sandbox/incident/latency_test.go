package incident

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// isolationLatency runs a fresh lab until the instance is isolated and
// returns the real time from the finding's EventBridge event to the instance
// being in the forensic group.
func isolationLatency(t *testing.T, zipPath, arch, exe string) time.Duration {
	t.Helper()
	l := openLab(t, t.TempDir())
	l.build(t, zipPath, arch)
	e := startEngine(t, l, 600, exe)
	var isolated time.Time
	waitFor(t, "isolation", func() bool {
		if slices.Equal(instanceGroups(l.w, l.compromised), []string{l.forensicSG}) {
			isolated = time.Now()
			return true
		}
		return false
	})
	for _, m := range e.Timeline() {
		if m.Name == "finding published to EventBridge" {
			return isolated.Sub(m.Real)
		}
	}
	t.Fatal("no publication in the timeline")
	return 0
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// TestIsolationLatencyFigure logs the figure of issue 8 (finding event →
// instance isolated, median of 5); it is a benchmark, not an assertion.
func TestIsolationLatencyFigure(t *testing.T) {
	needLinux(t)
	if testing.Short() {
		t.Skip("figure only")
	}
	zipPath, err := nativeZip()
	if err != nil {
		t.Fatal(err)
	}
	var ds []time.Duration
	for range 5 {
		ds = append(ds, isolationLatency(t, zipPath, map[string]string{"amd64": "x86_64", "arm64": "arm64"}[goarch()], ""))
	}
	t.Logf("FIGURE finding event → instance isolated (own bootstrap): median %v of %v", median(ds), ds)
}

// TestLambdaModeWithGdlab: a package whose bootstrap cannot run here (the
// lab builds arm64) runs through `gdlab sandbox lambda` instead.
func TestLambdaModeWithGdlab(t *testing.T) {
	needLinux(t)
	if testing.Short() {
		t.Skip("builds the gdlab binary")
	}
	exe, err := gdlabExe()
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "foreign.zip")
	writeZip(t, zipPath, "bootstrap", "not an executable for this machine\n")
	var ds []time.Duration
	for range 5 {
		ds = append(ds, isolationLatency(t, zipPath, "arm64", exe))
	}
	t.Logf("FIGURE finding event → instance isolated (gdlab Lambda mode): median %v of %v", median(ds), ds)
}

// TestForeignBootstrapWithoutGdlab: with no gdlab executable the function
// cannot start, the delivery fails and nothing is isolated.
func TestForeignBootstrapWithoutGdlab(t *testing.T) {
	zipPath := filepath.Join(t.TempDir(), "foreign.zip")
	writeZip(t, zipPath, "bootstrap", "#!/nonexistent\n")
	l := openLab(t, t.TempDir())
	l.build(t, zipPath, "arm64")
	e := startEngine(t, l, 600, "")
	waitFor(t, "the failed Lambda delivery", func() bool {
		for _, m := range e.Timeline() {
			if m.Name == "delivery failed" && strings.Contains(m.Detail, "InvalidEntrypoint") {
				return true
			}
		}
		return false
	})
	if got := instanceGroups(l.w, l.compromised); !slices.Equal(got, []string{l.initialSG}) {
		t.Errorf("groups %v, want the initial group", got)
	}
}

func writeZip(t *testing.T, path, name, content string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
