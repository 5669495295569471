package ops_test

import (
	"fmt"
	"testing"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

const (
	benchRows      = 1_000_000
	benchKeys      = 10_000
	benchChunkSize = 1024
)

// benchChunks builds benchRows insert rows (key BIGINT, value BIGINT, ts TIMESTAMP(3)) in
// chunks; ts advances by 1 ms per row.
func benchChunks() []*chunk.Chunk {
	ts := []types.Type{types.BigIntType, types.BigIntType, types.TimestampType(3)}
	var cs []*chunk.Chunk
	base := int64(1586937600_000000) // 2020-04-15 08:00:00
	for start := 0; start < benchRows; start += benchChunkSize {
		n := min(benchChunkSize, benchRows-start)
		c := chunk.New(ts, n)
		for i := start; i < start+n; i++ {
			c.Kinds = append(c.Kinds, chunk.Insert)
			c.Cols[0].I64 = append(c.Cols[0].I64, int64(i*7919%benchKeys))
			c.Cols[1].I64 = append(c.Cols[1].I64, int64(i%1000))
			c.Cols[2].I64 = append(c.Cols[2].I64, base+int64(i)*1000)
		}
		cs = append(cs, c)
	}
	return cs
}

func benchCalls(b *testing.B, in []types.Type, insertOnly bool, names ...string) []agg.Call {
	var calls []agg.Call
	for _, n := range names {
		c, err := parseCall(n, in, insertOnly)
		if err != nil {
			b.Fatal(err)
		}
		calls = append(calls, c)
	}
	return calls
}

// BenchmarkGroupAgg aggregates COUNT(*) and SUM over 1M rows with 10k keys.
func BenchmarkGroupAgg(b *testing.B) {
	cs := benchChunks()
	in := cs[0].Types()
	for _, mb := range []bool{false, true} {
		b.Run(fmt.Sprintf("minibatch=%v", mb), func(b *testing.B) {
			spec := ops.GroupAggSpec{InputTypes: in, KeyCols: []int{0}, InsertOnlyInput: true, MiniBatch: mb,
				Aggs: benchCalls(b, in, true, "COUNT(*)", "SUM(1)")}
			benchOperator(b, ops.NewGroupAgg(spec), cs)
		})
	}
}

// BenchmarkWindowAggTumble counts 1M rows with 10k keys in 1-minute tumbling windows, with the
// watermark following the rows.
func BenchmarkWindowAggTumble(b *testing.B) {
	cs := benchChunks()
	in := cs[0].Types()
	spec := ops.WindowAggSpec{InputTypes: in, KeyCols: []int{0}, TimeCol: 2,
		Window: ops.WindowDef{Kind: ops.Tumble, Size: 60_000_000}, Aggs: benchCalls(b, in, true, "COUNT(*)")}
	b.ReportAllocs()
	for b.Loop() {
		op, err := ops.NewWindowAgg(spec)()
		if err != nil {
			b.Fatal(err)
		}
		h, err := exectest.Open(b, op, exectest.Config{DiscardOutput: true, PlainState: true}, in)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			if err := h.ProcessChunk(0, c); err != nil {
				b.Fatal(err)
			}
			if err := h.Watermark(c.Cols[2].I64[c.Len()-1]); err != nil {
				b.Fatal(err)
			}
		}
		if err := h.Finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchOperator measures an operator over the benchmark chunks: each iteration builds a new
// operator with newOp and feeds it every chunk on input 0, output discarded; it reports rows/s.
func benchOperator(b *testing.B, newOp func() (exec.Operator, error), cs []*chunk.Chunk) {
	b.Helper()
	in := cs[0].Types()
	rows := 0
	for _, c := range cs {
		rows += c.Len()
	}
	b.ReportAllocs()
	for b.Loop() {
		op, err := newOp()
		if err != nil {
			b.Fatal(err)
		}
		h, err := exectest.Open(b, op, exectest.Config{DiscardOutput: true, PlainState: true}, in)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			if err := h.ProcessChunk(0, c); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
