// Package chunk holds the unit of data exchanged between operators: a Chunk of rows stored
// column by column, each row tagged with a changelog RowKind.
//
// Ownership: a chunk handed to an emitter belongs to the receiver and must never be modified
// again by the sender. Receivers treat input chunks as read-only; they may forward them unchanged.
package chunk

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/types"
)

// RowKind is a row's role in a changelog, as in Flink.
type RowKind uint8

// The changelog row kinds.
const (
	Insert       RowKind = iota // +I
	UpdateBefore                // -U
	UpdateAfter                 // +U
	Delete                      // -D
)

// String returns Flink's short form: +I, -U, +U or -D.
func (k RowKind) String() string {
	switch k {
	case Insert:
		return "+I"
	case UpdateBefore:
		return "-U"
	case UpdateAfter:
		return "+U"
	case Delete:
		return "-D"
	}
	return fmt.Sprintf("?%d", uint8(k))
}

// IsAccumulate reports whether the row adds to a result (+I, +U).
func (k RowKind) IsAccumulate() bool { return k == Insert || k == UpdateAfter }

// IsRetract reports whether the row takes back an earlier row (-U, -D).
func (k RowKind) IsRetract() bool { return k == UpdateBefore || k == Delete }

// ParseRowKind parses +I, -U, +U, -D.
func ParseRowKind(s string) (RowKind, error) {
	switch s {
	case "+I":
		return Insert, nil
	case "-U":
		return UpdateBefore, nil
	case "+U":
		return UpdateAfter, nil
	case "-D":
		return Delete, nil
	}
	return 0, fmt.Errorf("unknown row kind %q (want +I, -U, +U or -D)", s)
}

// Chunk is a batch of rows stored as columns. All vectors and Kinds have the same length.
type Chunk struct {
	Kinds []RowKind
	Cols  []*Vector
}

// New returns an empty chunk with one vector per type and room for capacity rows.
func New(ts []types.Type, capacity int) *Chunk {
	c := &Chunk{Kinds: make([]RowKind, 0, capacity), Cols: make([]*Vector, len(ts))}
	for i, t := range ts {
		c.Cols[i] = NewVector(t, capacity)
	}
	return c
}

// Len returns the number of rows.
func (c *Chunk) Len() int { return len(c.Kinds) }

// Types returns the column types.
func (c *Chunk) Types() []types.Type {
	ts := make([]types.Type, len(c.Cols))
	for i, v := range c.Cols {
		ts[i] = v.Type
	}
	return ts
}

// AppendRow appends one row given as datums, one per column.
func (c *Chunk) AppendRow(kind RowKind, row []Datum) {
	c.Kinds = append(c.Kinds, kind)
	for i, v := range c.Cols {
		v.Append(row[i])
	}
}

// AppendFrom appends row i of src (same column types) with the given kind.
func (c *Chunk) AppendFrom(kind RowKind, src *Chunk, i int) {
	c.Kinds = append(c.Kinds, kind)
	for j, v := range c.Cols {
		v.AppendFrom(src.Cols[j], i)
	}
}

// Row returns row i as datums (allocates; for tests, state and slow paths).
func (c *Chunk) Row(i int) []Datum {
	row := make([]Datum, len(c.Cols))
	for j, v := range c.Cols {
		row[j] = v.Get(i)
	}
	return row
}

// Select returns a new chunk holding the rows at the given positions, in order.
func (c *Chunk) Select(sel []int) *Chunk {
	out := &Chunk{Kinds: make([]RowKind, len(sel)), Cols: make([]*Vector, len(c.Cols))}
	for k, i := range sel {
		out.Kinds[k] = c.Kinds[i]
	}
	for j, v := range c.Cols {
		out.Cols[j] = v.Select(sel)
	}
	return out
}

// Project returns a chunk sharing c's vectors for the given columns (no copy).
func (c *Chunk) Project(cols []int) *Chunk {
	out := &Chunk{Kinds: c.Kinds, Cols: make([]*Vector, len(cols))}
	for k, j := range cols {
		out.Cols[k] = c.Cols[j]
	}
	return out
}

// FormatRow renders row i in Flink's print form, e.g. "+I[1, abc, null]".
func (c *Chunk) FormatRow(i int) string {
	var b strings.Builder
	b.WriteString(c.Kinds[i].String())
	b.WriteByte('[')
	for j, v := range c.Cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.Format(i))
	}
	b.WriteByte(']')
	return b.String()
}
