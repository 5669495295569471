package ops

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// WindowRankSpec configures a window top-N: per (partition, window), the rows whose rank is in
// [Start, End], emitted when the window closes.
type WindowRankSpec struct {
	InputTypes []types.Type
	// PartitionKeys are the PARTITION BY columns other than the window columns; may be empty.
	PartitionKeys []int
	// WindowStartCol and WindowEndCol are the window_start and window_end columns (TIMESTAMP).
	WindowStartCol, WindowEndCol int
	// OrderKeys are the ORDER BY columns; at least one.
	OrderKeys []SortKey
	Func      RankFunc
	// Start and End bound the rank range: 1 <= Start <= End.
	Start, End int64
	// OutputRank appends the rank as a BIGINT NOT NULL column after the input columns.
	OutputRank bool
}

// NewWindowRank returns a factory of WindowRank operators, one per subtask.
//
// Output columns: the input columns, then the rank (BIGINT NOT NULL) when OutputRank; all +I.
// As Flink's WindowRankOperator (event time): the input is insert-only; rows are buffered per
// partition and window (window_start, window_end), keeping only the rows that can still be
// ranked at most End (End rows under ROW_NUMBER, with ties in arrival order; more with ties
// under RANK and DENSE_RANK), sorted as in Rank. An event-time timer per partition and window
// fires at window_end - 1 ms; it emits the rows ranked in [Start, End], in rank order, and
// clears the window's state. A row whose window has fired already (window_end - 1 ms at or
// before the watermark on arrival) is late: it is dropped and counted in Metrics.LateDropped.
// Window deduplication (ROW_NUMBER() ... <= 1 ordered by the time column) is this operator with
// Start = End = 1.
//
// Window bounds are taken as instants: windows over a TIMESTAMP_LTZ attribute in a session time
// zone other than UTC would fire shifted by the zone offset.
func NewWindowRank(spec WindowRankSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if err := rkCheckCommon("window rank", spec.InputTypes, spec.PartitionKeys, spec.OrderKeys, spec.Func, spec.Start, spec.End); err != nil {
			return nil, err
		}
		n := len(spec.InputTypes)
		for _, c := range []struct {
			what string
			col  int
		}{{"window_start", spec.WindowStartCol}, {"window_end", spec.WindowEndCol}} {
			if c.col < 0 || c.col >= n {
				return nil, fmt.Errorf("window rank %s column %d does not exist (the input has %d columns)", c.what, c.col, n)
			}
			if !spec.InputTypes[c.col].IsTimestamp() {
				return nil, fmt.Errorf("window rank %s column %d must be TIMESTAMP or TIMESTAMP_LTZ, not %s", c.what, c.col, spec.InputTypes[c.col])
			}
		}
		w := &windowRank{spec: spec, allCols: rkAllCols(n), outTypes: rkOutTypes(spec.InputTypes, spec.OutputRank)}
		w.keyCols = append(append(append([]int(nil), spec.PartitionKeys...), spec.WindowStartCol), spec.WindowEndCol)
		return w, nil
	}
}

type windowRank struct {
	spec     WindowRankSpec
	ctx      *exec.Context
	buffers  state.ValueState // partition + window → *rkBuffer
	keyCols  []int            // the partition columns, then window_start and window_end
	allCols  []int
	outTypes []types.Type

	keyBuf, sortBuf, rowBuf []byte
	scratch                 []byte
	ranks                   []int64
	out                     *chunk.Chunk
}

// BufferedRows returns the number of rows held in state over all partitions and windows (it
// walks the state: for tests and diagnostics).
func (w *windowRank) BufferedRows() (int64, error) { return rkCountRows(w.buffers) }

func (w *windowRank) Open(ctx *exec.Context) error {
	w.ctx = ctx
	var err error
	if w.buffers, err = ctx.State.Value(state.Descriptor{Name: "window-rank", Codec: rowStateCodec{}}); err != nil {
		return fmt.Errorf("cannot create window rank state: %w", err)
	}
	return nil
}

func (w *windowRank) ProcessChunk(_ int, c *chunk.Chunk) error {
	for row, k := range c.Kinds {
		if k != chunk.Insert {
			return fmt.Errorf("window rank requires an insert-only input, but received %s", c.FormatRow(row))
		}
	}
	wm := w.ctx.Watermark()
	ends := c.Cols[w.spec.WindowEndCol]
	for row := 0; row < c.Len(); row++ {
		if ends.IsNull(row) || c.Cols[w.spec.WindowStartCol].IsNull(row) {
			return fmt.Errorf("window rank received a NULL window bound in row %s", c.FormatRow(row))
		}
		fire := ends.I64[row] - 1000
		if fire <= wm {
			w.ctx.Metrics.LateDropped.Add(1)
			continue
		}
		w.keyBuf = chunk.EncodeKey(w.keyBuf[:0], c, w.keyCols, row)
		w.sortBuf = rkAppendSortKey(w.sortBuf[:0], c, w.spec.OrderKeys, row)
		v, ok, err := w.buffers.Get(w.keyBuf)
		if err != nil {
			return fmt.Errorf("cannot read window rank state: %w", err)
		}
		var buf *rkBuffer
		if ok {
			buf = v.(*rkBuffer)
		} else {
			buf = &rkBuffer{}
			w.ctx.Timers.RegisterEventTime(w.keyBuf, fire)
		}
		key := rkView(w.sortBuf)
		p := rkUpperBound(buf.Rows, key)
		if !rkFits(w.spec.Func, buf.Rows, p, key, w.spec.End) {
			continue
		}
		w.rowBuf = chunk.EncodeKey(w.rowBuf[:0], c, w.allCols, row)
		buf.Rows = append(buf.Rows, rkRow{})
		copy(buf.Rows[p+1:], buf.Rows[p:])
		buf.Rows[p] = rkMakeRow(&w.scratch, w.sortBuf, w.rowBuf, "")
		// Forget the rows pushed beyond End.
		w.ranks = rkRanks(w.ranks[:0], w.spec.Func, buf.Rows, p, w.spec.End)
		cut := p + len(w.ranks)
		clear(buf.Rows[cut:])
		buf.Rows = buf.Rows[:cut]
		if err := w.buffers.Put(w.keyBuf, buf); err != nil {
			return fmt.Errorf("cannot write window rank state: %w", err)
		}
	}
	return nil
}

func (w *windowRank) OnTimer(t exec.Timer) error {
	v, ok, err := w.buffers.Get(t.Key)
	if err != nil {
		return fmt.Errorf("cannot read window rank state: %w", err)
	}
	if !ok {
		return nil
	}
	rows := v.(*rkBuffer).Rows
	w.ranks = rkRanks(w.ranks[:0], w.spec.Func, rows, 0, w.spec.End)
	for i, rank := range w.ranks {
		if rank < w.spec.Start {
			continue
		}
		if w.out == nil {
			w.out = chunk.New(w.outTypes, 64)
		}
		if err := rkAppendRow(w.out, chunk.Insert, rows[i].row(), nil, 0, w.spec.OutputRank, rank); err != nil {
			return fmt.Errorf("cannot decode a ranked row from state: %w", err)
		}
	}
	if err := w.buffers.Delete(t.Key); err != nil {
		return fmt.Errorf("cannot clear window rank state: %w", err)
	}
	if w.out != nil && w.out.Len() >= rkFlushRows {
		return w.flush()
	}
	return nil
}

func (w *windowRank) flush() error {
	if w.out == nil || w.out.Len() == 0 {
		return nil
	}
	out := w.out
	w.out = nil
	return w.ctx.Emit(out)
}

func (w *windowRank) ProcessWatermark(int64) error { return w.flush() }

func (w *windowRank) Finish() error { return w.flush() }

func (w *windowRank) Close() error { return nil }
