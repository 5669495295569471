package agg

import (
	"strings"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func TestResolve(t *testing.T) {
	dec := types.DecimalType(10, 2)
	for _, tc := range []struct {
		name     string
		distinct bool
		args     []types.Type
		want     string
	}{
		{"COUNT", false, nil, "BIGINT NOT NULL"},
		{"count", false, []types.Type{types.StringType}, "BIGINT NOT NULL"},
		{"COUNT", true, []types.Type{types.StringType, types.IntType}, "BIGINT NOT NULL"},
		{"SUM", false, []types.Type{types.TinyIntType}, "TINYINT"},
		{"SUM", false, []types.Type{types.IntType.WithNotNull(true)}, "INT"},
		{"SUM", false, []types.Type{types.BigIntType}, "BIGINT"},
		{"SUM", false, []types.Type{dec}, "DECIMAL(38, 2)"},
		{"SUM", false, []types.Type{types.FloatType}, "FLOAT"},
		{"SUM", false, []types.Type{types.DoubleType}, "DOUBLE"},
		{"AVG", false, []types.Type{types.SmallIntType}, "SMALLINT"},
		{"AVG", false, []types.Type{dec}, "DECIMAL(38, 6)"},
		{"AVG", false, []types.Type{types.DecimalType(20, 8)}, "DECIMAL(38, 8)"},
		{"AVG", false, []types.Type{types.DoubleType}, "DOUBLE"},
		{"MIN", false, []types.Type{types.StringType.WithNotNull(true)}, "STRING"},
		{"MAX", false, []types.Type{types.TimestampType(3)}, "TIMESTAMP(3)"},
		{"FIRST_VALUE", false, []types.Type{types.BooleanType}, "BOOLEAN"},
		{"LAST_VALUE", false, []types.Type{dec}, "DECIMAL(10, 2)"},
		{"SUM", false, []types.Type{types.StringType}, "error: cannot apply 'SUM' to arguments of type 'SUM(<STRING>)'; supported form: 'SUM(<NUMERIC>)'"},
		{"AVG", false, nil, "error: AVG takes exactly one argument, got 0"},
		{"MAX", false, []types.Type{types.MapStringType}, "error: cannot apply 'MAX' to MAP<STRING, STRING>: MAP values are not comparable"},
		{"MIN", false, []types.Type{{}}, "error: cannot apply 'MIN' to an untyped NULL; cast it to a type first"},
		{"MEDIAN", false, []types.Type{types.IntType}, "error: unknown aggregate function MEDIAN"},
	} {
		got, err := Resolve(tc.name, tc.distinct, tc.args)
		s := got.String()
		if err != nil {
			s = "error: " + err.Error()
		}
		if s != tc.want {
			t.Errorf("Resolve(%s, %v) = %s, want %s", tc.name, tc.args, s, tc.want)
		}
	}
}

func mustCall(t *testing.T, name string, distinct bool, args []int, in []types.Type, filter int, insertOnly bool) Call {
	t.Helper()
	c := Call{Name: name, Args: args, Distinct: distinct, Filter: filter, InsertOnly: insertOnly}
	for _, a := range args {
		c.ArgTypes = append(c.ArgTypes, in[a])
	}
	var err error
	if c.Result, err = Resolve(name, distinct, c.ArgTypes); err != nil {
		t.Fatal(err)
	}
	return c
}

func formatResults(a *Aggregator, acc *Accumulators) string {
	ts := a.ResultTypes()
	var parts []string
	for i, d := range a.Results(acc, nil) {
		parts = append(parts, chunk.FormatDatum(ts[i], d))
	}
	return strings.Join(parts, ", ")
}

// TestMerge checks that merging the accumulators of two halves of the input gives the result
// of accumulating all of it, for every function, insert-only and with retraction.
func TestMerge(t *testing.T) {
	in := []types.Type{types.BigIntType, types.BooleanType, types.DecimalType(5, 1)}
	rows := chunk.New(in, 8)
	for i, v := range []int64{5, 3, 5, 9, 1, 3, 7, 2} {
		d := chunk.Int(v)
		if i == 4 {
			d = chunk.NullDatum
		}
		rows.AppendRow(chunk.Insert, []chunk.Datum{d, chunk.Bool(i%2 == 0), chunk.Dec(types.DecimalFromInt64(v * 11))})
	}
	for _, insertOnly := range []bool{true, false} {
		var calls []Call
		for _, name := range []string{Count, Sum, Avg, Min, Max, FirstValue, LastValue} {
			calls = append(calls, mustCall(t, name, false, []int{0}, in, -1, insertOnly))
			calls = append(calls, mustCall(t, name, true, []int{0}, in, 1, insertOnly))
		}
		calls = append(calls, mustCall(t, Sum, false, []int{2}, in, -1, insertOnly), mustCall(t, Avg, false, []int{2}, in, -1, insertOnly))
		calls = append(calls, mustCall(t, Count, false, nil, in, -1, insertOnly))
		a, err := New(calls, in)
		if err != nil {
			t.Fatal(err)
		}
		all, left, right := a.NewAccumulators(), a.NewAccumulators(), a.NewAccumulators()
		for i := 0; i < rows.Len(); i++ {
			if err := a.Add(all, rows, i, false); err != nil {
				t.Fatal(err)
			}
		}
		// Feed the halves in arrival order so that FIRST/LAST sequences interleave like all's.
		for i := 0; i < rows.Len(); i++ {
			dst := left
			if i >= 3 {
				dst = right
			}
			if err := a.Add(dst, rows, i, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Merge(right, left); err != nil {
			t.Fatal(err)
		}
		got, want := formatResults(a, right), formatResults(a, all)
		if got != want {
			t.Errorf("insertOnly=%v: merged %s, want %s", insertOnly, got, want)
		}
		const expected = "7, 2, 34, 12, 4, 6, 2, 5, 9, 7, 5, 5, 2, 7, 38.5, 4.812500, 8"
		if want != expected {
			t.Errorf("insertOnly=%v: results %s, want %s", insertOnly, want, expected)
		}
	}
}

func TestDecimalSumOverflow(t *testing.T) {
	in := []types.Type{types.DecimalType(38, 0)}
	a, err := New([]Call{mustCall(t, Sum, false, []int{0}, in, -1, true)}, in)
	if err != nil {
		t.Fatal(err)
	}
	big := types.DecimalPow10(38)
	big, _ = big.Sub(types.DecimalFromInt64(1)) // 38 nines
	c := chunk.New(in, 2)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Dec(big)})
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Dec(types.DecimalFromInt64(1))})
	acc := a.NewAccumulators()
	if err := a.Add(acc, c, 0, false); err != nil {
		t.Fatal(err)
	}
	err = a.Add(acc, c, 1, false)
	if err == nil || err.Error() != "numeric overflow in SUM($0): the sum exceeds DECIMAL(38, 0)" {
		t.Fatalf("got %v, want a DECIMAL overflow error", err)
	}
}

func TestNewValidates(t *testing.T) {
	in := []types.Type{types.BigIntType}
	for _, tc := range []struct {
		c    Call
		want string
	}{
		{Call{Name: Sum, Args: []int{3}, ArgTypes: []types.Type{types.BigIntType}, Filter: -1, Result: types.BigIntType}, "aggregate SUM($3) reads column 3, but the input has 1 columns"},
		{Call{Name: Sum, Args: []int{0}, ArgTypes: []types.Type{types.IntType}, Filter: -1, Result: types.IntType}, "aggregate SUM($0): argument 1 has type INT, but input column 0 is BIGINT"},
		{Call{Name: Sum, Args: []int{0}, ArgTypes: []types.Type{types.BigIntType}, Filter: -1, Result: types.IntType}, "aggregate SUM($0) has result type INT, but SUM returns BIGINT"},
		{Call{Name: Count, Args: []int{0, 0}, ArgTypes: []types.Type{types.BigIntType, types.BigIntType}, Filter: -1, Result: types.BigIntType}, "COUNT takes one argument unless DISTINCT, got 2"},
	} {
		_, err := New([]Call{tc.c}, in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("New(%s) = %v, want %q", tc.c, err, tc.want)
		}
	}
}

// TestCompactLayout checks the per-group footprint of integer aggregates: COUNT takes one
// word, SUM, MIN, MAX and AVG two; the accumulators are one allocation without Extra, and
// accumulating a row allocates nothing.
func TestCompactLayout(t *testing.T) {
	in := []types.Type{types.BigIntType, types.BooleanType}
	calls := []Call{
		mustCall(t, Count, false, nil, in, -1, true),
		mustCall(t, Count, false, nil, in, 1, true),
		mustCall(t, Min, false, []int{0}, in, -1, true),
		mustCall(t, Max, false, []int{0}, in, -1, true),
		mustCall(t, Avg, false, []int{0}, in, -1, true),
		mustCall(t, Sum, false, []int{0}, in, -1, true),
	}
	a, err := New(calls, in)
	if err != nil {
		t.Fatal(err)
	}
	acc := a.NewAccumulators()
	if len(acc.Words) != 10 || acc.Extra != nil {
		t.Fatalf("got %d words and Extra %v, want 10 words and no Extra", len(acc.Words), acc.Extra)
	}
	if n := testing.AllocsPerRun(100, func() { a.NewAccumulators() }); n != 1 {
		t.Errorf("NewAccumulators allocates %v times, want 1", n)
	}
	c := chunk.New(in, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(7), chunk.Bool(true)})
	if n := testing.AllocsPerRun(100, func() {
		if err := a.Add(acc, c, 0, false); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Add allocates %v times, want 0", n)
	}
	if got, want := formatResults(a, acc), "101, 101, 7, 7, 7, 707"; got != want {
		t.Errorf("results %s, want %s", got, want)
	}

	// Retracting MIN over BIGINT keeps its multiset in Extra; other calls stay in words.
	calls[2] = mustCall(t, Min, false, []int{0}, in, -1, false)
	if a, err = New(calls, in); err != nil {
		t.Fatal(err)
	}
	acc = a.NewAccumulators()
	if len(acc.Words) != 10 || acc.Extra == nil || len(acc.Extra.Multisets) != 1 || acc.Extra.Datums != nil {
		t.Fatalf("got %d words and Extra %+v, want 10 words and one multiset", len(acc.Words), acc.Extra)
	}
}
