package agg

import (
	"fmt"
	"maps"
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

// fn is one compiled call.
type fn struct {
	kind    fnKind
	call    Call
	argType types.Type   // the single argument's type (all but COUNT)
	argTs   []types.Type // {argType}, for key encoding
	retract bool         // keeps what it needs to retract (not InsertOnly)
	set     int          // distinct set, or -1
	slot    int          // position within the distinct set's counts
}

// distinctSet is a group of DISTINCT calls over the same argument columns, sharing one map of
// seen values with one count per call (as Flink shares distinct state between aggregates that
// differ only in FILTER).
type distinctSet struct {
	cols    []int
	types   []types.Type
	members []int
}

// Aggregator computes a list of aggregate calls over the rows of one group. It holds no
// group state: that lives in Accumulators, which the caller stores. An Aggregator is used by
// one goroutine.
type Aggregator struct {
	fns  []fn
	sets []distinctSet
	// seq orders FIRST_VALUE/LAST_VALUE arrivals across all groups of this Aggregator.
	seq    int64
	keyBuf []byte
	one    [1]chunk.Datum
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
		f := fn{kind: fnKinds[c.Name], call: c, retract: !c.InsertOnly, set: -1}
		if len(c.ArgTypes) > 0 {
			f.argType = c.ArgTypes[0]
			f.argTs = c.ArgTypes[:1]
		}
		if c.Distinct {
			for si := range a.sets {
				if equalInts(a.sets[si].cols, c.Args) {
					f.set = si
					break
				}
			}
			if f.set < 0 {
				a.sets = append(a.sets, distinctSet{cols: c.Args, types: c.ArgTypes})
				f.set = len(a.sets) - 1
			}
			f.slot = len(a.sets[f.set].members)
			a.sets[f.set].members = append(a.sets[f.set].members, i)
		}
		a.fns = append(a.fns, f)
	}
	return a, nil
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

// Accumulators is the state of one group: one Value per call and, per set of DISTINCT
// argument columns, the distinct values seen (key-encoded with chunk.EncodeKey) with one count
// per DISTINCT call over that set.
type Accumulators struct {
	Values   []Value
	Distinct []map[string][]int64
}

// Value is one call's accumulator. Which fields are used depends on the function:
//
//	COUNT           N
//	SUM, AVG        N (non-NULL values), V (the running sum; AVG of FLOAT sums in V.F)
//	MIN, MAX        N, V (the extreme) and, unless insert-only, Multiset
//	FIRST/LAST      N, V and Seq (insert-only) or Ordered (with retraction)
type Value struct {
	N int64
	V chunk.Datum
	// Seq is the arrival sequence of V (insert-only FIRST_VALUE/LAST_VALUE).
	Seq int64
	// Multiset maps each value (key-encoded) to how many times it is present.
	Multiset map[string]*Counted
	// Ordered holds the present values in arrival order.
	Ordered []Ordered
}

// Counted is a value and its multiplicity.
type Counted struct {
	V chunk.Datum
	N int64
}

// Ordered is a value and its arrival sequence.
type Ordered struct {
	Seq int64
	V   chunk.Datum
}

// NewAccumulators returns the accumulators of an empty group.
func (a *Aggregator) NewAccumulators() *Accumulators {
	acc := &Accumulators{Values: make([]Value, len(a.fns))}
	if len(a.sets) > 0 {
		acc.Distinct = make([]map[string][]int64, len(a.sets))
		for i := range acc.Distinct {
			acc.Distinct[i] = map[string][]int64{}
		}
	}
	return acc
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
	for si := range a.sets {
		if err := a.addDistinct(acc, si, c, row, retract); err != nil {
			return err
		}
	}
	for i := range a.fns {
		f := &a.fns[i]
		if f.set >= 0 || !passes(f, c, row) {
			continue
		}
		if err := a.addRow(f, &acc.Values[i], c, row, retract); err != nil {
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
	a.keyBuf = chunk.EncodeKey(a.keyBuf[:0], c, set.cols, row)
	m := acc.Distinct[si]
	counts := m[string(a.keyBuf)]
	if counts == nil {
		if retract {
			return nil // retraction of a value never seen: nothing to take back
		}
		counts = make([]int64, len(set.members))
		m[string(a.keyBuf)] = counts
	}
	for slot, ci := range set.members {
		f := &a.fns[ci]
		if !passes(f, c, row) {
			continue
		}
		if !retract {
			counts[slot]++
			if counts[slot] == 1 {
				if err := a.addRow(f, &acc.Values[ci], c, row, false); err != nil {
					return err
				}
			}
			continue
		}
		if counts[slot] <= 0 {
			continue
		}
		counts[slot]--
		if counts[slot] == 0 {
			if err := a.addRow(f, &acc.Values[ci], c, row, true); err != nil {
				return err
			}
		}
	}
	for _, n := range counts {
		if n != 0 {
			return nil
		}
	}
	delete(m, string(a.keyBuf))
	return nil
}

// addRow applies row's argument to one call's value.
func (a *Aggregator) addRow(f *fn, v *Value, c *chunk.Chunk, row int, retract bool) error {
	if f.kind == fnCount {
		if anyNull(c, f.call.Args, row) {
			return nil
		}
		if retract {
			v.N--
		} else {
			v.N++
		}
		return nil
	}
	col := c.Cols[f.call.Args[0]]
	if col.IsNull(row) {
		return nil
	}
	return a.apply(f, v, col.Get(row), retract)
}

// apply accumulates or retracts one non-NULL argument value d.
func (a *Aggregator) apply(f *fn, v *Value, d chunk.Datum, retract bool) error {
	switch f.kind {
	case fnCount:
		if retract {
			v.N--
		} else {
			v.N++
		}
	case fnSum, fnAvg:
		return a.applySum(f, v, d, retract)
	case fnMin, fnMax:
		if !f.retract {
			if retract {
				return fmt.Errorf("cannot retract from insert-only %s", f.call)
			}
			if v.N == 0 || a.better(f, d, v.V) {
				v.V = d
			}
			v.N++
			return nil
		}
		a.applyMultiset(f, v, d, retract)
	case fnFirst, fnLast:
		if !f.retract {
			if retract {
				return fmt.Errorf("cannot retract from insert-only %s", f.call)
			}
			a.seq++
			if v.N == 0 || f.kind == fnLast {
				v.V, v.Seq = d, a.seq
			}
			v.N++
			return nil
		}
		if !retract {
			a.seq++
			v.Ordered = append(v.Ordered, Ordered{Seq: a.seq, V: d})
			v.N++
			return nil
		}
		// Take back the earliest occurrence of d, as Flink does.
		for i := range v.Ordered {
			if compare(f.argType, v.Ordered[i].V, d) == 0 {
				v.Ordered = append(v.Ordered[:i], v.Ordered[i+1:]...)
				v.N--
				break
			}
		}
	}
	return nil
}

func (a *Aggregator) applySum(f *fn, v *Value, d chunk.Datum, retract bool) error {
	if retract {
		v.N--
	} else {
		v.N++
	}
	switch f.argType.Kind.Physical() {
	case types.PhysInt64:
		// Integer sums wrap like Java's long arithmetic; results are narrowed when read.
		if retract {
			v.V.I -= d.I
		} else {
			v.V.I += d.I
		}
	case types.PhysFloat64:
		if retract {
			v.V.F -= d.F
		} else {
			v.V.F += d.F
		}
		if f.kind == fnSum && f.argType.Kind == types.Float {
			v.V.F = float64(float32(v.V.F))
		}
	case types.PhysDecimal:
		var ok bool
		if retract {
			v.V.D, ok = v.V.D.Sub(d.D)
		} else {
			v.V.D, ok = v.V.D.Add(d.D)
		}
		if !ok || !v.V.D.FitsPrecision(types.MaxDecimalPrecision) {
			return fmt.Errorf("numeric overflow in %s: the sum exceeds DECIMAL(%d, %d)", f.call, types.MaxDecimalPrecision, f.argType.Scale)
		}
	}
	return nil
}

func (a *Aggregator) encode(f *fn, d chunk.Datum) []byte {
	a.one[0] = d
	a.keyBuf = chunk.EncodeDatums(a.keyBuf[:0], f.argTs, a.one[:])
	return a.keyBuf
}

func (a *Aggregator) applyMultiset(f *fn, v *Value, d chunk.Datum, retract bool) {
	if v.Multiset == nil {
		v.Multiset = map[string]*Counted{}
	}
	k := a.encode(f, d)
	e := v.Multiset[string(k)]
	if e == nil {
		e = &Counted{V: d}
		v.Multiset[string(k)] = e
	}
	if !retract {
		e.N++
		v.N++
		switch {
		case e.N == 0: // it cancels an earlier retraction of a value never accumulated
			delete(v.Multiset, string(k))
		case v.N == 1 || a.better(f, d, v.V):
			v.V = d
		}
		return
	}
	e.N--
	v.N--
	if e.N == 0 {
		delete(v.Multiset, string(k))
		if compare(f.argType, d, v.V) == 0 {
			a.recomputeExtreme(f, v)
		}
	}
}

// recomputeExtreme rescans the multiset after the extreme value's last copy was retracted.
func (a *Aggregator) recomputeExtreme(f *fn, v *Value) {
	found := false
	for _, e := range v.Multiset {
		if e.N <= 0 {
			continue
		}
		if !found || a.better(f, e.V, v.V) {
			v.V, found = e.V, true
		}
	}
	if !found {
		v.V = chunk.Datum{}
	}
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
