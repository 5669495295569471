package difftest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The crash loop: a pipeline over a bounded, deterministic, rate-limited Nexmark source with
// checkpoints every 100 ms is killed with SIGKILL at seeded random moments (at least
// crashKills times) and started again with the same checkpoint directory until it finishes.
// What its sink committed must equal what an uninterrupted run commits: nothing lost, nothing
// doubled. The pipelines cover window aggregation, group aggregation with retractions,
// deduplication, Top-N, a regular join and an interval join, at parallelism 2 (so barriers
// are aligned across channels).

const (
	crashKills  = 20
	crashEvents = 60000
	// crashRate is the source's wall-clock rate (events per second over all splits): the
	// uninterrupted run lasts crashEvents/crashRate seconds, long enough for every kill to
	// land before the end.
	crashRate = 6000
)

type crashCase struct {
	name string
	// sink is the output table's columns; format is 'csv' for insert-only results and
	// 'debezium-json' for changelogs.
	sink, format, query string
}

var crashCases = []crashCase{
	{"window aggregation", "auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT, top BIGINT", "csv",
		`SELECT auction, window_start, window_end, COUNT(*), MAX(price)
		 FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))
		 GROUP BY auction, window_start, window_end`},
	{"group aggregation with retractions", "bids BIGINT, auctions BIGINT", "debezium-json",
		`SELECT bids, COUNT(*) FROM (SELECT auction, COUNT(*) AS bids FROM bid GROUP BY auction) GROUP BY bids`},
	{"deduplication", "bidder BIGINT, auction BIGINT, price BIGINT, dateTime TIMESTAMP(3)", "debezium-json",
		`SELECT bidder, auction, price, dateTime FROM (
		   SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime) AS rn FROM bid)
		 WHERE rn = 1`},
	{"top-n", "auction BIGINT, price BIGINT, bidder BIGINT, dateTime TIMESTAMP(3)", "debezium-json",
		`SELECT auction, price, bidder, dateTime FROM (
		   SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, bidder, dateTime) AS rn FROM bid)
		 WHERE rn <= 3`},
	{"regular join", "id BIGINT, seller BIGINT, bids BIGINT, top BIGINT", "debezium-json",
		`SELECT a.id, a.seller, b.bids, b.top FROM auction a
		 JOIN (SELECT auction, COUNT(*) AS bids, MAX(price) AS top FROM bid GROUP BY auction) b ON a.id = b.auction`},
	{"interval join", "id BIGINT, seller BIGINT, bidder BIGINT, price BIGINT", "csv",
		`SELECT a.id, a.seller, b.bidder, b.price FROM auction a JOIN bid b
		 ON a.id = b.auction AND b.dateTime BETWEEN a.dateTime AND a.dateTime + INTERVAL '2' SECOND`},
}

// crashScript renders a case's SQL: sources, the sink into dir, the INSERT.
func crashScript(c crashCase, dir string, throttled bool) string {
	var b strings.Builder
	src := func(name, cols string) {
		fmt.Fprintf(&b, `CREATE TABLE %s (%s, WATERMARK FOR dateTime AS dateTime - INTERVAL '1' SECOND)
WITH ('connector' = 'nexmark', 'table' = '%s', 'events.num' = '%d', 'first-event.rate' = '%d',
      'max-emit-speed' = '%v', 'seed' = '11');
`, name, cols, name, crashEvents, crashRate, !throttled)
	}
	src("bid", "auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3)")
	src("auction", "id BIGINT, seller BIGINT, category BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3)")
	fmt.Fprintf(&b, "CREATE TABLE out (%s) WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = '%s');\n", c.sink, dir, c.format)
	fmt.Fprintf(&b, "SET 'execution.checkpointing.interval' = '100 ms';\nSET 'parallelism.default' = '2';\n")
	fmt.Fprintf(&b, "SET 'restart-strategy.type' = 'none';\nINSERT INTO out %s;\n", c.query)
	return b.String()
}

func TestCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop: long")
	}
	bin := buildFloe(t)
	sem := make(chan struct{}, 2)
	for i, c := range crashCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			root := t.TempDir()
			want := runCrashCase(t, bin, c, filepath.Join(root, "ref"), false, nil)
			rng := rand.New(rand.NewPCG(uint64(i+1), 42))
			got := runCrashCase(t, bin, c, filepath.Join(root, "crash"), true, rng)
			if len(want) == 0 {
				t.Fatal("the uninterrupted run produced nothing")
			}
			if diff := diffRows(want, got); diff != "" {
				if os.Getenv("FLOE_CRASH_KEEP") != "" {
					keep := filepath.Join(os.TempDir(), "floe-crash-"+strings.ReplaceAll(c.name, " ", "-"))
					os.RemoveAll(keep)
					os.Rename(root, keep)
					t.Logf("kept the failing run in %s", keep)
				}
				t.Fatalf("output after %d kills differs from the uninterrupted run's:\n%s", crashKills, diff)
			}
		})
	}
}

// runCrashCase runs a case to its end and returns the sink's materialized rows. With rng set
// it kills the process crashKills times first, at random moments.
func runCrashCase(t *testing.T, bin string, c crashCase, dir string, throttled bool, rng *rand.Rand) []string {
	t.Helper()
	out, ck := filepath.Join(dir, "out"), filepath.Join(dir, "ck")
	must(t, os.MkdirAll(out, 0o755))
	script := filepath.Join(dir, "job.sql")
	must(t, os.WriteFile(script, []byte(crashScript(c, out, throttled)), 0o644))
	kills := 0
	deadline := time.Now().Add(5 * time.Minute)
	for run := 0; ; run++ {
		if time.Now().After(deadline) {
			t.Fatalf("the pipeline did not finish in 5 minutes (%d runs, %d kills)", run, kills)
		}
		cmd := exec.Command(bin, "run", "--checkpoint-dir", ck, script)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Stdout = &stderr
		must(t, cmd.Start())
		var killed bool
		var mu sync.Mutex
		if rng != nil && kills < crashKills {
			// Kill 50..400 ms after start: the first runs restore often, later ones get
			// through some checkpoints before being killed.
			d := time.Duration(50+rng.IntN(350)) * time.Millisecond
			timer := time.AfterFunc(d, func() {
				mu.Lock()
				killed = true
				mu.Unlock()
				cmd.Process.Kill()
			})
			defer timer.Stop()
		}
		err := cmd.Wait()
		mu.Lock()
		k := killed
		mu.Unlock()
		if k && err != nil {
			kills++
			continue
		}
		if err != nil {
			t.Fatalf("run %d failed: %v\n%s", run, err, stderr.String())
		}
		if rng != nil && kills < crashKills {
			t.Fatalf("the pipeline finished after only %d kills; make the input longer", kills)
		}
		break
	}
	return readSink(t, out, c.format)
}

// readSink materializes the committed files of a filesystem sink directory: csv lines as a
// multiset; debezium-json changes applied in commit order (part files by checkpoint id). A
// deletion of a row that is not there fails the test (output published twice, or lost).
func readSink(t *testing.T, dir, format string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	type part struct {
		name        string
		subtask, ck int
	}
	var parts []part
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") {
			if strings.HasSuffix(n, ".inprogress") {
				continue // uncommitted: not part of the output
			}
			continue
		}
		var p part
		p.name = n
		if _, err := fmt.Sscanf(strings.SplitN(n, ".", 2)[0], "part-%d-%d", &p.subtask, &p.ck); err != nil {
			t.Fatalf("unexpected file %s in the sink directory", n)
		}
		parts = append(parts, p)
	}
	slices.SortFunc(parts, func(a, b part) int {
		if a.ck != b.ck {
			return a.ck - b.ck
		}
		return a.subtask - b.subtask
	})
	live := map[string]int{}
	for _, p := range parts {
		f, err := os.Open(filepath.Join(dir, p.name))
		must(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if format != "debezium-json" {
				live[line]++
				continue
			}
			var ev struct {
				Before, After map[string]any
				Op            string
			}
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("%s: %v: %s", p.name, err, line)
			}
			switch ev.Op {
			case "c", "r", "u":
				b, _ := json.Marshal(ev.After)
				live[string(b)]++
			case "d":
				b, _ := json.Marshal(ev.Before)
				if live[string(b)] == 0 {
					t.Fatalf("%s retracts a row that is not there: %s", p.name, b)
				}
				live[string(b)]--
			default:
				t.Fatalf("%s: unknown op %q", p.name, ev.Op)
			}
		}
		must(t, sc.Err())
		f.Close()
	}
	var rows []string
	for r, n := range live {
		for range n {
			rows = append(rows, r)
		}
	}
	slices.Sort(rows)
	return rows
}

// diffRows describes how two sorted multisets differ ("" when equal).
func diffRows(want, got []string) string {
	if slices.Equal(want, got) {
		return ""
	}
	w, g := map[string]int{}, map[string]int{}
	for _, r := range want {
		w[r]++
	}
	for _, r := range got {
		g[r]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "want %d rows, got %d\n", len(want), len(got))
	shown := 0
	for r, n := range w {
		if g[r] < n && shown < 10 {
			fmt.Fprintf(&b, "  missing ×%d: %s\n", n-g[r], r)
			shown++
		}
	}
	for r, n := range g {
		if w[r] < n && shown < 20 {
			fmt.Fprintf(&b, "  extra ×%d: %s\n", n-w[r], r)
			shown++
		}
	}
	return b.String()
}

var (
	floeBinOnce sync.Once
	floeBin     string
	floeBinErr  error
)

// buildFloe builds the floe binary once per test process.
func buildFloe(t *testing.T) string {
	t.Helper()
	floeBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "floe-bin-")
		if err != nil {
			floeBinErr = err
			return
		}
		floeBin = filepath.Join(dir, "floe")
		cmd := exec.Command("go", "build", "-o", floeBin, "../cmd/floe")
		if out, err := cmd.CombinedOutput(); err != nil {
			floeBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if floeBinErr != nil {
		t.Fatal(floeBinErr)
	}
	return floeBin
}

// TestMain removes the floe binary the crash loop built.
func TestMain(m *testing.M) {
	code := m.Run()
	if floeBin != "" {
		os.RemoveAll(filepath.Dir(floeBin))
	}
	os.Exit(code)
}
