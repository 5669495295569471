package blackhole

import (
	"context"
	"sync/atomic"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
)

// Name is the connector's name.
const Name = "blackhole"

// Factory returns the blackhole connector's factory.
func Factory() *connector.Factory {
	return &connector.Factory{
		Name: Name,
		Doc: "Discards every row it receives, of any row kind, as Flink's blackhole connector does. " +
			"Benchmarks use it as the sink so that only the query is measured. It takes no options.",
		Spec:               connector.Spec{},
		SinkAcceptsUpdates: true,
		NewSink: func(cc connector.CreateContext) (connector.Sink, error) {
			return &Sink{}, nil
		},
	}
}

// Sink is the blackhole sink; it counts what its writers discarded.
type Sink struct {
	rows, chunks atomic.Int64
}

// Rows returns the number of rows discarded so far by all writers.
func (s *Sink) Rows() int64 { return s.rows.Load() }

// Chunks returns the number of chunks discarded so far by all writers.
func (s *Sink) Chunks() int64 { return s.chunks.Load() }

// Open returns a writer for one subtask.
func (s *Sink) Open(ctx context.Context, subtask, parallelism int) (connector.SinkWriter, error) {
	return &writer{s: s}, nil
}

type writer struct{ s *Sink }

func (w *writer) Write(ctx context.Context, c *chunk.Chunk) error {
	w.s.rows.Add(int64(c.Len()))
	w.s.chunks.Add(1)
	return nil
}

func (w *writer) Close() error { return nil }
