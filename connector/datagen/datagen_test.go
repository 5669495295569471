package datagen

import (
	"context"
	"errors"
	"io"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

func create(opts map[string]string, cols []connector.Column) (*source, error) {
	f := Factory()
	o, err := f.Spec.Validate(opts)
	if err != nil {
		return nil, err
	}
	s, err := f.NewSource(connector.CreateContext{Table: "t", Columns: cols, Options: o})
	if err != nil {
		return nil, err
	}
	return s.(*source), nil
}

func all(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// read reads every split of a bounded source; rows per split are returned separately.
func read(t *testing.T, s *source, parallelism int, projection []int) [][]*chunk.Chunk {
	t.Helper()
	splits, _ := s.Splits(parallelism)
	var out [][]*chunk.Chunk
	for _, sp := range splits {
		r, err := s.Open(context.Background(), sp, projection)
		if err != nil {
			t.Fatal(err)
		}
		var cs []*chunk.Chunk
		for {
			c, err := r.Next(context.Background(), 64)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if c != nil {
				cs = append(cs, c)
			}
		}
		out = append(out, cs)
	}
	return out
}

func TestSequenceSplits(t *testing.T) {
	cols := []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "s", Type: types.StringType}}
	s, err := create(map[string]string{"rows-per-second": "1000000000", "fields.id.kind": "sequence", "fields.id.start": "1", "fields.id.end": "100",
		"fields.s.kind": "sequence", "fields.s.start": "-5", "fields.s.end": "1000"}, cols)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Bounded() {
		t.Fatal("a sequence bounds the source")
	}
	var ids []int64
	for i, cs := range read(t, s, 3, []int{0, 1}) {
		prev := int64(0)
		for _, c := range cs {
			for _, id := range c.Cols[0].I64 {
				if prev != 0 && id != prev+1 {
					t.Fatalf("split %d: %d after %d", i, id, prev)
				}
				prev = id
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if len(ids) != 100 || ids[0] != 1 || ids[99] != 100 {
		t.Fatalf("ids %v", ids)
	}
	first := read(t, s, 1, []int{1})[0][0]
	if first.Cols[0].Str[0] != "-5" || first.Cols[0].Str[6] != "1" {
		t.Fatalf("string sequence %v", first.Cols[0].Str[:7])
	}
}

func TestNumberOfRows(t *testing.T) {
	s, err := create(map[string]string{"rows-per-second": "1000000000", "number-of-rows": "10", "seed": "1"}, []connector.Column{{Name: "b", Type: types.BooleanType}})
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, cs := range read(t, s, 3, []int{0}) {
		n := 0
		for _, c := range cs {
			n += c.Len()
		}
		counts = append(counts, n)
	}
	if len(counts) != 3 || counts[0] != 4 || counts[1] != 3 || counts[2] != 3 {
		t.Fatalf("counts %v, want [4 3 3]", counts)
	}
	u, _ := create(map[string]string{}, []connector.Column{{Name: "b", Type: types.BooleanType}})
	if u.Bounded() {
		t.Fatal("no number-of-rows and no sequence must be unbounded")
	}
}

var randomCols = []connector.Column{
	{Name: "i", Type: types.IntType}, {Name: "d", Type: types.DoubleType}, {Name: "dec", Type: types.DecimalType(10, 2)},
	{Name: "s", Type: types.StringType}, {Name: "v", Type: types.VarcharType(8)}, {Name: "ts", Type: types.TimestampType(3)},
	{Name: "dt", Type: types.DateType}, {Name: "n", Type: types.BigIntType}, {Name: "c", Type: types.CharType(4)},
	{Name: "ltz", Type: types.TimestampLTZType(6)}, {Name: "tm", Type: types.TimeType(0)}, {Name: "by", Type: types.BytesType},
}

var randomOpts = map[string]string{
	"rows-per-second": "1000000000", "number-of-rows": "2000", "seed": "42",
	"fields.i.min": "-5", "fields.i.max": "5", "fields.d.min": "1.5", "fields.d.max": "2.5",
	"fields.dec.min": "-1.25", "fields.dec.max": "3", "fields.s.length": "10", "fields.v.var-len": "true",
	"fields.ts.max-past": "10 s", "fields.dt.max-past": "3 d", "fields.n.null-rate": "0.25",
	"fields.ltz.max-past": "1 min", "fields.by.length": "5",
}

func TestRandomBounds(t *testing.T) {
	s, err := create(randomOpts, randomCols)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 5, 6, 7, 891234000, time.UTC)
	s.now = func() time.Time { return now }
	nowUs := now.UnixMicro()
	nulls, rows := 0, 0
	seenI := map[int64]bool{}
	for _, cs := range read(t, s, 2, all(len(randomCols))) {
		for _, c := range cs {
			for r := range c.Len() {
				rows++
				row := c.Row(r)
				if i := row[0].I; i < -5 || i > 5 {
					t.Fatalf("int %d out of [-5, 5]", i)
				} else {
					seenI[i] = true
				}
				if d := row[1].F; d < 1.5 || d > 2.5 {
					t.Fatalf("double %g", d)
				}
				if dec := row[2].D.Int64(); dec < -125 || dec > 300 {
					t.Fatalf("decimal %s", row[2].D.String(2))
				}
				if len(row[3].S) != 10 || strings.Trim(row[3].S, "0123456789abcdef") != "" {
					t.Fatalf("string %q", row[3].S)
				}
				if l := len(row[4].S); l < 1 || l > 8 {
					t.Fatalf("var-len string %q", row[4].S)
				}
				if ts := row[5].I; ts > nowUs || ts < nowUs-10e6 || ts%1000 != 0 {
					t.Fatalf("timestamp %d (now %d)", ts, nowUs)
				}
				if d := row[6].I; d > nowUs/86400e6 || d < nowUs/86400e6-3 {
					t.Fatalf("date %d", d)
				}
				if row[7].Null {
					nulls++
				}
				if len(row[8].S) != 4 {
					t.Fatalf("char %q", row[8].S)
				}
				if ts := row[9].I; ts > nowUs || ts < nowUs-60e6 {
					t.Fatalf("ltz %d", ts)
				}
				if tm := row[10].I; tm != (5*3600+6*60+7)*1e6 {
					t.Fatalf("time %d", tm)
				}
				if len(row[11].S) != 5 {
					t.Fatalf("bytes %q", row[11].S)
				}
			}
		}
	}
	if rows != 2000 || len(seenI) != 11 {
		t.Fatalf("%d rows, %d distinct ints", rows, len(seenI))
	}
	if f := float64(nulls) / 2000; math.Abs(f-0.25) > 0.04 {
		t.Fatalf("null fraction %.3f, want 0.25", f)
	}
}

func format(cs [][]*chunk.Chunk) string {
	var b strings.Builder
	for _, split := range cs {
		for _, c := range split {
			for i := range c.Len() {
				b.WriteString(c.FormatRow(i) + "\n")
			}
		}
	}
	return b.String()
}

func TestSeedDeterminism(t *testing.T) {
	fixed := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	a, _ := create(randomOpts, randomCols)
	b, _ := create(randomOpts, randomCols)
	a.now, b.now = fixed, fixed
	if format(read(t, a, 2, all(12))) != format(read(t, b, 2, all(12))) {
		t.Fatal("same seed, different rows")
	}
	// A column's values do not depend on the projection.
	full := read(t, a, 1, all(12))[0][0]
	proj := read(t, a, 1, []int{3})[0][0]
	if full.Cols[3].Str[0] != proj.Cols[0].Str[0] || full.Cols[3].Str[9] != proj.Cols[0].Str[9] {
		t.Fatal("projection changed the values")
	}
	opts := map[string]string{}
	for k, v := range randomOpts {
		opts[k] = v
	}
	opts["seed"] = "43"
	c, _ := create(opts, randomCols)
	c.now = fixed
	if format(read(t, a, 2, all(12))) == format(read(t, c, 2, all(12))) {
		t.Fatal("different seeds, same rows")
	}
}

func TestOptionErrors(t *testing.T) {
	cols := []connector.Column{{Name: "id", Type: types.IntType}, {Name: "name", Type: types.VarcharType(10)}, {Name: "ok", Type: types.BooleanType}}
	for _, tc := range []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{"fields.idd.kind": "sequence"}, "option 'fields.idd.kind': table 't' has no column 'idd' (columns: id, name, ok)"},
		{map[string]string{"fields.ID.min": "1"}, "option 'fields.ID.min': table 't' has no column 'ID' (did you mean 'id'? field names are case-sensitive)"},
		{map[string]string{"fields.id.kind": "sequence", "fields.id.start": "1"}, "option 'fields.id.end': required for the sequence field 'id'"},
		{map[string]string{"fields.id.kind": "sequence", "fields.id.start": "5", "fields.id.end": "1"}, "option 'fields.id.start': 5 is after the end 1"},
		{map[string]string{"fields.id.kind": "sequence", "fields.id.start": "1", "fields.id.end": "3000000000"}, "option 'fields.id.end': 3000000000 is out of the range of INT"},
		{map[string]string{"fields.id.start": "1"}, "option 'fields.id.start': applies only to sequence fields, and field 'id' is random (set 'fields.id.kind' = 'sequence')"},
		{map[string]string{"fields.id.kind": "sequence", "fields.id.start": "1", "fields.id.end": "2", "fields.id.min": "0"}, "option 'fields.id.min': applies only to random fields, and field 'id' is a sequence"},
		{map[string]string{"fields.name.min": "1"}, "option 'fields.name.min': applies only to numeric fields, and field 'name' is VARCHAR(10)"},
		{map[string]string{"fields.name.length": "11"}, "option 'fields.name.length': 11 is longer than the length 10 of the type VARCHAR(10)"},
		{map[string]string{"fields.id.min": "7", "fields.id.max": "3"}, "option 'fields.id.min': 7 is greater than the max 3"},
		{map[string]string{"fields.id.max": "x"}, "option 'fields.id.max': 'x' is not a INT value"},
		{map[string]string{"fields.id.null-rate": "1.5"}, "option 'fields.id.null-rate': 1.5 is not between 0 and 1"},
		{map[string]string{"fields.ok.kind": "sequence", "fields.ok.start": "0", "fields.ok.end": "1"}, "option 'fields.ok.kind': a sequence cannot generate BOOLEAN values (only numbers and strings)"},
		{map[string]string{"fields.ok.max-past": "1 s"}, "option 'fields.ok.max-past': applies only to DATE, TIME and TIMESTAMP fields, and field 'ok' is BOOLEAN"},
		{map[string]string{"fields.id.kind": "random1"}, "option 'fields.id.kind': 'random1' is not one of random, sequence"},
		{map[string]string{"rows-per-second": "0"}, "option 'rows-per-second': 0 must be positive"},
		{map[string]string{"number-of-rows": "-1"}, "option 'number-of-rows': -1 must not be negative"},
		{map[string]string{"fields.id.lenght": "3"}, "option 'fields.id.lenght': unknown option (did you mean 'fields.id.length'?)"},
	} {
		if _, err := create(tc.opts, cols); err == nil || err.Error() != tc.want {
			t.Errorf("%v:\n got %v\nwant %s", tc.opts, err, tc.want)
		}
	}
	if _, err := create(map[string]string{}, []connector.Column{{Name: "m", Type: types.MapStringType}}); err == nil || err.Error() != "datagen cannot generate column 'm' of type MAP<STRING, STRING>" {
		t.Errorf("map: %v", err)
	}
}

func TestThrottle(t *testing.T) {
	s, err := create(map[string]string{"rows-per-second": "1000", "number-of-rows": "200"}, []connector.Column{{Name: "b", Type: types.BooleanType}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n := 0
	for _, cs := range read(t, s, 2, []int{0}) {
		for _, c := range cs {
			n += c.Len()
		}
	}
	// Two splits of 100 rows at 500 rows/s each, read one after the other: about 400 ms.
	if d := time.Since(start); n != 200 || d < 350*time.Millisecond || d > 3*time.Second {
		t.Fatalf("%d rows in %v", n, d)
	}
}

// TestResumeAtPosition cuts reading after k chunks, resumes at the reported position and
// checks that the rows (random values, NULLs and sequences alike) are those of an
// uninterrupted read; a position for other columns is refused.
func TestResumeAtPosition(t *testing.T) {
	cols := []connector.Column{{Name: "id", Type: types.BigIntType}, {Name: "v", Type: types.IntType}, {Name: "s", Type: types.StringType}}
	src, err := create(map[string]string{"number-of-rows": "500", "rows-per-second": "1000000000", "seed": "9",
		"fields.id.kind": "sequence", "fields.id.start": "1", "fields.id.end": "500", "fields.v.null-rate": "0.3", "fields.s.length": "5"}, cols)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	splits, _ := src.Splits(2)
	proj := []int{0, 1, 2}
	read := func(r connector.SplitReader, chunks int) []string {
		var out []string
		for k := 0; chunks < 0 || k < chunks; k++ {
			c, err := r.Next(ctx, 13)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.Len() {
				out = append(out, c.FormatRow(i))
			}
		}
		return out
	}
	for _, sp := range splits {
		r, _ := src.Open(ctx, sp, proj)
		want := read(r, -1)
		for _, cut := range []int{0, 1, 5, 19, 100} {
			r, _ := src.Open(ctx, sp, proj)
			got := read(r, cut)
			pos, err := r.(connector.PositionedReader).Position()
			if err != nil {
				t.Fatal(err)
			}
			r2, err := src.OpenAt(ctx, sp, proj, pos)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, read(r2, -1)...)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("split %s cut after %d chunks: %d rows, want %d (or different rows)", sp.ID(), cut, len(got), len(want))
			}
		}
		r, _ = src.Open(ctx, sp, []int{0, 1})
		pos, _ := r.(connector.PositionedReader).Position()
		if _, err := src.OpenAt(ctx, sp, proj, pos); err == nil {
			t.Fatal("a position without column s was accepted for a read of s")
		}
		if _, err := src.OpenAt(ctx, sp, proj, []byte{1, 0xff}); err == nil {
			t.Fatal("a corrupt position was accepted")
		}
	}
}
