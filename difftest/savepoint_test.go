package difftest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/checkpoint/blob"
)

// TestSIGTERMSavepoint stops `floe run` with SIGTERM: it takes a savepoint and exits 0; `floe
// explain --against-checkpoint` reports every operator restored; the next run resumes from
// the savepoint and the output equals an uninterrupted run's.
func TestSIGTERMSavepoint(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildFloe(t)
	c := crashCases[1] // group aggregation with retractions
	dir := t.TempDir()
	want := runCrashCase(t, bin, c, filepath.Join(dir, "ref"), false, nil)

	run := filepath.Join(dir, "run")
	out, ck := filepath.Join(run, "out"), filepath.Join(run, "ck")
	must(t, os.MkdirAll(out, 0o755))
	script := filepath.Join(run, "job.sql")
	must(t, os.WriteFile(script, []byte(crashScript(c, out, true)), 0o644))
	cmd := exec.Command(bin, "run", "--checkpoint-dir", ck, script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	must(t, cmd.Start())
	store, err := blob.NewLocal(ck)
	must(t, err)
	st := checkpoint.New(store, checkpoint.Options{})
	deadline := time.Now().Add(time.Minute)
	for {
		m, err := st.Latest(context.Background())
		must(t, err)
		if m != nil && m.ID >= 3 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no checkpoint within a minute:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, cmd.Process.Signal(syscall.SIGTERM))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("floe run after SIGTERM: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped with a savepoint") {
		t.Fatalf("stderr: %s", stderr.String())
	}
	m, err := st.Latest(context.Background())
	must(t, err)
	if m.Kind != checkpoint.KindSavepoint {
		t.Fatalf("latest is a %s, want a savepoint", m.Kind)
	}
	explain, err := exec.Command(bin, "explain", "--against-checkpoint", ck, script).CombinedOutput()
	if err != nil {
		t.Fatalf("explain: %v\n%s", err, explain)
	}
	state := string(explain[strings.Index(string(explain), "== State against savepoint"):])
	if strings.Contains(state, "dropped") || strings.Count(state, "restored") < 4 {
		t.Fatalf("explain against the savepoint:\n%s", state)
	}
	resumed, err := exec.Command(bin, "run", "--checkpoint-dir", ck, script).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, resumed)
	}
	if diff := diffRows(want, readSink(t, out, c.format)); diff != "" {
		t.Fatalf("output after a savepoint and a restart differs:\n%s", diff)
	}
}
