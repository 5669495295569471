package ops

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/types"
)

// CalcSpec configures a Calc: an optional filter, then one projection per output column,
// both over the input columns.
type CalcSpec struct {
	InputTypes []types.Type
	// Filter keeps rows where it is TRUE; nil keeps all rows.
	Filter expr.Expr
	// Projections compute the output columns; nil passes the input columns through.
	Projections []expr.Expr
}

// NewCalc returns a factory of Calc operators (project + filter), one per subtask; each
// compiles its own evaluators.
func NewCalc(spec CalcSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) { return &calc{spec: spec}, nil }
}

type calc struct {
	spec   CalcSpec
	ctx    *exec.Context
	filter expr.Evaluator
	proj   *Projector // nil: pass the input columns through
	sel    []int
	need   []bool
}

func (c *calc) Open(ctx *exec.Context) error {
	c.ctx = ctx
	var err error
	if c.spec.Filter != nil {
		if c.filter, err = expr.Compile(c.spec.Filter, ctx.Expr); err != nil {
			return fmt.Errorf("cannot compile filter %s: %w", c.spec.Filter, err)
		}
	}
	if c.spec.Projections != nil {
		if c.proj, err = NewProjector(c.spec.Projections, ctx.Expr); err != nil {
			return err
		}
	}
	c.need = c.needed(len(c.spec.InputTypes))
	return nil
}

func (c *calc) ProcessChunk(_ int, in *chunk.Chunk) error {
	n := in.Len()
	if n == 0 {
		return nil
	}
	if c.filter != nil {
		v, err := c.filter.Eval(in)
		if err != nil {
			return err
		}
		c.sel = c.sel[:0]
		for i := 0; i < n; i++ {
			if v.I64[i] != 0 && !v.IsNull(i) {
				c.sel = append(c.sel, i)
			}
		}
		switch len(c.sel) {
		case 0:
			return nil
		case n:
		default:
			in = c.selectNeeded(in)
		}
	}
	if c.proj == nil {
		return c.ctx.Emit(in)
	}
	out, err := c.proj.Project(in)
	if err != nil {
		return err
	}
	return c.ctx.Emit(out)
}

// selectNeeded gathers the selected rows, copying only the columns the projections read.
func (c *calc) selectNeeded(in *chunk.Chunk) *chunk.Chunk {
	out := &chunk.Chunk{Kinds: make([]chunk.RowKind, len(c.sel)), Cols: make([]*chunk.Vector, len(in.Cols))}
	for k, i := range c.sel {
		out.Kinds[k] = in.Kinds[i]
	}
	for j, v := range in.Cols {
		// Columns no projection reads stay nil: evaluators only touch referenced columns.
		if c.need[j] {
			out.Cols[j] = v.Select(c.sel)
		}
	}
	return out
}

func (c *calc) needed(n int) []bool {
	need := make([]bool, n)
	if c.spec.Projections == nil {
		for i := range need {
			need[i] = true
		}
		return need
	}
	set := map[int]bool{}
	for _, p := range c.spec.Projections {
		expr.Columns(p, set)
	}
	for i := range set {
		if i < n {
			need[i] = true
		}
	}
	return need
}

func (c *calc) ProcessWatermark(int64) error { return nil }
func (c *calc) OnTimer(exec.Timer) error     { return nil }
func (c *calc) Finish() error                { return nil }
func (c *calc) Close() error                 { return nil }

// NewUnion returns a factory of Union operators, which forward the chunks of all inputs.
// Inputs have equal column types (the planner inserts casts).
func NewUnion() func() (exec.Operator, error) {
	return func() (exec.Operator, error) { return &union{}, nil }
}

type union struct{ ctx *exec.Context }

func (u *union) Open(ctx *exec.Context) error             { u.ctx = ctx; return nil }
func (u *union) ProcessChunk(_ int, c *chunk.Chunk) error { return u.ctx.Emit(c) }
func (u *union) ProcessWatermark(int64) error             { return nil }
func (u *union) OnTimer(exec.Timer) error                 { return nil }
func (u *union) Finish() error                            { return nil }
func (u *union) Close() error                             { return nil }
