package ops

import (
	"fmt"
	"slices"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// WindowJoinSpec configures a window join: both inputs carry window_start/window_end columns
// (from window TVFs or window aggregations over the same window definition); pairs with equal
// window and equal keys join when the window closes.
type WindowJoinSpec struct {
	Type                  JoinType
	LeftTypes, RightTypes []types.Type
	// LeftKeys and RightKeys are the equi-join columns other than the window columns, pairwise
	// of the same type; they may be empty. A NULL key never matches.
	LeftKeys, RightKeys []int
	// The window_start and window_end columns of each input (TIMESTAMP(3)).
	LeftWindowStart, LeftWindowEnd, RightWindowStart, RightWindowEnd int
	// Residual is a BOOLEAN condition over the output row (left columns, then right columns);
	// nil = none.
	Residual expr.Expr
	// ShiftTimeZone says that the window bounds are wall-clock times of the session time zone
	// (ctx.Expr.Location), as for windows over a TIMESTAMP_LTZ or processing-time attribute:
	// a window then fires at the instant of window_end - 1 ms in that zone. When false, window
	// bounds are instants (UTC), as for windows over TIMESTAMP.
	ShiftTimeZone bool
}

// NewWindowJoin returns a factory of window join operators, one per subtask. Output: left
// columns then right columns, insert-only (+I); for a LEFT, RIGHT or FULL join the columns of
// the padded side are nullable.
//
// Semantics (Flink's WindowJoinOperator, event time): inputs are insert-only (input 0 is the
// left side, input 1 the right). Each row is buffered per key, window (window_start and
// window_end) and side, and an event-time timer is registered for the key at window_end - 1 ms.
// When it fires, the two buffers of the window are joined: every pair satisfying Residual is
// emitted (+I); for LEFT/RIGHT/FULL joins the rows of an outer side that matched nothing are
// emitted NULL-padded; then the window's state is cleared. Rows whose window has fired already
// (window_end - 1 ms <= the watermark on arrival) are late: they are dropped and counted in
// Metrics.LateDropped. Rows with a NULL key never match; on an outer side they are emitted
// padded when their window fires, on an inner side they are dropped at once.
func NewWindowJoin(spec WindowJoinSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if err := ijCheckSides(spec.Type, spec.LeftTypes, spec.RightTypes, spec.LeftKeys, spec.RightKeys, spec.Residual, "window join"); err != nil {
			return nil, err
		}
		for _, c := range []struct {
			what string
			col  int
			ts   []types.Type
		}{
			{"left window_start", spec.LeftWindowStart, spec.LeftTypes},
			{"left window_end", spec.LeftWindowEnd, spec.LeftTypes},
			{"right window_start", spec.RightWindowStart, spec.RightTypes},
			{"right window_end", spec.RightWindowEnd, spec.RightTypes},
		} {
			if c.col < 0 || c.col >= len(c.ts) {
				return nil, fmt.Errorf("window join %s column %d does not exist (the input has %d columns)", c.what, c.col, len(c.ts))
			}
			if !c.ts[c.col].IsTimestamp() {
				return nil, fmt.Errorf("window join %s column %d must be TIMESTAMP or TIMESTAMP_LTZ, not %s", c.what, c.col, c.ts[c.col])
			}
		}
		j := &windowJoin{spec: spec}
		j.sides[0] = wjSide{keys: spec.LeftKeys, start: spec.LeftWindowStart, end: spec.LeftWindowEnd,
			outer: spec.Type.LeftOuter(), all: ijAllColumns(len(spec.LeftTypes))}
		j.sides[1] = wjSide{keys: spec.RightKeys, start: spec.RightWindowStart, end: spec.RightWindowEnd,
			outer: spec.Type.RightOuter(), all: ijAllColumns(len(spec.RightTypes))}
		j.outLeft, j.outRight = ijOutputTypes(spec.Type, spec.LeftTypes, spec.RightTypes)
		j.collectFn = j.collectFired
		return j, nil
	}
}

// wjSide is one input of the window join.
type wjSide struct {
	keys       []int
	start, end int
	outer      bool
	all        []int // all column indexes, to encode whole rows
	rows       state.MapState
}

// wjBucket is the state value holding the rows of one side with one key in one window: each
// encoded with chunk.EncodeKey over all columns, in arrival order.
type wjBucket struct {
	Rows []string
}

const (
	// wjFlushRows bounds the output rows buffered before they are emitted.
	wjFlushRows = 1024
	// wjBatchPairs bounds the candidate pairs evaluated at once against the residual.
	wjBatchPairs = 1024
	// wjKeyLen is the length of a window's map key: window_end and window_start (8 bytes each,
	// big-endian with the sign bit flipped, so that keys sort by end, then start), then 1 for
	// rows with a NULL join key (which never match) or 0.
	wjKeyLen = 17
)

// windowJoin is the window join operator. State: one map state per side ("window-join-left",
// "window-join-right"), keyed by the encoded join key, whose map keys identify the window
// (wjMapKey) and values are *wjBucket. One event-time timer per key and window fire time; when
// it fires, the key's windows that are due on either side are joined and deleted.
type windowJoin struct {
	spec              WindowJoinSpec
	ctx               *exec.Context
	zone              // session time zone shift with ShiftTimeZone
	sides             [2]wjSide
	outLeft, outRight []types.Type
	cand              *pairBuffer // candidate pairs; nil without a residual
	out               *pairBuffer // output rows

	keyBuf, rowBuf, mkBuf []byte
	fired                 []string // map keys of the windows firing
	lm, rm                []bool   // which rows of the window being joined matched
	candL, candR          []int    // the rows of each candidate pair

	collectFn   func(mk string, v any) bool
	collectTime int64
}

func (j *windowJoin) Open(ctx *exec.Context) error {
	j.ctx = ctx
	if j.spec.ShiftTimeZone && ctx.Expr != nil && ctx.Expr.Location != nil && ctx.Expr.Location != time.UTC {
		j.loc = ctx.Expr.Location
	}
	var err error
	if j.spec.Residual != nil {
		if j.cand, err = newPairBuffer(j.outLeft, j.outRight, j.spec.Residual, ctx); err != nil {
			return fmt.Errorf("window join: %w", err)
		}
	}
	if j.out, err = newPairBuffer(j.outLeft, j.outRight, nil, ctx); err != nil {
		return fmt.Errorf("window join: %w", err)
	}
	for i, name := range []string{"window-join-left", "window-join-right"} {
		if j.sides[i].rows, err = ctx.State.Map(state.Descriptor{Name: name, Codec: rowStateCodec{}}); err != nil {
			return fmt.Errorf("cannot create window join state: %w", err)
		}
	}
	return nil
}

// fireTime is when the window ending at end fires: end - 1 ms, as an instant.
func (j *windowJoin) fireTime(end int64) int64 { return j.toUTC(end) - 1000 }

func wjMapKey(dst []byte, end, start int64, nullKey bool) []byte {
	dst = ijTimeKey(dst, end)
	dst = ijTimeKey(dst, start)
	if nullKey {
		return append(dst, 1)
	}
	return append(dst, 0)
}

func (j *windowJoin) ProcessChunk(input int, c *chunk.Chunk) error {
	if input != 0 && input != 1 {
		return fmt.Errorf("window join has two inputs, got a chunk on input %d", input)
	}
	s := &j.sides[input]
	wm := j.ctx.Watermark()
	for row := 0; row < c.Len(); row++ {
		if c.Kinds[row] != chunk.Insert {
			return fmt.Errorf("window join requires insert-only inputs, but received %s on its %s input", c.FormatRow(row), ijSideName(input))
		}
		sv, ev := c.Cols[s.start], c.Cols[s.end]
		if sv.IsNull(row) || ev.IsNull(row) {
			return fmt.Errorf("window join: window_start or window_end is NULL in row %s of its %s input", c.FormatRow(row), ijSideName(input))
		}
		start, end := sv.I64[row], ev.I64[row]
		fire := j.fireTime(end)
		if fire <= wm {
			j.ctx.Metrics.LateDropped.Add(1)
			continue
		}
		nullKey := false
		for _, k := range s.keys {
			if c.Cols[k].IsNull(row) {
				nullKey = true
				break
			}
		}
		if nullKey && !s.outer {
			continue // it can never produce output
		}
		j.keyBuf = chunk.EncodeKey(j.keyBuf[:0], c, s.keys, row)
		j.mkBuf = wjMapKey(j.mkBuf[:0], end, start, nullKey)
		mk := string(j.mkBuf)
		v, ok, err := s.rows.Get(j.keyBuf, mk)
		if err != nil {
			return fmt.Errorf("cannot read window join state: %w", err)
		}
		var b *wjBucket
		if ok {
			b = v.(*wjBucket)
		} else {
			b = &wjBucket{}
			j.ctx.Timers.RegisterEventTime(j.keyBuf, fire)
		}
		j.rowBuf = chunk.EncodeKey(j.rowBuf[:0], c, s.all, row)
		b.Rows = append(b.Rows, string(j.rowBuf))
		if err := s.rows.Put(j.keyBuf, mk, b); err != nil {
			return fmt.Errorf("cannot write window join state: %w", err)
		}
	}
	return nil
}

// collectFired is the Range callback collecting the windows that fire at collectTime.
func (j *windowJoin) collectFired(mk string, _ any) bool {
	if len(mk) == wjKeyLen && j.fireTime(ijKeyTime(mk[:8])) <= j.collectTime {
		j.fired = append(j.fired, mk)
	}
	return true
}

// OnTimer joins and clears the key's windows that fire at the timer's time.
func (j *windowJoin) OnTimer(t exec.Timer) error {
	j.fired, j.collectTime = j.fired[:0], t.Time
	for i := range j.sides {
		if err := j.sides[i].rows.Range(t.Key, j.collectFn); err != nil {
			return fmt.Errorf("cannot read window join state: %w", err)
		}
	}
	if len(j.fired) == 0 {
		return nil
	}
	slices.Sort(j.fired)
	j.fired = slices.Compact(j.fired)
	for _, mk := range j.fired {
		var rows [2][]string
		for i := range j.sides {
			v, ok, err := j.sides[i].rows.Get(t.Key, mk)
			if err != nil {
				return fmt.Errorf("cannot read window join state: %w", err)
			}
			if ok {
				rows[i] = v.(*wjBucket).Rows
			}
		}
		if err := j.join(rows[0], rows[1], mk[wjKeyLen-1] == 1); err != nil {
			return err
		}
		for i := range j.sides {
			if err := j.sides[i].rows.Delete(t.Key, mk); err != nil {
				return fmt.Errorf("cannot clear window join state: %w", err)
			}
		}
	}
	return nil
}

// join emits the result of one window of one key: the pairs of left and right rows that
// satisfy the residual, then the unmatched rows of outer sides, NULL-padded.
func (j *windowJoin) join(left, right []string, nullKey bool) error {
	j.lm = wjResetBools(j.lm, len(left))
	j.rm = wjResetBools(j.rm, len(right))
	if !nullKey && len(left) > 0 && len(right) > 0 {
		for li, l := range left {
			for ri, r := range right {
				var err error
				if j.cand == nil {
					err = j.out.AppendEncoded(chunk.Insert, nil, 0, ijBytes(l), nil, 0, ijBytes(r))
					j.lm[li], j.rm[ri] = true, true
				} else {
					err = j.cand.AppendEncoded(chunk.Insert, nil, 0, ijBytes(l), nil, 0, ijBytes(r))
					j.candL, j.candR = append(j.candL, li), append(j.candR, ri)
					if err == nil && j.cand.Len() >= wjBatchPairs {
						err = j.evalCandidates()
					}
				}
				if err != nil {
					return err
				}
			}
			if j.out.Len() >= wjFlushRows {
				if err := j.flush(); err != nil {
					return err
				}
			}
		}
		if err := j.evalCandidates(); err != nil {
			return err
		}
	}
	if j.sides[0].outer {
		for li, l := range left {
			if !j.lm[li] {
				if err := j.out.AppendNullRight(chunk.Insert, nil, 0, ijBytes(l)); err != nil {
					return err
				}
			}
		}
	}
	if j.sides[1].outer {
		for ri, r := range right {
			if !j.rm[ri] {
				if err := j.out.AppendNullLeft(chunk.Insert, nil, 0, ijBytes(r)); err != nil {
					return err
				}
			}
		}
	}
	if j.out.Len() >= wjFlushRows {
		return j.flush()
	}
	return nil
}

// evalCandidates moves the candidate pairs that satisfy the residual to the output, marking
// their rows as matched, and empties the candidate buffer.
func (j *windowJoin) evalCandidates() error {
	if j.cand == nil || j.cand.Len() == 0 {
		return nil
	}
	ok, err := j.cand.Qualifying()
	if err != nil {
		return fmt.Errorf("cannot evaluate the window join condition: %w", err)
	}
	cc, oc := j.cand.Chunk(), j.out.Chunk()
	for k, q := range ok {
		if q {
			oc.AppendFrom(chunk.Insert, cc, k)
			j.lm[j.candL[k]], j.rm[j.candR[k]] = true, true
		}
	}
	wjTruncate(cc)
	j.candL, j.candR = j.candL[:0], j.candR[:0]
	return nil
}

// wjResetBools returns bs resized to n values, all false.
func wjResetBools(bs []bool, n int) []bool {
	if cap(bs) < n {
		return make([]bool, n)
	}
	bs = bs[:n]
	clear(bs)
	return bs
}

// wjTruncate empties a chunk that was never emitted, keeping its memory.
func wjTruncate(c *chunk.Chunk) {
	c.Kinds = c.Kinds[:0]
	for _, v := range c.Cols {
		v.I64, v.F64, v.Dec, v.Str, v.Maps = v.I64[:0], v.F64[:0], v.Dec[:0], v.Str[:0], v.Maps[:0]
		if v.Nulls != nil {
			v.Nulls = v.Nulls[:0]
		}
	}
}

func (j *windowJoin) flush() error {
	if j.out.Len() == 0 {
		return nil
	}
	out := j.out.Chunk()
	j.out.Reset()
	return j.ctx.Emit(out)
}

func (j *windowJoin) ProcessWatermark(int64) error { return j.flush() }

func (j *windowJoin) Finish() error { return j.flush() }

func (j *windowJoin) Close() error { return nil }
