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
		dst = append(dst, a.result(&a.fns[i], acc))
	}
	return dst
}

func (a *Aggregator) result(f *fn, acc *Accumulators) chunk.Datum {
	w := acc.Words
	n := w[f.n]
	if f.kind == fnCount {
		return chunk.Int(n)
	}
	if n == 0 {
		return chunk.NullDatum
	}
	rt := f.call.Result
	switch f.kind {
	case fnSum:
		if f.phys == types.PhysInt64 {
			return chunk.Int(narrow(rt.Kind, w[f.val]))
		}
		return f.value(acc)
	case fnAvg:
		switch f.phys {
		case types.PhysInt64:
			return chunk.Int(narrow(rt.Kind, w[f.val]/n))
		case types.PhysFloat64:
			avg := math.Float64frombits(uint64(w[f.val])) / float64(n)
			if rt.Kind == types.Float {
				avg = float64(float32(avg))
			}
			return chunk.Float(avg)
		}
		sum := types.Decimal128{Hi: w[f.val], Lo: uint64(w[f.val+1])}
		q, ok := types.DecimalDiv(sum, f.argType.Scale, types.DecimalFromInt64(n), 0, rt.Scale)
		if !ok || !q.FitsPrecision(rt.Precision) {
			// Decimal overflow gives NULL, as in Flink.
			return chunk.NullDatum
		}
		return chunk.Dec(q)
	case fnMin, fnMax:
		if n < 0 {
			return chunk.NullDatum
		}
		return f.value(acc)
	case fnFirst, fnLast:
		if !f.retract {
			return f.value(acc)
		}
		ord := acc.Extra.Ordered[f.ext]
		if len(ord) == 0 {
			return chunk.NullDatum
		}
		if f.kind == fnFirst {
			return ord[0].V
		}
		return ord[len(ord)-1].V
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
// LAST_VALUE keep the arrival order across both. src is only read, and dst shares no mutable
// state with it afterwards, so one src may be merged into several accumulators (sliced windows do).
//
// One result is approximate: an insert-only LAST_VALUE(DISTINCT x) keeps the later of the two
// sides' values even when that value also arrived earlier on the other side.
func (a *Aggregator) Merge(dst, src *Accumulators) error {
	dst.Rows += src.Rows
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
		if err := a.mergeValue(f, dst, src); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aggregator) mergeDistinct(dst, src *Accumulators, si int) error {
	set := &a.sets[si]
	m := len(set.members)
	dv, sv := &dst.Extra.Distinct[si], &src.Extra.Distinct[si]
	// merge adds the counts sc of one value to dst's, accumulating the value into the calls
	// that see it for the first time; value decodes it.
	merge := func(slot int, sc []int64, value func() (chunk.Datum, error)) error {
		dc := dv.Counts[slot*m : (slot+1)*m : (slot+1)*m]
		var d chunk.Datum
		decoded := false
		for s, ci := range set.members {
			// FIRST_VALUE and LAST_VALUE merge their values by arrival order in mergeValue.
			if fk := a.fns[ci].kind; fk != fnFirst && fk != fnLast && sc[s] > 0 && dc[s] <= 0 {
				if !decoded {
					var err error
					if d, err = value(); err != nil {
						return fmt.Errorf("cannot merge DISTINCT state of %s: %w", a.fns[ci].call, err)
					}
					decoded = true
				}
				if err := a.apply(&a.fns[ci], dst, d, false); err != nil {
					return err
				}
			}
			dc[s] += sc[s]
		}
		return nil
	}
	for v, ss := range sv.Ints {
		slot, ok := dv.Ints[v]
		if !ok {
			slot = dv.alloc(m)
			if dv.Ints == nil {
				dv.Ints = map[int64]int{}
			}
			dv.Ints[v] = slot
		}
		if err := merge(slot, sv.Counts[ss*m:(ss+1)*m], func() (chunk.Datum, error) { return chunk.Datum{I: v}, nil }); err != nil {
			return err
		}
	}
	for k, ss := range sv.Keys {
		slot, ok := dv.Keys[k]
		if !ok {
			slot = dv.alloc(m)
			if dv.Keys == nil {
				dv.Keys = map[string]int{}
			}
			dv.Keys[k] = slot
		}
		value := func() (chunk.Datum, error) {
			vals, err := chunk.DecodeKey([]byte(k), set.types)
			if err != nil {
				return chunk.Datum{}, err
			}
			return vals[0], nil
		}
		if err := merge(slot, sv.Counts[ss*m:(ss+1)*m], value); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aggregator) mergeValue(f *fn, dst, src *Accumulators) error {
	dw, sw := dst.Words, src.Words
	switch f.kind {
	case fnCount:
		dw[f.n] += sw[f.n]
	case fnSum, fnAvg:
		if err := a.addSum(f, dst, f.value(src), false); err != nil {
			return err
		}
		dw[f.n] += sw[f.n]
	case fnMin, fnMax:
		if f.retract {
			dm, sm := &dst.Extra.Multisets[f.ext], &src.Extra.Multisets[f.ext]
			for v, n := range sm.Ints {
				if dm.Ints == nil {
					dm.Ints = map[int64]int64{}
				}
				if n += dm.Ints[v]; n != 0 {
					dm.Ints[v] = n
				} else {
					delete(dm.Ints, v)
				}
			}
			for k, e := range sm.Keys {
				if dm.Keys == nil {
					dm.Keys = map[string]Counted{}
				}
				if de, ok := dm.Keys[k]; ok {
					e.V = de.V
					e.N += de.N
				}
				if e.N != 0 {
					dm.Keys[k] = e
				} else {
					delete(dm.Keys, k)
				}
			}
			dw[f.n] += sw[f.n]
			a.recomputeExtreme(f, dst)
			return nil
		}
		if sw[f.n] > 0 && (dw[f.n] <= 0 || a.better(f, f.value(src), f.value(dst))) {
			f.setValue(dst, f.value(src))
		}
		dw[f.n] += sw[f.n]
	case fnFirst, fnLast:
		if f.retract {
			dp := &dst.Extra.Ordered[f.ext]
			d := append(*dp, src.Extra.Ordered[f.ext]...)
			sort.SliceStable(d, func(i, j int) bool { return d[i].Seq < d[j].Seq })
			if f.set >= 0 {
				// DISTINCT keeps each value once, at its first arrival.
				kept := d[:0]
				for _, o := range d {
					if !slices.ContainsFunc(kept, func(k Ordered) bool { return compare(f.argType, k.V, o.V) == 0 }) {
						kept = append(kept, o)
					}
				}
				clear(d[len(kept):])
				d = kept
			}
			*dp = d
			dw[f.n] = int64(len(d))
			return nil
		}
		if sw[f.n] > 0 && (dw[f.n] <= 0 || (f.kind == fnFirst && sw[f.seq] < dw[f.seq]) || (f.kind == fnLast && sw[f.seq] > dw[f.seq])) {
			f.setValue(dst, f.value(src))
			dw[f.seq] = sw[f.seq]
		}
		dw[f.n] += sw[f.n]
	}
	return nil
}
