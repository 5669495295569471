package ops

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// WindowAggSpec configures a WindowAgg: Flink's window table function aggregation (TUMBLE,
// HOP, CUMULATE, SESSION) over an insert-only input.
type WindowAggSpec struct {
	InputTypes []types.Type
	// KeyCols partition the input: the group keys for TUMBLE, HOP and CUMULATE, the PARTITION
	// BY columns for SESSION. Timers and state are per key.
	KeyCols []int
	// GroupCols group further within a key's window (SESSION's GROUP BY columns beyond the
	// partition keys).
	GroupCols []int
	// TimeCol is the TIMESTAMP or TIMESTAMP_LTZ event-time column (unused with ProcTime).
	TimeCol int
	// ProcTime assigns rows to windows by processing time and fires by processing-time timers.
	ProcTime bool
	Window   WindowDef
	Aggs     []agg.Call
}

// windowFlushRows bounds the rows buffered before they are emitted.
const windowFlushRows = 1024

// NewWindowAgg returns a factory of WindowAgg operators, one per subtask.
//
// Output columns: KeyCols..., GroupCols..., one per aggregate, window_start, window_end and
// window_time, all +I. window_start and window_end are TIMESTAMP(3); window_time (window_end
// minus 1 ms) is TIMESTAMP(3), or TIMESTAMP_LTZ(3) for a TIMESTAMP_LTZ time column or
// processing time, whose windows are aligned in the session time zone (as Flink does).
//
// A window fires when the watermark reaches window_end - 1 ms; then it emits one row per key
// and group and forgets them. Rows are dropped as late (Metrics.LateDropped) when every window
// they belong to has fired; a HOP or CUMULATE row late for some of its windows still counts in
// the later ones, as in Flink. A SESSION row is late when ts + gap - 1 ms is at or before the
// watermark; sessions of a key that touch or overlap merge.
func NewWindowAgg(spec WindowAggSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if err := spec.Window.Validate(); err != nil {
			return nil, err
		}
		n := len(spec.InputTypes)
		for _, cols := range [][]int{spec.KeyCols, spec.GroupCols} {
			for _, k := range cols {
				if k < 0 || k >= n {
					return nil, fmt.Errorf("window aggregation key column %d does not exist (the input has %d columns)", k, n)
				}
			}
		}
		ltz := spec.ProcTime
		if !spec.ProcTime {
			if spec.TimeCol < 0 || spec.TimeCol >= n {
				return nil, fmt.Errorf("window time column %d does not exist (the input has %d columns)", spec.TimeCol, n)
			}
			t := spec.InputTypes[spec.TimeCol]
			if !t.IsTimestamp() {
				return nil, fmt.Errorf("window time column %d must be TIMESTAMP or TIMESTAMP_LTZ, not %s", spec.TimeCol, t)
			}
			ltz = t.Kind == types.TimestampLTZ
		}
		ag, err := agg.New(spec.Aggs, spec.InputTypes)
		if err != nil {
			return nil, fmt.Errorf("cannot build window aggregation: %w", err)
		}
		w := &windowAgg{spec: spec, ag: ag, ltz: ltz, sliced: useSlices(spec)}
		for _, k := range spec.KeyCols {
			w.keyTypes = append(w.keyTypes, spec.InputTypes[k])
		}
		for _, k := range spec.GroupCols {
			w.groupTypes = append(w.groupTypes, spec.InputTypes[k])
		}
		w.outTypes = append(append(append([]types.Type{}, w.keyTypes...), w.groupTypes...), ag.ResultTypes()...)
		bound := types.TimestampType(3).WithNotNull(true)
		wt := bound
		if ltz {
			wt = types.TimestampLTZType(3).WithNotNull(true)
		}
		w.outTypes = append(w.outTypes, bound, bound, wt)
		return w, nil
	}
}

type windowAgg struct {
	spec       WindowAggSpec
	ag         *agg.Aggregator
	ctx        *exec.Context
	ltz        bool // windows are aligned in the session time zone
	zone            // session time zone shift for LTZ and processing time
	keyTypes   []types.Type
	groupTypes []types.Type
	outTypes   []types.Type

	wins     state.MapState   // TUMBLE/HOP/CUMULATE: key → window end + group → *agg.Accumulators
	sessions state.ValueState // SESSION: key → *sessionState

	keyBuf, groupBuf, mkBuf []byte
	ends                    []int64
	fired                   []firedWindow
	// sliced: HOP windows accumulate per slice (see windowagg_slice.go).
	sliced bool
	slices []slice
	res    []chunk.Datum
	out    *chunk.Chunk
}

type firedWindow struct {
	mk   string
	accs *agg.Accumulators
}

func (w *windowAgg) Open(ctx *exec.Context) error {
	w.ctx = ctx
	if w.ltz && ctx.Expr != nil && ctx.Expr.Location != nil && ctx.Expr.Location != time.UTC {
		w.loc = ctx.Expr.Location
	}
	var err error
	if w.spec.Window.Kind == Session {
		w.sessions, err = ctx.State.Value(state.Descriptor{Name: "window-agg-sessions", Codec: newSessionCodec(w.ag)})
	} else {
		w.wins, err = ctx.State.Map(state.Descriptor{Name: "window-agg", Codec: w.ag.Codec()})
	}
	if err != nil {
		return fmt.Errorf("cannot create window aggregation state: %w", err)
	}
	return nil
}

// fireTime is when the window ending at end (wall clock) fires: end - 1 ms as an instant.
func (w *windowAgg) fireTime(end int64) int64 { return w.toUTC(end) - 1000 }

func (w *windowAgg) registerTimer(key []byte, t int64) {
	if w.spec.ProcTime {
		w.ctx.Timers.RegisterProcessingTime(key, t)
	} else {
		w.ctx.Timers.RegisterEventTime(key, t)
	}
}

func (w *windowAgg) deleteTimer(key []byte, t int64) {
	if w.spec.ProcTime {
		w.ctx.Timers.DeleteProcessingTime(key, t)
	} else {
		w.ctx.Timers.DeleteEventTime(key, t)
	}
}

func (w *windowAgg) ProcessChunk(input int, c *chunk.Chunk) error {
	var now int64
	if w.spec.ProcTime {
		now = procNow(w.ctx)
	}
	wm := w.ctx.Watermark()
	for row := 0; row < c.Len(); row++ {
		ts, err := rowTime(c, row, w.spec.TimeCol, w.spec.ProcTime, now, "window aggregation")
		if err != nil {
			return err
		}
		ts = w.toLocal(ts)
		w.keyBuf = chunk.EncodeKey(w.keyBuf[:0], c, w.spec.KeyCols, row)
		w.groupBuf = chunk.EncodeKey(w.groupBuf[:0], c, w.spec.GroupCols, row)
		switch {
		case w.spec.Window.Kind == Session:
			err = w.addToSession(c, row, ts, wm)
		case w.sliced:
			err = w.addToSlice(c, row, ts, wm)
		default:
			err = w.addToWindows(c, row, ts, wm)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// windowMapKey is the map-state key of a window: its end (order-preserving big-endian) then
// the group key.
func windowMapKey(dst []byte, end int64, group []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(end)^(1<<63))
	return append(dst, group...)
}

func windowEnd(mk string) int64 {
	return int64(binary.BigEndian.Uint64([]byte(mk[:8])) ^ (1 << 63))
}

func (w *windowAgg) addToWindows(c *chunk.Chunk, row int, ts, wm int64) error {
	w.ends = w.spec.Window.windowEnds(w.ends[:0], ts)
	added := false
	for _, end := range w.ends {
		fire := w.fireTime(end)
		if !w.spec.ProcTime && fire <= wm {
			continue // this window has fired already
		}
		added = true
		created, err := w.accumulate(c, row, end)
		if err != nil {
			return err
		}
		if created {
			w.registerTimer(w.keyBuf, fire)
		}
	}
	if !added {
		w.ctx.Metrics.LateDropped.Add(1)
	}
	return nil
}

// accumulate adds row to the accumulators of the current key and group (keyBuf, groupBuf) for
// the window or slice ending at end, creating them if needed; created says it did.
func (w *windowAgg) accumulate(c *chunk.Chunk, row int, end int64) (created bool, err error) {
	w.mkBuf = windowMapKey(w.mkBuf[:0], end, w.groupBuf)
	mk := string(w.mkBuf)
	v, ok, err := w.wins.Get(w.keyBuf, mk)
	if err != nil {
		return false, fmt.Errorf("cannot read window state: %w", err)
	}
	var accs *agg.Accumulators
	if ok {
		accs = v.(*agg.Accumulators)
	} else {
		accs = w.ag.NewAccumulators()
	}
	if err := w.ag.Add(accs, c, row, false); err != nil {
		return false, err
	}
	if err := w.wins.Put(w.keyBuf, mk, accs); err != nil {
		return false, fmt.Errorf("cannot write window state: %w", err)
	}
	return !ok, nil
}

func (w *windowAgg) OnTimer(t exec.Timer) error {
	var err error
	switch {
	case w.spec.Window.Kind == Session:
		err = w.fireSessions(t)
	case w.sliced:
		err = w.fireSlices(t)
	default:
		err = w.fireWindows(t)
	}
	if err != nil {
		return err
	}
	if t.Domain == exec.ProcessingTime {
		return w.flush()
	}
	return nil
}

func (w *windowAgg) fireWindows(t exec.Timer) error {
	w.fired = w.fired[:0]
	err := w.wins.Range(t.Key, func(mk string, v any) bool {
		if w.fireTime(windowEnd(mk)) <= t.Time {
			w.fired = append(w.fired, firedWindow{mk: mk, accs: v.(*agg.Accumulators)})
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("cannot read window state: %w", err)
	}
	if len(w.fired) == 0 {
		return nil
	}
	slices.SortFunc(w.fired, func(a, b firedWindow) int { return strings.Compare(a.mk, b.mk) })
	keys, err := chunk.DecodeKey(t.Key, w.keyTypes)
	if err != nil {
		return fmt.Errorf("cannot decode window key: %w", err)
	}
	for _, f := range w.fired {
		groups, err := chunk.DecodeKey([]byte(f.mk[8:]), w.groupTypes)
		if err != nil {
			return fmt.Errorf("cannot decode window group: %w", err)
		}
		end := windowEnd(f.mk)
		if err := w.emit(keys, groups, f.accs, w.spec.Window.windowStart(end), end); err != nil {
			return err
		}
		if err := w.wins.Delete(t.Key, f.mk); err != nil {
			return fmt.Errorf("cannot clear window state: %w", err)
		}
	}
	return nil
}

// emit buffers one result row; start and end are wall-clock times of the window.
func (w *windowAgg) emit(keys, groups []chunk.Datum, accs *agg.Accumulators, start, end int64) error {
	if w.out == nil {
		w.out = chunk.New(w.outTypes, 64)
	}
	w.res = w.ag.Results(accs, w.res[:0])
	o := w.out
	o.Kinds = append(o.Kinds, chunk.Insert)
	j := 0
	for _, ds := range [][]chunk.Datum{keys, groups, w.res} {
		for _, d := range ds {
			o.Cols[j].Append(d)
			j++
		}
	}
	wt := end - 1000
	if w.ltz {
		wt = w.fireTime(end)
	}
	o.Cols[j].Append(chunk.Int(start))
	o.Cols[j+1].Append(chunk.Int(end))
	o.Cols[j+2].Append(chunk.Int(wt))
	if o.Len() >= windowFlushRows {
		return w.flush()
	}
	return nil
}

func (w *windowAgg) flush() error {
	if w.out == nil || w.out.Len() == 0 {
		return nil
	}
	out := w.out
	w.out = nil
	return w.ctx.Emit(out)
}

func (w *windowAgg) ProcessWatermark(int64) error { return w.flush() }

func (w *windowAgg) Finish() error { return w.flush() }

func (w *windowAgg) Close() error { return nil }
