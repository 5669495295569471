package ops

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/expr"
)

// Projector computes one output column per expression over whole chunks. Plain column
// references pass the input vector through without copying (chunks are immutable). Not safe
// for concurrent use: each subtask builds its own.
type Projector struct {
	evals    []expr.Evaluator
	identity []int // input column for plain references, -1 otherwise
}

// NewProjector compiles the expressions.
func NewProjector(exprs []expr.Expr, ctx *expr.Context) (*Projector, error) {
	p := &Projector{}
	for _, e := range exprs {
		ev, err := expr.Compile(e, ctx)
		if err != nil {
			return nil, fmt.Errorf("cannot compile %s: %w", e, err)
		}
		id := -1
		if ref, ok := e.(*expr.ColumnRef); ok {
			id = ref.Index
		}
		p.evals = append(p.evals, ev)
		p.identity = append(p.identity, id)
	}
	return p, nil
}

// Project returns a chunk with the input's row kinds and one column per expression.
func (p *Projector) Project(in *chunk.Chunk) (*chunk.Chunk, error) {
	out := &chunk.Chunk{Kinds: in.Kinds, Cols: make([]*chunk.Vector, len(p.evals))}
	for i, ev := range p.evals {
		if id := p.identity[i]; id >= 0 {
			out.Cols[i] = in.Cols[id]
			continue
		}
		v, err := ev.Eval(in)
		if err != nil {
			return nil, err
		}
		out.Cols[i] = v
	}
	return out, nil
}
