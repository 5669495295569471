package agg

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Results appends the current result of every call to dst and returns it.
func (a *Aggregator) Results(acc *Accumulators, dst []chunk.Datum) []chunk.Datum {
	for i := range a.fns {
		dst = append(dst, a.result(&a.fns[i], &acc.Values[i]))
	}
	return dst
}

func (a *Aggregator) result(f *fn, v *Value) chunk.Datum {
	if f.kind == fnCount {
		return chunk.Int(v.N)
	}
	if v.N == 0 {
		return chunk.NullDatum
	}
	rt := f.call.Result
	switch f.kind {
	case fnSum:
		switch rt.Kind.Physical() {
		case types.PhysInt64:
			return chunk.Int(narrow(rt.Kind, v.V.I))
		case types.PhysFloat64:
			return chunk.Float(v.V.F)
		}
		return chunk.Dec(v.V.D)
	case fnAvg:
		switch rt.Kind.Physical() {
		case types.PhysInt64:
			return chunk.Int(narrow(rt.Kind, v.V.I/v.N))
		case types.PhysFloat64:
			avg := v.V.F / float64(v.N)
			if rt.Kind == types.Float {
				avg = float64(float32(avg))
			}
			return chunk.Float(avg)
		}
		q, ok := types.DecimalDiv(v.V.D, f.argType.Scale, types.DecimalFromInt64(v.N), 0, rt.Scale)
		if !ok || !q.FitsPrecision(rt.Precision) {
			// Decimal overflow gives NULL, as in Flink.
			return chunk.NullDatum
		}
		return chunk.Dec(q)
	case fnMin, fnMax:
		if v.N < 0 {
			return chunk.NullDatum
		}
		return v.V
	case fnFirst, fnLast:
		if !f.retract {
			return v.V
		}
		if len(v.Ordered) == 0 {
			return chunk.NullDatum
		}
		if f.kind == fnFirst {
			return v.Ordered[0].V
		}
		return v.Ordered[len(v.Ordered)-1].V
	}
	return chunk.NullDatum
}

// narrow wraps an integer to the width of kind k, as Java's narrowing casts do.
func narrow(k types.Kind, v int64) int64 {
	switch k {
	case types.TinyInt:
		return int64(int8(v))
	case types.SmallInt:
		return int64(int16(v))
	case types.Int:
		return int64(int32(v))
	}
	return v
}

// Equal reports whether two result rows, as Results returns them, are equal (NULLs are equal
// to each other, NaN to NaN).
func (a *Aggregator) Equal(x, y []chunk.Datum) bool {
	for i := range a.fns {
		if !DatumsEqual(a.fns[i].call.Result, x[i], y[i]) {
			return false
		}
	}
	return true
}

// DatumsEqual reports whether two values of type t are the same value (NULL equals NULL).
func DatumsEqual(t types.Type, x, y chunk.Datum) bool {
	if x.Null || y.Null {
		return x.Null == y.Null
	}
	if t.Kind.Physical() == types.PhysFloat64 {
		if math.IsNaN(x.F) && math.IsNaN(y.F) {
			return true
		}
		return x.F == y.F
	}
	return compare(t, x, y) == 0
}

// Merge adds the rows accumulated in src to dst, as if dst had also seen them; FIRST_VALUE and
// LAST_VALUE keep the arrival order across both. src must not be used afterwards.
//
// One result is approximate: an insert-only LAST_VALUE(DISTINCT x) keeps the later of the two
// sides' values even when that value also arrived earlier on the other side.
func (a *Aggregator) Merge(dst, src *Accumulators) error {
	for si := range a.sets {
		if err := a.mergeDistinct(dst, src, si); err != nil {
			return err
		}
	}
	for i := range a.fns {
		f := &a.fns[i]
		if f.set >= 0 && f.kind != fnFirst && f.kind != fnLast {
			continue
		}
		if err := a.mergeValue(f, &dst.Values[i], &src.Values[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aggregator) mergeDistinct(dst, src *Accumulators, si int) error {
	set := &a.sets[si]
	dm := dst.Distinct[si]
	for k, sc := range src.Distinct[si] {
		dc := dm[k]
		if dc == nil {
			dc = make([]int64, len(sc))
			dm[k] = dc
		}
		var vals []chunk.Datum
		for slot, ci := range set.members {
			// FIRST_VALUE and LAST_VALUE merge their values by arrival order in mergeValue.
			if fk := a.fns[ci].kind; fk != fnFirst && fk != fnLast && sc[slot] > 0 && dc[slot] <= 0 {
				if vals == nil {
					var err error
					if vals, err = chunk.DecodeKey([]byte(k), set.types); err != nil {
						return fmt.Errorf("cannot merge DISTINCT state of %s: %w", a.fns[ci].call, err)
					}
				}
				if err := a.apply(&a.fns[ci], &dst.Values[ci], vals[0], false); err != nil {
					return err
				}
			}
			dc[slot] += sc[slot]
		}
	}
	return nil
}

func (a *Aggregator) mergeValue(f *fn, d, s *Value) error {
	switch f.kind {
	case fnCount:
		d.N += s.N
	case fnSum, fnAvg:
		n := d.N
		if err := a.applySum(f, d, s.V, false); err != nil {
			return err
		}
		d.N = n + s.N
	case fnMin, fnMax:
		if f.retract {
			for k, e := range s.Multiset {
				if d.Multiset == nil {
					d.Multiset = map[string]*Counted{}
				}
				if de := d.Multiset[k]; de != nil {
					de.N += e.N
				} else {
					d.Multiset[k] = &Counted{V: e.V, N: e.N}
				}
			}
			d.N += s.N
			a.recomputeExtreme(f, d)
			return nil
		}
		if s.N > 0 && (d.N <= 0 || a.better(f, s.V, d.V)) {
			d.V = s.V
		}
		d.N += s.N
	case fnFirst, fnLast:
		if f.retract {
			d.Ordered = append(d.Ordered, s.Ordered...)
			sort.SliceStable(d.Ordered, func(i, j int) bool { return d.Ordered[i].Seq < d.Ordered[j].Seq })
			if f.set >= 0 {
				// DISTINCT keeps each value once, at its first arrival.
				kept := d.Ordered[:0]
				for _, o := range d.Ordered {
					if !slices.ContainsFunc(kept, func(k Ordered) bool { return compare(f.argType, k.V, o.V) == 0 }) {
						kept = append(kept, o)
					}
				}
				clear(d.Ordered[len(kept):])
				d.Ordered = kept
			}
			d.N = int64(len(d.Ordered))
			return nil
		}
		if s.N > 0 && (d.N <= 0 || (f.kind == fnFirst && s.Seq < d.Seq) || (f.kind == fnLast && s.Seq > d.Seq)) {
			d.V, d.Seq = s.V, s.Seq
		}
		d.N += s.N
	}
	return nil
}
