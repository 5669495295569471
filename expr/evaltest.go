package expr

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// EvalRow compiles e and evaluates it on a single input row whose columns have the given types.
// It is meant for tests of functions and operators.
func EvalRow(e Expr, ctx *Context, row []chunk.Datum, colTypes []types.Type) (chunk.Datum, error) {
	if len(row) != len(colTypes) {
		return chunk.Datum{}, fmt.Errorf("EvalRow: %d values for %d column types", len(row), len(colTypes))
	}
	ev, err := Compile(e, ctx)
	if err != nil {
		return chunk.Datum{}, err
	}
	in := chunk.New(colTypes, 1)
	in.AppendRow(chunk.Insert, row)
	v, err := ev.Eval(in)
	if err != nil {
		return chunk.Datum{}, err
	}
	return v.Get(0), nil
}
