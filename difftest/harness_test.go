package difftest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/connector/all"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/internal/collect"
	"github.com/floedb/floe/types"
)

// testCase is one differential test: source tables (Floe DDL), a Floe query and the same
// query in DuckDB's SQL over tables of the same names and rows.
type testCase struct {
	name   string
	setup  string   // CREATE TABLE statements of the sources (and views, functions)
	tables []string // the source tables to copy into DuckDB
	floe   string   // a SELECT, or
	script string   // a script of INSERTs into 'collect' tables, whose result is table sinkTable
	sink   string
	duckdb string // the same query for DuckDB
	// keep, when set, compares only these columns of Floe's result (DuckDB's query selects
	// just them): for queries whose other columns depend on how ties were broken.
	keep []int
}

// registry returns the connectors plus the 'collect' test sink.
func registry(tables *collect.Tables) *connector.Registry {
	base := all.RegistryWith(io.Discard, io.Discard)
	var fs []*connector.Factory
	for _, n := range base.Names() {
		f, _ := base.Lookup(n)
		fs = append(fs, f)
	}
	fs = append(fs, collect.Factory(tables))
	return connector.NewRegistry(fs...)
}

// runFloe runs setup + query at the given parallelism and chunk size and returns the applied
// final rows.
func runFloe(t *testing.T, c testCase, parallelism, chunkSize int, miniBatch bool) []string {
	t.Helper()
	var tables collect.Tables
	s := engine.New(registry(&tables), io.Discard, nil)
	must(t, s.Config.Set("parallelism.default", strconv.Itoa(parallelism)))
	must(t, s.Config.Set("execution.chunk-size", strconv.Itoa(chunkSize)))
	must(t, s.Config.Set("table.exec.mini-batch.enabled", strconv.FormatBool(miniBatch)))
	sink := &collect.Sink{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var err error
	if c.script != "" {
		err = s.Execute(ctx, c.setup+";\n"+c.script, engine.Run)
		sink = tables.Get(c.sink)
	} else {
		_, err = s.Query(ctx, c.setup+";\n"+c.floe, sink)
	}
	if err != nil {
		t.Fatalf("floe (parallelism %d, chunk %d): %v", parallelism, chunkSize, err)
	}
	rows, err := sink.Final(canonical)
	if err != nil {
		t.Fatalf("floe (parallelism %d, chunk %d): %v", parallelism, chunkSize, err)
	}
	if c.keep != nil {
		for i, r := range rows {
			parts := strings.Split(r, " | ")
			var kept []string
			for _, k := range c.keep {
				kept = append(kept, parts[k])
			}
			rows[i] = strings.Join(kept, " | ")
		}
		sort.Strings(rows)
	}
	return rows
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// canonical renders a value so that Floe's and DuckDB's renderings of equal values match.
func canonical(t types.Type, d chunk.Datum) string {
	if d.Null {
		return "NULL"
	}
	switch t.Kind {
	case types.Boolean:
		return strconv.FormatBool(d.I != 0)
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		return strconv.FormatInt(d.I, 10)
	case types.Float, types.Double:
		return canonicalFloat(d.F)
	case types.Decimal:
		return canonicalDecimal(d.D.String(t.Scale))
	case types.Date:
		return chunk.FormatDate(d.I)
	case types.Timestamp, types.TimestampLTZ:
		return chunk.FormatTimestamp(d.I, 6)
	case types.Time:
		return chunk.FormatJavaTime(d.I)
	}
	return chunk.FormatDatum(t, d)
}

func canonicalFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}

func canonicalDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// canonicalDuck renders a value scanned from DuckDB.
func canonicalDuck(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(v)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return fmt.Sprint(v)
	case *big.Int:
		return v.String()
	case float32:
		return canonicalFloat(float64(v))
	case float64:
		return canonicalFloat(v)
	case duckdb.Decimal:
		return canonicalDecimal(decimalString(v))
	case time.Time:
		return chunk.FormatTimestamp(v.UTC().UnixMicro(), 6)
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}

func decimalString(d duckdb.Decimal) string {
	s := new(big.Int).Abs(d.Value).String()
	if d.Scale > 0 {
		for len(s) <= int(d.Scale) {
			s = "0" + s
		}
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if d.Value.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// loadDuckDB copies the rows of Floe source tables into a new in-memory DuckDB.
func loadDuckDB(t *testing.T, setup string, tables []string) *sql.DB {
	t.Helper()
	connector, err := duckdb.NewConnector("", nil)
	must(t, err)
	db := sql.OpenDB(connector)
	t.Cleanup(func() { db.Close() })
	_, err = db.Exec("SET TimeZone = 'UTC'")
	if err != nil {
		// The ICU extension may be absent; timestamps are then UTC anyway.
		t.Logf("duckdb: %v", err)
	}
	for _, name := range tables {
		var ts collect.Tables
		s := engine.New(registry(&ts), io.Discard, nil)
		sink := &collect.Sink{}
		cols, err := s.Query(context.Background(), setup+";\nSELECT * FROM "+name, sink)
		must(t, err)
		var defs []string
		for _, c := range cols {
			defs = append(defs, fmt.Sprintf("%q %s", c.Name, c.Type.DuckDB()))
		}
		_, err = db.Exec(fmt.Sprintf("CREATE TABLE %q (%s)", name, strings.Join(defs, ", ")))
		must(t, err)
		conn, err := connector.Connect(context.Background())
		must(t, err)
		app, err := duckdb.NewAppenderFromConn(conn, "", name)
		must(t, err)
		for _, r := range sink.Rows() {
			vals := make([]driverValue, len(r.Values))
			for i, d := range r.Values {
				vals[i] = toDuck(cols[i].Type, d)
			}
			must(t, app.AppendRow(vals...))
		}
		must(t, app.Close())
		must(t, conn.Close())
	}
	return db
}

type driverValue = driver.Value

func toDuck(t types.Type, d chunk.Datum) any {
	if d.Null {
		return nil
	}
	switch t.Kind {
	case types.Boolean:
		return d.I != 0
	case types.TinyInt:
		return int8(d.I)
	case types.SmallInt:
		return int16(d.I)
	case types.Int:
		return int32(d.I)
	case types.BigInt:
		return d.I
	case types.Float:
		return float32(d.F)
	case types.Double:
		return d.F
	case types.Decimal:
		return duckdb.Decimal{Width: uint8(t.Precision), Scale: uint8(t.Scale), Value: d.D.Big()}
	case types.Date:
		return time.Unix(d.I*86400, 0).UTC()
	case types.Timestamp, types.TimestampLTZ:
		return time.UnixMicro(d.I).UTC()
	case types.Char, types.Varchar:
		return d.S
	case types.Bytes:
		return []byte(d.S)
	}
	return fmt.Sprint(d)
}

// runDuck runs a query and returns its rows canonically rendered and sorted.
func runDuck(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, query)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = canonicalDuck(v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	must(t, rows.Err())
	sortStrings(out)
	return out
}

// diff reports the first differences between two sorted row lists.
func diff(want, got []string) string {
	wc, gc := map[string]int{}, map[string]int{}
	for _, r := range want {
		wc[r]++
	}
	for _, r := range got {
		gc[r]++
	}
	var b strings.Builder
	n := 0
	for _, r := range want {
		if gc[r] < wc[r] && n < 10 {
			fmt.Fprintf(&b, "  missing: %s\n", r)
			gc[r]++
			n++
		}
	}
	n = 0
	for _, r := range got {
		if wc[r] < gc[r] && n < 10 {
			fmt.Fprintf(&b, "  extra:   %s\n", r)
			wc[r]++
			n++
		}
	}
	return b.String()
}

func equalRows(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// check runs one case: DuckDB's answer, then Floe's final result at parallelism 1, 2 and 4 and
// chunk sizes 1024, 7 and 100, with and without mini-batch.
func check(t *testing.T, c testCase) {
	t.Helper()
	db := loadDuckDB(t, c.setup, c.tables)
	want := runDuck(t, db, c.duckdb)
	if len(want) == 0 {
		t.Fatalf("DuckDB returned no rows: the case tests nothing")
	}
	configs := []struct {
		par, chunk int
		mini       bool
	}{{1, 1024, false}, {2, 1024, false}, {4, 7, false}, {2, 100, true}}
	for _, cfg := range configs {
		got := runFloe(t, c, cfg.par, cfg.chunk, cfg.mini)
		if !equalRows(want, got) {
			t.Errorf("parallelism %d, chunk size %d, mini-batch %v: Floe's result (%d rows) differs from DuckDB's (%d rows):\n%s",
				cfg.par, cfg.chunk, cfg.mini, len(got), len(want), diff(want, got))
		}
	}
}
