package plan

import "github.com/floedb/floe/sql/ast"

// walkExpr calls fn for e and its sub-expressions (parents first) while fn returns true. It
// does not descend into subqueries.
func walkExpr(e ast.Expr, fn func(ast.Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	var kids []ast.Expr
	switch e := e.(type) {
	case *ast.Binary:
		kids = []ast.Expr{e.L, e.R}
	case *ast.Unary:
		kids = []ast.Expr{e.X}
	case *ast.FuncCall:
		kids = append(kids, e.Args...)
		kids = append(kids, e.Filter)
	case *ast.Cast:
		kids = []ast.Expr{e.Expr}
	case *ast.Case:
		kids = append(kids, e.Operand, e.Else)
		for _, w := range e.Whens {
			kids = append(kids, w.Cond, w.Result)
		}
	case *ast.In:
		kids = append(kids, e.Expr)
		kids = append(kids, e.List...)
	case *ast.Between:
		kids = []ast.Expr{e.Expr, e.Lo, e.Hi}
	case *ast.Like:
		kids = []ast.Expr{e.Expr, e.Pattern, e.Escape}
	case *ast.IsNull:
		kids = []ast.Expr{e.Expr}
	case *ast.IsBool:
		kids = []ast.Expr{e.Expr}
	case *ast.Extract:
		kids = []ast.Expr{e.Expr}
	case *ast.FloorCeil:
		kids = []ast.Expr{e.Expr}
	case *ast.Position:
		kids = []ast.Expr{e.Sub, e.Str, e.From}
	case *ast.Trim:
		kids = []ast.Expr{e.Chars, e.Expr}
	case *ast.Substring:
		kids = []ast.Expr{e.Expr, e.From, e.For}
	case *ast.Subscript:
		kids = []ast.Expr{e.Expr, e.Index}
	}
	for _, k := range kids {
		if k != nil {
			walkExpr(k, fn)
		}
	}
}
