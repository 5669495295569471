package difftest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/checkpoint/blob"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/exec"
)

const restoreSource = `
CREATE TABLE bid (auction BIGINT, price BIGINT, dateTime TIMESTAMP(3))
WITH ('connector' = 'nexmark', 'table' = 'bid', 'events.num' = '40000', 'first-event.rate' = '%d',
      'max-emit-speed' = '%v', 'seed' = '5');
SET 'execution.checkpointing.interval' = '50 ms';
SET 'parallelism.default' = '2';
`

// runStopped runs script until its first checkpoints completed, stops it with a savepoint and
// returns the savepoint's directory.
func runStopped(t *testing.T, script, ckDir string) string {
	t.Helper()
	s := engine.New(registry(nil), io.Discard, nil)
	s.CheckpointDir = ckDir
	done := make(chan error, 1)
	go func() { done <- s.Execute(context.Background(), script, engine.Run) }()
	store, err := blob.NewLocal(ckDir)
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
			t.Fatal("no checkpoint within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, s.StopWithSavepoint(context.Background()))
	if err := <-done; !errors.Is(err, exec.ErrSavepointStop) {
		t.Fatalf("stopped run: %v", err)
	}
	m, err := st.Latest(context.Background())
	must(t, err)
	if m.Kind != checkpoint.KindSavepoint {
		t.Fatalf("latest is a %s", m.Kind)
	}
	return filepath.Join(ckDir, checkpoint.DirName(m.Kind, m.ID))
}

// lastValues returns, per auction, the last row the changelog files in dir inserted, reading
// files by checkpoint id (only files written after checkpoint from).
func lastValues(t *testing.T, dir string, from int64) map[float64]map[string]any {
	t.Helper()
	es, err := os.ReadDir(dir)
	must(t, err)
	type part struct {
		name    string
		sub, ck int64
	}
	var parts []part
	for _, e := range es {
		var p part
		if _, err := fmt.Sscanf(e.Name(), "part-%d-%d.json", &p.sub, &p.ck); err == nil && p.ck > from {
			p.name = e.Name()
			parts = append(parts, p)
		}
	}
	slices.SortFunc(parts, func(a, b part) int { return int(a.ck - b.ck) })
	out := map[float64]map[string]any{}
	for _, p := range parts {
		f, err := os.Open(filepath.Join(dir, p.name))
		must(t, err)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var ev struct {
				After map[string]any
				Op    string
			}
			must(t, json.Unmarshal(sc.Bytes(), &ev))
			if ev.Op == "c" {
				out[ev.After["auction"].(float64)] = ev.After
			}
		}
		f.Close()
	}
	return out
}

// TestRestoreAfterPlanChange stops a group aggregation with a savepoint, then starts a changed
// pipeline from it: a column added to the projection after the aggregation keeps the
// aggregation's state (the counts go on from where they were, and end equal to those of an
// uninterrupted run); a changed aggregation is refused, naming the state that would be lost,
// unless non-restored state is allowed.
func TestRestoreAfterPlanChange(t *testing.T) {
	dir := t.TempDir()
	outA := filepath.Join(dir, "out")
	scriptA := fmt.Sprintf(restoreSource, 20000, false) + fmt.Sprintf(`
CREATE TABLE out (auction BIGINT, cnt BIGINT) WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'debezium-json');
INSERT INTO out SELECT auction, cnt FROM (SELECT auction, COUNT(*) AS cnt FROM bid GROUP BY auction);
`, outA)
	sp := runStopped(t, scriptA, filepath.Join(dir, "ck"))
	spID := int64(0)
	fmt.Sscanf(filepath.Base(sp), "sp-%d", &spID)

	// The reference: the changed pipeline, uninterrupted.
	ref := filepath.Join(dir, "ref")
	changed := func(out string, rate int, throttle bool) string {
		return fmt.Sprintf(restoreSource, rate, throttle) + fmt.Sprintf(`
CREATE TABLE out (auction BIGINT, cnt BIGINT, twice BIGINT) WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'debezium-json');
INSERT INTO out SELECT auction, cnt, cnt * 2 FROM (SELECT auction, COUNT(*) AS cnt FROM bid GROUP BY auction);
`, out)
	}
	s := engine.New(registry(nil), io.Discard, nil)
	s.CheckpointDir = filepath.Join(dir, "refck")
	must(t, s.Execute(context.Background(), changed(ref, 20000, true), engine.Run))
	want := lastValues(t, ref, 0)

	s = engine.New(registry(nil), io.Discard, nil)
	s.CheckpointDir = filepath.Join(dir, "ck2")
	s.FromSavepoint = sp
	must(t, s.Execute(context.Background(), changed(outA, 20000, true), engine.Run))
	got := lastValues(t, outA, spID)
	if len(got) == 0 {
		t.Fatal("the restored pipeline wrote nothing")
	}
	// Every auction updated after the restore has its uninterrupted count: the counts went on
	// from the savepoint's state instead of restarting from zero.
	for auction, row := range got {
		if w := want[auction]; w == nil || w["cnt"] != row["cnt"] || row["twice"] != 2*row["cnt"].(float64) {
			t.Fatalf("auction %v: got %v, want %v", auction, row, w)
		}
	}

	// A changed aggregation cannot take the old one's state.
	sum := fmt.Sprintf(restoreSource, 20000, true) + fmt.Sprintf(`
CREATE TABLE out (auction BIGINT, cnt BIGINT) WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'debezium-json');
INSERT INTO out SELECT auction, total FROM (SELECT auction, SUM(price) AS total FROM bid GROUP BY auction);
`, outA)
	s = engine.New(registry(nil), io.Discard, nil)
	s.CheckpointDir = filepath.Join(dir, "ck3")
	s.FromSavepoint = sp
	err := s.Execute(context.Background(), sum, engine.Run)
	if err == nil || !strings.Contains(err.Error(), "GroupAgg") || !strings.Contains(err.Error(), "--allow-non-restored-state") {
		t.Fatalf("restoring a changed aggregation: %v", err)
	}
	s = engine.New(registry(nil), io.Discard, nil)
	s.CheckpointDir = filepath.Join(dir, "ck4")
	s.FromSavepoint = sp
	s.AllowNonRestoredState = true
	must(t, s.Execute(context.Background(), sum, engine.Run))
}
