package ops

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// SortKey is one ORDER BY column of a ranking.
type SortKey struct {
	Col  int
	Desc bool
	// NullsFirst places NULLs before all values (whatever the direction). Flink's default is
	// NULLS FIRST for ASC and NULLS LAST for DESC; the planner fills it explicitly.
	NullsFirst bool
}

// RankFunc is the ranking function.
type RankFunc uint8

// Ranking functions.
const (
	// RowNumber numbers the rows of a partition 1, 2, 3, ...; ties are numbered in arrival
	// order (an earlier row first), as in Flink.
	RowNumber RankFunc = iota
	// Rank gives ties the same rank and skips the following ranks (1, 1, 3).
	Rank
	// DenseRank gives ties the same rank without gaps (1, 1, 2).
	DenseRank
)

// String returns the SQL name of the function.
func (f RankFunc) String() string {
	switch f {
	case RowNumber:
		return "ROW_NUMBER"
	case Rank:
		return "RANK"
	case DenseRank:
		return "DENSE_RANK"
	}
	return fmt.Sprintf("RankFunc(%d)", uint8(f))
}

// RankSpec configures a top-N over an unbounded input: per partition, the rows whose rank is in
// [Start, End].
type RankSpec struct {
	InputTypes []types.Type
	// PartitionKeys are the PARTITION BY columns; empty means one global partition (the
	// planner runs it at parallelism 1).
	PartitionKeys []int
	// OrderKeys are the ORDER BY columns; at least one.
	OrderKeys []SortKey
	Func      RankFunc
	// Start and End bound the rank range: 1 <= Start <= End.
	Start, End int64
	// OutputRank appends the rank as a BIGINT NOT NULL column after the input columns.
	OutputRank bool
	// InsertOnlyInput declares that the input never retracts (Flink's AppendOnlyTopNFunction):
	// only the rows that can still be in the range are kept in state, and a retraction is an
	// error.
	InsertOnlyInput bool
	// UniqueKey are columns identifying an input row of an updating input (its upsert key), nil
	// when unknown. With it, rows are matched by this key: a retraction removes the row with
	// its key, and an +I/+U for a key already present replaces that row.
	UniqueKey []int
	// StateTTL, when positive, forgets a partition's rows that long after its last change.
	StateTTL time.Duration
}

// rkFlushRows bounds the rows a ranking operator buffers before emitting them.
const rkFlushRows = 1024

// NewRank returns a factory of Rank (top-N) operators, one per subtask.
//
// Output columns: the input columns, then the rank (BIGINT NOT NULL) when OutputRank. The output
// is a retract changelog that, applied in order, always holds per partition the rows ranked in
// [Start, End] among the live input rows (with ROW_NUMBER ties broken by arrival: an earlier row
// ranks first).
//
// Each input change emits the difference between the partition's range before and after it:
//
//   - ROW_NUMBER with the rank column (or with Start = End, one row per partition): per rank
//     position whose row changed, -U(old row, r) then +U(new row, r); a position that becomes
//     filled emits +I, one that becomes empty -D. This is Flink's changelog: it is keyed by
//     (partition, rank), the upsert key the planner derives.
//   - otherwise: the rows that leave the range emit -D, those that enter +I, and (with the rank
//     column under RANK or DENSE_RANK) a row whose rank changed emits -U(old rank), +U(new
//     rank).
//
// State: one value per partition holding its rows sorted by the ORDER BY key (an encoding that
// compares bytewise in the SQL order, see rkAppendSortKey), ties in arrival order. An insert-only
// input keeps only the rows ranked at most End (End rows under ROW_NUMBER, more with ties under
// RANK and DENSE_RANK); an updating input keeps all live rows. A change costs a binary search
// (O(log n) comparisons), an O(n) memmove of the sorted slice and O(rows in the range) work for
// the difference (DENSE_RANK also scans the rows before the change, stopping past End): fine for
// ranges up to a few hundred rows and partitions of many thousands of rows. The partition's
// value is written back whole on each change, which a durable backend pays in bytes. With a
// UniqueKey, a map state per partition indexes the rows' sort keys by unique key.
//
// A retraction that matches no stored row (never seen, or expired) is ignored and counted (see
// IgnoredRetractions).
func NewRank(spec RankSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		n := len(spec.InputTypes)
		if err := rkCheckCommon("rank", spec.InputTypes, spec.PartitionKeys, spec.OrderKeys, spec.Func, spec.Start, spec.End); err != nil {
			return nil, err
		}
		for _, k := range spec.UniqueKey {
			if k < 0 || k >= n {
				return nil, fmt.Errorf("rank unique key column %d does not exist (the input has %d columns)", k, n)
			}
		}
		r := &rankOp{spec: spec, allCols: rkAllCols(n), outTypes: rkOutTypes(spec.InputTypes, spec.OutputRank)}
		r.slot = spec.Func == RowNumber && (spec.OutputRank || spec.Start == spec.End)
		r.byID = !spec.InsertOnlyInput && len(spec.UniqueKey) > 0
		return r, nil
	}
}

// rkCheckCommon validates what all ranking operators share.
func rkCheckCommon(what string, in []types.Type, partition []int, order []SortKey, f RankFunc, start, end int64) error {
	n := len(in)
	for _, k := range partition {
		if k < 0 || k >= n {
			return fmt.Errorf("%s partition column %d does not exist (the input has %d columns)", what, k, n)
		}
	}
	if len(order) == 0 {
		return fmt.Errorf("%s needs at least one ORDER BY column", what)
	}
	for _, k := range order {
		if k.Col < 0 || k.Col >= n {
			return fmt.Errorf("%s ORDER BY column %d does not exist (the input has %d columns)", what, k.Col, n)
		}
		if in[k.Col].Kind.Physical() == types.PhysMap {
			return fmt.Errorf("%s cannot order by column %d of type %s", what, k.Col, in[k.Col])
		}
	}
	if f > DenseRank {
		return fmt.Errorf("%s: unknown ranking function %s", what, f)
	}
	if start < 1 || end < start {
		return fmt.Errorf("%s range [%d, %d] is invalid: it needs 1 <= start <= end", what, start, end)
	}
	return nil
}

func rkAllCols(n int) []int {
	cols := make([]int, n)
	for i := range cols {
		cols[i] = i
	}
	return cols
}

func rkOutTypes(in []types.Type, outputRank bool) []types.Type {
	out := slices.Clone(in)
	if outputRank {
		out = append(out, types.BigIntType.WithNotNull(true))
	}
	return out
}

// rkAppendSortKey appends the order-preserving encoding of the ORDER BY columns of row to dst:
// bytewise comparison of two encodings orders the rows as the ORDER BY does, and equal
// encodings are ties. Each column is a flag byte, 0x00 for a NULL placed first, 0x02 for a NULL
// placed last, 0x01 followed by the value for a non-NULL; the value bytes are inverted for a
// descending column. Values: integers (and dates, times, timestamps, intervals, booleans) as
// 8 bytes big-endian with the sign bit flipped; floats as their IEEE bits made order-preserving
// (-0.0 as 0.0, every NaN as one NaN above +Inf, as Java's Double.compare); decimals as the
// 128-bit unscaled value (one column has one scale); strings and bytes compare bytewise, each
// 0x00 byte escaped as 0x00 0xFF and terminated by 0x00 0x01 so that no encoding is a prefix of
// another.
func rkAppendSortKey(dst []byte, c *chunk.Chunk, keys []SortKey, row int) []byte {
	for _, k := range keys {
		v := c.Cols[k.Col]
		if v.IsNull(row) {
			if k.NullsFirst {
				dst = append(dst, 0x00)
			} else {
				dst = append(dst, 0x02)
			}
			continue
		}
		dst = append(dst, 0x01)
		start := len(dst)
		switch v.Type.Kind.Physical() {
		case types.PhysInt64:
			dst = binary.BigEndian.AppendUint64(dst, uint64(v.I64[row])^(1<<63))
		case types.PhysFloat64:
			dst = binary.BigEndian.AppendUint64(dst, rkFloatBits(v.F64[row]))
		case types.PhysDecimal:
			d := v.Dec[row]
			dst = binary.BigEndian.AppendUint64(dst, uint64(d.Hi)^(1<<63))
			dst = binary.BigEndian.AppendUint64(dst, d.Lo)
		case types.PhysString:
			s := v.Str[row]
			for {
				i := strings.IndexByte(s, 0)
				if i < 0 {
					break
				}
				dst = append(dst, s[:i+1]...)
				dst = append(dst, 0xFF)
				s = s[i+1:]
			}
			dst = append(dst, s...)
			dst = append(dst, 0x00, 0x01)
		}
		if k.Desc {
			for i := start; i < len(dst); i++ {
				dst[i] = ^dst[i]
			}
		}
	}
	return dst
}

// rkFloatBits maps a float to bits whose unsigned order is the float order.
func rkFloatBits(f float64) uint64 {
	var u uint64
	switch {
	case f != f:
		u = 0x7FF8000000000001 // one NaN, above +Inf
	case f == 0:
		u = 0 // -0.0 ties with 0.0
	default:
		u = math.Float64bits(f)
	}
	if u&(1<<63) != 0 {
		return ^u
	}
	return u ^ (1 << 63)
}

// rkView returns b as a string without copying; the string must not outlive b's next change.
func rkView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// rkBytes returns s as bytes without copying; they must not be modified.
func rkBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// rkRow is one row kept by a ranking operator.
type rkRow struct {
	// Data is the ORDER BY key (rkAppendSortKey), SortLen bytes, followed by the whole row
	// (chunk.EncodeKey of all input columns): one allocation per row.
	Data    string
	SortLen int
	// ID is the unique key (chunk.EncodeKey of RankSpec.UniqueKey) when rows are identified
	// by one, else empty.
	ID string
}

// rkMakeRow builds an rkRow from its sort key and row encodings; scratch is a reusable buffer.
func rkMakeRow(scratch *[]byte, sortKey, row []byte, id string) rkRow {
	*scratch = append(append((*scratch)[:0], sortKey...), row...)
	return rkRow{Data: string(*scratch), SortLen: len(sortKey), ID: id}
}

// sort returns the ORDER BY key.
func (x *rkRow) sort() string { return x.Data[:x.SortLen] }

// row returns the row's encoding.
func (x *rkRow) row() string { return x.Data[x.SortLen:] }

// rkBuffer is the value kept in state per partition (per partition and window for WindowRank):
// its rows sorted by Sort, ties in arrival order.
type rkBuffer struct {
	Rows []rkRow
}

// rkLowerBound returns the first position whose sort key is >= key.
func rkLowerBound(rows []rkRow, key string) int {
	lo, hi := 0, len(rows)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rows[m].sort() < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// rkUpperBound returns the first position whose sort key is > key: where a new row with that
// key goes, after its ties.
func rkUpperBound(rows []rkRow, key string) int {
	lo, hi := 0, len(rows)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rows[m].sort() <= key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// rkRanks appends to dst the ranks of rows[p], rows[p+1], ... up to the last one ranked at most
// end (ranks never decrease along the sorted rows). RANK costs a binary search, DENSE_RANK a
// scan of the rows before p (stopping beyond end).
func rkRanks(dst []int64, f RankFunc, rows []rkRow, p int, end int64) []int64 {
	if p >= len(rows) {
		return dst
	}
	if f == RowNumber {
		for i := p; i < len(rows) && int64(i) < end; i++ {
			dst = append(dst, int64(i)+1)
		}
		return dst
	}
	var r int64
	if f == Rank {
		r = int64(p) + 1
		if p > 0 && rows[p].sort() == rows[p-1].sort() {
			r = int64(rkLowerBound(rows[:p], rows[p].sort())) + 1
		}
	} else {
		r = 1
		for i := 1; i <= p; i++ {
			if rows[i].sort() != rows[i-1].sort() {
				if r++; r > end {
					return dst
				}
			}
		}
	}
	for i := p; i < len(rows); i++ {
		if i > p && rows[i].sort() != rows[i-1].sort() {
			if f == Rank {
				r = int64(i) + 1
			} else {
				r++
			}
		}
		if r > end {
			break
		}
		dst = append(dst, r)
	}
	return dst
}

// rkFits reports whether a row with sort key key, inserted at position p (its upper bound) of
// rows that are all ranked at most end, would be ranked at most end too.
func rkFits(f RankFunc, rows []rkRow, p int, key string, end int64) bool {
	if int64(p) < end {
		return true
	}
	tie := p > 0 && rows[p-1].sort() == key
	switch f {
	case Rank:
		return tie
	case DenseRank:
		d := int64(1)
		for i := 1; i < p; i++ {
			if rows[i].sort() != rows[i-1].sort() {
				d++
			}
		}
		if !tie {
			d++
		}
		return d <= end
	}
	return false
}

// rkFind returns the position of the first row with sort key key that satisfies match, or -1.
func rkFind(rows []rkRow, key string, match func(*rkRow) bool) int {
	for i := rkLowerBound(rows, key); i < len(rows) && rows[i].sort() == key; i++ {
		if match(&rows[i]) {
			return i
		}
	}
	return -1
}

// rkCountRows returns the number of rows held in a state of *rkBuffer values.
func rkCountRows(vs state.ValueState) (int64, error) {
	var keys [][]byte
	if err := vs.Keys(func(k []byte) bool { keys = append(keys, k); return true }); err != nil {
		return 0, err
	}
	var n int64
	for _, k := range keys {
		v, ok, err := vs.Get(k)
		if err != nil {
			return 0, err
		}
		if ok {
			n += int64(len(v.(*rkBuffer).Rows))
		}
	}
	return n, nil
}

// rkAppendRow appends one output row: the decoded data (or row of the input chunk c when c is
// not nil, with values canonicalized as a decoded row's), then the rank when withRank. It
// returns the decoding error as is.
func rkAppendRow(out *chunk.Chunk, kind chunk.RowKind, data string, c *chunk.Chunk, row int, withRank bool, rank int64) error {
	n := len(out.Cols)
	if withRank {
		n--
	}
	if c != nil {
		for j := 0; j < n; j++ {
			v := out.Cols[j]
			v.AppendFrom(c.Cols[j], row)
			// Rows from state decode -0.0 as 0.0 (the key encoding canonicalizes it): do the
			// same here, so that a later retraction of this row matches it exactly.
			if v.Type.Kind.Physical() == types.PhysFloat64 {
				if last := len(v.F64) - 1; v.F64[last] == 0 {
					v.F64[last] = 0
				}
			}
		}
	} else if err := chunk.AppendDecoded(out.Cols[:n], rkBytes(data)); err != nil {
		return err
	}
	if withRank {
		out.Cols[n].I64 = append(out.Cols[n].I64, rank)
	}
	out.Kinds = append(out.Kinds, kind)
	return nil
}

type rankOp struct {
	spec     RankSpec
	ctx      *exec.Context
	buffers  state.ValueState // partition → *rkBuffer
	index    state.MapState   // partition → unique key → sort key (with a UniqueKey only)
	allCols  []int
	outTypes []types.Type
	slot     bool // per-rank-position changelog (ROW_NUMBER with the rank column, or Start = End)
	byID     bool // rows are identified by the unique key

	c                              *chunk.Chunk // the chunk being processed
	row                            int          // its current row
	keyBuf, sortBuf, rowBuf, idBuf []byte
	scratch                        []byte
	oldR, newR                     []int64
	out                            *chunk.Chunk
	ignored                        int64
	matchID, matchRow              func(*rkRow) bool
}

// IgnoredRetractions returns how many retractions matched no stored row.
func (r *rankOp) IgnoredRetractions() int64 { return r.ignored }

// BufferedRows returns the number of rows held in state over all partitions (it walks the
// state: for tests and diagnostics).
func (r *rankOp) BufferedRows() (int64, error) { return rkCountRows(r.buffers) }

func (r *rankOp) Open(ctx *exec.Context) error {
	r.ctx = ctx
	var err error
	if r.buffers, err = ctx.State.Value(state.Descriptor{Name: "rank", TTL: r.spec.StateTTL, Codec: rowStateCodec{}}); err != nil {
		return fmt.Errorf("cannot create rank state: %w", err)
	}
	if r.byID {
		if r.index, err = ctx.State.Map(state.Descriptor{Name: "rank-unique-key", TTL: r.spec.StateTTL, Codec: rowStateCodec{}}); err != nil {
			return fmt.Errorf("cannot create rank state: %w", err)
		}
	}
	r.matchID = func(x *rkRow) bool { return x.ID == rkView(r.idBuf) }
	r.matchRow = func(x *rkRow) bool { return x.row() == rkView(r.rowBuf) }
	return nil
}

func (r *rankOp) ProcessChunk(_ int, c *chunk.Chunk) error {
	if r.spec.InsertOnlyInput {
		for i, k := range c.Kinds {
			if k.IsRetract() {
				return fmt.Errorf("rank received a %s row (%s) but its input was declared insert-only", k, c.FormatRow(i))
			}
		}
	}
	r.c = c
	for row := 0; row < c.Len(); row++ {
		kind := c.Kinds[row]
		r.row = row
		r.keyBuf = chunk.EncodeKey(r.keyBuf[:0], c, r.spec.PartitionKeys, row)
		r.sortBuf = rkAppendSortKey(r.sortBuf[:0], c, r.spec.OrderKeys, row)
		var err error
		switch {
		case r.spec.InsertOnlyInput:
			err = r.appendOnly()
		case kind.IsAccumulate():
			err = r.accumulate()
		default:
			err = r.retract()
		}
		if err != nil {
			return err
		}
		if r.out != nil && r.out.Len() >= rkFlushRows {
			if err := r.flush(); err != nil {
				return err
			}
		}
	}
	r.c = nil
	return r.flush()
}

func (r *rankOp) flush() error {
	if r.out == nil || r.out.Len() == 0 {
		return nil
	}
	out := r.out
	r.out = nil
	return r.ctx.Emit(out)
}

func (r *rankOp) buffer() (*rkBuffer, error) {
	v, ok, err := r.buffers.Get(r.keyBuf)
	if err != nil {
		return nil, fmt.Errorf("cannot read rank state: %w", err)
	}
	if !ok {
		return nil, nil
	}
	return v.(*rkBuffer), nil
}

func (r *rankOp) putBuffer(buf *rkBuffer) error {
	var err error
	if len(buf.Rows) == 0 {
		err = r.buffers.Delete(r.keyBuf)
	} else {
		err = r.buffers.Put(r.keyBuf, buf)
	}
	if err != nil {
		return fmt.Errorf("cannot write rank state: %w", err)
	}
	return nil
}

// appendOnly handles a row of an insert-only input (Flink's AppendOnlyTopNFunction): a row that
// cannot be ranked at most End is dropped at once; otherwise it is inserted, the difference is
// emitted, and the rows pushed beyond End are forgotten.
func (r *rankOp) appendOnly() error {
	buf, err := r.buffer()
	if err != nil {
		return err
	}
	var rows []rkRow
	if buf != nil {
		rows = buf.Rows
	}
	key := rkView(r.sortBuf)
	p := rkUpperBound(rows, key)
	if !rkFits(r.spec.Func, rows, p, key, r.spec.End) {
		return nil
	}
	if buf == nil {
		buf = &rkBuffer{}
	}
	if err := r.insertAt(buf, p, ""); err != nil {
		return err
	}
	// Every row after the last one ranked at most End can never be ranked in range again.
	cut := p + len(r.newR)
	clear(buf.Rows[cut:])
	buf.Rows = buf.Rows[:cut]
	return r.putBuffer(buf)
}

// accumulate handles an +I or +U of an updating input (Flink's RetractableTopNFunction, and
// UpdatableTopNFunction with a unique key).
func (r *rankOp) accumulate() error {
	buf, err := r.buffer()
	if err != nil {
		return err
	}
	if buf == nil {
		buf = &rkBuffer{}
	}
	var id string
	if r.byID {
		r.idBuf = chunk.EncodeKey(r.idBuf[:0], r.c, r.spec.UniqueKey, r.row)
		id = string(r.idBuf)
		v, ok, err := r.index.Get(r.keyBuf, id)
		if err != nil {
			return fmt.Errorf("cannot read rank state: %w", err)
		}
		if ok {
			// The key is present: this row replaces it.
			old := v.(string)
			if q := rkFind(buf.Rows, old, r.matchID); q >= 0 {
				if old == rkView(r.sortBuf) {
					return r.replaceAt(buf, q)
				}
				if err := r.removeAt(buf, q); err != nil {
					return err
				}
			}
		}
	}
	p := rkUpperBound(buf.Rows, rkView(r.sortBuf))
	if err := r.insertAt(buf, p, id); err != nil {
		return err
	}
	if err := r.putBuffer(buf); err != nil {
		return err
	}
	if r.byID {
		if err := r.index.Put(r.keyBuf, id, buf.Rows[p].sort()); err != nil {
			return fmt.Errorf("cannot write rank state: %w", err)
		}
	}
	return nil
}

// retract handles a -U or -D of an updating input: it removes the matching row (the first of
// equal rows, by unique key when there is one).
func (r *rankOp) retract() error {
	buf, err := r.buffer()
	if err != nil {
		return err
	}
	q := -1
	var id string
	if buf != nil {
		if r.byID {
			r.idBuf = chunk.EncodeKey(r.idBuf[:0], r.c, r.spec.UniqueKey, r.row)
			id = string(r.idBuf)
			sortKey := rkView(r.sortBuf)
			v, ok, err := r.index.Get(r.keyBuf, id)
			if err != nil {
				return fmt.Errorf("cannot read rank state: %w", err)
			}
			if ok {
				sortKey = v.(string)
			}
			q = rkFind(buf.Rows, sortKey, r.matchID)
		} else {
			r.rowBuf = chunk.EncodeKey(r.rowBuf[:0], r.c, r.allCols, r.row)
			q = rkFind(buf.Rows, rkView(r.sortBuf), r.matchRow)
		}
	}
	if q < 0 {
		if r.ignored == 0 {
			r.ctx.Logger.Warn("rank ignores a retraction of a row it does not hold (never seen or expired)",
				"node", r.ctx.Node, "subtask", r.ctx.Subtask, "row", r.c.FormatRow(r.row))
		}
		r.ignored++
		return nil
	}
	if err := r.removeAt(buf, q); err != nil {
		return err
	}
	if err := r.putBuffer(buf); err != nil {
		return err
	}
	if r.byID {
		if err := r.index.Delete(r.keyBuf, id); err != nil {
			return fmt.Errorf("cannot write rank state: %w", err)
		}
	}
	return nil
}

// insertAt inserts the current input row at position p of buf and emits the difference.
func (r *rankOp) insertAt(buf *rkBuffer, p int, id string) error {
	f, end := r.spec.Func, r.spec.End
	r.oldR = rkRanks(r.oldR[:0], f, buf.Rows, p, end)
	r.rowBuf = chunk.EncodeKey(r.rowBuf[:0], r.c, r.allCols, r.row)
	buf.Rows = slices.Insert(buf.Rows, p, rkMakeRow(&r.scratch, r.sortBuf, r.rowBuf, id))
	r.newR = rkRanks(r.newR[:0], f, buf.Rows, p, end)
	return r.emitChange(buf.Rows, p, true, nil)
}

// removeAt removes the row at position q of buf and emits the difference.
func (r *rankOp) removeAt(buf *rkBuffer, q int) error {
	f, end := r.spec.Func, r.spec.End
	r.oldR = rkRanks(r.oldR[:0], f, buf.Rows, q, end)
	removed := buf.Rows[q]
	buf.Rows = slices.Delete(buf.Rows, q, q+1)
	if c := cap(buf.Rows); c > 64 && 4*len(buf.Rows) < c {
		buf.Rows = slices.Clip(slices.Clone(buf.Rows)) // give back the memory of deleted rows
	}
	r.newR = rkRanks(r.newR[:0], f, buf.Rows, q, end)
	return r.emitChange(buf.Rows, q, false, &removed)
}

// replaceAt replaces the row at position q of buf by the current input row, which has the same
// sort key and unique key: no rank changes, the row changes in place (-U, +U) when in range.
func (r *rankOp) replaceAt(buf *rkBuffer, q int) error {
	r.rowBuf = chunk.EncodeKey(r.rowBuf[:0], r.c, r.allCols, r.row)
	old := buf.Rows[q]
	if old.row() != rkView(r.rowBuf) {
		buf.Rows[q] = rkMakeRow(&r.scratch, r.sortBuf, r.rowBuf, old.ID)
		r.newR = rkRanks(r.newR[:0], r.spec.Func, buf.Rows, q, r.spec.End)
		if len(r.newR) > 0 && r.newR[0] >= r.spec.Start {
			if err := r.emit(chunk.UpdateBefore, old.row(), false, r.newR[0]); err != nil {
				return err
			}
			if err := r.emit(chunk.UpdateAfter, "", true, r.newR[0]); err != nil {
				return err
			}
		}
	}
	return r.putBuffer(buf)
}

// emit appends an output row: a stored row, or the current input row when fromInput.
func (r *rankOp) emit(kind chunk.RowKind, data string, fromInput bool, rank int64) error {
	if r.out == nil {
		r.out = chunk.New(r.outTypes, min(rkFlushRows, max(16, 2*(r.c.Len()-r.row))))
	}
	if fromInput {
		return rkAppendRow(r.out, kind, "", r.c, r.row, r.spec.OutputRank, rank)
	}
	if err := rkAppendRow(r.out, kind, data, nil, 0, r.spec.OutputRank, rank); err != nil {
		return fmt.Errorf("cannot decode a ranked row from state: %w", err)
	}
	return nil
}

// emitChange emits the difference between a partition's range before and after one row was
// inserted at or removed from position p. rows is the partition after the change; removed is
// the removed row (nil for an insertion, whose row is rows[p] and is the current input row).
// r.oldR and r.newR hold the ranks from position p on, before and after the change, up to End.
// Rows before p keep their ranks: they sort before or tie with the changed row, which was
// placed after its ties.
func (r *rankOp) emitChange(rows []rkRow, p int, inserted bool, removed *rkRow) error {
	start := r.spec.Start
	// oldRow returns the row at position i >= p before the change; newToOld and oldToNew map
	// positions (-1: the row did not exist on that side).
	oldRow := func(i int) string {
		switch {
		case inserted:
			return rows[i+1].row()
		case i == p:
			return removed.row()
		}
		return rows[i-1].row()
	}
	oldToNew := func(i int) int {
		switch {
		case inserted:
			return i + 1
		case i == p:
			return -1
		}
		return i - 1
	}
	newToOld := func(j int) int {
		switch {
		case !inserted:
			return j + 1
		case j == p:
			return -1
		}
		return j - 1
	}
	isInput := func(j int) bool { return inserted && j == p }
	inOld := func(i int) bool { k := i - p; return k >= 0 && k < len(r.oldR) && r.oldR[k] >= start }
	inNew := func(j int) bool { k := j - p; return k >= 0 && k < len(r.newR) && r.newR[k] >= start }

	if r.slot {
		// One row per rank: compare each position in the range.
		for rank := max(start, int64(p)+1); rank <= r.spec.End; rank++ {
			k := int(rank) - 1 - p
			hasOld, hasNew := k < len(r.oldR), k < len(r.newR)
			i := int(rank) - 1
			var err error
			switch {
			case hasOld && hasNew:
				if o := oldRow(i); o != rows[i].row() {
					if err = r.emit(chunk.UpdateBefore, o, false, rank); err == nil {
						err = r.emit(chunk.UpdateAfter, rows[i].row(), isInput(i), rank)
					}
				}
			case hasOld:
				err = r.emit(chunk.Delete, oldRow(i), false, rank)
			case hasNew:
				err = r.emit(chunk.Insert, rows[i].row(), isInput(i), rank)
			default:
				return nil
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	// Rows that leave the range.
	for k, rank := range r.oldR {
		if rank < start {
			continue
		}
		if i := p + k; !inNew(oldToNew(i)) {
			if err := r.emit(chunk.Delete, oldRow(i), false, rank); err != nil {
				return err
			}
		}
	}
	// Rows that stay with another rank.
	if r.spec.OutputRank {
		for k, rank := range r.oldR {
			if rank < start {
				continue
			}
			i := p + k
			j := oldToNew(i)
			if !inNew(j) || r.newR[j-p] == rank {
				continue
			}
			if err := r.emit(chunk.UpdateBefore, oldRow(i), false, rank); err != nil {
				return err
			}
			if err := r.emit(chunk.UpdateAfter, rows[j].row(), false, r.newR[j-p]); err != nil {
				return err
			}
		}
	}
	// Rows that enter the range.
	for k, rank := range r.newR {
		if rank < start {
			continue
		}
		j := p + k
		if i := newToOld(j); i < 0 || !inOld(i) {
			if err := r.emit(chunk.Insert, rows[j].row(), isInput(j), rank); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *rankOp) ProcessWatermark(int64) error { return nil }

func (r *rankOp) OnTimer(exec.Timer) error { return nil }

func (r *rankOp) Finish() error { return nil }

func (r *rankOp) Close() error {
	if r.ignored > 0 && r.ctx != nil {
		r.ctx.Logger.Warn("rank ignored retractions of rows it did not hold", "node", r.ctx.Node,
			"subtask", r.ctx.Subtask, "count", r.ignored)
	}
	return nil
}
