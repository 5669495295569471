package exec

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

var benchTypes = []types.Type{types.BigIntType, types.BigIntType, types.BigIntType}

// genSource has one split per subtask; each returns the same 1024-row chunk of three BIGINT
// columns chunks times, then io.EOF. Readers never modify chunks, so sharing one is safe.
type genSource struct {
	c      *chunk.Chunk
	chunks int
}

type genSplit int

func (s genSplit) ID() string { return fmt.Sprint("gen-", int(s)) }

func (s *genSource) Splits(p int) ([]connector.Split, error) {
	out := make([]connector.Split, p)
	for i := range out {
		out[i] = genSplit(i)
	}
	return out, nil
}
func (s *genSource) Bounded() bool { return true }
func (s *genSource) Open(context.Context, connector.Split, []int) (connector.SplitReader, error) {
	return &genReader{s: s, left: s.chunks}, nil
}

type genReader struct {
	s    *genSource
	left int
}

func (r *genReader) Next(context.Context, int) (*chunk.Chunk, error) {
	if r.left == 0 {
		return nil, io.EOF
	}
	r.left--
	return r.s.c, nil
}
func (r *genReader) Close() error { return nil }

// countSink counts rows.
type countSink struct{ rows atomic.Int64 }

func (s *countSink) Open(context.Context, int, int) (connector.SinkWriter, error) {
	return countWriter{s}, nil
}

type countWriter struct{ s *countSink }

func (w countWriter) Write(_ context.Context, c *chunk.Chunk) error {
	w.s.rows.Add(int64(c.Len()))
	return nil
}
func (w countWriter) Close() error { return nil }

func benchPipeline(b *testing.B, p int, part Partitioning, noChain bool) {
	c := chunk.New(benchTypes, 1024)
	for i := range 1024 {
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(int64(i)), chunk.Int(int64(i * 3)), chunk.Int(int64(i * 7))})
	}
	src := &genSource{c: c, chunks: max(1, b.N/p)}
	sink := &countSink{}
	g := &Graph{Nodes: []*Node{
		{ID: 0, Name: "Gen", Parallelism: p, OutputTypes: benchTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1, 2}}},
		{ID: 1, Name: "Count", Parallelism: p, Inputs: []Edge{{From: 0, Partitioning: part, KeyCols: []int{0}}}, Sink: sink},
	}}
	j, err := NewJob(g, Options{DisableChaining: noChain})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := j.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	rows := sink.rows.Load()
	if want := int64(src.chunks * p * 1024); rows != want {
		b.Fatalf("counted %d rows, want %d", rows, want)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkForward: generator → FORWARD → counting sink at parallelism 1, chained (one
// goroutine) and unchained (through a queue). One iteration is one 1024-row chunk.
func BenchmarkForward(b *testing.B) {
	b.Run("chained", func(b *testing.B) { benchPipeline(b, 1, Forward, false) })
	b.Run("unchained", func(b *testing.B) { benchPipeline(b, 1, Forward, true) })
}

// BenchmarkHash: generator → HASH(col 0) → counting sink at parallelism 2.
func BenchmarkHash(b *testing.B) {
	benchPipeline(b, 2, Hash, false)
}
