package agg

import (
	"fmt"
	"maps"
	"math"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

type fnKind uint8

const (
	fnCount fnKind = iota
	fnSum
	fnAvg
	fnMin
	fnMax
	fnFirst
	fnLast
)

var fnKinds = map[string]fnKind{
	Count: fnCount, Sum: fnSum, Avg: fnAvg, Min: fnMin, Max: fnMax, FirstValue: fnFirst, LastValue: fnLast,
}

// fn is one compiled call and where its state lives in Accumulators.
type fn struct {
	kind    fnKind
	call    Call
	argType types.Type     // the single argument's type (all but COUNT)
	argTs   []types.Type   // {argType}, for key encoding
	phys    types.Physical // argType's storage class
	arg     int            // the single argument's column (all but COUNT), or -1
	retract bool           // keeps what it needs to retract (not InsertOnly)
	set     int            // distinct set, or -1
	slot    int            // position within the distinct set's counts

	n   int // the word of N
	val int // the first word of the value, or -1
	seq int // the word of the value's arrival sequence (insert-only FIRST/LAST), or -1
	dat int // the value's index in Extra.Datums, or -1
	ext int // index in Extra.Multisets (MIN, MAX) or Extra.Ordered (FIRST, LAST) when retracting, or -1
}

// distinctSet is a group of DISTINCT calls over the same argument columns, sharing one map of
// seen values with one count per call (as Flink shares distinct state between aggregates that
// differ only in FILTER).
type distinctSet struct {
	cols    []int
	types   []types.Type
	members []int
	ints    bool // one integer-class column: values are keyed by their int64
}

// Aggregator computes a list of aggregate calls over the rows of one group. It holds no
// group state: that lives in Accumulators, which the caller stores. An Aggregator is used by
// one goroutine.
type Aggregator struct {
	fns   []fn
	plain []int // the calls that are not DISTINCT
	sets  []distinctSet

	// The layout of Accumulators: how many words, and how many entries of each slice of Extra.
	words                      int
	datums, multisets, ordered int
	extra                      bool

	// seq orders FIRST_VALUE/LAST_VALUE arrivals across all groups of this Aggregator.
	seq int64
	// keyBuf encodes MIN/MAX multiset values, distKey DISTINCT values (a DISTINCT call's
	// update may encode a multiset value while its set's key is still needed).
	keyBuf, distKey []byte
	one             [1]chunk.Datum
}

// New compiles calls over an input with the given column types. It validates every call
// (argument columns and types, FILTER column, result type).
func New(calls []Call, input []types.Type) (*Aggregator, error) {
	a := &Aggregator{}
	for i, c := range calls {
		c.Name = strings.ToUpper(c.Name)
		if err := c.validate(input); err != nil {
			return nil, err
		}
		f := fn{kind: fnKinds[c.Name], call: c, retract: !c.InsertOnly, set: -1, arg: -1, val: -1, seq: -1, dat: -1, ext: -1}
		if len(c.ArgTypes) > 0 {
			f.argType = c.ArgTypes[0]
			f.argTs = c.ArgTypes[:1]
			f.phys = f.argType.Kind.Physical()
			f.arg = c.Args[0]
		}
		a.layout(&f)
		if c.Distinct {
			for si := range a.sets {
				if equalInts(a.sets[si].cols, c.Args) {
					f.set = si
					break
				}
			}
			if f.set < 0 {
				a.sets = append(a.sets, distinctSet{cols: c.Args, types: c.ArgTypes,
					ints: len(c.Args) == 1 && c.ArgTypes[0].Kind.Physical() == types.PhysInt64})
				f.set = len(a.sets) - 1
			}
			f.slot = len(a.sets[f.set].members)
			a.sets[f.set].members = append(a.sets[f.set].members, i)
		} else {
			a.plain = append(a.plain, i)
		}
		a.fns = append(a.fns, f)
	}
	a.extra = a.datums > 0 || a.multisets > 0 || a.ordered > 0 || len(a.sets) > 0
	return a, nil
}

// layout places call f's state in the Accumulators.
func (a *Aggregator) layout(f *fn) {
	f.n = a.words
	a.words++
	place := func() {
		if w := valueWords(f.phys); w > 0 {
			f.val = a.words
			a.words += w
		} else {
			f.dat = a.datums
			a.datums++
		}
	}
	switch f.kind {
	case fnSum, fnAvg:
		place()
	case fnMin, fnMax:
		place()
		if f.retract {
			f.ext = a.multisets
			a.multisets++
		}
	case fnFirst, fnLast:
		if f.retract {
			f.ext = a.ordered
			a.ordered++
			return
		}
		f.seq = a.words
		a.words++
		place()
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// NumCalls returns the number of calls.
func (a *Aggregator) NumCalls() int { return len(a.fns) }

// ResultTypes returns the calls' result types.
func (a *Aggregator) ResultTypes() []types.Type {
	ts := make([]types.Type, len(a.fns))
	for i, f := range a.fns {
		ts[i] = f.call.Result
	}
	return ts
}

// passes reports whether row passes call f's FILTER.
func passes(f *fn, c *chunk.Chunk, row int) bool {
	if f.call.Filter < 0 {
		return true
	}
	v := c.Cols[f.call.Filter]
	return !v.IsNull(row) && v.I64[row] != 0
}

// anyNull reports whether any of cols is NULL in row.
func anyNull(c *chunk.Chunk, cols []int, row int) bool {
	for _, j := range cols {
		if c.Cols[j].IsNull(row) {
			return true
		}
	}
	return false
}

// Add accumulates (retract false) or retracts (retract true) row of c into acc.
func (a *Aggregator) Add(acc *Accumulators, c *chunk.Chunk, row int, retract bool) error {
	if retract {
		acc.Rows--
	} else {
		acc.Rows++
	}
	for si := range a.sets {
		if err := a.addDistinct(acc, si, c, row, retract); err != nil {
			return err
		}
	}
	for _, i := range a.plain {
		f := &a.fns[i]
		if !passes(f, c, row) {
			continue
		}
		if err := a.addRow(f, acc, c, row, retract); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aggregator) addDistinct(acc *Accumulators, si int, c *chunk.Chunk, row int, retract bool) error {
	set := &a.sets[si]
	if anyNull(c, set.cols, row) {
		return nil
	}
	any := false
	for _, ci := range set.members {
		if passes(&a.fns[ci], c, row) {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	dv := &acc.Extra.Distinct[si]
	m := len(set.members)
	var (
		ik    int64
		slot  int
		found bool
	)
	if set.ints {
		ik = c.Cols[set.cols[0]].I64[row]
		slot, found = dv.Ints[ik]
	} else {
		a.distKey = chunk.EncodeKey(a.distKey[:0], c, set.cols, row)
		slot, found = dv.Keys[string(a.distKey)]
	}
	if !found {
		if retract {
			return nil // retraction of a value never seen: nothing to take back
		}
		slot = dv.alloc(m)
		if set.ints {
			if dv.Ints == nil {
				dv.Ints = map[int64]int{}
			}
			dv.Ints[ik] = slot
		} else {
			if dv.Keys == nil {
				dv.Keys = map[string]int{}
			}
			dv.Keys[string(a.distKey)] = slot
		}
	}
	counts := dv.Counts[slot*m : (slot+1)*m : (slot+1)*m]
	for s, ci := range set.members {
		f := &a.fns[ci]
		if !passes(f, c, row) {
			continue
		}
		if !retract {
			counts[s]++
			if counts[s] == 1 {
				if err := a.addRow(f, acc, c, row, false); err != nil {
					return err
				}
			}
			continue
		}
		if counts[s] <= 0 {
			continue
		}
		counts[s]--
		if counts[s] == 0 {
			if err := a.addRow(f, acc, c, row, true); err != nil {
				return err
			}
		}
	}
	for _, n := range counts {
		if n != 0 {
			return nil
		}
	}
	if set.ints {
		delete(dv.Ints, ik)
	} else {
		delete(dv.Keys, string(a.distKey))
	}
	dv.release(slot)
	return nil
}

// addRow applies row's argument to one call's state.
func (a *Aggregator) addRow(f *fn, acc *Accumulators, c *chunk.Chunk, row int, retract bool) error {
	w := acc.Words
	if f.kind == fnCount {
		if anyNull(c, f.call.Args, row) {
			return nil
		}
		if retract {
			w[f.n]--
		} else {
			w[f.n]++
		}
		return nil
	}
	col := c.Cols[f.arg]
	if col.IsNull(row) {
		return nil
	}
	if f.phys == types.PhysInt64 {
		// The common integer cases, without building a Datum.
		x := col.I64[row]
		switch f.kind {
		case fnSum, fnAvg:
			// Integer sums wrap like Java's long arithmetic; results are narrowed when read.
			if retract {
				w[f.n]--
				w[f.val] -= x
			} else {
				w[f.n]++
				w[f.val] += x
			}
			return nil
		case fnMin, fnMax:
			if !f.retract && !retract {
				if w[f.n] == 0 || (f.kind == fnMin && x < w[f.val]) || (f.kind == fnMax && x > w[f.val]) {
					w[f.val] = x
				}
				w[f.n]++
				return nil
			}
		}
	}
	return a.apply(f, acc, col.Get(row), retract)
}

// apply accumulates or retracts one non-NULL argument value d.
func (a *Aggregator) apply(f *fn, acc *Accumulators, d chunk.Datum, retract bool) error {
	w := acc.Words
	switch f.kind {
	case fnCount:
		if retract {
			w[f.n]--
		} else {
			w[f.n]++
		}
	case fnSum, fnAvg:
		if retract {
			w[f.n]--
		} else {
			w[f.n]++
		}
		return a.addSum(f, acc, d, retract)
	case fnMin, fnMax:
		if !f.retract {
			if retract {
				return fmt.Errorf("cannot retract from insert-only %s", f.call)
			}
			if w[f.n] == 0 || a.better(f, d, f.value(acc)) {
				f.setValue(acc, d)
			}
			w[f.n]++
			return nil
		}
		a.applyMultiset(f, acc, d, retract)
	case fnFirst, fnLast:
		if !f.retract {
			if retract {
				return fmt.Errorf("cannot retract from insert-only %s", f.call)
			}
			a.seq++
			if w[f.n] == 0 || f.kind == fnLast {
				f.setValue(acc, d)
				w[f.seq] = a.seq
			}
			w[f.n]++
			return nil
		}
		ord := &acc.Extra.Ordered[f.ext]
		if !retract {
			a.seq++
			*ord = append(*ord, Ordered{Seq: a.seq, V: d})
			w[f.n]++
			return nil
		}
		// Take back the earliest occurrence of d, as Flink does.
		o := *ord
		for i := range o {
			if compare(f.argType, o[i].V, d) == 0 {
				copy(o[i:], o[i+1:])
				o[len(o)-1] = Ordered{} // drop the references the backing array holds past the end
				*ord = o[:len(o)-1]
				w[f.n]--
				break
			}
		}
	}
	return nil
}

// addSum adds d to (or subtracts it from) the running sum of SUM or AVG call f; N is the
// caller's.
func (a *Aggregator) addSum(f *fn, acc *Accumulators, d chunk.Datum, retract bool) error {
	w := acc.Words
	switch f.phys {
	case types.PhysInt64:
		// Integer sums wrap like Java's long arithmetic; results are narrowed when read.
		if retract {
			w[f.val] -= d.I
		} else {
			w[f.val] += d.I
		}
	case types.PhysFloat64:
		s := math.Float64frombits(uint64(w[f.val]))
		if retract {
			s -= d.F
		} else {
			s += d.F
		}
		if f.kind == fnSum && f.argType.Kind == types.Float {
			s = float64(float32(s))
		}
		w[f.val] = int64(math.Float64bits(s))
	case types.PhysDecimal:
		sum := types.Decimal128{Hi: w[f.val], Lo: uint64(w[f.val+1])}
		var ok bool
		if retract {
			sum, ok = sum.Sub(d.D)
		} else {
			sum, ok = sum.Add(d.D)
		}
		if !ok || !sum.FitsPrecision(types.MaxDecimalPrecision) {
			return fmt.Errorf("numeric overflow in %s: the sum exceeds DECIMAL(%d, %d)", f.call, types.MaxDecimalPrecision, f.argType.Scale)
		}
		w[f.val], w[f.val+1] = sum.Hi, int64(sum.Lo)
	}
	return nil
}

func (a *Aggregator) encode(f *fn, d chunk.Datum) []byte {
	a.one[0] = d
	a.keyBuf = chunk.EncodeDatums(a.keyBuf[:0], f.argTs, a.one[:])
	return a.keyBuf
}

// applyMultiset accumulates or retracts d in a MIN or MAX with retraction.
func (a *Aggregator) applyMultiset(f *fn, acc *Accumulators, d chunk.Datum, retract bool) {
	ms := &acc.Extra.Multisets[f.ext]
	w := acc.Words
	var (
		k []byte
		e Counted // the entry of d in Keys; it keeps the first copy of the value
		n int64
	)
	if f.phys == types.PhysInt64 {
		n = ms.Ints[d.I]
	} else {
		k = a.encode(f, d)
		var ok bool
		if e, ok = ms.Keys[string(k)]; !ok {
			e.V = d
		}
		n = e.N
	}
	if retract {
		n--
		w[f.n]--
	} else {
		n++
		w[f.n]++
	}
	if n == 0 {
		// The last copy is gone, or an insertion cancels an earlier retraction of a value
		// never accumulated.
		if f.phys == types.PhysInt64 {
			delete(ms.Ints, d.I)
		} else {
			delete(ms.Keys, string(k))
		}
	} else if f.phys == types.PhysInt64 {
		if ms.Ints == nil {
			ms.Ints = map[int64]int64{}
		}
		ms.Ints[d.I] = n
	} else {
		if ms.Keys == nil {
			ms.Keys = map[string]Counted{}
		}
		e.N = n
		ms.Keys[string(k)] = e
	}
	switch {
	case !retract && n != 0 && (w[f.n] == 1 || a.better(f, d, f.value(acc))):
		f.setValue(acc, d)
	case retract && n == 0 && compare(f.argType, d, f.value(acc)) == 0:
		a.recomputeExtreme(f, acc)
	}
}

// recomputeExtreme rescans the multiset after the extreme value's last copy was retracted.
func (a *Aggregator) recomputeExtreme(f *fn, acc *Accumulators) {
	ms := &acc.Extra.Multisets[f.ext]
	found := false
	var best chunk.Datum
	for v, n := range ms.Ints {
		if n > 0 && (!found || a.better(f, chunk.Datum{I: v}, best)) {
			best, found = chunk.Datum{I: v}, true
		}
	}
	for _, e := range ms.Keys {
		if e.N > 0 && (!found || a.better(f, e.V, best)) {
			best, found = e.V, true
		}
	}
	f.setValue(acc, best)
}

// better reports whether d beats the current extreme cur for MIN or MAX.
func (a *Aggregator) better(f *fn, d, cur chunk.Datum) bool {
	c := compare(f.argType, d, cur)
	if f.kind == fnMin {
		return c < 0
	}
	return c > 0
}

// compare orders two non-NULL values of type t.
func compare(t types.Type, x, y chunk.Datum) int {
	switch t.Kind.Physical() {
	case types.PhysInt64:
		return cmpOrdered(x.I, y.I)
	case types.PhysFloat64:
		return cmpOrdered(x.F, y.F)
	case types.PhysDecimal:
		return x.D.Cmp(y.D)
	case types.PhysString:
		return strings.Compare(x.S, y.S)
	case types.PhysMap:
		if maps.Equal(x.M, y.M) {
			return 0
		}
		return 1
	}
	return 0
}

func cmpOrdered[T int64 | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
