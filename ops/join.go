package ops

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// JoinSpec configures a regular join of two inputs (0 = left, 1 = right).
type JoinSpec struct {
	Type                  JoinType // InnerJoin, LeftJoin, RightJoin, FullJoin (ops/joincommon.go)
	LeftTypes, RightTypes []types.Type
	// LeftKeys[i] = RightKeys[i] are the equi-join conditions. They may be empty: then every row
	// has the same (empty) key and the planner runs the join at parallelism 1.
	LeftKeys, RightKeys []int
	// Residual is a BOOLEAN condition over the output row (left columns, then right columns) that a
	// pair must also satisfy (TRUE; NULL or FALSE rejects); nil means none.
	Residual expr.Expr
	// LeftUniqueKey / RightUniqueKey: columns of that input that identify a row (its upsert key or
	// primary key), nil when unknown. With a unique key, that side's state holds one row per
	// unique key: an +I/+U for a unique key replaces the stored row (Flink's "input side has unique key").
	LeftUniqueKey, RightUniqueKey []int
	// LeftInsertOnly / RightInsertOnly declare that an input never retracts (a retraction is then an error naming the row).
	LeftInsertOnly, RightInsertOnly bool
	// LeftStateTTL / RightStateTTL: when positive, a side's row is forgotten that long after it was last written (table.exec.state.ttl or the STATE_TTL hint). Any duration (years) must work.
	LeftStateTTL, RightStateTTL time.Duration
}

// NewJoin returns a factory of join operators, one per subtask. Output columns: left columns then right columns.
//
// The operator follows Flink's StreamingJoinOperator. Both inputs must be hash-partitioned by
// their join key; each side keeps its rows in keyed state under the encoded join key
// (chunk.EncodeKey of the key columns). A row of either input is stored in its side's state
// and probed against the other side's rows of the same join key; every pair that also
// satisfies the residual condition is emitted. Accumulations (+I, +U) emit +I rows and
// retractions (-U, -D) emit -D rows, so the output is a retract changelog; an inner join of
// two insert-only inputs emits only +I.
//
// Outer joins: a row of an outer side without a match is emitted padded with NULLs, and its
// stored state counts its matches (Flink's OuterJoinRecordStateView); when its first match
// arrives the padded row is retracted (-D) before the joined row is emitted, and when its last
// match is retracted the padded row is emitted again (+I) after the joined row's -D.
//
// NULL keys: a row whose join key contains a NULL never matches (SQL equality). On an outer
// side it is stored, emitted NULL-padded and retracted like any other unmatched row; on an
// inner side it can never produce output and is dropped without touching state.
//
// Unique keys: a side with a unique key keeps one row per unique key. An accumulation for a
// unique key already stored under the same join key replaces the stored row; on an input that
// may retract this is an upsert and is handled as a retraction of the stored row followed by
// the accumulation, so the output stays consistent. On an insert-only input the stored row is
// replaced silently (as Flink does), so that such a join never retracts. A previous row of the
// unique key stored under another join key cannot be seen (it may live in another subtask):
// Flink requires retract (not upsert) inputs for regular joins for that reason.
//
// Retractions of rows that are not in state (never seen, or expired) are ignored and counted
// (see IgnoredRetractions), with one warning in the log. Rows expire from state, without any
// output, LeftStateTTL / RightStateTTL after they were last written.
func NewJoin(spec JoinSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		if err := rjValidate(&spec); err != nil {
			return nil, err
		}
		j := &regularJoin{spec: spec}
		j.outTypes = append(append(make([]types.Type, 0, len(spec.LeftTypes)+len(spec.RightTypes)), spec.LeftTypes...), spec.RightTypes...)
		j.sides[0] = rjNewSide(0, spec.LeftTypes, spec.LeftKeys, spec.LeftUniqueKey, spec.LeftInsertOnly, spec.Type.LeftOuter(), spec.LeftStateTTL, 0)
		j.sides[1] = rjNewSide(1, spec.RightTypes, spec.RightKeys, spec.RightUniqueKey, spec.RightInsertOnly, spec.Type.RightOuter(), spec.RightStateTTL, len(spec.LeftTypes))
		return j, nil
	}
}

// rjValidate checks a JoinSpec.
func rjValidate(spec *JoinSpec) error {
	if spec.Type > FullJoin {
		return fmt.Errorf("unknown join type %d", spec.Type)
	}
	if len(spec.LeftKeys) != len(spec.RightKeys) {
		return fmt.Errorf("join keys do not pair up: %d left key columns, %d right key columns", len(spec.LeftKeys), len(spec.RightKeys))
	}
	check := func(what string, cols []int, ts []types.Type) error {
		for _, c := range cols {
			if c < 0 || c >= len(ts) {
				return fmt.Errorf("join %s column %d does not exist (the input has %d columns)", what, c, len(ts))
			}
		}
		return nil
	}
	for _, err := range []error{
		check("left key", spec.LeftKeys, spec.LeftTypes),
		check("right key", spec.RightKeys, spec.RightTypes),
		check("left unique key", spec.LeftUniqueKey, spec.LeftTypes),
		check("right unique key", spec.RightUniqueKey, spec.RightTypes),
	} {
		if err != nil {
			return err
		}
	}
	// Equal values must encode to equal keys on both sides.
	for i := range spec.LeftKeys {
		lt, rt := spec.LeftTypes[spec.LeftKeys[i]], spec.RightTypes[spec.RightKeys[i]]
		if lt.Kind.Physical() != rt.Kind.Physical() || (lt.Kind == types.Decimal) != (rt.Kind == types.Decimal) ||
			(lt.Kind == types.Decimal && lt.Scale != rt.Scale) {
			return fmt.Errorf("join key %d compares %s with %s: both sides must be cast to a common type", i+1, lt, rt)
		}
	}
	if spec.Residual != nil && spec.Residual.Type().Kind != types.Boolean {
		return fmt.Errorf("join condition must be BOOLEAN, not %s", spec.Residual.Type())
	}
	return nil
}

// rjView is how one side of a join keeps its rows under a join key.
type rjView uint8

const (
	// rjViewRows: a map state from the encoded row to its number of duplicates, an int64, or an
	// rjCounts on an outer side. Duplicates share one entry, so a row updated many times (as
	// -U/+U pairs) never holds more than one entry per live row.
	rjViewRows rjView = iota
	// rjViewUnique: a map state from the encoded unique key to an rjRecord.
	rjViewUnique
	// rjViewOne: a value state holding one rjRecord, when the unique key is part of the join key
	// (so a join key has at most one row).
	rjViewOne
	// rjViewList: a list state of encoded rows, for an insert-only inner side without a unique
	// key. Appending is cheaper than counting duplicates in a map (no lookup of the whole row, no
	// per-key map), and an insert-only side never needs to find a row again: it neither retracts
	// nor, being inner, keeps association counts.
	rjViewList
)

// rjCounts is the value of a row of an outer side in rjViewRows: its number of duplicates and
// the number of rows of the other side it currently joins with (with multiplicity).
type rjCounts struct {
	Count, Assoc int64
}

// rjRecord is the value of a row in rjViewUnique and rjViewOne: the encoded row and, on an outer
// side, the number of rows of the other side it currently joins with.
type rjRecord struct {
	Row   string
	Assoc int64
}

// rjSide is the static description and the state of one input.
type rjSide struct {
	input      int
	name       string // "left" or "right"
	types      []types.Type
	keys       []int
	allCols    []int
	unique     []int
	insertOnly bool
	outer      bool
	ttl        time.Duration
	off        int // first output column of this side
	view       rjView

	value state.ValueState
	m     state.MapState
	list  state.ListState
}

func rjNewSide(input int, ts []types.Type, keys, unique []int, insertOnly, outer bool, ttl time.Duration, off int) *rjSide {
	s := &rjSide{input: input, name: [2]string{"left", "right"}[input], types: ts, keys: keys,
		unique: unique, insertOnly: insertOnly, outer: outer, ttl: ttl, off: off}
	s.allCols = make([]int, len(ts))
	for i := range s.allCols {
		s.allCols[i] = i
	}
	switch {
	case len(unique) > 0 && rjContainsAll(keys, unique):
		s.view = rjViewOne
	case len(unique) > 0:
		s.view = rjViewUnique
	case insertOnly && !outer:
		s.view = rjViewList
	default:
		s.view = rjViewRows
	}
	return s
}

// rjContainsAll reports whether every column of sub is in set.
func rjContainsAll(set, sub []int) bool {
	for _, c := range sub {
		found := false
		for _, k := range set {
			if k == c {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// rjCand is a row of the probed side that shares the probing row's join key.
type rjCand struct {
	mk  string // its map key in the probed side's map state ("" for value and list views)
	row string // the encoded row
	n   int64  // its number of duplicates
}

// rjRowInfo locates what phase one computed for row i of a chunk: its join key is
// keyArena[rows[i-1].keyEnd:rows[i].keyEnd] and its candidates cands[rows[i-1].candEnd:
// rows[i].candEnd].
type rjRowInfo struct {
	keyEnd, candEnd int
	nullKey         bool
}

// rjMatches is the candidates of one probing row with the residual's verdict: cands[k]
// qualifies when ok is nil or ok[k]; when pairs is non-nil, its row base+k already holds the
// joined output row of cands[k].
type rjMatches struct {
	cands []rjCand
	ok    []bool
	pairs *chunk.Chunk
	base  int
}

// rjRow is a row of the side being processed: row i of chunk c, or an encoded row when c is nil.
type rjRow struct {
	c   *chunk.Chunk
	i   int
	enc string
}

// regularJoin is one subtask of a regular join.
type regularJoin struct {
	spec     JoinSpec
	outTypes []types.Type
	sides    [2]*rjSide
	ctx      *exec.Context

	// pairs holds the candidate pairs of a whole chunk for the residual; slow those of a row
	// whose stored version differs from the input row (upserts). Both are nil without residual.
	pairs, slow *pairBuffer

	out      *chunk.Chunk
	keyArena []byte
	rowBuf   []byte
	ukBuf    []byte
	rows     []rjRowInfo
	cands    []rjCand
	collectF func(mk string, v any) bool // j.collect, bound once
	probeErr error                       // set by collect

	// decoded caches, per side and for one input chunk, the stored rows decoded for output, by
	// the address of their encoding (strings are immutable, and the cache keeps them alive): a row that joins many input rows of a chunk (a hot key) is
	// decoded once and then copied, which allocates nothing.
	decoded [2]rjDecoded

	ignored int64
}

// rjDecoded is a cache of decoded rows of one side.
type rjDecoded struct {
	rows  *chunk.Chunk
	index map[rjRowAddr]int32
}

// rjRowAddr identifies an encoded row by its bytes' address and length.
type rjRowAddr struct {
	p *byte
	n int
}

// reset empties the cache, keeping its memory.
func (d *rjDecoded) reset() {
	if d.rows == nil || d.rows.Len() == 0 {
		return
	}
	clear(d.index)
	d.rows.Kinds = d.rows.Kinds[:0]
	for _, v := range d.rows.Cols {
		if v.Nulls != nil {
			v.Nulls = v.Nulls[:0]
		}
		v.I64, v.F64, v.Dec, v.Str, v.Maps = v.I64[:0], v.F64[:0], v.Dec[:0], v.Str[:0], v.Maps[:0]
	}
}

// rjClearPairs empties a pair buffer that holds rows.
func rjClearPairs(p *pairBuffer) {
	if p.Len() > 0 {
		p.Reset()
	}
}

// IgnoredRetractions returns how many retractions arrived for rows that were not in state.
func (j *regularJoin) IgnoredRetractions() int64 { return j.ignored }

func (j *regularJoin) Open(ctx *exec.Context) error {
	j.ctx = ctx
	for _, s := range j.sides {
		d := state.Descriptor{Name: "join-" + s.name, TTL: s.ttl, Codec: rowStateCodec{}}
		var err error
		switch s.view {
		case rjViewOne:
			s.value, err = ctx.State.Value(d)
		case rjViewList:
			s.list, err = ctx.State.List(d)
		default:
			s.m, err = ctx.State.Map(d)
		}
		if err != nil {
			return fmt.Errorf("cannot create join state of the %s input: %w", s.name, err)
		}
	}
	if j.spec.Residual != nil {
		for _, p := range []**pairBuffer{&j.pairs, &j.slow} {
			var err error
			if *p, err = newPairBuffer(j.spec.LeftTypes, j.spec.RightTypes, j.spec.Residual, ctx); err != nil {
				return err
			}
		}
	}
	j.collectF = j.collect
	for i, s := range j.sides {
		j.decoded[i] = rjDecoded{rows: chunk.New(s.types, 64), index: map[rjRowAddr]int32{}}
	}
	return nil
}

// rjBytes returns the bytes of s without copying; they must not be modified.
func rjBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (j *regularJoin) ProcessChunk(input int, c *chunk.Chunk) error {
	if input != 0 && input != 1 {
		return fmt.Errorf("join has two inputs, not input %d", input)
	}
	s, o := j.sides[input], j.sides[1-input]
	if s.insertOnly {
		for i, k := range c.Kinds {
			if k.IsRetract() {
				return fmt.Errorf("join received a %s row (%s) on its %s input, which was declared insert-only", k, c.FormatRow(i), s.name)
			}
		}
	}
	n := c.Len()

	// Phase one: encode the join keys and collect, for each row, the rows of the other side
	// with the same key. The other side does not change while this chunk is processed (only its
	// association counts do, and those are read again when updated), so all rows can be probed
	// before any is applied, and the residual evaluated over all candidate pairs at once.
	j.keyArena = j.keyArena[:0]
	j.rows = j.rows[:0]
	j.cands = j.cands[:0]
	for i := 0; i < n; i++ {
		keyStart := len(j.keyArena)
		j.keyArena = chunk.EncodeKey(j.keyArena, c, s.keys, i)
		info := rjRowInfo{keyEnd: len(j.keyArena)}
		for _, k := range s.keys {
			if c.Cols[k].IsNull(i) {
				info.nullKey = true
				break
			}
		}
		if !info.nullKey {
			start := len(j.cands)
			if err := j.probe(o, j.keyArena[keyStart:]); err != nil {
				return err
			}
			if j.pairs != nil {
				for k := start; k < len(j.cands); k++ {
					if err := j.appendPair(j.pairs, s, rjRow{c: c, i: i}, &j.cands[k]); err != nil {
						return err
					}
				}
			}
		}
		info.candEnd = len(j.cands)
		j.rows = append(j.rows, info)
	}
	var ok []bool
	if j.pairs != nil {
		var err error
		if ok, err = j.pairs.Qualifying(); err != nil {
			return fmt.Errorf("cannot evaluate join condition %s: %w", j.spec.Residual, err)
		}
	}

	// Phase two: apply the rows in order.
	j.out = chunk.New(j.outTypes, j.outCapacity(s, o, n))
	keyStart, candStart := 0, 0
	for i := 0; i < n; i++ {
		info := j.rows[i]
		key := j.keyArena[keyStart:info.keyEnd:info.keyEnd]
		ms := rjMatches{cands: j.cands[candStart:info.candEnd]}
		if j.pairs != nil {
			ms.ok, ms.pairs, ms.base = ok[candStart:info.candEnd], j.pairs.Chunk(), candStart
		}
		if err := j.processRow(s, o, c, i, key, info.nullKey, ms); err != nil {
			return err
		}
		keyStart, candStart = info.keyEnd, info.candEnd
	}
	clear(j.cands) // drop references to rows that may leave state
	j.decoded[0].reset()
	j.decoded[1].reset()
	if j.pairs != nil {
		rjClearPairs(j.pairs)
	}
	out := j.out
	j.out = nil
	if out.Len() == 0 {
		return nil
	}
	return j.ctx.Emit(out)
}

// outCapacity estimates the output rows of a chunk of n rows of side s: exact for an inner join
// of an insert-only side without residual (one row per candidate), an upper bound of the common
// cases otherwise (outer rows also emit a padded row or retract one per candidate, upserts
// retract the old row's output). The output grows beyond it when needed.
func (j *regularJoin) outCapacity(s, o *rjSide, n int) int {
	var pairs int64
	for i := range j.cands {
		pairs += j.cands[i].n
	}
	if o.outer {
		pairs *= 2
	}
	if !s.insertOnly && s.view != rjViewRows {
		pairs *= 2
	}
	if s.outer {
		pairs += int64(n)
	}
	return int(min(pairs, 1<<16))
}

// probe appends the rows of side o stored under key to j.cands.
func (j *regularJoin) probe(o *rjSide, key []byte) error {
	switch o.view {
	case rjViewList:
		vs, err := o.list.Get(key)
		if err != nil {
			return fmt.Errorf("cannot read join state of the %s input: %w", o.name, err)
		}
		for _, v := range vs {
			row, ok := v.(string)
			if !ok {
				return fmt.Errorf("join state of the %s input holds a %T, not an encoded row", o.name, v)
			}
			j.cands = append(j.cands, rjCand{row: row, n: 1})
		}
	case rjViewOne:
		v, ok, err := o.value.Get(key)
		if err != nil {
			return fmt.Errorf("cannot read join state of the %s input: %w", o.name, err)
		}
		if ok {
			rec, isRec := v.(rjRecord)
			if !isRec {
				return fmt.Errorf("join state of the %s input holds a %T, not a join record", o.name, v)
			}
			j.cands = append(j.cands, rjCand{row: rec.Row, n: 1})
		}
	default:
		start := len(j.cands)
		if err := o.m.Range(key, j.collectF); err != nil {
			return fmt.Errorf("cannot read join state of the %s input: %w", o.name, err)
		}
		if err := j.probeErr; err != nil {
			j.probeErr = nil
			return fmt.Errorf("join state of the %s input is corrupt: %w", o.name, err)
		}
		// Map states iterate in no particular order: sort, so that the output is deterministic.
		if cs := j.cands[start:]; len(cs) > 1 {
			slices.SortFunc(cs, func(a, b rjCand) int { return strings.Compare(a.mk, b.mk) })
		}
	}
	return nil
}

// collect is the MapState.Range callback of probe.
func (j *regularJoin) collect(mk string, v any) bool {
	switch x := v.(type) {
	case int64:
		j.cands = append(j.cands, rjCand{mk: mk, row: mk, n: x})
	case rjCounts:
		j.cands = append(j.cands, rjCand{mk: mk, row: mk, n: x.Count})
	case rjRecord:
		j.cands = append(j.cands, rjCand{mk: mk, row: x.Row, n: 1})
	default:
		j.probeErr = fmt.Errorf("unexpected value of type %T", v)
		return false
	}
	return true
}

// appendPair appends the candidate pair (r of side s, cd of the other side) to p.
func (j *regularJoin) appendPair(p *pairBuffer, s *rjSide, r rjRow, cd *rjCand) error {
	var renc []byte
	if r.c == nil {
		renc = rjBytes(r.enc)
	}
	if s.input == 0 {
		return p.AppendEncoded(chunk.Insert, r.c, r.i, renc, nil, 0, rjBytes(cd.row))
	}
	return p.AppendEncoded(chunk.Insert, nil, 0, rjBytes(cd.row), r.c, r.i, renc)
}

// processRow applies row i of c, from side s, to the state and appends its output.
func (j *regularJoin) processRow(s, o *rjSide, c *chunk.Chunk, i int, key []byte, nullKey bool, ms rjMatches) error {
	if nullKey && !s.outer {
		return nil // it can never join: nothing to store or emit
	}
	kind := c.Kinds[i]
	j.rowBuf = chunk.EncodeKey(j.rowBuf[:0], c, s.allCols, i)
	in := rjRow{c: c, i: i}
	switch s.view {
	case rjViewList:
		// Insert-only (retractions were rejected) and inner: no association counts.
		if _, err := j.accumulate(s, o, key, in, ms); err != nil {
			return err
		}
		if err := s.list.Add(key, string(j.rowBuf)); err != nil {
			return j.writeErr(s, err)
		}
		return nil
	case rjViewRows:
		return j.processCounted(s, o, key, in, kind, ms)
	}
	return j.processUnique(s, o, c, key, in, kind, ms)
}

// processCounted handles a row of a side whose state counts duplicates of each row.
func (j *regularJoin) processCounted(s, o *rjSide, key []byte, in rjRow, kind chunk.RowKind, ms rjMatches) error {
	mk := string(j.rowBuf)
	v, found, err := s.m.Get(key, mk)
	if err != nil {
		return j.readErr(s, err)
	}
	var cnt rjCounts
	if found {
		switch x := v.(type) {
		case int64:
			cnt.Count = x
		case rjCounts:
			cnt = x
		default:
			return fmt.Errorf("join state of the %s input holds a %T, not a row count", s.name, v)
		}
	}
	if kind.IsRetract() {
		if !found {
			j.ignoreRetraction(s, in)
			return nil
		}
		cnt.Count--
		if cnt.Count <= 0 {
			err = s.m.Delete(key, mk)
		} else {
			err = s.m.Put(key, mk, j.countValue(s, cnt))
		}
		if err != nil {
			return j.writeErr(s, err)
		}
		_, err = j.retract(s, o, key, in, ms)
		return err
	}
	matched, err := j.accumulate(s, o, key, in, ms)
	if err != nil {
		return err
	}
	cnt.Count++
	cnt.Assoc = matched
	if err := s.m.Put(key, mk, j.countValue(s, cnt)); err != nil {
		return j.writeErr(s, err)
	}
	return nil
}

// countValue is what rjViewRows stores for a row: its count alone on an inner side (an int64
// below 256 is stored in an interface without allocating), counts and associations on an outer one.
func (j *regularJoin) countValue(s *rjSide, cnt rjCounts) any {
	if s.outer {
		return cnt
	}
	return cnt.Count
}

// processUnique handles a row of a side with a unique key (rjViewUnique, rjViewOne).
func (j *regularJoin) processUnique(s, o *rjSide, c *chunk.Chunk, key []byte, in rjRow, kind chunk.RowKind, ms rjMatches) error {
	var uk string
	if s.view == rjViewUnique {
		j.ukBuf = chunk.EncodeKey(j.ukBuf[:0], c, s.unique, in.i)
		uk = string(j.ukBuf)
	}
	old, found, err := j.getRecord(s, key, uk)
	if err != nil {
		return err
	}
	if kind.IsRetract() {
		if !found {
			j.ignoreRetraction(s, in)
			return nil
		}
		if err := j.deleteRecord(s, key, uk); err != nil {
			return err
		}
		// The stored row is retracted, as it is what the earlier output was built from.
		return j.retractStored(s, o, key, in, old.Row, ms)
	}
	if found && !s.insertOnly {
		// An upsert: retract the row it replaces first.
		if err := j.retractStored(s, o, key, in, old.Row, ms); err != nil {
			return err
		}
	}
	matched, err := j.accumulate(s, o, key, in, ms)
	if err != nil {
		return err
	}
	rec := rjRecord{Row: old.Row, Assoc: matched}
	if !found || old.Row != string(j.rowBuf) {
		rec.Row = string(j.rowBuf)
	}
	if s.view == rjViewOne {
		err = s.value.Put(key, rec)
	} else {
		err = s.m.Put(key, uk, rec)
	}
	if err != nil {
		return j.writeErr(s, err)
	}
	return nil
}

// retractStored emits the output of retracting the stored row of a unique key; in is the input
// row being processed and ms its matches.
func (j *regularJoin) retractStored(s, o *rjSide, key []byte, in rjRow, stored string, ms rjMatches) error {
	r := in
	if stored != string(j.rowBuf) {
		r = rjRow{enc: stored}
	}
	ms, err := j.matchesFor(s, stored, ms)
	if err != nil {
		return err
	}
	_, err = j.retract(s, o, key, r, ms)
	return err
}

// matchesFor returns the matches of the stored row: those of the input row when they are the
// same row, else the candidates evaluated again against the stored row.
func (j *regularJoin) matchesFor(s *rjSide, stored string, ms rjMatches) (rjMatches, error) {
	if j.slow == nil || stored == string(j.rowBuf) {
		return ms, nil
	}
	rjClearPairs(j.slow)
	sr := rjRow{enc: stored}
	for k := range ms.cands {
		if err := j.appendPair(j.slow, s, sr, &ms.cands[k]); err != nil {
			return ms, err
		}
	}
	ok, err := j.slow.Qualifying()
	if err != nil {
		return ms, fmt.Errorf("cannot evaluate join condition %s: %w", j.spec.Residual, err)
	}
	return rjMatches{cands: ms.cands, ok: ok, pairs: j.slow.Chunk()}, nil
}

// getRecord reads the stored row of a unique key.
func (j *regularJoin) getRecord(s *rjSide, key []byte, uk string) (rjRecord, bool, error) {
	var v any
	var found bool
	var err error
	if s.view == rjViewOne {
		v, found, err = s.value.Get(key)
	} else {
		v, found, err = s.m.Get(key, uk)
	}
	if err != nil || !found {
		return rjRecord{}, false, j.readErr(s, err)
	}
	rec, ok := v.(rjRecord)
	if !ok {
		return rjRecord{}, false, fmt.Errorf("join state of the %s input holds a %T, not a join record", s.name, v)
	}
	return rec, true, nil
}

func (j *regularJoin) deleteRecord(s *rjSide, key []byte, uk string) error {
	var err error
	if s.view == rjViewOne {
		err = s.value.Delete(key)
	} else {
		err = s.m.Delete(key, uk)
	}
	return j.writeErr(s, err)
}

func (j *regularJoin) readErr(s *rjSide, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cannot read join state of the %s input: %w", s.name, err)
}

func (j *regularJoin) writeErr(s *rjSide, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cannot write join state of the %s input: %w", s.name, err)
}

// accumulate emits the output of accumulating r (of side s) and returns the number of rows of
// the other side it joins with.
func (j *regularJoin) accumulate(s, o *rjSide, key []byte, r rjRow, ms rjMatches) (int64, error) {
	var matched int64
	for k := range ms.cands {
		if ms.ok != nil && !ms.ok[k] {
			continue
		}
		cd := &ms.cands[k]
		matched += cd.n
		if o.outer {
			before, err := j.associate(o, key, cd, 1)
			if err != nil {
				return 0, err
			}
			if before == 0 {
				// Its first match: take back the NULL-padded rows it was emitted as.
				for range cd.n {
					if err := j.appendPadded(chunk.Delete, o, rjRow{enc: cd.row}); err != nil {
						return 0, err
					}
				}
			}
		}
		if err := j.appendJoined(chunk.Insert, s, r, cd, ms, k); err != nil {
			return 0, err
		}
	}
	if matched == 0 && s.outer {
		if err := j.appendPadded(chunk.Insert, s, r); err != nil {
			return 0, err
		}
	}
	return matched, nil
}

// retract emits the output of retracting r (of side s) and returns the number of rows of the
// other side it joined with.
func (j *regularJoin) retract(s, o *rjSide, key []byte, r rjRow, ms rjMatches) (int64, error) {
	var matched int64
	for k := range ms.cands {
		if ms.ok != nil && !ms.ok[k] {
			continue
		}
		cd := &ms.cands[k]
		matched += cd.n
		if err := j.appendJoined(chunk.Delete, s, r, cd, ms, k); err != nil {
			return 0, err
		}
		if o.outer {
			before, err := j.associate(o, key, cd, -1)
			if err != nil {
				return 0, err
			}
			if before == 1 {
				// Its last match is gone: emit it NULL-padded again.
				for range cd.n {
					if err := j.appendPadded(chunk.Insert, o, rjRow{enc: cd.row}); err != nil {
						return 0, err
					}
				}
			}
		}
	}
	if matched == 0 && s.outer {
		if err := j.appendPadded(chunk.Delete, s, r); err != nil {
			return 0, err
		}
	}
	return matched, nil
}

// associate adds delta to the association count of the candidate cd of outer side o and
// returns the count before. A candidate that is no longer in state (expired) returns -1.
func (j *regularJoin) associate(o *rjSide, key []byte, cd *rjCand, delta int64) (int64, error) {
	var before int64
	var err error
	switch o.view {
	case rjViewRows:
		var v any
		var found bool
		if v, found, err = o.m.Get(key, cd.mk); err != nil || !found {
			return -1, j.readErr(o, err)
		}
		cnt, ok := v.(rjCounts)
		if !ok {
			return 0, fmt.Errorf("join state of the %s input holds a %T, not row counts", o.name, v)
		}
		before = cnt.Assoc
		cnt.Assoc = max(0, before+delta)
		err = o.m.Put(key, cd.mk, cnt)
	case rjViewUnique, rjViewOne:
		rec, found, gerr := j.getRecord(o, key, cd.mk)
		if gerr != nil || !found {
			return -1, gerr
		}
		before = rec.Assoc
		rec.Assoc = max(0, before+delta)
		if o.view == rjViewOne {
			err = o.value.Put(key, rec)
		} else {
			err = o.m.Put(key, cd.mk, rec)
		}
	default:
		return -1, fmt.Errorf("internal error: the %s input of an outer join keeps no association counts", o.name)
	}
	return before, j.writeErr(o, err)
}

// appendJoined appends n copies (the candidate's duplicates) of the joined row of r and cd.
func (j *regularJoin) appendJoined(kind chunk.RowKind, s *rjSide, r rjRow, cd *rjCand, ms rjMatches, k int) error {
	for range cd.n {
		if ms.pairs != nil {
			j.out.AppendFrom(kind, ms.pairs, ms.base+k)
			continue
		}
		j.out.Kinds = append(j.out.Kinds, kind)
		if err := j.appendSide(s, r); err != nil {
			return err
		}
		if err := j.appendSide(j.sides[1-s.input], rjRow{enc: cd.row}); err != nil {
			return err
		}
	}
	return nil
}

// appendPadded appends r of side s with NULLs for the other side's columns.
func (j *regularJoin) appendPadded(kind chunk.RowKind, s *rjSide, r rjRow) error {
	j.out.Kinds = append(j.out.Kinds, kind)
	if err := j.appendSide(s, r); err != nil {
		return err
	}
	o := j.sides[1-s.input]
	for _, v := range j.out.Cols[o.off : o.off+len(o.types)] {
		v.AppendNull()
	}
	return nil
}

// appendSide appends r's values to the output columns of side s.
func (j *regularJoin) appendSide(s *rjSide, r rjRow) error {
	cols := j.out.Cols[s.off : s.off+len(s.types)]
	if r.c != nil {
		for k, v := range cols {
			v.AppendFrom(r.c.Cols[k], r.i)
		}
		return nil
	}
	d := &j.decoded[s.input]
	p := rjRowAddr{unsafe.StringData(r.enc), len(r.enc)}
	at, ok := d.index[p]
	if !ok {
		at = int32(d.rows.Len())
		if err := chunk.AppendDecoded(d.rows.Cols, rjBytes(r.enc)); err != nil {
			d.rows = chunk.New(s.types, 64) // the columns may have different lengths now
			clear(d.index)
			return fmt.Errorf("cannot decode a row of the %s input from join state: %w", s.name, err)
		}
		d.rows.Kinds = append(d.rows.Kinds, chunk.Insert)
		d.index[p] = at
	}
	for k, v := range cols {
		v.AppendFrom(d.rows.Cols[k], int(at))
	}
	return nil
}

func (j *regularJoin) ignoreRetraction(s *rjSide, r rjRow) {
	if j.ignored == 0 {
		j.ctx.Logger.Warn("ignoring retraction of a join row that is not in state (never seen or expired)",
			"node", j.ctx.Node, "subtask", j.ctx.Subtask, "input", s.name, "row", r.c.FormatRow(r.i))
	}
	j.ignored++
}

func (j *regularJoin) ProcessWatermark(int64) error { return nil }

func (j *regularJoin) OnTimer(exec.Timer) error { return nil }

func (j *regularJoin) Finish() error { return nil }

func (j *regularJoin) Close() error {
	if j.ignored > 0 && j.ctx != nil {
		j.ctx.Logger.Warn("ignored retractions of join rows that were not in state", "node", j.ctx.Node,
			"subtask", j.ctx.Subtask, "count", j.ignored)
	}
	return nil
}
