package agg

import (
	"math"
	"unsafe"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Accumulators is the state of one group. It is plain data: Words holds the fixed-width state
// of every call at offsets the Aggregator assigns, and Extra what only some calls need.
//
// Each call owns a few consecutive words of Words:
//
//	COUNT                      N
//	SUM, AVG                   N, the running sum (integer, float64 bits, or a DECIMAL's Hi
//	                           and Lo words)
//	MIN, MAX                   N, the extreme (as for SUM, when its type fits in words)
//	FIRST_VALUE, LAST_VALUE    N, and when insert-only, the arrival sequence of the value and
//	                           the value (as for SUM, when its type fits in words)
//
// N counts the non-NULL values accumulated minus those retracted. Values of other types
// (STRING, BYTES, MAP) live in Extra.Datums.
type Accumulators struct {
	// Rows counts the rows added minus the rows retracted, whatever the calls' FILTERs.
	Rows int64
	// Words holds the fixed-width state of every call.
	Words []int64
	// Extra is nil unless some call needs more than words.
	Extra *Extra
}

// Extra is the part of a group's state that only some calls need: values that do not fit in
// words, what MIN, MAX, FIRST_VALUE and LAST_VALUE keep to retract, and the values seen by
// DISTINCT calls. Each slice has one entry per call (or DISTINCT set) that uses it.
type Extra struct {
	// Datums holds the current value of MIN, MAX and insert-only FIRST_VALUE/LAST_VALUE over a
	// type that does not fit in words.
	Datums []chunk.Datum
	// Multisets holds, per MIN or MAX with retraction, every value present with its count.
	Multisets []Multiset
	// Ordered holds, per FIRST_VALUE or LAST_VALUE with retraction, the present values in
	// arrival order.
	Ordered [][]Ordered
	// Distinct holds, per set of DISTINCT argument columns, the values seen.
	Distinct []DistinctValues
}

// Multiset is the values present in a MIN or MAX with retraction, each with how many times it
// is present (negative after a retraction of a value never accumulated). Values of
// integer-class types are kept in Ints, others key-encoded (chunk.EncodeDatums) in Keys.
type Multiset struct {
	Ints map[int64]int64
	Keys map[string]Counted
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

// DistinctValues is the distinct argument values seen by one set of DISTINCT calls, each with
// one count per call of the set (how many accumulated rows that passed the call's FILTER carry
// the value). A set over one integer-class column keys Ints by the value; other sets key Keys
// by the key-encoded values (chunk.EncodeKey). Both map to a slot: the counts of slot s are
// Counts[s*m : (s+1)*m] for a set of m calls. Free lists unused slots.
type DistinctValues struct {
	Ints   map[int64]int
	Keys   map[string]int
	Counts []int64
	Free   []int
}

// alloc returns a free slot of m zero counts.
func (dv *DistinctValues) alloc(m int) int {
	if n := len(dv.Free); n > 0 {
		s := dv.Free[n-1]
		dv.Free = dv.Free[:n-1]
		return s
	}
	s := len(dv.Counts) / m
	dv.Counts = append(dv.Counts, make([]int64, m)...)
	return s
}

// release returns slot s, whose counts are all zero, to the free list; once no value is left
// the counts are dropped altogether.
func (dv *DistinctValues) release(s int) {
	if len(dv.Ints) == 0 && len(dv.Keys) == 0 {
		dv.Counts, dv.Free = dv.Counts[:0], dv.Free[:0]
		return
	}
	dv.Free = append(dv.Free, s)
}

// NewAccumulators returns the accumulators of an empty group. The words live in the same
// allocation as the Accumulators unless there are many.
func (a *Aggregator) NewAccumulators() *Accumulators {
	acc := newAccumulators(a.words)
	if a.extra {
		x := &Extra{}
		if a.datums > 0 {
			x.Datums = make([]chunk.Datum, a.datums)
		}
		if a.multisets > 0 {
			x.Multisets = make([]Multiset, a.multisets)
		}
		if a.ordered > 0 {
			x.Ordered = make([][]Ordered, a.ordered)
		}
		if len(a.sets) > 0 {
			x.Distinct = make([]DistinctValues, len(a.sets))
		}
		acc.Extra = x
	}
	return acc
}

// newAccumulators allocates Accumulators with n words. Up to 31 words share the allocation of
// the Accumulators (the capacities fill Go's size classes: header plus words of 64, 96, 128,
// ... bytes).
func newAccumulators(n int) *Accumulators {
	switch {
	case n == 0:
		return &Accumulators{}
	case n <= 3:
		return packed[[3]int64](n)
	case n <= 7:
		return packed[[7]int64](n)
	case n <= 11:
		return packed[[11]int64](n)
	case n <= 13:
		return packed[[13]int64](n)
	case n <= 15:
		return packed[[15]int64](n)
	case n <= 19:
		return packed[[19]int64](n)
	case n <= 23:
		return packed[[23]int64](n)
	case n <= 31:
		return packed[[31]int64](n)
	}
	return &Accumulators{Words: make([]int64, n)}
}

// packed allocates Accumulators and its words in one object. A is an int64 array type with at
// least n elements.
func packed[A any](n int) *Accumulators {
	b := new(struct {
		acc Accumulators
		w   A
	})
	b.acc.Words = unsafe.Slice((*int64)(unsafe.Pointer(&b.w)), n)
	return &b.acc
}

// valueWords returns how many words hold a value of storage class p, or 0 when it does not fit
// in words.
func valueWords(p types.Physical) int {
	switch p {
	case types.PhysInt64, types.PhysFloat64:
		return 1
	case types.PhysDecimal:
		return 2
	}
	return 0
}

// value returns call f's current value (its sum, extreme, or insert-only first/last value).
func (f *fn) value(acc *Accumulators) chunk.Datum {
	if f.dat >= 0 {
		return acc.Extra.Datums[f.dat]
	}
	w := acc.Words
	switch f.phys {
	case types.PhysInt64:
		return chunk.Datum{I: w[f.val]}
	case types.PhysFloat64:
		return chunk.Datum{F: math.Float64frombits(uint64(w[f.val]))}
	case types.PhysDecimal:
		return chunk.Datum{D: types.Decimal128{Hi: w[f.val], Lo: uint64(w[f.val+1])}}
	}
	return chunk.Datum{}
}

// setValue stores d as call f's current value.
func (f *fn) setValue(acc *Accumulators, d chunk.Datum) {
	if f.dat >= 0 {
		acc.Extra.Datums[f.dat] = d
		return
	}
	w := acc.Words
	switch f.phys {
	case types.PhysInt64:
		w[f.val] = d.I
	case types.PhysFloat64:
		w[f.val] = int64(math.Float64bits(d.F))
	case types.PhysDecimal:
		w[f.val], w[f.val+1] = d.D.Hi, int64(d.D.Lo)
	}
}
