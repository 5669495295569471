package expr

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func init() {
	register(&Function{Name: "COALESCE", Deterministic: true, NullSafe: true, Check: checkCoalesce("COALESCE", 1, -1), Make: makeCoalesce})
	register(&Function{Name: "IFNULL", Deterministic: true, NullSafe: true, Check: checkCoalesce("IFNULL", 2, 2), Make: makeCoalesce})
	register(&Function{Name: "NULLIF", Deterministic: true, NullSafe: true, Check: checkNullIf, Make: makeNullIf})
	register(&Function{Name: "IF", Deterministic: true, NullSafe: true, Check: checkIf, Make: makeIf})
}

// CheckCommonType returns a Check function for functions taking between minArgs and maxArgs
// (maxArgs < 0: unbounded) arguments that are all converted to their common type (see
// CommonType), which is the result type. Reusable by other built-ins.
func CheckCommonType(name string, minArgs, maxArgs int) func([]types.Type) ([]types.Type, types.Type, error) {
	return checkCommonN(name, minArgs, maxArgs)
}

func checkCoalesce(name string, lo, hi int) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		params, t, err := checkCommonN(name, lo, hi)(args)
		if err != nil {
			return nil, types.Type{}, err
		}
		nn := false
		for _, a := range args {
			nn = nn || a.NotNull
		}
		return params, t.WithNotNull(nn), nil
	}
}

// makeCoalesce is the eager kernel; Compile evaluates COALESCE/IFNULL lazily instead (later
// arguments only for rows still NULL).
func makeCoalesce(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		for i := 0; i < n; i++ {
			j := 0
			for j < len(args)-1 && args[j].IsNull(i) {
				j++
			}
			copySlot(out, i, args[j], i, n)
		}
		return out, nil
	}, nil
}

func checkNullIf(args []types.Type) ([]types.Type, types.Type, error) {
	if len(args) != 2 {
		return nil, types.Type{}, fmt.Errorf("NULLIF expects 2 arguments, got %d", len(args))
	}
	t, err := CommonType(args...)
	if err != nil {
		return nil, types.Type{}, fmt.Errorf("NULLIF: %v", err)
	}
	if t.Kind == types.Unknown {
		return nil, types.Type{}, fmt.Errorf("NULLIF: cannot infer a type from untyped NULL arguments")
	}
	return []types.Type{t.Nullable(), t.Nullable()}, t.Nullable(), nil
}

func makeNullIf(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	cmp := comparator(p[0], p[1])
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		a, b := args[0], args[1]
		for i := 0; i < n; i++ {
			if !a.IsNull(i) && !b.IsNull(i) && cmp(a, i, b, i) == 0 {
				setNull(out, i, n)
				continue
			}
			copySlot(out, i, a, i, n)
		}
		return out, nil
	}, nil
}

func checkIf(args []types.Type) ([]types.Type, types.Type, error) {
	if len(args) != 3 || (args[0].Kind != types.Boolean && args[0].Kind != types.Unknown) {
		return nil, types.Type{}, fmt.Errorf("IF expects (BOOLEAN, T, T), got %s", argTypeList(args))
	}
	t, err := CommonType(args[1], args[2])
	if err != nil {
		return nil, types.Type{}, fmt.Errorf("IF: %v", err)
	}
	if t.Kind == types.Unknown {
		return nil, types.Type{}, fmt.Errorf("IF: cannot infer a type from untyped NULL arguments")
	}
	return []types.Type{types.BooleanType, t.Nullable(), t.Nullable()}, t, nil
}

// makeIf is the eager kernel; Compile evaluates IF like CASE (each branch only on its rows).
func makeIf(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		c := args[0]
		for i := 0; i < n; i++ {
			src := args[2]
			if !c.IsNull(i) && c.I64[i] != 0 {
				src = args[1]
			}
			copySlot(out, i, src, i, n)
		}
		return out, nil
	}, nil
}

// coalesceEval evaluates COALESCE lazily: argument k is evaluated only on the rows where all
// earlier arguments are NULL.
type coalesceEval struct {
	t    types.Type
	args []Evaluator
	cols [][]bool
}

func (c *coalesceEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	n := in.Len()
	first, err := c.args[0].Eval(in)
	if err != nil {
		return nil, err
	}
	if first.Nulls == nil || len(c.args) == 1 {
		return retype(first, c.t), nil
	}
	out := newVec(c.t, n)
	rows := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if first.IsNull(i) {
			rows = append(rows, i)
		} else {
			copySlot(out, i, first, i, n)
		}
	}
	for k := 1; k < len(c.args) && len(rows) > 0; k++ {
		v, full, err := evalSubset(c.args[k], in, rows, c.cols[k])
		if err != nil {
			return nil, err
		}
		rest := rows[:0:0]
		for idx, i := range rows {
			j := idx
			if full {
				j = i
			}
			if v.IsNull(j) && k < len(c.args)-1 {
				rest = append(rest, i)
				continue
			}
			copySlot(out, i, v, j, n)
		}
		rows = rest
	}
	return out, nil
}
