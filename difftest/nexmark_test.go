package difftest

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/bench"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/internal/collect"
)

// Nexmark input for differential tests: 20,000 events at 100 events/s of event time (200 s,
// so windows and sessions open and close many times).
const (
	nexmarkEvents = 20000
	nexmarkRate   = 100
)

// nexmarkDuckDB is each query's DuckDB formulation, with the sink table's column order.
var nexmarkDuckDB = map[string]string{
	"q0": `SELECT auction, bidder, price, dateTime, extra FROM bid`,
	"q1": `SELECT auction, bidder, CAST(0.908 * price AS DECIMAL(23, 3)), dateTime, extra FROM bid`,
	"q2": `SELECT auction, price FROM bid WHERE auction % 123 = 0`,
	"q11": `WITH b AS (
	            SELECT bidder, dateTime,
	                   CASE WHEN dateTime - lag(dateTime) OVER (PARTITION BY bidder ORDER BY dateTime) <= INTERVAL 10 SECOND
	                        THEN 0 ELSE 1 END AS new_session
	            FROM bid),
	        s AS (
	            SELECT bidder, dateTime,
	                   sum(new_session) OVER (PARTITION BY bidder ORDER BY dateTime ROWS UNBOUNDED PRECEDING) AS sid
	            FROM b)
	        SELECT bidder, count(*), min(dateTime), max(dateTime) + INTERVAL 10 SECOND FROM s GROUP BY bidder, sid`,
	"q14": `SELECT auction, bidder, CAST(0.908 * price AS DECIMAL(23, 3)),
	            CASE WHEN hour(dateTime) >= 8 AND hour(dateTime) <= 18 THEN 'dayTime'
	                 WHEN hour(dateTime) <= 6 OR hour(dateTime) >= 20 THEN 'nightTime'
	                 ELSE 'otherTime' END,
	            dateTime, extra, length(extra) - length(replace(extra, 'c', ''))
	        FROM bid WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000`,
	"q15": `SELECT strftime(dateTime, '%Y-%m-%d'),
	            count(*),
	            count(*) FILTER (WHERE price < 10000),
	            count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(*) FILTER (WHERE price >= 1000000),
	            count(DISTINCT bidder),
	            count(DISTINCT bidder) FILTER (WHERE price < 10000),
	            count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(DISTINCT bidder) FILTER (WHERE price >= 1000000),
	            count(DISTINCT auction),
	            count(DISTINCT auction) FILTER (WHERE price < 10000),
	            count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(DISTINCT auction) FILTER (WHERE price >= 1000000)
	        FROM bid GROUP BY 1`,
	"q16": `SELECT channel, strftime(dateTime, '%Y-%m-%d'), max(strftime(dateTime, '%H:%M')),
	            count(*),
	            count(*) FILTER (WHERE price < 10000),
	            count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(*) FILTER (WHERE price >= 1000000),
	            count(DISTINCT bidder),
	            count(DISTINCT bidder) FILTER (WHERE price < 10000),
	            count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(DISTINCT bidder) FILTER (WHERE price >= 1000000),
	            count(DISTINCT auction),
	            count(DISTINCT auction) FILTER (WHERE price < 10000),
	            count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(DISTINCT auction) FILTER (WHERE price >= 1000000)
	        FROM bid GROUP BY 1, 2`,
	"q17": `SELECT auction, strftime(dateTime, '%Y-%m-%d'),
	            count(*),
	            count(*) FILTER (WHERE price < 10000),
	            count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
	            count(*) FILTER (WHERE price >= 1000000),
	            min(price), max(price), sum(price) // count(price), sum(price)
	        FROM bid GROUP BY 1, 2`,
	"q21": `SELECT auction, bidder, price, channel,
	            CASE WHEN lower(channel) = 'apple' THEN '0'
	                 WHEN lower(channel) = 'google' THEN '1'
	                 WHEN lower(channel) = 'facebook' THEN '2'
	                 WHEN lower(channel) = 'baidu' THEN '3'
	                 ELSE nullif(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') END
	        FROM bid
	        WHERE nullif(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') IS NOT NULL
	           OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`,
	"q22": `SELECT auction, bidder, price, channel, split_part(url, '/', 4), split_part(url, '/', 5), split_part(url, '/', 6) FROM bid`,
}

// TestNexmarkDifferential runs the benchmark's own query files against DuckDB.
func TestNexmarkDifferential(t *testing.T) {
	for _, q := range []string{"q0", "q1", "q2", "q11", "q14", "q15", "q16", "q17", "q21", "q22"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			sql, err := bench.QuerySQL(q)
			must(t, err)
			check(t, testCase{
				name:   q,
				setup:  bench.SourceDDL(nexmarkEvents, nexmarkRate),
				tables: []string{"bid"},
				script: strings.ReplaceAll(sql, "'blackhole'", "'collect'"),
				sink:   "nexmark_" + q,
				duckdb: nexmarkDuckDB[q],
			})
		})
	}
}

// TestNexmarkQ12 checks the processing-time query: windows depend on the wall clock, so the
// check is that every bid is counted exactly once per bidder.
func TestNexmarkQ12(t *testing.T) {
	sql, err := bench.QuerySQL("q12")
	must(t, err)
	setup := bench.SourceDDL(nexmarkEvents, nexmarkRate)
	db := loadDuckDB(t, setup, []string{"bid"})
	want := runDuck(t, db, `SELECT bidder, count(*) FROM bid GROUP BY bidder`)
	for _, par := range []int{1, 2} {
		var tables collect.Tables
		s := engine.New(registry(&tables), io.Discard, nil)
		must(t, s.Config.Set("parallelism.default", itoa(par)))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := s.Execute(ctx, setup+";\n"+strings.ReplaceAll(sql, "'blackhole'", "'collect'"), engine.Run)
		cancel()
		must(t, err)
		sink := tables.Get("nexmark_q12")
		sums := map[string]int64{}
		for _, r := range sink.Rows() {
			if r.Kind.String() != "+I" {
				t.Fatalf("q12 emitted %s; window aggregation must be insert-only", r.Kind)
			}
			if !r.Values[3].Null && r.Values[3].I-r.Values[2].I != 10e6 {
				t.Fatalf("window of %d us, want 10 s", r.Values[3].I-r.Values[2].I)
			}
			sums[itoa64(r.Values[0].I)] += r.Values[1].I
		}
		var got []string
		for k, v := range sums {
			got = append(got, k+" | "+itoa64(v))
		}
		sortStrings(got)
		if !equalRows(want, got) {
			t.Errorf("parallelism %d: bids per bidder differ:\n%s", par, diff(want, got))
		}
	}
}
