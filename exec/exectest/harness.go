package exectest

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// Config tunes a Harness beyond its defaults.
type Config struct {
	// Location is the session time zone given to the operator (ctx.Expr.Location); UTC when nil.
	Location *time.Location
	// ProcessingTime is the clock's start, in microseconds since the epoch; 0 means
	// 2020-01-01 00:00:00 UTC.
	ProcessingTime int64
	// DiscardOutput counts emitted rows without keeping them (for benchmarks): Output, Chunks
	// and Drain then return nothing.
	DiscardOutput bool
	// PlainState gives the operator the plain in-memory backend. By default the backend is
	// wrapped with state.NewRoundTrip, which stores every value through its state's codec and
	// decodes a fresh copy on every read, as a durable backend may: tests then check the
	// codecs and that the operator Puts back what it changes. Benchmarks use PlainState.
	PlainState bool
}

// defaultStart is the processing-time clock's default start: 2020-01-01 00:00:00 UTC.
const defaultStart int64 = 1577836800_000000

// Harness runs one operator subtask. Its methods are not safe for concurrent use.
type Harness struct {
	tb      testing.TB
	op      exec.Operator
	inputs  [][]types.Type
	ctx     *exec.Context
	metrics exec.Metrics
	backend state.Backend
	event   *timerQueue
	proc    *timerQueue
	wm      int64
	now     int64 // processing time, microseconds

	out      []*chunk.Chunk
	rows     []string
	read     int // rows already returned by Drain
	discard  bool
	finished bool
	closed   bool
}

// New opens op with one list of column types per input and default configuration. It fails the
// test if Open fails. The harness closes the operator when the test ends.
func New(tb testing.TB, op exec.Operator, inputs ...[]types.Type) *Harness {
	tb.Helper()
	h, err := Open(tb, op, Config{}, inputs...)
	if err != nil {
		tb.Fatalf("cannot open operator: %v", err)
	}
	return h
}

// Open is New with a Config, returning Open's error instead of failing the test.
func Open(tb testing.TB, op exec.Operator, cfg Config, inputs ...[]types.Type) (*Harness, error) {
	h := &Harness{tb: tb, op: op, inputs: inputs, event: newTimerQueue(), proc: newTimerQueue(),
		wm: exec.MinWatermark, now: cfg.ProcessingTime, discard: cfg.DiscardOutput}
	if h.now == 0 {
		h.now = defaultStart
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	h.backend = state.NewMemory(h.clock)
	if !cfg.PlainState {
		h.backend = state.NewRoundTrip(h.backend)
	}
	h.ctx = &exec.Context{
		Node:        "test",
		Parallelism: 1,
		State:       h.backend,
		Timers:      &timers{h: h},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics:     &h.metrics,
		Expr:        &expr.Context{Location: loc, Now: h.clock},
		Emit:        h.emit,
		Watermark:   func() int64 { return h.wm },
		Now:         h.clock,
	}
	tb.Cleanup(func() {
		if err := h.Close(); err != nil {
			tb.Errorf("cannot close operator: %v", err)
		}
	})
	if err := op.Open(h.ctx); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *Harness) clock() time.Time { return time.UnixMicro(h.now).UTC() }

// State returns the operator's state backend (in memory, wrapped by state.NewRoundTrip unless
// Config.PlainState; it implements state.Sizer).
func (h *Harness) State() state.Backend { return h.backend }

// Operator returns the operator under test.
func (h *Harness) Operator() exec.Operator { return h.op }

// Context returns the context given to the operator.
func (h *Harness) Context() *exec.Context { return h.ctx }

// Metrics returns the operator's metrics.
func (h *Harness) Metrics() *exec.Metrics { return &h.metrics }

// CurrentWatermark returns the current input watermark.
func (h *Harness) CurrentWatermark() int64 { return h.wm }

func (h *Harness) emit(c *chunk.Chunk) error {
	n := c.Len()
	for j, v := range c.Cols {
		if v.Len() != n {
			return fmt.Errorf("emitted chunk is malformed: column %d has %d values for %d rows", j, v.Len(), n)
		}
		if v.Nulls != nil && len(v.Nulls) != n {
			return fmt.Errorf("emitted chunk is malformed: column %d has %d null flags for %d rows", j, len(v.Nulls), n)
		}
	}
	h.metrics.RecordsOut.Add(int64(n))
	if h.discard {
		return nil
	}
	h.out = append(h.out, c)
	for i := 0; i < n; i++ {
		h.rows = append(h.rows, c.FormatRow(i))
	}
	return nil
}

// Process parses rows in print form ("+I[a, 1]") with input's column types and passes them to
// the operator as one chunk.
func (h *Harness) Process(input int, rows ...string) error {
	if input < 0 || input >= len(h.inputs) {
		return fmt.Errorf("input %d does not exist (the operator has %d)", input, len(h.inputs))
	}
	c, err := ParseChunk(h.inputs[input], rows)
	if err != nil {
		return err
	}
	return h.ProcessChunk(input, c)
}

// ProcessChunk passes a chunk to the operator.
func (h *Harness) ProcessChunk(input int, c *chunk.Chunk) error {
	if c.Len() == 0 {
		return nil // the runtime never delivers empty chunks
	}
	h.metrics.RecordsIn.Add(int64(c.Len()))
	return h.op.ProcessChunk(input, c)
}

// Watermark advances the input watermark to wm (ignored unless it grows): it fires the
// event-time timers at or before wm in (time, key) order, including ones registered meanwhile,
// then calls ProcessWatermark.
func (h *Harness) Watermark(wm int64) error {
	if wm <= h.wm {
		return nil
	}
	h.wm = wm
	if err := h.fire(h.event, exec.EventTime, wm); err != nil {
		return err
	}
	return h.op.ProcessWatermark(wm)
}

// AdvanceProcessingTime moves the processing-time clock to t (microseconds since the epoch;
// ignored unless it grows) and fires the processing-time timers at or before t.
func (h *Harness) AdvanceProcessingTime(t int64) error {
	if t > h.now {
		h.now = t
	}
	return h.fire(h.proc, exec.ProcessingTime, h.now)
}

// ProcessingTime returns the processing-time clock in microseconds since the epoch.
func (h *Harness) ProcessingTime() int64 { return h.now }

func (h *Harness) fire(q *timerQueue, d exec.TimeDomain, limit int64) error {
	for {
		key, t, ok := q.next(limit)
		if !ok {
			return nil
		}
		if err := h.op.OnTimer(exec.Timer{Key: key, Time: t, Domain: d}); err != nil {
			return err
		}
	}
}

// Finish ends the input as the runtime does: the watermark advances to MaxWatermark (firing
// every event-time timer), the processing-time timers pending now fire, and Finish is called.
func (h *Harness) Finish() error {
	if h.finished {
		return fmt.Errorf("the operator is already finished")
	}
	h.finished = true
	if err := h.Watermark(exec.MaxWatermark); err != nil {
		return err
	}
	if last, ok := h.proc.last(); ok {
		if err := h.fire(h.proc, exec.ProcessingTime, last); err != nil {
			return err
		}
	}
	return h.op.Finish()
}

// Close closes the operator and its state, once.
func (h *Harness) Close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	err := h.op.Close()
	if berr := h.backend.Close(); berr != nil && err == nil {
		err = berr
	}
	return err
}

// Output returns every row emitted so far, in print form and emission order.
func (h *Harness) Output() []string { return h.rows }

// Chunks returns every chunk emitted so far.
func (h *Harness) Chunks() []*chunk.Chunk { return h.out }

// Drain returns the rows emitted since the previous Drain.
func (h *Harness) Drain() []string {
	rows := h.rows[h.read:]
	h.read = len(h.rows)
	return rows
}

// PendingTimers returns the number of registered event-time and processing-time timers.
func (h *Harness) PendingTimers() (event, processing int) { return h.event.len(), h.proc.len() }

// timers is the TimerService given to the operator.
type timers struct{ h *Harness }

func (t *timers) RegisterEventTime(key []byte, tm int64)      { t.h.event.register(key, tm) }
func (t *timers) DeleteEventTime(key []byte, tm int64)        { t.h.event.remove(key, tm) }
func (t *timers) RegisterProcessingTime(key []byte, tm int64) { t.h.proc.register(key, tm) }
func (t *timers) DeleteProcessingTime(key []byte, tm int64)   { t.h.proc.remove(key, tm) }

// FormatRows joins rows with newlines, ending with one when there are rows.
func FormatRows(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return strings.Join(rows, "\n") + "\n"
}
