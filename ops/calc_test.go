package ops_test

import (
	"strings"
	"testing"

	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

func mustCall(t *testing.T, name string, args ...expr.Expr) expr.Expr {
	t.Helper()
	e, err := expr.NewCall(name, args)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestCalc filters and projects, keeping row kinds, with NULL filter results dropping rows.
func TestCalc(t *testing.T) {
	in := []types.Type{types.StringType, types.BigIntType}
	name := &expr.ColumnRef{Index: 0, T: types.StringType, Name: "name"}
	price := &expr.ColumnRef{Index: 1, T: types.BigIntType, Name: "price"}
	filter := mustCall(t, ">", price, expr.IntLiteral(10))
	upper := mustCall(t, "UPPER", name)
	double := mustCall(t, "*", price, expr.IntLiteral(2))
	op, err := ops.NewCalc(ops.CalcSpec{InputTypes: in, Filter: filter, Projections: []expr.Expr{upper, double, price}})()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in)
	if err := h.Process(0, "+I[a, 5]", "+I[b, 11]", "-U[c, 20]", "+U[c, 30]", "+I[d, null]", "-D[e, 12]"); err != nil {
		t.Fatal(err)
	}
	want := "+I[B, 22, 11]\n-U[C, 40, 20]\n+U[C, 60, 30]\n-D[E, 24, 12]"
	if got := strings.Join(h.Output(), "\n"); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// A chunk whose rows all fail the filter emits nothing.
	h.Drain()
	if err := h.Process(0, "+I[x, 1]", "+I[y, 2]"); err != nil {
		t.Fatal(err)
	}
	if out := h.Drain(); len(out) != 0 {
		t.Fatalf("expected no output, got %v", out)
	}
}

// TestCalcRuntimeError surfaces an evaluation error (division by zero) to the runtime.
func TestCalcRuntimeError(t *testing.T) {
	in := []types.Type{types.BigIntType}
	x := &expr.ColumnRef{Index: 0, T: types.BigIntType, Name: "x"}
	div := mustCall(t, "/", expr.IntLiteral(10), x)
	op, err := ops.NewCalc(ops.CalcSpec{InputTypes: in, Projections: []expr.Expr{div}})()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in)
	if err := h.Process(0, "+I[2]", "+I[0]"); err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Fatalf("got %v, want a division by zero error", err)
	}
}
