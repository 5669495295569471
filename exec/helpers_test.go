package exec

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Rows of the test source: (key BIGINT, ts TIMESTAMP(3)).
var srcTypes = []types.Type{types.BigIntType, types.TimestampType(3)}

type row struct{ key, ts int64 }

// testSplit is one split of testSource: fixed rows, then io.EOF, or, with forever set, (nil,
// nil) forever. With waitFor set, the reader returns (nil, nil) until the channel is closed.
// With done set, it is closed when the reader reports io.EOF.
type testSplit struct {
	id      string
	rows    []row
	forever bool
	waitFor chan struct{}
	done    chan struct{}
}

func (s *testSplit) ID() string { return s.id }

// testSource is a connector.Source over testSplits; it counts readers opened and closed.
type testSource struct {
	splits         []*testSplit
	opened, closed atomic.Int64
	// produced counts chunks returned; onChunk, when set, is called with the new count.
	produced atomic.Int64
	onChunk  func(n int64)
}

func (s *testSource) Splits(int) ([]connector.Split, error) {
	out := make([]connector.Split, len(s.splits))
	for i, sp := range s.splits {
		out[i] = sp
	}
	return out, nil
}

func (s *testSource) Bounded() bool { return true }

func (s *testSource) Open(_ context.Context, sp connector.Split, projection []int) (connector.SplitReader, error) {
	if !slices.Equal(projection, []int{0, 1}) {
		return nil, fmt.Errorf("unexpected projection %v", projection)
	}
	s.opened.Add(1)
	return &testReader{src: s, sp: sp.(*testSplit)}, nil
}

type testReader struct {
	src *testSource
	sp  *testSplit
	pos int
}

func (r *testReader) Next(ctx context.Context, max int) (*chunk.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.sp.waitFor != nil {
		select {
		case <-r.sp.waitFor:
		default:
			return nil, nil
		}
	}
	if r.pos == len(r.sp.rows) {
		if r.sp.forever {
			return nil, nil
		}
		if r.sp.done != nil {
			close(r.sp.done)
			r.sp.done = nil
		}
		return nil, io.EOF
	}
	n := min(max, len(r.sp.rows)-r.pos)
	c := chunk.New(srcTypes, n)
	for _, rw := range r.sp.rows[r.pos : r.pos+n] {
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(rw.key), chunk.Int(rw.ts)})
	}
	r.pos += n
	if k := r.src.produced.Add(1); r.src.onChunk != nil {
		r.src.onChunk(k)
	}
	return c, nil
}

func (r *testReader) Close() error { r.src.closed.Add(1); return nil }

// tsProcessor passes chunks through; the watermark is the largest ts minus delay.
type tsProcessor struct{ delay int64 }

func (p tsProcessor) Prepare(c *chunk.Chunk) (*chunk.Chunk, error) { return c, nil }

func (p tsProcessor) Watermark(c *chunk.Chunk) (int64, bool, error) {
	if c.Len() == 0 {
		return 0, false, nil
	}
	return slices.Max(c.Cols[1].I64) - p.delay, true, nil
}

func (p tsProcessor) HasWatermark() bool { return true }

// collectSink gathers the rows written to it, formatted, across all its writers.
type collectSink struct {
	mu             sync.Mutex
	rows           []string
	opened, closed atomic.Int64
	// onWrite, when set, runs at the start of every Write.
	onWrite func(c *chunk.Chunk) error
	// notify, when set, is signalled (without blocking) after every Write; see waitRows.
	notify chan struct{}
}

// waitRows blocks until the sink holds at least n rows. It needs notify.
func (s *collectSink) waitRows(n int) {
	for {
		s.mu.Lock()
		have := len(s.rows)
		s.mu.Unlock()
		if have >= n {
			return
		}
		<-s.notify
	}
}

func (s *collectSink) Open(context.Context, int, int) (connector.SinkWriter, error) {
	s.opened.Add(1)
	return &collectWriter{s: s}, nil
}

func (s *collectSink) sorted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.rows)
	slices.Sort(out)
	return out
}

type collectWriter struct {
	s      *collectSink
	closed bool
}

func (w *collectWriter) Write(_ context.Context, c *chunk.Chunk) error {
	if w.closed {
		return fmt.Errorf("write after close")
	}
	if w.s.onWrite != nil {
		if err := w.s.onWrite(c); err != nil {
			return err
		}
	}
	w.s.mu.Lock()
	for i := range c.Len() {
		w.s.rows = append(w.s.rows, c.FormatRow(i))
	}
	w.s.mu.Unlock()
	if w.s.notify != nil {
		select {
		case w.s.notify <- struct{}{}:
		default: // a signal is pending; waitRows rereads the count
		}
	}
	return nil
}

func (w *collectWriter) Close() error {
	if w.closed {
		return fmt.Errorf("closed twice")
	}
	w.closed = true
	w.s.closed.Add(1)
	return nil
}

// windowCount counts rows per key and tumbling event-time window of size size, in a map state
// per key, and emits (key, window start, count) from an event-time timer at the window's last
// instant. Rows whose window has closed are late: counted in LateDropped and dropped.
type windowCount struct {
	size   int64
	ctx    *Context
	counts state.MapState
	key    []byte
	out    []types.Type
	closed *atomic.Int64
}

var countTypes = []types.Type{types.BigIntType, types.TimestampType(3), types.BigIntType}

func newWindowCount(size int64, closed *atomic.Int64) func() (Operator, error) {
	return func() (Operator, error) { return &windowCount{size: size, closed: closed}, nil }
}

func (o *windowCount) Open(ctx *Context) error {
	o.ctx = ctx
	var err error
	o.counts, err = ctx.State.Map(state.Descriptor{Name: "counts", Codec: int64Codec{}})
	return err
}

func (o *windowCount) ProcessChunk(_ int, c *chunk.Chunk) error {
	wm := o.ctx.Watermark()
	for i := range c.Len() {
		ts := c.Cols[1].I64[i]
		start := ts - ((ts%o.size)+o.size)%o.size
		end := start + o.size - 1
		if end <= wm {
			o.ctx.Metrics.LateDropped.Add(1)
			continue
		}
		o.key = chunk.EncodeKey(o.key[:0], c, []int{0}, i)
		mk := strconv.FormatInt(start, 10)
		v, _, err := o.counts.Get(o.key, mk)
		if err != nil {
			return err
		}
		n, _ := v.(int64)
		if err := o.counts.Put(o.key, mk, n+1); err != nil {
			return err
		}
		o.ctx.Timers.RegisterEventTime(o.key, end)
	}
	return nil
}

func (o *windowCount) ProcessWatermark(int64) error { return nil }

func (o *windowCount) OnTimer(t Timer) error {
	if t.Domain != EventTime {
		return fmt.Errorf("unexpected %v timer", t.Domain)
	}
	start := t.Time - o.size + 1
	mk := strconv.FormatInt(start, 10)
	v, ok, err := o.counts.Get(t.Key, mk)
	if err != nil || !ok {
		return fmt.Errorf("timer %d without a count (%v)", t.Time, err)
	}
	if err := o.counts.Delete(t.Key, mk); err != nil {
		return err
	}
	k, err := chunk.DecodeKey(t.Key, countTypes[:1])
	if err != nil {
		return err
	}
	c := chunk.New(countTypes, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{k[0], chunk.Int(start), chunk.Int(v.(int64))})
	return o.ctx.Emit(c)
}

func (o *windowCount) Finish() error { return nil }

func (o *windowCount) Close() error {
	if o.closed != nil {
		o.closed.Add(1)
	}
	return nil
}

// expectedCounts is the reference result of windowCount over rows (none late).
func expectedCounts(size int64, rows []row) []string {
	type kw struct{ k, w int64 }
	m := map[kw]int64{}
	for _, r := range rows {
		m[kw{r.key, r.ts - ((r.ts%size)+size)%size}]++
	}
	var out []string
	for k, n := range m {
		c := chunk.New(countTypes, 1)
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(k.k), chunk.Int(k.w), chunk.Int(n)})
		out = append(out, c.FormatRow(0))
	}
	slices.Sort(out)
	return out
}

// pipeline builds source → HASH(key) → windowCount → FORWARD → sink, all at parallelism p.
func pipeline(src *testSource, delay, size int64, idle time.Duration, p int, sink *collectSink, opClosed *atomic.Int64) *Graph {
	spec := &SourceSpec{
		Source:       src,
		Projection:   []int{0, 1},
		NewProcessor: func() (SourceProcessor, error) { return tsProcessor{delay: delay}, nil },
	}
	spec.IdleTimeout = idle
	return &Graph{Nodes: []*Node{
		{ID: 0, Name: "Source", Parallelism: p, OutputTypes: srcTypes, Source: spec},
		{ID: 1, Name: "WindowCount", Parallelism: p, OutputTypes: countTypes,
			Inputs:      []Edge{{From: 0, Partitioning: Hash, KeyCols: []int{0}}},
			NewOperator: newWindowCount(size, opClosed)},
		{ID: 2, Name: "Sink", Parallelism: p, Inputs: []Edge{{From: 1, Partitioning: Forward}}, Sink: sink},
	}}
}

func sumMetrics(ms []SubtaskMetrics, node int) (in, out, late int64) {
	for _, m := range ms {
		if m.NodeID == node {
			in += m.RecordsIn
			out += m.RecordsOut
			late += m.LateDropped
		}
	}
	return
}
