package difftest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/internal/collect"
)

// TestStateSizeBoundedByKeys runs pipelines whose input has N = 40,000 rows over K = 100 keys
// and checks, from the job's metrics, that the state each join, deduplication and Top-N holds at
// the end is O(K), not O(N): a join stores an updating input by its unique key, a
// deduplication one row per key, a Top-N over an updating input the live rows.
func TestStateSizeBoundedByKeys(t *testing.T) {
	const n, k = 40000, 100
	setup := fmt.Sprintf(`
CREATE TABLE ev (k INT, v INT, ts AS PROCTIME())
WITH ('connector' = 'datagen', 'number-of-rows' = '%d', 'seed' = '7', 'rows-per-second' = '100000000',
      'fields.k.min' = '1', 'fields.k.max' = '%d', 'fields.v.min' = '0', 'fields.v.max' = '1000000');
CREATE TABLE dim (k INT, name STRING)
WITH ('connector' = 'datagen', 'number-of-rows' = '%d', 'rows-per-second' = '100000000', 'fields.k.kind' = 'sequence',
      'fields.k.start' = '1', 'fields.k.end' = '%d', 'fields.name.length' = '4');
CREATE TABLE out_join (k INT, name STRING, total BIGINT) WITH ('connector' = 'collect');
CREATE TABLE out_dedup (k INT, v INT) WITH ('connector' = 'collect');
CREATE TABLE out_top (k INT, total BIGINT) WITH ('connector' = 'collect');
`, n, k, k, k)
	cases := []struct {
		name, query, node string
		max               int64
	}{
		{"left join of an updating input", `INSERT INTO out_join SELECT d.k, d.name, a.total
			FROM dim d LEFT JOIN (SELECT k, SUM(v) AS total FROM ev GROUP BY k) a ON d.k = a.k`, "Join", 2 * k},
		{"deduplication", `INSERT INTO out_dedup SELECT k, v FROM (
			SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM ev) WHERE rn = 1`, "Deduplicate", k},
		{"top-n over an updating input", `INSERT INTO out_top SELECT k, total FROM (
			SELECT k, total, ROW_NUMBER() OVER (ORDER BY total DESC) AS rn
			FROM (SELECT k, SUM(v) AS total FROM ev GROUP BY k)) WHERE rn <= 3`, "Rank", 2 * k},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, par := range []int{1, 2} {
				var tables collect.Tables
				s := engine.New(registry(&tables), io.Discard, nil)
				must(t, s.Config.Set("parallelism.default", itoa(par)))
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				err := s.Execute(ctx, setup+c.query, engine.Run)
				cancel()
				must(t, err)
				var entries, rowsIn int64
				found := false
				for _, m := range s.LastMetrics {
					if m.Node == c.node {
						found = true
						entries += m.StateEntries
						rowsIn += m.RecordsIn
					}
				}
				if !found {
					var names []string
					for _, m := range s.LastMetrics {
						names = append(names, m.Node)
					}
					t.Fatalf("no %s node in the job (nodes: %s)", c.node, strings.Join(names, ", "))
				}
				if rowsIn < n/2 {
					t.Fatalf("parallelism %d: %s received only %d rows; the test needs many updates per key", par, c.node, rowsIn)
				}
				if entries == 0 || entries > c.max {
					t.Errorf("parallelism %d: %s holds %d state entries after %d input rows over %d keys; want 1..%d",
						par, c.node, entries, rowsIn, k, c.max)
				}
			}
		})
	}
}
