package ops

import (
	"fmt"
	"slices"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// DedupSpec configures a deduplication of an insert-only input: per key, keep the first or the
// last row, ordered by processing time (arrival) or by an event-time column. It is the physical
// form of ROW_NUMBER() OVER (PARTITION BY keys ORDER BY time [DESC]) = 1.
type DedupSpec struct {
	InputTypes []types.Type
	// KeyCols are the PARTITION BY columns; empty means one global key.
	KeyCols []int
	// KeepLast keeps the last row (ORDER BY time DESC) instead of the first.
	KeepLast bool
	// TimeCol is the rowtime column to order by, or -1 to order by arrival (processing time).
	TimeCol int
	// OutputRank appends the constant rank 1 (BIGINT NOT NULL) after the input columns (when
	// the query selects the row_number column).
	OutputRank bool
	// StateTTL, when positive, forgets a key's row that long after its last change.
	StateTTL time.Duration
}

// OutputInsertOnly reports whether the deduplication emits only +I (keep first on processing
// time); otherwise it emits a retract changelog.
func (s DedupSpec) OutputInsertOnly() bool { return !s.KeepLast && s.TimeCol < 0 }

// NewDedup returns a factory of Deduplicate operators, one per subtask.
//
// Output columns: the input columns, then the constant rank 1 when OutputRank. The semantics are
// those of Flink's ProcTime/RowTimeDeduplicateFunction (with update-before messages):
//
//   - keep first, processing time: the first row of a key emits +I, later rows are dropped.
//     The state holds only a marker per key.
//   - keep last, processing time: the first row emits +I; each later row emits -U(previous
//     row) then +U(new row).
//   - keep first, event time: the row with the smallest time is kept (of equal times, the
//     earlier arrival); a row with a smaller time than the kept one replaces it (-U, +U).
//   - keep last, event time: a row with a time at or after the kept one's replaces it (-U,
//     +U); an older row is dropped.
//
// The state holds one row per key (its encoding and, for event time, its time). The input must
// be insert-only: any other row kind is an error, as is a NULL time. With StateTTL, a key whose
// row expired starts over (its next row emits +I).
func NewDedup(spec DedupSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		n := len(spec.InputTypes)
		for _, k := range spec.KeyCols {
			if k < 0 || k >= n {
				return nil, fmt.Errorf("deduplication key column %d does not exist (the input has %d columns)", k, n)
			}
		}
		if spec.TimeCol >= n || spec.TimeCol < -1 {
			return nil, fmt.Errorf("deduplication time column %d does not exist (the input has %d columns)", spec.TimeCol, n)
		}
		if spec.TimeCol >= 0 && !spec.InputTypes[spec.TimeCol].IsTimestamp() {
			return nil, fmt.Errorf("deduplication time column %d must be TIMESTAMP or TIMESTAMP_LTZ, not %s", spec.TimeCol, spec.InputTypes[spec.TimeCol])
		}
		return &dedup{spec: spec, allCols: rkAllCols(n), outTypes: rkOutTypes(spec.InputTypes, spec.OutputRank)}, nil
	}
}

// ddRow is the value kept per key: the kept row (chunk.EncodeKey of all input columns) and, for
// event time, its time. A replaced row is overwritten in place, so that keeping the last row
// allocates nothing per row once a key's buffer is large enough.
type ddRow struct {
	Time int64
	Row  []byte
}

type dedup struct {
	spec     DedupSpec
	ctx      *exec.Context
	rows     state.ValueState // key → *ddRow, or true for keep first on processing time
	allCols  []int
	outTypes []types.Type

	keyBuf, rowBuf []byte
	out            *chunk.Chunk
}

func (d *dedup) Open(ctx *exec.Context) error {
	d.ctx = ctx
	var err error
	if d.rows, err = ctx.State.Value(state.Descriptor{Name: "deduplicate", TTL: d.spec.StateTTL, Codec: rowStateCodec{}}); err != nil {
		return fmt.Errorf("cannot create deduplication state: %w", err)
	}
	return nil
}

func (d *dedup) ProcessChunk(_ int, c *chunk.Chunk) error {
	for row, k := range c.Kinds {
		if k != chunk.Insert {
			return fmt.Errorf("deduplication requires an insert-only input, but received %s", c.FormatRow(row))
		}
	}
	firstProc := d.spec.OutputInsertOnly()
	for row := 0; row < c.Len(); row++ {
		var ts int64
		if d.spec.TimeCol >= 0 {
			tc := c.Cols[d.spec.TimeCol]
			if tc.IsNull(row) {
				return fmt.Errorf("the deduplication time column is NULL in row %s; a rowtime attribute must not be NULL", c.FormatRow(row))
			}
			ts = tc.I64[row]
		}
		d.keyBuf = chunk.EncodeKey(d.keyBuf[:0], c, d.spec.KeyCols, row)
		v, ok, err := d.rows.Get(d.keyBuf)
		if err != nil {
			return fmt.Errorf("cannot read deduplication state: %w", err)
		}
		if firstProc {
			if ok {
				continue
			}
			if err := d.rows.Put(d.keyBuf, true); err != nil {
				return fmt.Errorf("cannot write deduplication state: %w", err)
			}
			d.appendInput(chunk.Insert, c, row)
			continue
		}
		d.rowBuf = chunk.EncodeKey(d.rowBuf[:0], c, d.allCols, row)
		if !ok {
			if err := d.rows.Put(d.keyBuf, &ddRow{Time: ts, Row: slices.Clone(d.rowBuf)}); err != nil {
				return fmt.Errorf("cannot write deduplication state: %w", err)
			}
			d.appendInput(chunk.Insert, c, row)
			continue
		}
		kept := v.(*ddRow)
		if d.spec.TimeCol >= 0 {
			if d.spec.KeepLast && ts < kept.Time || !d.spec.KeepLast && ts >= kept.Time {
				continue
			}
		}
		if err := d.appendKept(kept.Row, c.Len()); err != nil {
			return err
		}
		kept.Time, kept.Row = ts, append(kept.Row[:0], d.rowBuf...)
		if err := d.rows.Put(d.keyBuf, kept); err != nil {
			return fmt.Errorf("cannot write deduplication state: %w", err)
		}
		d.appendInput(chunk.UpdateAfter, c, row)
	}
	if d.out == nil || d.out.Len() == 0 {
		return nil
	}
	out := d.out
	d.out = nil
	return d.ctx.Emit(out)
}

// output returns the output chunk, created with room for capacity rows (each input row emits at
// most two).
func (d *dedup) output(capacity int) *chunk.Chunk {
	if d.out == nil {
		d.out = chunk.New(d.outTypes, capacity)
	}
	return d.out
}

// appendInput appends row of c with the given kind.
func (d *dedup) appendInput(kind chunk.RowKind, c *chunk.Chunk, row int) {
	// Appending from a chunk cannot fail.
	_ = rkAppendRow(d.output(2*c.Len()), kind, "", c, row, d.spec.OutputRank, 1)
}

// appendKept appends the retraction (-U) of a kept row; n is the input chunk's length.
func (d *dedup) appendKept(data []byte, n int) error {
	out := d.output(2 * n)
	if err := rkAppendRow(out, chunk.UpdateBefore, rkView(data), nil, 0, d.spec.OutputRank, 1); err != nil {
		return fmt.Errorf("cannot decode a deduplicated row from state: %w", err)
	}
	return nil
}

func (d *dedup) ProcessWatermark(int64) error { return nil }

func (d *dedup) OnTimer(exec.Timer) error { return nil }

func (d *dedup) Finish() error { return nil }

func (d *dedup) Close() error { return nil }
