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
// delay) from several files and checks windows, sessions, interval and window joins,
// deduplication and ranking against DuckDB: no row may be late, and the result must not depend
// on the arrival order.
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
			name: "hop",
			floe: `SELECT user_id, window_start, COUNT(*) AS n, SUM(v) AS total, MAX(v) AS top
			       FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '6' SECOND)) GROUP BY user_id, window_start, window_end`,
			duckdb: `WITH w AS (SELECT user_id, v, unnest(generate_series(
			             CAST(floor(epoch_us(ts) / 2000000) * 2000000 AS BIGINT) - 4000000,
			             CAST(floor(epoch_us(ts) / 2000000) * 2000000 AS BIGINT), 2000000)) AS s FROM events)
			         SELECT user_id, make_timestamp(s), count(*), sum(v), max(v) FROM w GROUP BY user_id, s`,
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
		{
			name: "interval_self_join",
			floe: `SELECT a.user_id, COUNT(*) AS n FROM events a JOIN events b
			       ON a.user_id = b.user_id AND a.ts BETWEEN b.ts - INTERVAL '1' SECOND AND b.ts + INTERVAL '1' SECOND
			       GROUP BY a.user_id`,
			duckdb: `SELECT a.user_id, count(*) FROM events a JOIN events b
			         ON a.user_id = b.user_id AND a.ts BETWEEN b.ts - INTERVAL 1 SECOND AND b.ts + INTERVAL 1 SECOND
			         GROUP BY a.user_id`,
		},
		{
			name: "left_interval_join_residual",
			floe: `SELECT a.user_id, a.ts, b.v FROM events a LEFT JOIN events b
			       ON a.user_id = b.user_id AND b.v > a.v AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL '2' SECOND`,
			duckdb: `SELECT a.user_id, a.ts, b.v FROM events a LEFT JOIN events b
			         ON a.user_id = b.user_id AND b.v > a.v AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL 2 SECOND`,
		},
		{
			// The interval join's output rows are up to 3 s older than its input watermark; the
			// window after it must not see them as late (the join holds back its watermark).
			name: "window_after_interval_join",
			floe: `SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE((
			           SELECT a.user_id, a.ts, b.v FROM events a JOIN events b
			           ON a.user_id = b.user_id AND a.ts BETWEEN b.ts - INTERVAL '3' SECOND AND b.ts + INTERVAL '1' SECOND),
			         DESCRIPTOR(ts), INTERVAL '2' SECOND))
			       GROUP BY window_start, window_end`,
			duckdb: `SELECT make_timestamp(CAST(floor(epoch_us(a.ts) / 2000000) * 2000000 AS BIGINT)) AS ws, count(*)
			         FROM events a JOIN events b
			         ON a.user_id = b.user_id AND a.ts BETWEEN b.ts - INTERVAL 3 SECOND AND b.ts + INTERVAL 1 SECOND
			         GROUP BY ws`,
		},
		{
			name: "window_join",
			floe: `SELECT a.user_id, a.ws, a.n, b.total FROM
			       (SELECT user_id, window_start AS ws, window_end AS we, COUNT(*) AS n
			        FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY user_id, window_start, window_end) a
			       FULL JOIN
			       (SELECT user_id, window_start AS ws, window_end AS we, SUM(v) AS total
			        FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '5' SECOND)) WHERE v > 900 GROUP BY user_id, window_start, window_end) b
			       ON a.user_id = b.user_id AND a.ws = b.ws AND a.we = b.we`,
			duckdb: `WITH w AS (SELECT user_id, v, make_timestamp(CAST(floor(epoch_us(ts) / 5000000) * 5000000 AS BIGINT)) AS ws FROM events),
			         a AS (SELECT user_id, ws, count(*) AS n FROM w GROUP BY 1, 2),
			         b AS (SELECT user_id, ws, sum(v) AS total FROM w WHERE v > 900 GROUP BY 1, 2)
			         SELECT a.user_id, a.ws, a.n, b.total FROM a FULL JOIN b ON a.user_id = b.user_id AND a.ws = b.ws`,
		},
		{
			name: "dedup_keep_last",
			floe: `SELECT user_id, ts, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM events)
			       WHERE rn = 1`,
			duckdb: `SELECT user_id, ts, v FROM (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM events)
			         WHERE rn = 1`,
		},
		{
			name: "rank_top3",
			floe: `SELECT user_id, v, r FROM (SELECT user_id, v, RANK() OVER (PARTITION BY user_id ORDER BY v DESC) AS r FROM events)
			       WHERE r <= 3`,
			duckdb: `SELECT user_id, v, r FROM (SELECT user_id, v, rank() OVER (PARTITION BY user_id ORDER BY v DESC) AS r FROM events)
			         WHERE r <= 3`,
		},
		{
			name: "window_rank",
			floe: `SELECT user_id, window_start, v, r FROM (
			           SELECT *, DENSE_RANK() OVER (PARTITION BY user_id, window_start, window_end ORDER BY v ASC) AS r
			           FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND)))
			       WHERE r <= 2`,
			duckdb: `SELECT user_id, ws, v, r FROM (
			             SELECT user_id, v, make_timestamp(CAST(floor(epoch_us(ts) / 10000000) * 10000000 AS BIGINT)) AS ws,
			                    dense_rank() OVER (PARTITION BY user_id, ws ORDER BY v ASC) AS r FROM events)
			         WHERE r <= 2`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.setup, c.tables = setup, []string{"events"}
			check(t, c)
		})
	}
}
