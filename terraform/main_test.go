package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gdlab-dev/gdlab/internal/testtool"
)

// TestMain gives terraform a clean CLI configuration (an empty file, no
// plugin cache) so tests never read the developer's setup or the network,
// and turns the test binary into a lock-holding helper process on request.
func TestMain(m *testing.M) {
	if dir := os.Getenv("GDLAB_TEST_HOLD_LOCK"); dir != "" {
		holdLock(dir)
		return
	}
	tmp, err := os.MkdirTemp("", "gdlab-terraform-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rc := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TF_CLI_CONFIG_FILE", rc)
	os.Setenv("CHECKPOINT_DISABLE", "1")
	os.Unsetenv("TF_PLUGIN_CACHE_DIR")
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// holdLock is the helper process: it locks the lab folder, says so on
// stdout, and waits to be killed.
func holdLock(dir string) {
	ws, err := OpenWorkspace(dir)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	defer ws.Close()
	fmt.Println("locked")
	time.Sleep(time.Minute)
}

// terraformBinary is the terraform on PATH. Without one the runner tests
// skip on a developer machine and fail in CI.
func terraformBinary(tb testing.TB) string {
	tb.Helper()
	return testtool.Require(tb, "terraform", "terraform is preinstalled on this kind of machine")
}

// fixtureLab is the testdata lab in the layout of terraform/lab's Files.
var fixtureLab = os.DirFS("testdata/lab")

// testLab opens a workspace in a temp folder, writes the given fixture
// fragments and returns a runner for it.
func testLab(tb testing.TB, fragments []string, vars map[string]any, opts Options) (*Workspace, *Runner) {
	tb.Helper()
	opts.ExecPath = terraformBinary(tb)
	ws, err := OpenWorkspace(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ws.Close() })
	writeRoot(tb, ws, fragments, vars)
	r, err := NewRunner(ws, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return ws, r
}

func writeRoot(tb testing.TB, ws *Workspace, fragments []string, vars map[string]any) WriteResult {
	tb.Helper()
	if vars == nil {
		vars = map[string]any{"lab_id": "ab12cd34"}
	}
	res, err := ws.Write(Root{Files: fixtureLab, Fragments: fragments, Variables: vars}, WriteOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// testContext bounds a test's terraform commands so a hang fails the test.
func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	tb.Cleanup(cancel)
	return ctx
}

// recorder keeps the events a command emitted.
type recorder struct{ events []Event }

func (r *recorder) handle(ev Event) { r.events = append(r.events, ev) }

func (r *recorder) types() []string {
	var ts []string
	for _, ev := range r.events {
		ts = append(ts, string(TypeOf(ev)))
	}
	return ts
}
