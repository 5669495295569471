package ops_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// TestDedupDataDriven runs testdata/dedup_* (directives: see TestRankDataDriven).
func TestDedupDataDriven(t *testing.T) { rkRunFiles(t, "dedup_*") }

// TestDedupStateSize checks that every variant keeps one state entry per key, however many rows
// arrive.
func TestDedupStateSize(t *testing.T) {
	in := []types.Type{types.BigIntType, types.BigIntType, types.TimestampType(3)}
	const keys, rows = 100, 50_000
	for _, keepLast := range []bool{false, true} {
		for _, timeCol := range []int{-1, 2} {
			t.Run(fmt.Sprintf("keep-last=%v/time=%d", keepLast, timeCol), func(t *testing.T) {
				spec := ops.DedupSpec{InputTypes: in, KeyCols: []int{0}, KeepLast: keepLast, TimeCol: timeCol}
				op, err := ops.NewDedup(spec)()
				if err != nil {
					t.Fatal(err)
				}
				h, err := exectest.Open(t, op, exectest.Config{DiscardOutput: true}, in)
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(5, 6))
				for start := 0; start < rows; start += 1000 {
					c := chunk.New(in, 1000)
					for range 1000 {
						c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(rng.Int64N(keys)), chunk.Int(rng.Int64()),
							chunk.Int(1586937600_000000 + rng.Int64N(3600_000000))})
					}
					if err := h.ProcessChunk(0, c); err != nil {
						t.Fatal(err)
					}
				}
				if n := h.State().(state.Sizer).Entries(); n != keys {
					t.Errorf("state entries = %d, want one per key (%d)", n, keys)
				}
				out := h.Metrics().RecordsOut.Load()
				if spec.OutputInsertOnly() && out != keys {
					t.Errorf("keep first on processing time emitted %d rows, want one per key (%d)", out, keys)
				}
			})
		}
	}
}

// TestDedupRandom compares the final result of each variant, materialized from its changelog,
// with the row a brute-force model keeps per key.
func TestDedupRandom(t *testing.T) {
	in := []types.Type{types.StringType, types.TimestampType(3), types.BigIntType}
	seed := uint64(time.Now().UnixNano())
	for round := range 50 {
		s := seed + uint64(round)
		rng := rand.New(rand.NewPCG(s, s))
		keepLast, rowtime := rng.IntN(2) == 0, rng.IntN(2) == 0
		spec := ops.DedupSpec{InputTypes: in, KeyCols: []int{0}, KeepLast: keepLast, TimeCol: -1}
		if rowtime {
			spec.TimeCol = 1
		}
		op, err := ops.NewDedup(spec)()
		if err != nil {
			t.Fatal(err)
		}
		h := exectest.New(t, op, in)
		kept := map[string][]chunk.Datum{}
		c := chunk.New(in, 8)
		for i := range 300 {
			k := fmt.Sprintf("k%d", rng.IntN(5))
			row := []chunk.Datum{chunk.Str(k), chunk.Int(rng.Int64N(10) * 1000), chunk.Int(int64(i))}
			c.AppendRow(chunk.Insert, row)
			old, ok := kept[k]
			switch {
			case !ok:
				kept[k] = row
			case !rowtime && keepLast:
				kept[k] = row
			case rowtime && keepLast && row[1].I >= old[1].I:
				kept[k] = row
			case rowtime && !keepLast && row[1].I < old[1].I:
				kept[k] = row
			}
			if rng.IntN(10) == 0 {
				if err := h.ProcessChunk(0, c); err != nil {
					t.Fatal(err)
				}
				c = chunk.New(in, 8)
			}
		}
		if err := h.ProcessChunk(0, c); err != nil {
			t.Fatal(err)
		}
		got, err := rkMaterialize(nil, h.Chunks(), nil)
		if err != nil {
			t.Fatalf("seed %d: %v", s, err)
		}
		want := chunk.New(in, len(kept))
		for _, row := range kept {
			want.AppendRow(chunk.Insert, row)
		}
		var wantRows []string
		for i := 0; i < want.Len(); i++ {
			wantRows = append(wantRows, want.FormatRow(i)[2:])
		}
		if g := got.bodies(); fmt.Sprint(g) != fmt.Sprint(rkSorted(wantRows)) {
			t.Fatalf("seed %d keep-last=%v rowtime=%v: got %v, want %v", s, keepLast, rowtime, g, rkSorted(wantRows))
		}
	}
}

// BenchmarkDedupKeepLastRowtime deduplicates 1M rows with 10k keys, keeping the last row by
// event time (benchChunks: times increase, so every row replaces its key's row: -U/+U each).
func BenchmarkDedupKeepLastRowtime(b *testing.B) {
	cs := benchChunks()
	in := cs[0].Types()
	spec := ops.DedupSpec{InputTypes: in, KeyCols: []int{0}, KeepLast: true, TimeCol: 2}
	benchOperator(b, ops.NewDedup(spec), cs)
}
