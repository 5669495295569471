package ops

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// IntervalJoinSpec configures an interval join: pairs with equal keys whose times satisfy
// right.time + Lower <= left.time <= right.time + Upper (microseconds; Lower <= Upper).
type IntervalJoinSpec struct {
	Type                  JoinType
	LeftTypes, RightTypes []types.Type
	// LeftKeys and RightKeys are the equi-join columns, pairwise of the same type; they may be
	// empty (the planner then runs the join at parallelism 1). A NULL key never matches.
	LeftKeys, RightKeys []int
	// LeftTimeCol and RightTimeCol are the TIMESTAMP(3)/TIMESTAMP_LTZ(3) time attributes
	// (microseconds), unused with ProcTime.
	LeftTimeCol, RightTimeCol int
	Lower, Upper              int64
	// ProcTime joins on processing time (ctx.Now() at arrival) instead of the time columns.
	ProcTime bool
	// Residual is a BOOLEAN condition over the output row (left columns, then right columns);
	// nil = none.
	Residual expr.Expr
}

// ijMaxBound bounds |Lower| and |Upper| (about 36,000 years) so that row times (at most
// year 9999) plus or minus a bound never overflow.
const ijMaxBound int64 = 1 << 60

// MaxOutputDelay returns how far behind the input watermark the operator may emit rows, in
// microseconds: max(-Lower, Upper) for an event-time join (never negative, as Lower <= Upper),
// 0 with ProcTime. The planner holds the node's output watermark back by it (WatermarkDelay).
//
// It is exact for this operator: a pair emitted when a row x arrives with x.time > wm has its
// other row at right.time >= left.time - Upper > wm - Upper (x on the left) or left.time >=
// right.time + Lower > wm + Lower (x on the right); a NULL-padded left row l is emitted by the
// timer at l - Lower, when the watermark passes it, so l > wm + Lower for the previous
// watermark wm; a padded right row r likewise satisfies r > wm - Upper. Every output time is
// therefore strictly greater than the previous watermark minus the delay. (Flink's
// RowTimeIntervalJoin reports the same max(-lower, upper) plus its allowed lateness, 0 here.)
// Rows that were already late on input (time <= watermark) stay late.
func (s IntervalJoinSpec) MaxOutputDelay() int64 {
	if s.ProcTime {
		return 0
	}
	return max(-s.Lower, s.Upper, 0)
}

// NewIntervalJoin returns a factory of interval join operators, one per subtask. Output: left
// columns then right columns; insert-only (+I). For a LEFT, RIGHT or FULL join the columns of
// the padded side are nullable.
//
// Semantics (Flink's RowTimeIntervalJoin and ProcTimeIntervalJoin): inputs are insert-only
// (input 0 is the left side, input 1 the right, each hash-partitioned on its keys). Each
// arriving row joins every buffered row of the other side with the same key whose time is in
// range and that satisfies Residual, emitting +I per pair. It is then buffered (per key and
// time) while rows of the other side can still match it:
//
//   - event time: future rows have times above the watermark wm, so a left row l is kept
//     while wm < l - Lower and a right row r while wm < r + Upper; an event-time timer at
//     l - Lower (r + Upper) drops it as soon as the watermark reaches that time.
//   - processing time: future rows have times >= now, so l is kept while now <= l - Lower;
//     a processing-time timer at l - Lower + 1 µs (r + Upper + 1 µs) drops it.
//
// A row of an outer side that never matched is emitted NULL-padded when it is dropped. A row
// that can no longer be matched by future rows when it arrives (late, or on the wrong side of
// the bounds) is still joined with what is buffered, is not stored, and is emitted padded at
// once if its side is outer and it matched nothing; so are outer rows with a NULL key. At end
// of input the runtime fires all timers, so every unmatched outer row is emitted.
func NewIntervalJoin(spec IntervalJoinSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if err := ijCheckSides(spec.Type, spec.LeftTypes, spec.RightTypes, spec.LeftKeys, spec.RightKeys, spec.Residual, "interval join"); err != nil {
			return nil, err
		}
		if spec.Lower > spec.Upper {
			return nil, fmt.Errorf("interval join lower bound %s is greater than its upper bound %s", fmtDur(spec.Lower), fmtDur(spec.Upper))
		}
		for _, b := range []int64{spec.Lower, spec.Upper} {
			if b > ijMaxBound || b < -ijMaxBound {
				return nil, fmt.Errorf("interval join bound %s is out of range", fmtDur(b))
			}
		}
		if !spec.ProcTime {
			for _, s := range []struct {
				what string
				col  int
				ts   []types.Type
			}{{"left", spec.LeftTimeCol, spec.LeftTypes}, {"right", spec.RightTimeCol, spec.RightTypes}} {
				if s.col < 0 || s.col >= len(s.ts) {
					return nil, fmt.Errorf("interval join %s time column %d does not exist (the input has %d columns)", s.what, s.col, len(s.ts))
				}
				if !s.ts[s.col].IsTimestamp() {
					return nil, fmt.Errorf("interval join %s time column %d must be TIMESTAMP or TIMESTAMP_LTZ, not %s", s.what, s.col, s.ts[s.col])
				}
			}
		}
		j := &intervalJoin{spec: spec}
		j.sides[0] = ijSide{keys: spec.LeftKeys, timeCol: spec.LeftTimeCol, outer: spec.Type.LeftOuter(), all: ijAllColumns(len(spec.LeftTypes))}
		j.sides[1] = ijSide{keys: spec.RightKeys, timeCol: spec.RightTimeCol, outer: spec.Type.RightOuter(), all: ijAllColumns(len(spec.RightTypes))}
		j.outLeft, j.outRight = ijOutputTypes(spec.Type, spec.LeftTypes, spec.RightTypes)
		j.collectFn = j.collect
		return j, nil
	}
}

// ijCheckSides validates what the interval and window joins have in common: the join type,
// the key columns (in range, as many on both sides, pairwise of the same type, so that equal
// values encode to equal keys) and the residual condition's type.
func ijCheckSides(jt JoinType, left, right []types.Type, lkeys, rkeys []int, residual expr.Expr, what string) error {
	if jt > FullJoin {
		return fmt.Errorf("unknown %s type %d", what, jt)
	}
	if len(lkeys) != len(rkeys) {
		return fmt.Errorf("%s has %d left key columns but %d right key columns", what, len(lkeys), len(rkeys))
	}
	for i := range lkeys {
		l, r := lkeys[i], rkeys[i]
		if l < 0 || l >= len(left) {
			return fmt.Errorf("%s left key column %d does not exist (the input has %d columns)", what, l, len(left))
		}
		if r < 0 || r >= len(right) {
			return fmt.Errorf("%s right key column %d does not exist (the input has %d columns)", what, r, len(right))
		}
		lt, rt := left[l], right[r]
		same := lt.Kind.Physical() == rt.Kind.Physical()
		if lt.Kind == types.Decimal || rt.Kind == types.Decimal {
			same = lt.Kind == rt.Kind && lt.Scale == rt.Scale
		}
		if !same {
			return fmt.Errorf("%s key %d has different types on both sides: %s and %s", what, i+1, lt, rt)
		}
	}
	if residual != nil && residual.Type().Kind != types.Boolean {
		return fmt.Errorf("%s condition must be BOOLEAN, not %s", what, residual.Type())
	}
	return nil
}

// ijOutputTypes returns the output column types of each side: nullable on a side that gets
// padded with NULLs.
func ijOutputTypes(jt JoinType, left, right []types.Type) (l, r []types.Type) {
	l = append([]types.Type(nil), left...)
	r = append([]types.Type(nil), right...)
	if jt.RightOuter() {
		for i := range l {
			l[i] = l[i].Nullable()
		}
	}
	if jt.LeftOuter() {
		for i := range r {
			r[i] = r[i].Nullable()
		}
	}
	return l, r
}

func ijAllColumns(n int) []int {
	cols := make([]int, n)
	for i := range cols {
		cols[i] = i
	}
	return cols
}

// ijSide is one input of the interval join.
type ijSide struct {
	keys    []int
	timeCol int
	outer   bool  // unmatched rows are emitted NULL-padded
	all     []int // all column indexes, to encode whole rows
	rows    state.MapState
}

// ijBucket is the state value holding the buffered rows of one side with one key and one time
// (the map key): each row encoded with chunk.EncodeKey over all columns and, for an outer side
// only, whether it has been joined.
type ijBucket struct {
	Rows    []string
	Matched []bool
}

// ijBucketOne is a bucket allocated together with room for its first row.
type ijBucketOne struct {
	ijBucket
	rows    [1]string
	matched [1]bool
}

// ijArrival is a row of the input chunk being processed.
type ijArrival struct {
	row        int
	time       int64
	key        [2]int // the key's bounds in the key arena
	nullKey    bool
	matched    bool
	expiration int64 // the timer that drops the row
}

// ijCand is a candidate pair: an arriving row and a buffered row of the other side.
type ijCand struct {
	arrival int
	mk      string // the buffered row's bucket
	idx     int    // its position in the bucket
	matched bool   // it was matched before
}

// ijHit is a bucket of the other side in range of an arriving row.
type ijHit struct {
	mk string
	b  *ijBucket
}

// ijFlushRows bounds the NULL-padded rows buffered by timers before they are emitted.
const ijFlushRows = 1024

// intervalJoin is the interval join operator. State: one map state per side
// ("interval-join-left", "interval-join-right"), keyed by the encoded join key, whose map keys
// are row times (ijTimeKey) and values *ijBucket. Each bucket has one timer, registered under
// the join key at the bucket's expiration; a timer at time e drops the left bucket at e + Lower
// and the right bucket at e - Upper (minus 1 µs with processing time) when they exist, so
// cleanup reads exactly the buckets that expire.
type intervalJoin struct {
	spec              IntervalJoinSpec
	ctx               *exec.Context
	sides             [2]ijSide
	outLeft, outRight []types.Type
	pairs             *pairBuffer // candidates of the current input chunk, then its output
	pads              *pairBuffer // rows padded by timers

	keyArena, rowBuf, mkBuf []byte
	arrivals                []ijArrival
	cands                   []ijCand
	sel                     []int

	// the Range callback and its arguments
	collectFn        func(mk string, v any) bool
	cur              *chunk.Chunk
	curInput, curArr int
	curLo, curHi     int64
	hits             []ijHit
}

func (j *intervalJoin) Open(ctx *exec.Context) error {
	j.ctx = ctx
	var err error
	if j.pairs, err = newPairBuffer(j.outLeft, j.outRight, j.spec.Residual, ctx); err != nil {
		return fmt.Errorf("interval join: %w", err)
	}
	if j.pads, err = newPairBuffer(j.outLeft, j.outRight, nil, ctx); err != nil {
		return fmt.Errorf("interval join: %w", err)
	}
	for i, name := range []string{"interval-join-left", "interval-join-right"} {
		if j.sides[i].rows, err = ctx.State.Map(state.Descriptor{Name: name, Codec: rowStateCodec{}}); err != nil {
			return fmt.Errorf("cannot create interval join state: %w", err)
		}
	}
	return nil
}

// expiration returns when a row of the given input with time t can no longer match future
// rows of the other side: its timer's time. The row is kept while the current time (the
// watermark, or the processing time) is below it.
func (j *intervalJoin) expiration(input int, t int64) int64 {
	var e int64
	if input == 0 {
		e = t - j.spec.Lower
	} else {
		e = t + j.spec.Upper
	}
	if j.spec.ProcTime {
		e++ // future rows may arrive at the same processing time
	}
	return e
}

// rowTimeAt returns the time of the buffered rows of input that expire at timer time e: the
// inverse of expiration.
func (j *intervalJoin) rowTimeAt(input int, e int64) int64 {
	if j.spec.ProcTime {
		e--
	}
	if input == 0 {
		return e + j.spec.Lower
	}
	return e - j.spec.Upper
}

// ijTimeKey appends the map key of a time: 8 bytes big-endian with the sign bit flipped.
func ijTimeKey(dst []byte, t int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(t)^(1<<63))
}

func ijKeyTime(mk string) int64 {
	return int64(binary.BigEndian.Uint64(ijBytes(mk)) ^ (1 << 63))
}

// ijBytes views a string's bytes without copying, for read-only use within a call that
// does not retain them (decoding a stored row).
func ijBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func (j *intervalJoin) ProcessChunk(input int, c *chunk.Chunk) error {
	if input != 0 && input != 1 {
		return fmt.Errorf("interval join has two inputs, got a chunk on input %d", input)
	}
	if err := j.flushPads(); err != nil {
		return err
	}
	side, other := &j.sides[input], &j.sides[1-input]
	var current int64 // the watermark or the processing time
	if j.spec.ProcTime {
		current = j.ctx.Now().UnixMicro()
	} else {
		current = j.ctx.Watermark()
	}
	j.keyArena, j.arrivals, j.cands = j.keyArena[:0], j.arrivals[:0], j.cands[:0]
	j.cur, j.curInput = c, input
	defer func() { j.cur = nil }()

	// Collect the candidate pairs of every arriving row.
	for row := 0; row < c.Len(); row++ {
		if c.Kinds[row] != chunk.Insert {
			return fmt.Errorf("interval join requires insert-only inputs, but received %s on its %s input", c.FormatRow(row), ijSideName(input))
		}
		t := current
		if !j.spec.ProcTime {
			tc := c.Cols[side.timeCol]
			if tc.IsNull(row) {
				return fmt.Errorf("the interval join time column is NULL in row %s of its %s input; a rowtime attribute must not be NULL", c.FormatRow(row), ijSideName(input))
			}
			t = tc.I64[row]
		}
		a := ijArrival{row: row, time: t, expiration: j.expiration(input, t)}
		a.key[0] = len(j.keyArena)
		j.keyArena = chunk.EncodeKey(j.keyArena, c, side.keys, row)
		a.key[1] = len(j.keyArena)
		for _, k := range side.keys {
			if c.Cols[k].IsNull(row) {
				a.nullKey = true
				break
			}
		}
		j.arrivals = append(j.arrivals, a)
		if a.nullKey {
			continue
		}
		// The other side's rows in range: for a left row l, right rows r with
		// l - Upper <= r <= l - Lower; for a right row r, left rows l with
		// r + Lower <= l <= r + Upper.
		if input == 0 {
			j.curLo, j.curHi = t-j.spec.Upper, t-j.spec.Lower
		} else {
			j.curLo, j.curHi = t+j.spec.Lower, t+j.spec.Upper
		}
		j.curArr = len(j.arrivals) - 1
		if err := other.rows.Range(j.keyArena[a.key[0]:a.key[1]], j.collectFn); err != nil {
			return fmt.Errorf("cannot read interval join state: %w", err)
		}
		if err := j.appendCandidates(); err != nil {
			return err
		}
	}

	// Keep the pairs that satisfy the residual; mark what they matched.
	nCands := j.pairs.Len()
	ok, err := j.pairs.Qualifying()
	if err != nil {
		return fmt.Errorf("cannot evaluate the interval join condition: %w", err)
	}
	all := true
	for i := range j.cands {
		if !ok[i] {
			all = false
			continue
		}
		cd := &j.cands[i]
		j.arrivals[cd.arrival].matched = true
		if other.outer && !cd.matched {
			if err := j.markMatched(other, cd); err != nil {
				return err
			}
		}
	}

	// Buffer the arriving rows that future rows can match; pad the others that matched
	// nothing on an outer side.
	for i := range j.arrivals {
		a := &j.arrivals[i]
		if !a.nullKey && a.expiration > current {
			if err := j.store(side, c, a); err != nil {
				return err
			}
			continue
		}
		if side.outer && !a.matched {
			if input == 0 {
				err = j.pairs.AppendNullRight(chunk.Insert, c, a.row, nil)
			} else {
				err = j.pairs.AppendNullLeft(chunk.Insert, c, a.row, nil)
			}
			if err != nil {
				return err
			}
		}
	}

	out := j.pairs.Chunk()
	if !all {
		j.sel = j.sel[:0]
		for i := range nCands {
			if ok[i] {
				j.sel = append(j.sel, i)
			}
		}
		for i := nCands; i < out.Len(); i++ {
			j.sel = append(j.sel, i)
		}
		out = out.Select(j.sel)
		if out.Len() == 0 {
			j.pairs.Reset()
			return nil
		}
	} else if out.Len() == 0 {
		return nil
	}
	j.pairs.Reset()
	return j.ctx.Emit(out)
}

func ijSideName(input int) string {
	if input == 0 {
		return "left"
	}
	return "right"
}

// collect is the Range callback over the other side's buckets of the current arriving row's
// key: it keeps the buckets whose time is in [curLo, curHi].
func (j *intervalJoin) collect(mk string, v any) bool {
	if t := ijKeyTime(mk); t >= j.curLo && t <= j.curHi {
		j.hits = append(j.hits, ijHit{mk: mk, b: v.(*ijBucket)})
	}
	return true
}

// appendCandidates appends a candidate pair of the current arriving row with every row of the
// buckets hit, in time order (so that the output does not depend on the state's iteration
// order).
func (j *intervalJoin) appendCandidates() error {
	if len(j.hits) > 1 {
		slices.SortFunc(j.hits, func(a, b ijHit) int { return strings.Compare(a.mk, b.mk) })
	}
	a := &j.arrivals[j.curArr]
	for _, h := range j.hits {
		for i, r := range h.b.Rows {
			var err error
			if j.curInput == 0 {
				err = j.pairs.AppendEncoded(chunk.Insert, j.cur, a.row, nil, nil, 0, ijBytes(r))
			} else {
				err = j.pairs.AppendEncoded(chunk.Insert, nil, 0, ijBytes(r), j.cur, a.row, nil)
			}
			if err != nil {
				return err
			}
			j.cands = append(j.cands, ijCand{arrival: j.curArr, mk: h.mk, idx: i, matched: h.b.Matched != nil && h.b.Matched[i]})
		}
	}
	clear(j.hits) // drop references to state values
	j.hits = j.hits[:0]
	return nil
}

// markMatched records that a buffered row of an outer side has been joined.
func (j *intervalJoin) markMatched(s *ijSide, cd *ijCand) error {
	a := &j.arrivals[cd.arrival]
	key := j.keyArena[a.key[0]:a.key[1]]
	v, ok, err := s.rows.Get(key, cd.mk)
	if err != nil {
		return fmt.Errorf("cannot read interval join state: %w", err)
	}
	if !ok {
		return fmt.Errorf("interval join state lost a buffered row")
	}
	b := v.(*ijBucket)
	if cd.idx >= len(b.Matched) || b.Matched[cd.idx] {
		return nil
	}
	b.Matched[cd.idx] = true
	if err := s.rows.Put(key, cd.mk, b); err != nil {
		return fmt.Errorf("cannot write interval join state: %w", err)
	}
	return nil
}

// store buffers an arriving row under its key and time, registering the bucket's cleanup
// timer when the bucket is new.
func (j *intervalJoin) store(s *ijSide, c *chunk.Chunk, a *ijArrival) error {
	key := j.keyArena[a.key[0]:a.key[1]]
	// One allocation holds the map key (the time) and the encoded row.
	j.rowBuf = ijTimeKey(j.rowBuf[:0], a.time)
	j.rowBuf = chunk.EncodeKey(j.rowBuf, c, s.all, a.row)
	both := string(j.rowBuf)
	mk, row := both[:8], both[8:]
	v, ok, err := s.rows.Get(key, mk)
	if err != nil {
		return fmt.Errorf("cannot read interval join state: %w", err)
	}
	var b *ijBucket
	if ok {
		b = v.(*ijBucket)
		b.Rows = append(b.Rows, row)
		if s.outer {
			b.Matched = append(b.Matched, a.matched)
		}
	} else {
		// Most buckets hold one row: allocate it with the bucket.
		nb := &ijBucketOne{}
		nb.rows[0], nb.matched[0] = row, a.matched
		b = &nb.ijBucket
		b.Rows = nb.rows[:]
		if s.outer {
			b.Matched = nb.matched[:]
		}
		if j.spec.ProcTime {
			j.ctx.Timers.RegisterProcessingTime(key, a.expiration)
		} else {
			j.ctx.Timers.RegisterEventTime(key, a.expiration)
		}
	}
	if err := s.rows.Put(key, mk, b); err != nil {
		return fmt.Errorf("cannot write interval join state: %w", err)
	}
	return nil
}

// OnTimer drops the buckets of both sides that expire at the timer's time, emitting their
// unmatched rows NULL-padded on an outer side.
func (j *intervalJoin) OnTimer(t exec.Timer) error {
	for input := range j.sides {
		if err := j.expire(input, t.Key, j.rowTimeAt(input, t.Time)); err != nil {
			return err
		}
	}
	if t.Domain == exec.ProcessingTime || j.pads.Len() >= ijFlushRows {
		return j.flushPads()
	}
	return nil
}

func (j *intervalJoin) expire(input int, key []byte, t int64) error {
	s := &j.sides[input]
	j.mkBuf = ijTimeKey(j.mkBuf[:0], t)
	mk := string(j.mkBuf)
	v, ok, err := s.rows.Get(key, mk)
	if err != nil {
		return fmt.Errorf("cannot read interval join state: %w", err)
	}
	if !ok {
		return nil
	}
	if s.outer {
		b := v.(*ijBucket)
		for i, r := range b.Rows {
			if b.Matched[i] {
				continue
			}
			if input == 0 {
				err = j.pads.AppendNullRight(chunk.Insert, nil, 0, ijBytes(r))
			} else {
				err = j.pads.AppendNullLeft(chunk.Insert, nil, 0, ijBytes(r))
			}
			if err != nil {
				return err
			}
		}
	}
	if err := s.rows.Delete(key, mk); err != nil {
		return fmt.Errorf("cannot clear interval join state: %w", err)
	}
	return nil
}

func (j *intervalJoin) flushPads() error {
	if j.pads.Len() == 0 {
		return nil
	}
	out := j.pads.Chunk()
	j.pads.Reset()
	return j.ctx.Emit(out)
}

func (j *intervalJoin) ProcessWatermark(int64) error { return j.flushPads() }

func (j *intervalJoin) Finish() error { return j.flushPads() }

func (j *intervalJoin) Close() error { return nil }
