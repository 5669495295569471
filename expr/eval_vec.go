package expr

import (
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// newVec returns a vector of type t with n zero values and no null mask.
func newVec(t types.Type, n int) *chunk.Vector {
	v := &chunk.Vector{Type: t}
	switch t.Kind.Physical() {
	case types.PhysInt64:
		v.I64 = make([]int64, n)
	case types.PhysFloat64:
		v.F64 = make([]float64, n)
	case types.PhysDecimal:
		v.Dec = make([]types.Decimal128, n)
	case types.PhysString:
		v.Str = make([]string, n)
	case types.PhysMap:
		v.Maps = make([]map[string]string, n)
	}
	return v
}

// nullVec returns a vector of n NULLs.
func nullVec(t types.Type, n int) *chunk.Vector {
	v := newVec(t, n)
	v.Nulls = make([]bool, n)
	for i := range v.Nulls {
		v.Nulls[i] = true
	}
	return v
}

// retype returns a shallow copy of v with type t (same physical class); slices are shared.
func retype(v *chunk.Vector, t types.Type) *chunk.Vector {
	if v.Type == t {
		return v
	}
	c := *v
	c.Type = t
	return &c
}

// setNull marks row i of a vector with n rows as NULL and zeroes its value slot.
func setNull(v *chunk.Vector, i, n int) {
	if v.Nulls == nil {
		v.Nulls = make([]bool, n)
	}
	v.Nulls[i] = true
	zeroSlot(v, i)
}

func zeroSlot(v *chunk.Vector, i int) {
	switch v.Type.Kind.Physical() {
	case types.PhysInt64:
		v.I64[i] = 0
	case types.PhysFloat64:
		v.F64[i] = 0
	case types.PhysDecimal:
		v.Dec[i] = types.Decimal128{}
	case types.PhysString:
		v.Str[i] = ""
	case types.PhysMap:
		v.Maps[i] = nil
	}
}

// copySlot sets dst[i] = src[j] (same physical class), including the null flag. dst must have
// room for n rows.
func copySlot(dst *chunk.Vector, i int, src *chunk.Vector, j, n int) {
	if src.IsNull(j) {
		setNull(dst, i, n)
		return
	}
	switch dst.Type.Kind.Physical() {
	case types.PhysInt64:
		dst.I64[i] = src.I64[j]
	case types.PhysFloat64:
		dst.F64[i] = src.F64[j]
	case types.PhysDecimal:
		dst.Dec[i] = src.Dec[j]
	case types.PhysString:
		dst.Str[i] = src.Str[j]
	case types.PhysMap:
		dst.Maps[i] = src.Maps[j]
	}
}

// scatter copies src[k] into dst[rows[k]] for every k. With full set, src is indexed by the
// original row (src[rows[k]]) instead.
func scatter(dst *chunk.Vector, rows []int, src *chunk.Vector, full bool, n int) {
	if src.Nulls == nil {
		switch dst.Type.Kind.Physical() {
		case types.PhysInt64:
			for k, i := range rows {
				j := k
				if full {
					j = i
				}
				dst.I64[i] = src.I64[j]
			}
			return
		case types.PhysFloat64:
			for k, i := range rows {
				j := k
				if full {
					j = i
				}
				dst.F64[i] = src.F64[j]
			}
			return
		}
	}
	for k, i := range rows {
		j := k
		if full {
			j = i
		}
		copySlot(dst, i, src, j, n)
	}
}

// mergeNulls ORs the null masks of args into res (n rows) and zeroes the value slots of NULL
// rows. It never modifies the argument masks.
func mergeNulls(res *chunk.Vector, args []*chunk.Vector, n int) {
	for _, a := range args {
		if a.Nulls == nil {
			continue
		}
		if res.Nulls == nil {
			res.Nulls = make([]bool, n)
		}
		rn := res.Nulls
		for i, isNull := range a.Nulls[:n] {
			if isNull {
				rn[i] = true
			}
		}
	}
	if res.Nulls != nil {
		any := false
		for i, isNull := range res.Nulls {
			if isNull {
				any = true
				zeroSlot(res, i)
			}
		}
		if !any {
			res.Nulls = nil
		}
	}
}

// broadcast returns a vector with n copies of d.
func broadcast(t types.Type, d chunk.Datum, n int) *chunk.Vector {
	if d.Null {
		return nullVec(t, n)
	}
	v := newVec(t, n)
	switch t.Kind.Physical() {
	case types.PhysInt64:
		for i := range v.I64 {
			v.I64[i] = d.I
		}
	case types.PhysFloat64:
		for i := range v.F64 {
			v.F64[i] = d.F
		}
	case types.PhysDecimal:
		for i := range v.Dec {
			v.Dec[i] = d.D
		}
	case types.PhysString:
		for i := range v.Str {
			v.Str[i] = d.S
		}
	case types.PhysMap:
		for i := range v.Maps {
			v.Maps[i] = d.M
		}
	}
	return v
}

// subChunk returns the rows sel of in, copying only the columns in cols (other columns are
// nil; the compiled expression never reads them).
func subChunk(in *chunk.Chunk, sel []int, cols []bool) *chunk.Chunk {
	out := &chunk.Chunk{Kinds: make([]chunk.RowKind, len(sel)), Cols: make([]*chunk.Vector, len(in.Cols))}
	for k, i := range sel {
		out.Kinds[k] = in.Kinds[i]
	}
	for j, v := range in.Cols {
		if j < len(cols) && cols[j] && v != nil {
			out.Cols[j] = v.Select(sel)
		}
	}
	return out
}
