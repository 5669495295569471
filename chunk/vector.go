package chunk

import (
	"github.com/floedb/floe/types"
)

// Vector is one column of a chunk. Exactly one of the value slices is used, chosen by
// Type.Kind.Physical(); its length is the row count. Nulls is nil when no value is null,
// otherwise it has the row count's length and Nulls[i] marks row i as NULL (the value slot of a
// null row holds the zero value).
type Vector struct {
	Type  types.Type
	Nulls []bool
	I64   []int64
	F64   []float64
	Dec   []types.Decimal128
	Str   []string
	Maps  []map[string]string
}

// NewVector returns an empty vector of type t with room for capacity values.
func NewVector(t types.Type, capacity int) *Vector {
	v := &Vector{Type: t}
	switch t.Kind.Physical() {
	case types.PhysInt64:
		v.I64 = make([]int64, 0, capacity)
	case types.PhysFloat64:
		v.F64 = make([]float64, 0, capacity)
	case types.PhysDecimal:
		v.Dec = make([]types.Decimal128, 0, capacity)
	case types.PhysString:
		v.Str = make([]string, 0, capacity)
	case types.PhysMap:
		v.Maps = make([]map[string]string, 0, capacity)
	}
	return v
}

// Len returns the number of values.
func (v *Vector) Len() int {
	switch v.Type.Kind.Physical() {
	case types.PhysFloat64:
		return len(v.F64)
	case types.PhysDecimal:
		return len(v.Dec)
	case types.PhysString:
		return len(v.Str)
	case types.PhysMap:
		return len(v.Maps)
	}
	return len(v.I64)
}

// IsNull reports whether value i is NULL.
func (v *Vector) IsNull(i int) bool { return v.Nulls != nil && v.Nulls[i] }

// HasNulls reports whether any value may be NULL.
func (v *Vector) HasNulls() bool { return v.Nulls != nil }

// SetNull marks value i as NULL, materializing the null mask if needed.
func (v *Vector) SetNull(i int) {
	if v.Nulls == nil {
		v.Nulls = make([]bool, v.Len())
	}
	v.Nulls[i] = true
}

// appendNullFlag records the null flag of a value just appended at position n-1.
func (v *Vector) appendNullFlag(null bool) {
	if v.Nulls == nil {
		if !null {
			return
		}
		v.Nulls = make([]bool, v.Len()-1, cap(v.I64)+cap(v.F64)+cap(v.Str)+cap(v.Dec)+cap(v.Maps))
	}
	v.Nulls = append(v.Nulls, null)
}

// Append appends a datum.
func (v *Vector) Append(d Datum) {
	switch v.Type.Kind.Physical() {
	case types.PhysInt64:
		v.I64 = append(v.I64, d.I)
	case types.PhysFloat64:
		v.F64 = append(v.F64, d.F)
	case types.PhysDecimal:
		v.Dec = append(v.Dec, d.D)
	case types.PhysString:
		v.Str = append(v.Str, d.S)
	case types.PhysMap:
		v.Maps = append(v.Maps, d.M)
	}
	v.appendNullFlag(d.Null)
}

// AppendNull appends a NULL.
func (v *Vector) AppendNull() { v.Append(Datum{Null: true}) }

// AppendFrom appends value i of src, which has the same physical type.
func (v *Vector) AppendFrom(src *Vector, i int) {
	switch v.Type.Kind.Physical() {
	case types.PhysInt64:
		v.I64 = append(v.I64, src.I64[i])
	case types.PhysFloat64:
		v.F64 = append(v.F64, src.F64[i])
	case types.PhysDecimal:
		v.Dec = append(v.Dec, src.Dec[i])
	case types.PhysString:
		v.Str = append(v.Str, src.Str[i])
	case types.PhysMap:
		v.Maps = append(v.Maps, src.Maps[i])
	}
	v.appendNullFlag(src.IsNull(i))
}

// Get returns value i as a datum.
func (v *Vector) Get(i int) Datum {
	if v.IsNull(i) {
		return Datum{Null: true}
	}
	switch v.Type.Kind.Physical() {
	case types.PhysInt64:
		return Datum{I: v.I64[i]}
	case types.PhysFloat64:
		return Datum{F: v.F64[i]}
	case types.PhysDecimal:
		return Datum{D: v.Dec[i]}
	case types.PhysString:
		return Datum{S: v.Str[i]}
	case types.PhysMap:
		return Datum{M: v.Maps[i]}
	}
	return Datum{Null: true}
}

// Select returns a new vector with the values at the given positions.
func (v *Vector) Select(sel []int) *Vector {
	out := &Vector{Type: v.Type}
	switch v.Type.Kind.Physical() {
	case types.PhysInt64:
		out.I64 = make([]int64, len(sel))
		for k, i := range sel {
			out.I64[k] = v.I64[i]
		}
	case types.PhysFloat64:
		out.F64 = make([]float64, len(sel))
		for k, i := range sel {
			out.F64[k] = v.F64[i]
		}
	case types.PhysDecimal:
		out.Dec = make([]types.Decimal128, len(sel))
		for k, i := range sel {
			out.Dec[k] = v.Dec[i]
		}
	case types.PhysString:
		out.Str = make([]string, len(sel))
		for k, i := range sel {
			out.Str[k] = v.Str[i]
		}
	case types.PhysMap:
		out.Maps = make([]map[string]string, len(sel))
		for k, i := range sel {
			out.Maps[k] = v.Maps[i]
		}
	}
	if v.Nulls != nil {
		out.Nulls = make([]bool, len(sel))
		any := false
		for k, i := range sel {
			out.Nulls[k] = v.Nulls[i]
			any = any || v.Nulls[i]
		}
		if !any {
			out.Nulls = nil
		}
	}
	return out
}

// Format renders value i as Flink's print connector does ("null" for NULL).
func (v *Vector) Format(i int) string {
	return FormatDatum(v.Type, v.Get(i))
}
