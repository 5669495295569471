package exec

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// genRows returns n rows of keys 0..keys-1 with timestamps that grow by 10 per row and run up
// to 15 behind the largest so far, so that a watermark delay of 20 never makes a row late.
func genRows(seed, n, keys int) []row {
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{key: int64((i*7 + seed) % keys), ts: int64(i*10 - (i+seed)%3*5)}
	}
	return rows
}

func TestWindowCountExact(t *testing.T) {
	var all []row
	var splits []*testSplit
	for s := range 3 {
		rows := genRows(s, 300+50*s, 10)
		all = append(all, rows...)
		splits = append(splits, &testSplit{id: fmt.Sprint("s", s), rows: rows})
	}
	want := expectedCounts(100, all)
	for _, p := range []int{1, 2, 4} {
		for _, size := range []int{1, 7, 1024} {
			for _, noChain := range []bool{false, true} {
				t.Run(fmt.Sprintf("p%d/chunk%d/nochain=%v", p, size, noChain), func(t *testing.T) {
					src := &testSource{splits: splits}
					sink := &collectSink{}
					var opClosed atomic.Int64
					g := pipeline(src, 20, 100, 0, p, sink, &opClosed)
					j, err := NewJob(g, Options{ChunkSize: size, DisableChaining: noChain})
					if err != nil {
						t.Fatal(err)
					}
					if err := j.Run(context.Background()); err != nil {
						t.Fatal(err)
					}
					if got := sink.sorted(); !slices.Equal(got, want) {
						t.Fatalf("got %d rows, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
					}
					ms := j.Metrics()
					if in, out, late := sumMetrics(ms, 1); in != int64(len(all)) || out != int64(len(want)) || late != 0 {
						t.Fatalf("WindowCount in=%d out=%d late=%d", in, out, late)
					}
					if _, out, _ := sumMetrics(ms, 0); out != int64(len(all)) {
						t.Fatalf("Source out=%d", out)
					}
					if in, _, _ := sumMetrics(ms, 2); in != int64(len(want)) {
						t.Fatalf("Sink in=%d", in)
					}
					for _, m := range ms {
						if m.Watermark != MaxWatermark {
							t.Fatalf("%s subtask %d ended at watermark %d", m.Node, m.Subtask, m.Watermark)
						}
					}
					if src.opened.Load() != 3 || src.closed.Load() != 3 {
						t.Fatalf("readers opened %d closed %d", src.opened.Load(), src.closed.Load())
					}
					if int(opClosed.Load()) != p || int(sink.opened.Load()) != p || int(sink.closed.Load()) != p {
						t.Fatalf("operators closed %d, sinks opened %d closed %d", opClosed.Load(), sink.opened.Load(), sink.closed.Load())
					}
				})
			}
		}
	}
}

// TestLateRowDropped: with one row per chunk, the watermark advances after each chunk, so a row
// far behind it is late.
func TestLateRowDropped(t *testing.T) {
	rows := []row{{1, 1000}, {1, 5}, {1, 1010}}
	src := &testSource{splits: []*testSplit{{id: "a", rows: rows}}}
	sink := &collectSink{}
	j, err := NewJob(pipeline(src, 0, 100, 0, 1, sink, nil), Options{ChunkSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := sink.sorted(), []string{"+I[1, 1970-01-01T00:00:00.001, 2]"}; !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if _, _, late := sumMetrics(j.Metrics(), 1); late != 1 {
		t.Fatalf("late dropped %d, want 1", late)
	}
}

// TestSlowSplitHoldsWatermark: split b produces nothing until split a has ended, and then a row
// that belongs to a window a's rows alone would have closed long before. The watermark is the
// minimum over splits, so b (with no watermark yet) holds it back and the row is counted.
func TestSlowSplitHoldsWatermark(t *testing.T) {
	for _, p := range []int{1, 2} {
		for _, noChain := range []bool{false, true} {
			t.Run(fmt.Sprintf("p%d/nochain=%v", p, noChain), func(t *testing.T) {
				aDone := make(chan struct{})
				a := &testSplit{id: "a", done: aDone}
				for ts := int64(0); ts < 1000; ts += 10 {
					a.rows = append(a.rows, row{1, ts})
				}
				b := &testSplit{id: "b", waitFor: aDone, rows: []row{{1, 5}}}
				src := &testSource{splits: []*testSplit{a, b}}
				sink := &collectSink{}
				j, err := NewJob(pipeline(src, 0, 100, 0, p, sink, nil), Options{ChunkSize: 7, DisableChaining: noChain})
				if err != nil {
					t.Fatal(err)
				}
				if err := j.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				want := expectedCounts(100, append(slices.Clone(a.rows), b.rows...))
				if got := sink.sorted(); !slices.Equal(got, want) {
					t.Fatalf("got %v\nwant %v", got, want)
				}
				if _, _, late := sumMetrics(j.Metrics(), 1); late != 0 {
					t.Fatalf("late dropped %d", late)
				}
			})
		}
	}
}

// TestIdleSplitIgnored: split b never produces anything and never ends; once it is idle, split
// a's watermark alone closes windows. The test waits for those windows (no deadline besides
// the test timeout), then cancels.
func TestIdleSplitIgnored(t *testing.T) {
	for _, p := range []int{1, 2} {
		t.Run(fmt.Sprint("p", p), func(t *testing.T) {
			a := &testSplit{id: "a", forever: true}
			for ts := int64(0); ts < 1000; ts += 10 {
				a.rows = append(a.rows, row{1, ts})
			}
			b := &testSplit{id: "b", forever: true}
			src := &testSource{splits: []*testSplit{a, b}}
			sink := &collectSink{notify: make(chan struct{}, 1)}
			j, err := NewJob(pipeline(src, 0, 100, time.Millisecond, p, sink, nil), Options{ChunkSize: 7})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- j.Run(ctx) }()
			// The watermark reaches 990: the windows [0,100) .. [800,900) close, [900,1000) not.
			want := expectedCounts(100, a.rows[:90])
			sink.waitRows(len(want))
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("Run returned %v, want context.Canceled", err)
			}
			if got := sink.sorted(); !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
			if src.closed.Load() != 2 || sink.closed.Load() != int64(p) {
				t.Fatalf("readers closed %d, sinks closed %d", src.closed.Load(), sink.closed.Load())
			}
		})
	}
}

// timerOp registers, per row, an event-time timer at ts and a processing-time timer one hour
// per key ahead of the (fixed) clock, and emits a line per timer.
type timerOp struct {
	ctx  *Context
	base int64
	key  []byte
}

var lineTypes = []types.Type{types.StringType}

func (o *timerOp) Open(ctx *Context) error { o.ctx = ctx; o.base = ctx.Now().UnixMicro(); return nil }

func (o *timerOp) ProcessChunk(_ int, c *chunk.Chunk) error {
	for i := range c.Len() {
		o.key = chunk.EncodeKey(o.key[:0], c, []int{0}, i)
		k := c.Cols[0].I64[i]
		o.ctx.Timers.RegisterProcessingTime(o.key, o.base+(10-k)*3600e6)
		o.ctx.Timers.RegisterEventTime(o.key, c.Cols[1].I64[i])
	}
	return nil
}

func (o *timerOp) ProcessWatermark(wm int64) error { return nil }

func (o *timerOp) OnTimer(t Timer) error {
	k, err := chunk.DecodeKey(t.Key, srcTypes[:1])
	if err != nil {
		return err
	}
	var line string
	if t.Domain == EventTime {
		line = fmt.Sprintf("event k=%d t=%d", k[0].I, t.Time)
	} else {
		line = fmt.Sprintf("proc k=%d +%dh", k[0].I, (t.Time-o.base)/3600e6)
	}
	c := chunk.New(lineTypes, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str(line)})
	return o.ctx.Emit(c)
}

func (o *timerOp) Finish() error {
	c := chunk.New(lineTypes, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str("finish")})
	return o.ctx.Emit(c)
}

func (o *timerOp) Close() error { return nil }

// TestTimersAtEndOfInput: without watermarks, every event-time timer fires at end of input in
// time order, then every processing-time timer in time order, then Finish.
func TestTimersAtEndOfInput(t *testing.T) {
	fixed := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rows := []row{{3, 30}, {1, 50}, {2, 10}, {1, 20}, {3, 30}}
	for _, noChain := range []bool{false, true} {
		src := &testSource{splits: []*testSplit{{id: "a", rows: rows}}}
		sink := &collectSink{}
		g := &Graph{Nodes: []*Node{
			{ID: 0, Name: "Source", Parallelism: 1, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
			{ID: 1, Name: "Timers", Parallelism: 1, OutputTypes: lineTypes, Inputs: []Edge{{From: 0}},
				NewOperator: func() (Operator, error) { return &timerOp{}, nil }},
			{ID: 2, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 1}}, Sink: sink},
		}}
		j, err := NewJob(g, Options{ChunkSize: 2, Clock: func() time.Time { return fixed }, DisableChaining: noChain})
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"+I[event k=2 t=10]", "+I[event k=1 t=20]", "+I[event k=3 t=30]", "+I[event k=1 t=50]",
			"+I[proc k=3 +7h]", "+I[proc k=2 +8h]", "+I[proc k=1 +9h]", "+I[finish]",
		}
		if !slices.Equal(sink.rows, want) {
			t.Fatalf("nochain=%v: got %v\nwant %v", noChain, sink.rows, want)
		}
	}
}

// procTickOp registers a processing-time timer 1ms ahead on its first row and emits when it
// fires.
type procTickOp struct {
	ctx   *Context
	armed bool
}

func (o *procTickOp) Open(ctx *Context) error { o.ctx = ctx; return nil }
func (o *procTickOp) ProcessChunk(_ int, c *chunk.Chunk) error {
	if !o.armed {
		o.armed = true
		o.ctx.Timers.RegisterProcessingTime([]byte("k"), o.ctx.Now().Add(time.Millisecond).UnixMicro())
	}
	return nil
}
func (o *procTickOp) ProcessWatermark(int64) error { return nil }
func (o *procTickOp) OnTimer(t Timer) error {
	c := chunk.New(lineTypes, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str(fmt.Sprintf("%s fired", t.Key))})
	return o.ctx.Emit(c)
}
func (o *procTickOp) Finish() error { return nil }
func (o *procTickOp) Close() error  { return nil }

// TestProcessingTimerFiresWhileRunning: a due processing-time timer fires although no input
// arrives (the source is idle forever), both chained into the source's goroutine and not.
func TestProcessingTimerFiresWhileRunning(t *testing.T) {
	for _, noChain := range []bool{false, true} {
		src := &testSource{splits: []*testSplit{{id: "a", rows: []row{{1, 1}}, forever: true}}}
		sink := &collectSink{notify: make(chan struct{}, 1)}
		g := &Graph{Nodes: []*Node{
			{ID: 0, Name: "Source", Parallelism: 1, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
			{ID: 1, Name: "Tick", Parallelism: 1, OutputTypes: lineTypes, Inputs: []Edge{{From: 0}},
				NewOperator: func() (Operator, error) { return &procTickOp{}, nil }},
			{ID: 2, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 1}}, Sink: sink},
		}}
		j, err := NewJob(g, Options{DisableChaining: noChain})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- j.Run(ctx) }()
		sink.waitRows(1)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
		if got := sink.sorted(); !slices.Equal(got, []string{"+I[k fired]"}) {
			t.Fatalf("got %v", got)
		}
	}
}

var errBoom = errors.New("boom")

// failOp fails (or panics) on its third chunk.
type failOp struct {
	ctx    *Context
	n      int
	panics bool
	closed *atomic.Int64
}

func (o *failOp) Open(ctx *Context) error { o.ctx = ctx; return nil }
func (o *failOp) ProcessChunk(_ int, c *chunk.Chunk) error {
	o.n++
	if o.n == 3 {
		if o.panics {
			panic("kaboom")
		}
		return fmt.Errorf("cannot frobnicate: %w", errBoom)
	}
	return o.ctx.Emit(c)
}
func (o *failOp) ProcessWatermark(int64) error { return nil }
func (o *failOp) OnTimer(Timer) error          { return nil }
func (o *failOp) Finish() error                { return nil }
func (o *failOp) Close() error                 { o.closed.Add(1); return nil }

// infiniteSource returns the same chunk forever.
type infiniteSource struct {
	opened, closed atomic.Int64
}

type infSplit struct{}

func (infSplit) ID() string { return "inf" }

func (s *infiniteSource) Splits(p int) ([]connector.Split, error) {
	out := make([]connector.Split, p)
	for i := range out {
		out[i] = infSplit{}
	}
	return out, nil
}
func (s *infiniteSource) Bounded() bool { return false }
func (s *infiniteSource) Open(context.Context, connector.Split, []int) (connector.SplitReader, error) {
	s.opened.Add(1)
	c := chunk.New(srcTypes, 4)
	for i := range 4 {
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(int64(i)), chunk.Int(int64(i))})
	}
	return &infReader{s: s, c: c}, nil
}

type infReader struct {
	s *infiniteSource
	c *chunk.Chunk
}

func (r *infReader) Next(ctx context.Context, max int) (*chunk.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.c, nil
}
func (r *infReader) Close() error { r.s.closed.Add(1); return nil }

// TestOperatorErrorFailsJob: the error names the node and subtask, wraps the cause, and every
// subtask stops and closes (goleak checks the goroutines).
func TestOperatorErrorFailsJob(t *testing.T) {
	for _, panics := range []bool{false, true} {
		for _, noChain := range []bool{false, true} {
			t.Run(fmt.Sprintf("panic=%v/nochain=%v", panics, noChain), func(t *testing.T) {
				src := &infiniteSource{}
				sink := &collectSink{}
				var closed atomic.Int64
				g := &Graph{Nodes: []*Node{
					{ID: 0, Name: "Source", Parallelism: 2, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
					{ID: 1, Name: "Boom", Parallelism: 2, OutputTypes: srcTypes, Inputs: []Edge{{From: 0}},
						NewOperator: func() (Operator, error) { return &failOp{panics: panics, closed: &closed}, nil }},
					{ID: 2, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 1, Partitioning: Rebalance}}, Sink: sink},
				}}
				j, err := NewJob(g, Options{DisableChaining: noChain})
				if err != nil {
					t.Fatal(err)
				}
				err = j.Run(context.Background())
				var ne *NodeError
				if !errors.As(err, &ne) || ne.Node != "Boom" || ne.NodeID != 1 {
					t.Fatalf("Run returned %v", err)
				}
				prefix := fmt.Sprintf("node 1 (Boom) subtask %d: ", ne.Subtask)
				if panics {
					if !strings.HasPrefix(err.Error(), prefix+"panic: kaboom") || !strings.Contains(err.Error(), "failOp") {
						t.Fatalf("panic error lacks node or stack: %v", err)
					}
				} else if err.Error() != prefix+"cannot frobnicate: boom" || !errors.Is(err, errBoom) {
					t.Fatalf("Run returned %v", err)
				}
				if closed.Load() != 2 || src.closed.Load() != src.opened.Load() || sink.closed.Load() != 1 {
					t.Fatalf("operators closed %d, readers %d/%d, sinks closed %d", closed.Load(), src.closed.Load(), src.opened.Load(), sink.closed.Load())
				}
			})
		}
	}
}

// TestCancelStopsUnboundedSource: cancelling ctx stops every goroutine and closes everything.
func TestCancelStopsUnboundedSource(t *testing.T) {
	for _, noChain := range []bool{false, true} {
		src := &infiniteSource{}
		sink := &collectSink{notify: make(chan struct{}, 1)}
		var closed atomic.Int64
		g := pipelineFrom(src, 2, sink, &closed)
		j, err := NewJob(g, Options{DisableChaining: noChain})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- j.Run(ctx) }()
		sink.waitRows(1000)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
		if src.opened.Load() != 2 || src.closed.Load() != 2 || closed.Load() != 2 || sink.closed.Load() != 2 {
			t.Fatalf("readers %d/%d, operators closed %d, sinks closed %d", src.closed.Load(), src.opened.Load(), closed.Load(), sink.closed.Load())
		}
		if err := j.Run(context.Background()); err == nil {
			t.Fatal("second Run succeeded")
		}
	}
}

func pipelineFrom(src connector.Source, p int, sink *collectSink, closed *atomic.Int64) *Graph {
	return &Graph{Nodes: []*Node{
		{ID: 0, Name: "Source", Parallelism: p, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
		{ID: 1, Name: "Pass", Parallelism: p, OutputTypes: srcTypes, Inputs: []Edge{{From: 0, Partitioning: Hash, KeyCols: []int{0}}},
			NewOperator: func() (Operator, error) { return &failOp{n: -1 << 40, closed: closed}, nil }},
		{ID: 2, Name: "Sink", Parallelism: p, Inputs: []Edge{{From: 1}}, Sink: sink},
	}}
}

// TestBackpressure: a slow sink behind a queue bounds the chunks read but not yet written by
// the queue's capacity, whatever the speeds.
func TestBackpressure(t *testing.T) {
	const depth = 2
	var rows []row
	for i := range 200 {
		rows = append(rows, row{int64(i), int64(i)})
	}
	src := &testSource{splits: []*testSplit{{id: "a", rows: rows}}}
	var written, worst atomic.Int64
	src.onChunk = func(n int64) {
		if d := n - written.Load(); d > worst.Load() {
			worst.Store(d)
		}
	}
	sink := &collectSink{onWrite: func(*chunk.Chunk) error {
		written.Add(1)
		time.Sleep(100 * time.Microsecond) // slow; the assertion does not depend on it
		return nil
	}}
	g := &Graph{Nodes: []*Node{
		{ID: 0, Name: "Source", Parallelism: 1, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
		{ID: 1, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 0, Partitioning: Rebalance}}, Sink: sink},
	}}
	j, err := NewJob(g, Options{ChunkSize: 1, QueueDepth: depth})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sink.rows) != 200 {
		t.Fatalf("sink got %d rows", len(sink.rows))
	}
	// In flight: the queue, the chunk the sink took but has not yet counted, and the chunk the
	// reader just produced. Without backpressure it would be close to 200.
	if w := worst.Load(); w > depth+2 {
		t.Fatalf("%d chunks in flight, queue depth %d", w, depth)
	}
	ms := j.Metrics()
	if hw := ms[1].QueueHighWater; hw < 1 || hw > depth+1 {
		t.Fatalf("queue high water %d", hw)
	}
}

func TestPartitionings(t *testing.T) {
	var rows []row
	for i := range 100 {
		rows = append(rows, row{int64(i % 13), int64(i)})
	}
	cases := []struct {
		part    Partitioning
		up, dn  int
		perTask func(total int64, s int) int64 // -1: unchecked
		sum     int64
	}{
		{Broadcast, 2, 3, func(total int64, s int) int64 { return total }, 300},
		{Global, 2, 3, func(total int64, s int) int64 {
			if s == 0 {
				return total
			}
			return 0
		}, 100},
		{Rebalance, 2, 3, func(int64, int) int64 { return -1 }, 100},
		{Hash, 2, 3, func(int64, int) int64 { return -1 }, 100},
		{Forward, 3, 3, func(int64, int) int64 { return -1 }, 100},
	}
	for _, tc := range cases {
		t.Run(tc.part.String(), func(t *testing.T) {
			var splits []*testSplit
			for i := range 4 {
				splits = append(splits, &testSplit{id: fmt.Sprint(i), rows: rows[i*25 : i*25+25]})
			}
			src := &testSource{splits: splits}
			sink := &collectSink{}
			var closed atomic.Int64
			g := &Graph{Nodes: []*Node{
				{ID: 0, Name: "Source", Parallelism: tc.up, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
				{ID: 1, Name: "Pass", Parallelism: tc.dn, OutputTypes: srcTypes, Inputs: []Edge{{From: 0, Partitioning: tc.part, KeyCols: []int{0}}},
					NewOperator: func() (Operator, error) { return &failOp{n: -1 << 40, closed: &closed}, nil }},
				{ID: 2, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 1, Partitioning: Global}}, Sink: sink},
			}}
			j, err := NewJob(g, Options{ChunkSize: 3})
			if err != nil {
				t.Fatal(err)
			}
			if err := j.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if int64(len(sink.rows)) != tc.sum {
				t.Fatalf("sink got %d rows, want %d", len(sink.rows), tc.sum)
			}
			for _, m := range j.Metrics() {
				if m.NodeID != 1 {
					continue
				}
				if want := tc.perTask(100, m.Subtask); want >= 0 && m.RecordsIn != want {
					t.Fatalf("subtask %d got %d rows, want %d", m.Subtask, m.RecordsIn, want)
				}
			}
		})
	}
}

// TestHashColocatesKeys checks that every key reaches exactly one subtask.
func TestHashColocatesKeys(t *testing.T) {
	var rows []row
	for i := range 500 {
		rows = append(rows, row{int64(i % 37), int64(i)})
	}
	src := &testSource{splits: []*testSplit{{id: "a", rows: rows[:250]}, {id: "b", rows: rows[250:]}}}
	owners := make([]map[int64]bool, 4)
	for i := range owners {
		owners[i] = map[int64]bool{}
	}
	g := &Graph{Nodes: []*Node{
		{ID: 0, Name: "Source", Parallelism: 2, OutputTypes: srcTypes, Source: &SourceSpec{Source: src, Projection: []int{0, 1}}},
		{ID: 1, Name: "Own", Parallelism: 4, OutputTypes: srcTypes, Inputs: []Edge{{From: 0, Partitioning: Hash, KeyCols: []int{0}}},
			NewOperator: func() (Operator, error) { return &ownerOp{owners: owners}, nil }},
	}}
	j, err := NewJob(g, Options{ChunkSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for s, m := range owners {
		for k := range m {
			if prev, ok := seen[k]; ok {
				t.Fatalf("key %d at subtasks %d and %d", k, prev, s)
			}
			seen[k] = s
		}
	}
	if len(seen) != 37 {
		t.Fatalf("%d keys seen", len(seen))
	}
}

// ownerOp records which keys reach its subtask (each subtask writes only its own map).
type ownerOp struct {
	owners []map[int64]bool
	ctx    *Context
}

func (o *ownerOp) Open(ctx *Context) error { o.ctx = ctx; return nil }
func (o *ownerOp) ProcessChunk(_ int, c *chunk.Chunk) error {
	for _, k := range c.Cols[0].I64 {
		o.owners[o.ctx.Subtask][k] = true
	}
	return nil
}
func (o *ownerOp) ProcessWatermark(int64) error { return nil }
func (o *ownerOp) OnTimer(Timer) error          { return nil }
func (o *ownerOp) Finish() error                { return nil }
func (o *ownerOp) Close() error                 { return nil }

func TestValidate(t *testing.T) {
	src := &SourceSpec{Source: &testSource{}}
	op := func() (Operator, error) { return &ownerOp{}, nil }
	cases := []struct {
		name string
		g    *Graph
		want string
	}{
		{"empty", &Graph{}, "invalid dataflow: no nodes"},
		{"id", &Graph{Nodes: []*Node{{ID: 1, Name: "S", Parallelism: 1, Source: src}}}, `invalid dataflow: node "S" at index 0 has ID 1`},
		{"kinds", &Graph{Nodes: []*Node{{ID: 0, Name: "S", Parallelism: 1, Source: src, NewOperator: op}}}, "invalid dataflow: node 0 (S): exactly one of Source, Sink and NewOperator must be set, found 2"},
		{"none", &Graph{Nodes: []*Node{{ID: 0, Name: "S", Parallelism: 1}}}, "invalid dataflow: node 0 (S): exactly one of Source, Sink and NewOperator must be set, found 0"},
		{"parallelism", &Graph{Nodes: []*Node{{ID: 0, Name: "S", Parallelism: 129, Source: src}}}, "invalid dataflow: node 0 (S): parallelism 129 is outside 1..128"},
		{"order", &Graph{Nodes: []*Node{
			{ID: 0, Name: "A", Parallelism: 1, NewOperator: op, Inputs: []Edge{{From: 1}}},
			{ID: 1, Name: "S", Parallelism: 1, Source: src},
		}}, "invalid dataflow: node 0 (A): input 0 reads node 1, which does not come before it (nodes must be in topological order)"},
		{"forward", &Graph{Nodes: []*Node{
			{ID: 0, Name: "S", Parallelism: 2, Source: src, OutputTypes: srcTypes},
			{ID: 1, Name: "A", Parallelism: 1, NewOperator: op, Inputs: []Edge{{From: 0}}},
		}}, "invalid dataflow: node 1 (A): input 0 is FORWARD from node 0 (S) with parallelism 2, but this node has parallelism 1"},
		{"hash key", &Graph{Nodes: []*Node{
			{ID: 0, Name: "S", Parallelism: 2, Source: src, OutputTypes: srcTypes},
			{ID: 1, Name: "A", Parallelism: 1, NewOperator: op, Inputs: []Edge{{From: 0, Partitioning: Hash, KeyCols: []int{2}}}},
		}}, "invalid dataflow: node 1 (A): input 0 hashes column 2, but node 0 (S) has 2 output columns"},
		{"source inputs", &Graph{Nodes: []*Node{
			{ID: 0, Name: "S", Parallelism: 1, Source: src},
			{ID: 1, Name: "T", Parallelism: 1, Source: src, Inputs: []Edge{{From: 0}}},
		}}, "invalid dataflow: node 1 (T): a source has no inputs, found 1"},
		{"from sink", &Graph{Nodes: []*Node{
			{ID: 0, Name: "K", Parallelism: 1, Sink: &collectSink{}},
			{ID: 1, Name: "A", Parallelism: 1, NewOperator: op, Inputs: []Edge{{From: 0}}},
		}}, "invalid dataflow: node 1 (A): input 0 reads sink node 0 (K)"},
		{"partitioning", &Graph{Nodes: []*Node{
			{ID: 0, Name: "S", Parallelism: 1, Source: src},
			{ID: 1, Name: "A", Parallelism: 1, NewOperator: op, Inputs: []Edge{{From: 0, Partitioning: 9}}},
		}}, "invalid dataflow: node 1 (A): input 0 has unknown partitioning 9"},
	}
	for _, tc := range cases {
		_, err := NewJob(tc.g, Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

// TestZeroSplitSubtask: a source subtask without splits ends at once and holds nothing back.
func TestZeroSplitSubtask(t *testing.T) {
	rows := genRows(0, 100, 5)
	src := &testSource{splits: []*testSplit{{id: "only", rows: rows}}}
	sink := &collectSink{}
	j, err := NewJob(pipeline(src, 20, 100, 0, 4, sink, nil), Options{ChunkSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := sink.sorted(), expectedCounts(100, rows); !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

// unionOp forwards both inputs and records the watermarks it sees.
type unionOp struct {
	ctx *Context
	wms *[]int64
}

func (o *unionOp) Open(ctx *Context) error                  { o.ctx = ctx; return nil }
func (o *unionOp) ProcessChunk(_ int, c *chunk.Chunk) error { return o.ctx.Emit(c) }
func (o *unionOp) ProcessWatermark(wm int64) error          { *o.wms = append(*o.wms, wm); return nil }
func (o *unionOp) OnTimer(Timer) error                      { return nil }
func (o *unionOp) Finish() error                            { return nil }
func (o *unionOp) Close() error                             { return nil }

// TestTwoInputs: a node reading two sources sees the minimum of their watermarks, increasing.
func TestTwoInputs(t *testing.T) {
	fast := &testSplit{id: "fast"}
	for ts := int64(0); ts < 1000; ts += 100 {
		fast.rows = append(fast.rows, row{1, ts})
	}
	slowDone := make(chan struct{})
	fast.done = slowDone
	slow := &testSplit{id: "slow", rows: []row{{2, 50}, {2, 60}}, waitFor: slowDone}
	a := &testSource{splits: []*testSplit{fast}}
	b := &testSource{splits: []*testSplit{slow}}
	sink := &collectSink{}
	var wms []int64
	spec := func(s *testSource) *SourceSpec {
		return &SourceSpec{Source: s, Projection: []int{0, 1}, NewProcessor: func() (SourceProcessor, error) { return tsProcessor{}, nil }}
	}
	g := &Graph{Nodes: []*Node{
		{ID: 0, Name: "A", Parallelism: 1, OutputTypes: srcTypes, Source: spec(a)},
		{ID: 1, Name: "B", Parallelism: 1, OutputTypes: srcTypes, Source: spec(b)},
		{ID: 2, Name: "Union", Parallelism: 1, OutputTypes: srcTypes, Inputs: []Edge{{From: 0}, {From: 1, Partitioning: Rebalance}},
			NewOperator: func() (Operator, error) { return &unionOp{wms: &wms}, nil }},
		{ID: 3, Name: "Sink", Parallelism: 1, Inputs: []Edge{{From: 2}}, Sink: sink},
	}}
	j, err := NewJob(g, Options{ChunkSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sink.rows) != 12 {
		t.Fatalf("sink got %d rows", len(sink.rows))
	}
	// A ends (watermark MAX) before B produces, so B alone drives the watermark: 50, 60, MAX.
	if want := []int64{50, 60, MaxWatermark}; !slices.Equal(wms, want) {
		t.Fatalf("watermarks %v, want %v", wms, want)
	}
}

// TestSinkErrorFailsJob: a failing Write names the sink node.
func TestSinkErrorFailsJob(t *testing.T) {
	src := &infiniteSource{}
	sink := &collectSink{onWrite: func(*chunk.Chunk) error { return errBoom }}
	var closed atomic.Int64
	j, err := NewJob(pipelineFrom(src, 1, sink, &closed), Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = j.Run(context.Background())
	if err == nil || err.Error() != "node 2 (Sink) subtask 0: boom" || !errors.Is(err, errBoom) {
		t.Fatalf("Run returned %v", err)
	}
	if sink.closed.Load() != 1 || closed.Load() != 1 || src.closed.Load() != 1 {
		t.Fatalf("sinks closed %d, operators %d, readers %d", sink.closed.Load(), closed.Load(), src.closed.Load())
	}
}

// TestOpenErrorFailsJob: an operator whose constructor fails stops the job; the other
// subtasks are closed.
func TestOpenErrorFailsJob(t *testing.T) {
	src := &infiniteSource{}
	sink := &collectSink{}
	g := pipelineFrom(src, 2, sink, new(atomic.Int64))
	g.Nodes[1].NewOperator = func() (Operator, error) { return nil, errBoom }
	j, err := NewJob(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = j.Run(context.Background())
	if !errors.Is(err, errBoom) || !strings.HasPrefix(err.Error(), "node 1 (Pass) subtask ") || !strings.HasSuffix(err.Error(), ": cannot create operator: boom") {
		t.Fatalf("Run returned %v", err)
	}
	if src.closed.Load() != src.opened.Load() || sink.closed.Load() != sink.opened.Load() {
		t.Fatalf("readers %d/%d, sinks %d/%d", src.closed.Load(), src.opened.Load(), sink.closed.Load(), sink.opened.Load())
	}
}
