package ops

import (
	"fmt"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/types"
)

// WindowTVFSpec configures a windowing table function used on its own (not followed by a
// window aggregation): each input row is emitted once per TUMBLE, HOP or CUMULATE window that
// contains it, with window_start, window_end and window_time appended.
type WindowTVFSpec struct {
	InputTypes []types.Type
	TimeCol    int
	ProcTime   bool
	Window     WindowDef
}

// NewWindowTVF returns a factory of window table function operators. SESSION windows need
// state and are only supported under a window aggregation.
func NewWindowTVF(spec WindowTVFSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if spec.Window.Kind == Session {
			return nil, fmt.Errorf("SESSION windows are only supported in a window aggregation")
		}
		if err := spec.Window.Validate(); err != nil {
			return nil, err
		}
		ltz := spec.ProcTime || spec.InputTypes[spec.TimeCol].Kind == types.TimestampLTZ
		return &windowTVF{spec: spec, ltz: ltz}, nil
	}
}

type windowTVF struct {
	spec WindowTVFSpec
	ltz  bool
	zone
	ctx  *exec.Context
	ends []int64
}

func (w *windowTVF) Open(ctx *exec.Context) error {
	w.ctx = ctx
	if w.ltz && ctx.Expr != nil && ctx.Expr.Location != nil && ctx.Expr.Location != time.UTC {
		w.loc = ctx.Expr.Location
	}
	return nil
}

// ProcessChunk emits one row per (input row, window). As in Flink, windows that the watermark
// has already closed are skipped, and a row whose windows are all closed is dropped as late.
func (w *windowTVF) ProcessChunk(_ int, c *chunk.Chunk) error {
	var now int64
	if w.spec.ProcTime {
		now = procNow(w.ctx)
	}
	wm := w.ctx.Watermark()
	out := chunk.New(append(append([]types.Type(nil), w.spec.InputTypes...), w.outTypes()...), c.Len())
	nIn := len(w.spec.InputTypes)
	for row := 0; row < c.Len(); row++ {
		ts, err := rowTime(c, row, w.spec.TimeCol, w.spec.ProcTime, now, "a window table function")
		if err != nil {
			return err
		}
		w.ends = w.spec.Window.windowEnds(w.ends[:0], w.toLocal(ts))
		emitted := false
		for _, end := range w.ends {
			fire := w.toUTC(end) - 1000
			if !w.spec.ProcTime && fire <= wm {
				continue // this window has fired already
			}
			out.Kinds = append(out.Kinds, chunk.Insert)
			for j := 0; j < nIn; j++ {
				out.Cols[j].AppendFrom(c.Cols[j], row)
			}
			appendTime(out.Cols[nIn], w.spec.Window.windowStart(end))
			appendTime(out.Cols[nIn+1], end)
			appendTime(out.Cols[nIn+2], w.windowTime(end))
			emitted = true
		}
		if !emitted {
			w.ctx.Metrics.LateDropped.Add(1)
		}
	}
	if out.Len() == 0 {
		return nil
	}
	return w.ctx.Emit(out)
}

// windowTime is window_end - 1 ms, as an instant for TIMESTAMP_LTZ windows.
func (w *windowTVF) windowTime(end int64) int64 {
	if w.ltz {
		return w.toUTC(end) - 1000
	}
	return end - 1000
}

func (w *windowTVF) outTypes() []types.Type {
	ts := types.TimestampType(3).WithNotNull(true)
	wt := ts
	if w.ltz {
		wt = types.TimestampLTZType(3).WithNotNull(true)
	}
	return []types.Type{ts, ts, wt}
}

func appendTime(v *chunk.Vector, us int64) { v.I64 = append(v.I64, us) }

func (w *windowTVF) ProcessWatermark(int64) error { return nil }
func (w *windowTVF) OnTimer(exec.Timer) error     { return nil }
func (w *windowTVF) Finish() error                { return nil }
func (w *windowTVF) Close() error                 { return nil }
