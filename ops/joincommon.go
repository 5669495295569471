package ops

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/types"
)

// JoinType is the kind of a join.
type JoinType uint8

// Join types.
const (
	InnerJoin JoinType = iota
	LeftJoin
	RightJoin
	FullJoin
)

func (t JoinType) String() string {
	return [...]string{"InnerJoin", "LeftOuterJoin", "RightOuterJoin", "FullOuterJoin"}[t]
}

// LeftOuter reports whether rows of the left input without a match are emitted NULL-padded.
func (t JoinType) LeftOuter() bool { return t == LeftJoin || t == FullJoin }

// RightOuter reports whether rows of the right input without a match are emitted NULL-padded.
func (t JoinType) RightOuter() bool { return t == RightJoin || t == FullJoin }

// pairBuffer collects candidate output rows of a join (left columns then right columns) and
// filters them through the join's residual condition, vectorized over the whole buffer.
//
// Use: Append (or AppendNullRight/AppendNullLeft) candidates, then Filter to get the indexes of
// the candidates that satisfy the residual, then emit or Reset.
type pairBuffer struct {
	leftN    int
	types    []types.Type
	residual expr.Evaluator // nil: every pair qualifies
	c        *chunk.Chunk
	ok       []bool
}

func newPairBuffer(left, right []types.Type, residual expr.Expr, ctx *exec.Context) (*pairBuffer, error) {
	ts := append(append([]types.Type(nil), left...), right...)
	p := &pairBuffer{leftN: len(left), types: ts}
	if residual != nil {
		if k := residual.Type().Kind; k != types.Boolean {
			return nil, fmt.Errorf("join condition must be BOOLEAN, not %s", residual.Type())
		}
		var ectx *expr.Context
		if ctx != nil {
			ectx = ctx.Expr
		}
		ev, err := expr.Compile(residual, ectx)
		if err != nil {
			return nil, fmt.Errorf("cannot compile join condition %s: %w", residual, err)
		}
		p.residual = ev
	}
	p.Reset()
	return p, nil
}

// Reset empties the buffer.
func (p *pairBuffer) Reset() { p.c = chunk.New(p.types, 64) }

// Len returns the number of candidates.
func (p *pairBuffer) Len() int { return p.c.Len() }

// Chunk returns the candidates.
func (p *pairBuffer) Chunk() *chunk.Chunk { return p.c }

// AppendEncoded appends a pair whose sides are given either as a chunk row (c != nil) or as an
// encoded row (chunk.EncodeKey of all columns). Exactly one of lc and lenc is used per side.
func (p *pairBuffer) AppendEncoded(kind chunk.RowKind, lc *chunk.Chunk, l int, lenc []byte, rc *chunk.Chunk, r int, renc []byte) error {
	p.c.Kinds = append(p.c.Kinds, kind)
	if err := appendSide(p.c.Cols[:p.leftN], lc, l, lenc); err != nil {
		return err
	}
	return appendSide(p.c.Cols[p.leftN:], rc, r, renc)
}

// AppendNullRight appends a left row padded with NULLs for the right columns; lc or lenc as
// in AppendEncoded.
func (p *pairBuffer) AppendNullRight(kind chunk.RowKind, lc *chunk.Chunk, l int, lenc []byte) error {
	p.c.Kinds = append(p.c.Kinds, kind)
	appendNulls(p.c.Cols[p.leftN:])
	return appendSide(p.c.Cols[:p.leftN], lc, l, lenc)
}

// AppendNullLeft appends a right row padded with NULLs for the left columns; rc or renc as in
// AppendEncoded.
func (p *pairBuffer) AppendNullLeft(kind chunk.RowKind, rc *chunk.Chunk, r int, renc []byte) error {
	p.c.Kinds = append(p.c.Kinds, kind)
	appendNulls(p.c.Cols[:p.leftN])
	return appendSide(p.c.Cols[p.leftN:], rc, r, renc)
}

// appendSide appends one side of an output row to its columns: row i of c when c is set, else
// the encoded row enc.
func appendSide(cols []*chunk.Vector, c *chunk.Chunk, i int, enc []byte) error {
	if c == nil {
		if err := chunk.AppendDecoded(cols, enc); err != nil {
			return fmt.Errorf("cannot decode a join row from state: %w", err)
		}
		return nil
	}
	for j, v := range cols {
		v.AppendFrom(c.Cols[j], i)
	}
	return nil
}

func appendNulls(cols []*chunk.Vector) {
	for _, v := range cols {
		v.AppendNull()
	}
}

// Qualifying evaluates the residual over all candidates and returns, for each, whether it
// satisfies it (TRUE; NULL and FALSE do not). The returned slice is reused by the next call.
func (p *pairBuffer) Qualifying() ([]bool, error) {
	n := p.c.Len()
	if cap(p.ok) < n {
		p.ok = make([]bool, n)
	}
	ok := p.ok[:n]
	if p.residual == nil {
		for i := range ok {
			ok[i] = true
		}
		return ok, nil
	}
	if n == 0 {
		return ok, nil
	}
	v, err := p.residual.Eval(p.c)
	if err != nil {
		return nil, err
	}
	for i := range ok {
		ok[i] = !v.IsNull(i) && v.I64[i] != 0
	}
	return ok, nil
}
