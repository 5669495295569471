package filesystem

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

var allCols = []connector.Column{
	{Name: "b", Type: types.BooleanType}, {Name: "ti", Type: types.TinyIntType}, {Name: "si", Type: types.SmallIntType},
	{Name: "i", Type: types.IntType}, {Name: "bi", Type: types.BigIntType}, {Name: "f", Type: types.FloatType},
	{Name: "d", Type: types.DoubleType}, {Name: "dec", Type: types.DecimalType(20, 3)}, {Name: "s", Type: types.StringType},
	{Name: "vc", Type: types.VarcharType(10)}, {Name: "by", Type: types.BytesType}, {Name: "dt", Type: types.DateType},
	{Name: "tm", Type: types.TimeType(3)}, {Name: "ts", Type: types.TimestampType(3)}, {Name: "ltz", Type: types.TimestampLTZType(6)},
	{Name: "Mixed Case", Type: types.StringType},
}

func colTypes(cols []connector.Column) []types.Type {
	ts := make([]types.Type, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	return ts
}

func dec(t *testing.T, s string) types.Decimal128 {
	t.Helper()
	d, err := parseText(types.DecimalType(20, 3), s)
	if err != nil {
		t.Fatal(err)
	}
	return d.D
}

// sampleRows holds every type, NULLs, escapes, unicode and extreme values.
func sampleRows(t *testing.T) *chunk.Chunk {
	c := chunk.New(colTypes(allCols), 3)
	c.AppendRow(chunk.Insert, []chunk.Datum{
		chunk.Bool(true), chunk.Int(-128), chunk.Int(32767), chunk.Int(-2147483648), chunk.Int(9223372036854775807),
		chunk.Float(1.5), chunk.Float(0.1), chunk.Dec(dec(t, "-12345678901234567.891")), chunk.Str("quote \" backslash \\ tab \t nl \n cr \r bell \x07 ,;| é 日本 🎉"),
		chunk.Str("plain"), chunk.Str("\x00\x01\xff bytes"), chunk.Int(20454), chunk.Int((12*3600+34*60+56)*1e6 + 789000),
		chunk.Int(1767225601250000), chunk.Int(1767225601250123), chunk.Str("k"),
	})
	c.AppendRow(chunk.Insert, []chunk.Datum{
		chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum,
		chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum, chunk.NullDatum,
		chunk.NullDatum, chunk.NullDatum,
	})
	c.AppendRow(chunk.Insert, []chunk.Datum{
		chunk.Bool(false), chunk.Int(0), chunk.Int(-1), chunk.Int(7), chunk.Int(-9223372036854775808),
		chunk.Float(float64(float32(3.4e38))), chunk.Float(1e-300), chunk.Dec(dec(t, "0.001")), chunk.Str(""),
		chunk.Str("#x"), chunk.Str(""), chunk.Int(-1), chunk.Int(0), chunk.Int(-1000), chunk.Int(0), chunk.Str("\u2028"),
	})
	return c
}

func build(t *testing.T, opts map[string]string, cols []connector.Column) (connector.Source, connector.Sink) {
	t.Helper()
	f := Factory()
	o, err := f.Spec.Validate(opts)
	if err != nil {
		t.Fatal(err)
	}
	cc := connector.CreateContext{Table: "t", Columns: cols, Options: o}
	src, err := f.NewSource(cc)
	if err != nil {
		t.Fatal(err)
	}
	snk, err := f.NewSink(cc)
	if err != nil {
		t.Fatal(err)
	}
	return src, snk
}

func write(t *testing.T, snk connector.Sink, subtask, parallelism int, cs ...*chunk.Chunk) {
	t.Helper()
	w, err := snk.Open(context.Background(), subtask, parallelism)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := w.Write(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, src connector.Source, projection []int) ([]string, error) {
	t.Helper()
	splits, err := src.Splits(1)
	if err != nil {
		return nil, err
	}
	var rows []string
	for _, sp := range splits {
		r, err := src.Open(context.Background(), sp, projection)
		if err != nil {
			return nil, err
		}
		for {
			c, err := r.Next(context.Background(), 2)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				r.Close()
				return nil, err
			}
			for i := range c.Len() {
				rows = append(rows, c.FormatRow(i))
			}
		}
		if err := r.Close(); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func all(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

func formatRows(c *chunk.Chunk) []string {
	var out []string
	for i := range c.Len() {
		out = append(out, c.FormatRow(i))
	}
	return out
}

func TestJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src, snk := build(t, map[string]string{"path": dir, "format": "json"}, allCols)
	rows := sampleRows(t)
	write(t, snk, 0, 1, rows)
	got, err := readAll(t, src, all(len(allCols)))
	if err != nil {
		t.Fatal(err)
	}
	if want := formatRows(rows); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("round trip:\n got %q\nwant %q", got, want)
	}
	text, err := os.ReadFile(filepath.Join(dir, "part-0-0.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	wantFirst := `{"b":true,"ti":-128,"si":32767,"i":-2147483648,"bi":9223372036854775807,"f":1.5,"d":0.1,"dec":"-12345678901234567.891",` +
		`"s":"quote \" backslash \\ tab \t nl \n cr \r bell \u0007 ,;| é 日本 🎉","vc":"plain","by":"AAH/IGJ5dGVz","dt":"2026-01-01",` +
		`"tm":"12:34:56.789","ts":"2026-01-01 00:00:01.250","ltz":"2026-01-01 00:00:01.250123Z","Mixed Case":"k"}`
	if lines[0] != wantFirst {
		t.Fatalf("first line\n got %s\nwant %s", lines[0], wantFirst)
	}
	if lines[2] != `{"b":false,"ti":0,"si":-1,"i":7,"bi":-9223372036854775808,"f":3.4e+38,"d":1e-300,"dec":"0.001","s":"","vc":"#x","by":"","dt":"1969-12-31","tm":"00:00:00.000","ts":"1969-12-31 23:59:59.999","ltz":"1970-01-01 00:00:00.000000Z","Mixed Case":"\u2028"}` {
		t.Fatalf("third line %s", lines[2])
	}
	// Projection in another order.
	got, err = readAll(t, src, []int{15, 4})
	if err != nil || got[0] != "+I[k, 9223372036854775807]" || got[1] != "+I[null, null]" {
		t.Fatalf("projection %q %v", got, err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	cols := allCols
	for _, opts := range []map[string]string{
		{"format": "csv"},
		{"format": "csv", "csv.field-delimiter": "|", "csv.quote-character": "'", "csv.null-literal": "NULL", "csv.allow-comments": "true"},
		{"format": "csv", "csv.field-delimiter": `\t`},
	} {
		dir := t.TempDir()
		opts["path"] = filepath.Join(dir, "out.csv")
		src, snk := build(t, opts, cols)
		rows := sampleRows(t)
		write(t, snk, 0, 1, rows)
		got, err := readAll(t, src, all(len(cols)))
		if err != nil {
			t.Fatal(err)
		}
		if want := formatRows(rows); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%v round trip:\n got %q\nwant %q", opts, got, want)
		}
	}
	// The default dialect's text.
	dir := t.TempDir()
	_, snk := build(t, map[string]string{"format": "csv", "path": dir}, []connector.Column{{Name: "a", Type: types.StringType}, {Name: "b", Type: types.BigIntType}})
	c := chunk.New([]types.Type{types.StringType, types.BigIntType}, 3)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str("x,\"y\""), chunk.Int(1)})
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str(""), chunk.NullDatum})
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.NullDatum, chunk.Int(-3)})
	write(t, snk, 0, 1, c)
	text, _ := os.ReadFile(filepath.Join(dir, "part-0-0.csv"))
	if string(text) != "\"x,\"\"y\"\"\",1\n\"\",\n,-3\n" {
		t.Fatalf("csv text %q", text)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestParseErrors(t *testing.T) {
	cols := []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "name", Type: types.StringType}, {Name: "ts", Type: types.TimestampType(3)}}
	dir := t.TempDir()
	file := filepath.Join(dir, "in.json")
	writeFile(t, file, "{\"id\": 1, \"name\": \"a\", \"ts\": \"2026-01-01T00:00:01.5\"}\n\n{\"id\": \"x\"}\n{\"id\": 2,\n[1]\n{\"id\": 3, \"extra\": {\"n\": 1}}\n")
	src, _ := build(t, map[string]string{"path": file, "format": "json"}, cols)
	_, err := readAll(t, src, []int{0, 1, 2})
	if err == nil || err.Error() != file+":3: field 'id': 'x' is not a BIGINT" {
		t.Fatalf("got %v", err)
	}
	writeFile(t, file, "{\"id\": 1}\n{\"id\": 2,\n")
	if _, err = readAll(t, src, []int{0}); err == nil || err.Error() != file+":2: invalid JSON: unexpected end of JSON input" {
		t.Fatalf("got %v", err)
	}
	writeFile(t, file, "[1]\n")
	if _, err = readAll(t, src, []int{0}); err == nil || err.Error() != file+":1: expected a JSON object" {
		t.Fatalf("got %v", err)
	}
	writeFile(t, file, "{\"id\": 1, \"name\": \"a\", \"ts\": \"2026-01-01T00:00:01.5\"}\n\n{\"id\": \"x\"}\n{\"id\": 2,\n[1]\n{\"id\": 3, \"extra\": {\"n\": 1}}\n")
	src, _ = build(t, map[string]string{"path": file, "format": "json", "json.ignore-parse-errors": "true"}, cols)
	got, err := readAll(t, src, []int{0, 1, 2})
	if err != nil || strings.Join(got, ";") != "+I[1, a, 2026-01-01T00:00:01.500];+I[3, null, null]" {
		t.Fatalf("ignore errors: %q %v", got, err)
	}
	src, _ = build(t, map[string]string{"path": file, "format": "json", "json.ignore-parse-errors": "true", "json.fail-on-missing-field": "true"}, cols)
	if got, _ = readAll(t, src, []int{0, 1, 2}); strings.Join(got, ";") != "+I[1, a, 2026-01-01T00:00:01.500]" {
		t.Fatalf("fail on missing: %q", got)
	}
	csvFile := filepath.Join(dir, "in.csv")
	writeFile(t, csvFile, "1,a,2026-01-01 00:00:00\n2,\"multi\nline\",2026-01-01 00:00:00\n3,b\n")
	src, _ = build(t, map[string]string{"path": csvFile, "format": "csv"}, cols)
	if _, err = readAll(t, src, []int{0, 1}); err == nil || err.Error() != csvFile+":4: expected 3 fields, got 2" {
		t.Fatalf("csv: %v", err)
	}
	writeFile(t, csvFile, "1,\"a\"x,2026-01-01 00:00:00\n")
	if _, err = readAll(t, src, []int{0}); err == nil || err.Error() != csvFile+":1: unexpected 'x' after a closing quote" {
		t.Fatalf("csv: %v", err)
	}
	writeFile(t, csvFile, "1,a,2026-13-01 00:00:00\n")
	if _, err = readAll(t, src, []int{2}); err == nil || err.Error() != csvFile+":1: column 3: '2026-13-01 00:00:00' is not a timestamp (yyyy-MM-dd HH:mm:ss[.fff])" {
		t.Fatalf("csv: %v", err)
	}
}

func TestDirectorySource(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b.json"), "{\"x\": 2}\n")
	writeFile(t, filepath.Join(dir, "a.json"), "{\"x\": 1}\n")
	writeFile(t, filepath.Join(dir, ".hidden.json"), "{\"x\": 3}\n")
	writeFile(t, filepath.Join(dir, "_SUCCESS"), "garbage\n")
	src, _ := build(t, map[string]string{"path": dir, "format": "json"}, []connector.Column{{Name: "x", Type: types.IntType}})
	splits, err := src.Splits(4)
	if err != nil || len(splits) != 2 || filepath.Base(splits[0].ID()) != "a.json" {
		t.Fatalf("splits %v %v", splits, err)
	}
	got, err := readAll(t, src, []int{0})
	if err != nil || strings.Join(got, ";") != "+I[1];+I[2]" {
		t.Fatalf("%q %v", got, err)
	}
	missing, _ := build(t, map[string]string{"path": filepath.Join(dir, "nope"), "format": "json"}, []connector.Column{{Name: "x", Type: types.IntType}})
	if _, err := missing.Splits(1); err == nil || !strings.Contains(err.Error(), "table 't': cannot read path: stat ") {
		t.Fatalf("missing path: %v", err)
	}
}

func TestSinkRules(t *testing.T) {
	dir := t.TempDir()
	cols := []connector.Column{{Name: "x", Type: types.IntType}}
	_, snk := build(t, map[string]string{"path": filepath.Join(dir, "one.json"), "format": "json"}, cols)
	if _, err := snk.Open(context.Background(), 0, 2); err == nil || err.Error() != "table 't': path '"+filepath.Join(dir, "one.json")+"' names one file, but the sink has 2 subtasks; use a directory" {
		t.Fatalf("got %v", err)
	}
	w, err := snk.Open(context.Background(), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := chunk.New([]types.Type{types.IntType}, 2)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(1)})
	if err := w.Write(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	// Nothing is visible before Close.
	if _, err := os.Stat(filepath.Join(dir, "one.json")); !os.IsNotExist(err) {
		t.Fatalf("file visible before close: %v", err)
	}
	c.AppendRow(chunk.UpdateBefore, []chunk.Datum{chunk.Int(1)})
	if err := w.Write(context.Background(), c); err == nil || err.Error() != "table 't': the json format only accepts insert-only input (got -U); use 'debezium-json' for updating queries" {
		t.Fatalf("got %v", err)
	}
	w.Close()
	// Parallel subtasks write part files into a new directory.
	out := filepath.Join(dir, "out")
	_, snk = build(t, map[string]string{"path": out, "format": "json"}, cols)
	one := chunk.New([]types.Type{types.IntType}, 1)
	one.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(5)})
	write(t, snk, 0, 2, one)
	write(t, snk, 1, 2, one)
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "part-0-0.json,part-1-0.json" {
		t.Fatalf("files %v", names)
	}
}

func TestOptionErrors(t *testing.T) {
	f := Factory()
	for _, tc := range []struct {
		opts map[string]string
		cols []connector.Column
		want string
	}{
		{map[string]string{"format": "json"}, nil, "option 'path': required option is missing"},
		{map[string]string{"path": "/tmp/x", "format": "parquet"}, nil, "option 'format': 'parquet' is not one of json, csv, debezium-json"},
		{map[string]string{"path": "/tmp/x", "format": "json", "csv.field-delimiter": ";"}, nil, "option 'csv.field-delimiter': applies to format 'csv', but the format is 'json'"},
		{map[string]string{"path": "/tmp/x", "format": "csv", "csv.field-delimiter": ";;"}, nil, "option 'csv.field-delimiter': ';;' is not a single character"},
		{map[string]string{"path": "/tmp/x", "format": "csv"}, []connector.Column{{Name: "m", Type: types.MapStringType}}, "table 't': column 'm' has type MAP<STRING, STRING>, which the csv format does not support"},
		{map[string]string{"path": "/tmp/x", "format": "json", "json.ignore-parse-error": "true"}, nil, "option 'json.ignore-parse-error': unknown option (did you mean 'json.ignore-parse-errors'?)"},
	} {
		o, err := f.Spec.Validate(tc.opts)
		if err == nil {
			_, err = f.NewSource(connector.CreateContext{Table: "t", Columns: tc.cols, Options: o})
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v:\n got %v\nwant %s", tc.opts, err, tc.want)
		}
	}
}

func TestJSONMap(t *testing.T) {
	dir := t.TempDir()
	cols := []connector.Column{{Name: "m", Type: types.MapStringType}, {Name: "s", Type: types.StringType}}
	src, snk := build(t, map[string]string{"path": dir, "format": "json"}, cols)
	c := chunk.New([]types.Type{types.MapStringType, types.StringType}, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{{M: map[string]string{"b": "2", "a": "x\"y"}}, chunk.Str("s")})
	write(t, snk, 0, 1, c)
	got, err := readAll(t, src, []int{0, 1})
	if err != nil || got[0] != "+I[{a=x\"y, b=2}, s]" {
		t.Fatalf("%q %v", got, err)
	}
	// Non-string JSON values read into a STRING column keep their JSON text.
	writeFile(t, filepath.Join(dir, "part-0-0.json"), "{\"m\": {\"n\": 1, \"z\": null}, \"s\": {\"k\": [1, 2]}}\n")
	got, err = readAll(t, src, []int{0, 1})
	if err != nil || got[0] != "+I[{n=1}, {\"k\": [1, 2]}]" {
		t.Fatalf("%q %v", got, err)
	}
}
