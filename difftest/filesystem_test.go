package difftest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/bench"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/internal/collect"
)

// TestNexmarkToJSONFiles writes the Nexmark bids through the filesystem sink and checks that
// DuckDB's read_json reads back exactly the rows the source produced.
func TestNexmarkToJSONFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "bids")
	setup := bench.SourceDDL(nexmarkEvents, nexmarkRate)
	script := setup + fmt.Sprintf(`;
CREATE TABLE bid_files (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR)
WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'json');
INSERT INTO bid_files SELECT * FROM bid;`, out)
	var tables collect.Tables
	s := engine.New(registry(&tables), io.Discard, nil)
	must(t, s.Config.Set("parallelism.default", "2"))
	must(t, s.Execute(context.Background(), script, engine.Run))

	db := loadDuckDB(t, setup, []string{"bid"})
	want := runDuck(t, db, `SELECT * FROM bid`)
	got := runDuck(t, db, fmt.Sprintf(`SELECT auction, bidder, price, channel, url, CAST(dateTime AS TIMESTAMP), extra
		FROM read_json('%s/*.json', format = 'newline_delimited',
		  columns = {auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', channel: 'VARCHAR', url: 'VARCHAR', dateTime: 'TIMESTAMP', extra: 'VARCHAR'})`, out))
	if len(want) != nexmarkEvents*46/50 {
		t.Fatalf("source produced %d bids, want %d", len(want), nexmarkEvents*46/50)
	}
	if !equalRows(want, got) {
		t.Fatalf("DuckDB read back different rows (%d vs %d):\n%s", len(got), len(want), diff(want, got))
	}
	// Auto-detected types too: DuckDB must see the timestamps as timestamps.
	rows := runDuck(t, db, fmt.Sprintf(`SELECT typeof(dateTime) FROM read_json('%s/*.json', format = 'newline_delimited') LIMIT 1`, out))
	if len(rows) != 1 || rows[0] != "TIMESTAMP" {
		t.Fatalf("DuckDB auto-detects dateTime as %v, want TIMESTAMP", rows)
	}
}

// TestDisorderWithinBound feeds events out of order (by up to 3 s, within the 5 s watermark
// delay) from several files and checks windows and sessions against DuckDB: no row may be
// late, and the result must not depend on the arrival order.
func TestDisorderWithinBound(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(42, 7))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type ev struct {
		ts    time.Time
		user  int
		value int
	}
	var evs []ev
	for i := 0; i < 6000; i++ {
		evs = append(evs, ev{ts: base.Add(time.Duration(i*50+rng.IntN(40)) * time.Millisecond), user: rng.IntN(30), value: rng.IntN(1000)})
	}
	// Shuffle within blocks of 3 s of event time, then split over 3 files.
	for i := 0; i < len(evs); {
		j := i
		for j < len(evs) && evs[j].ts.Sub(evs[i].ts) < 3*time.Second {
			j++
		}
		rng.Shuffle(j-i, func(a, b int) { evs[i+a], evs[i+b] = evs[i+b], evs[i+a] })
		i = j
	}
	files := make([]strings.Builder, 3)
	for i, e := range evs {
		fmt.Fprintf(&files[i%3], `{"user_id": %d, "v": %d, "ts": "%s"}`+"\n", e.user, e.value, e.ts.Format("2006-01-02 15:04:05.000"))
	}
	for i := range files {
		must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.json", i)), []byte(files[i].String()), 0o644))
	}
	setup := fmt.Sprintf(`CREATE TABLE events (user_id INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
		WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'json')`, dir)
	for _, c := range []testCase{
		{
			name: "tumble",
			floe: `SELECT user_id, window_start, COUNT(*) AS n, SUM(v) AS total
			       FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY user_id, window_start, window_end`,
			duckdb: `SELECT user_id, make_timestamp(CAST(floor(epoch_us(ts) / 10000000) * 10000000 AS BIGINT)) AS ws, count(*), sum(v)
			         FROM events GROUP BY user_id, ws`,
		},
		{
			name: "session",
			floe: `SELECT user_id, window_start, window_end, COUNT(*) AS n
			       FROM TABLE(SESSION(TABLE events PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '2' SECOND))
			       GROUP BY user_id, window_start, window_end`,
			duckdb: `WITH b AS (SELECT user_id, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY user_id ORDER BY ts) <= INTERVAL 2 SECOND THEN 0 ELSE 1 END AS n FROM events),
			         s AS (SELECT *, sum(n) OVER (PARTITION BY user_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid FROM b)
			         SELECT user_id, min(ts), max(ts) + INTERVAL 2 SECOND, count(*) FROM s GROUP BY user_id, sid`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.setup, c.tables = setup, []string{"events"}
			check(t, c)
		})
	}
}
