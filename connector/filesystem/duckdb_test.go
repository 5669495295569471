package filesystem

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// TestDuckDBReadsJSON writes rows of every type and checks that DuckDB's read_json reads
// back the same values.
func TestDuckDBReadsJSON(t *testing.T) {
	dir := t.TempDir()
	_, snk := build(t, map[string]string{"path": dir, "format": "json"}, allCols)
	rows := sampleRows(t)
	write(t, snk, 0, 1, rows)
	file := filepath.Join(dir, "part-0-0.json")

	var colSpec, sel []string
	for _, c := range allCols {
		dt := c.Type.DuckDB()
		if c.Type.Kind == types.Bytes {
			dt = "VARCHAR" // DuckDB reads JSON strings into BLOB byte for byte; decode base64 below
		}
		colSpec = append(colSpec, fmt.Sprintf("'%s': '%s'", c.Name, dt))
		sel = append(sel, `"`+c.Name+`"`)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("SET autoinstall_known_extensions = false; SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("SELECT %s FROM read_json('%s', format = 'newline_delimited', columns = {%s})", strings.Join(sel, ", "), file, strings.Join(colSpec, ", "))
	res, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	ri := 0
	for res.Next() {
		vals := make([]any, len(allCols))
		ptrs := make([]any, len(allCols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := res.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for j, c := range allCols {
			got := fromDuck(t, c.Type, vals[j])
			want := rows.Cols[j].Format(ri)
			if got != want {
				t.Errorf("row %d column %s: DuckDB read %q, wrote %q", ri, c.Name, got, want)
			}
		}
		ri++
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if ri != rows.Len() {
		t.Fatalf("DuckDB read %d rows, want %d", ri, rows.Len())
	}
}

// fromDuck converts a value scanned from DuckDB to Floe's print form.
func fromDuck(t *testing.T, typ types.Type, v any) string {
	if v == nil {
		return "null"
	}
	var d chunk.Datum
	switch x := v.(type) {
	case bool:
		d = chunk.Bool(x)
	case int8:
		d = chunk.Int(int64(x))
	case int16:
		d = chunk.Int(int64(x))
	case int32:
		d = chunk.Int(int64(x))
	case int64:
		d = chunk.Int(x)
	case float32:
		d = chunk.Float(float64(x))
	case float64:
		d = chunk.Float(x)
	case duckdb.Decimal:
		dd, _ := types.DecimalFromBig(new(big.Int).Set(x.Value))
		d = chunk.Dec(dd)
	case string:
		if typ.Kind == types.Bytes {
			b, err := base64.StdEncoding.DecodeString(x)
			if err != nil {
				t.Fatal(err)
			}
			x = string(b)
		}
		d = chunk.Str(x)
	case time.Time:
		x = x.UTC()
		switch typ.Kind {
		case types.Date:
			d = chunk.Int(x.Unix() / 86400)
			if x.Unix() < 0 && x.Unix()%86400 != 0 {
				d.I--
			}
		case types.Time:
			d = chunk.Int(int64(x.Hour()*3600+x.Minute()*60+x.Second())*1e6 + int64(x.Nanosecond()/1000))
		default:
			d = chunk.Int(x.UnixMicro())
		}
	default:
		t.Fatalf("unexpected DuckDB value %T %v", v, v)
	}
	return chunk.FormatDatum(typ, d)
}
