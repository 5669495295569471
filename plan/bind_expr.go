package plan

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/internal/textdist"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// scope is what names resolve against while binding an expression.
type scope struct {
	cols []Column
	// agg is set while binding the SELECT list and HAVING of an aggregating query.
	agg *aggScope
}

// lookup resolves a possibly qualified column name to its index.
func (s *scope) lookup(id *ast.Ident) (int, error) {
	var qual, name string
	switch len(id.Parts) {
	case 1:
		name = id.Parts[0]
	case 2:
		qual, name = id.Parts[0], id.Parts[1]
	default:
		return -1, errorf(id.Pos, "column reference '%s' has too many parts (nested fields are not supported yet)", strings.Join(id.Parts, "."))
	}
	match := func(exact bool) []int {
		var hits []int
		for i, c := range s.cols {
			if qual != "" && !strings.EqualFold(c.Qualifier, qual) {
				continue
			}
			if (exact && c.Name == name) || (!exact && strings.EqualFold(c.Name, name)) {
				hits = append(hits, i)
			}
		}
		return hits
	}
	hits := match(true)
	if len(hits) == 0 {
		hits = match(false)
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		if qual != "" {
			known := false
			for _, c := range s.cols {
				known = known || strings.EqualFold(c.Qualifier, qual)
			}
			if !known {
				return -1, errorf(id.Pos, "unknown table or alias '%s'", qual)
			}
		}
		msg := fmt.Sprintf("unknown column '%s'", strings.Join(id.Parts, "."))
		if near := s.nearest(name); near != "" {
			msg += fmt.Sprintf(" — did you mean '%s'?", near)
		}
		return -1, &Error{Pos: id.Pos, Msg: msg}
	}
	var qs []string
	for _, h := range hits {
		q := s.cols[h].Name
		if s.cols[h].Qualifier != "" {
			q = s.cols[h].Qualifier + "." + q
		}
		qs = append(qs, "'"+q+"'")
	}
	return -1, errorf(id.Pos, "column '%s' is ambiguous: it could be %s", name, strings.Join(qs, " or "))
}

func (s *scope) nearest(name string) string {
	best, bestD := "", max(3, len(name)/3+1)
	for _, c := range s.cols {
		if d := textdist.Levenshtein(strings.ToLower(c.Name), strings.ToLower(name)); d < bestD {
			best, bestD = c.Name, d
		}
	}
	return best
}

// bindExpr binds an AST expression in a scope.
func (b *binder) bindExpr(e ast.Expr, s *scope) (expr.Expr, error) {
	if s.agg != nil {
		if out, ok, err := s.agg.resolve(b, e); ok || err != nil {
			return out, err
		}
	}
	out, err := b.bindExprInner(e, s)
	if err != nil {
		return nil, atPos(e.Position(), err)
	}
	return out, nil
}

func (b *binder) bindExprs(es []ast.Expr, s *scope) ([]expr.Expr, error) {
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		var err error
		if out[i], err = b.bindExpr(e, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (b *binder) call(pos ast.Pos, name string, args ...expr.Expr) (expr.Expr, error) {
	e, err := expr.NewCall(name, args)
	if err != nil {
		return nil, atPos(pos, err)
	}
	if constantArgs(args) {
		// Kernels check their constant arguments (units, formats, regular expressions) when
		// compiled: compile now so that a bad one is reported here, at its position.
		if _, err := expr.Compile(e, b.ectx); err != nil {
			return nil, atPos(pos, err)
		}
	}
	return e, nil
}

// constantArgs reports whether any argument is a literal, the only case where compiling a
// call can reject it.
func constantArgs(args []expr.Expr) bool {
	for _, a := range args {
		if _, ok := a.(*expr.Literal); ok {
			return true
		}
	}
	return false
}

func unitLit(u ast.TimeUnit) expr.Expr { return expr.StringLiteral(string(u)) }

func (b *binder) bindExprInner(e ast.Expr, s *scope) (expr.Expr, error) {
	switch e := e.(type) {
	case *ast.Ident:
		i, err := s.lookup(e)
		if err != nil {
			return nil, err
		}
		if s.agg != nil {
			return nil, errorf(e.Pos, "column '%s' must appear in the GROUP BY clause or be used in an aggregate function", e.Name())
		}
		c := s.cols[i]
		return &expr.ColumnRef{Index: i, T: c.Type, Name: c.Name}, nil
	case *ast.Literal:
		return bindLiteral(e)
	case *ast.IntervalLit:
		return expr.IntervalLiteral(e.Value, string(e.From), string(e.To), e.Negative)
	case *ast.TimeUnitExpr:
		return unitLit(e.Unit), nil
	case *ast.Binary:
		l, err := b.bindExpr(e.L, s)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(e.R, s)
		if err != nil {
			return nil, err
		}
		return b.call(e.OpPos, e.Op, l, r)
	case *ast.Unary:
		if e.Op == "-" {
			if lit, ok := e.X.(*ast.Literal); ok && (lit.Kind == ast.LitInteger || lit.Kind == ast.LitDecimal || lit.Kind == ast.LitApprox) {
				return expr.NumberLiteral("-" + lit.Text)
			}
		}
		x, err := b.bindExpr(e.X, s)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case "-":
			return b.call(e.Pos, "NEG", x)
		case "+":
			if !x.Type().IsNumeric() && !x.Type().IsInterval() {
				return nil, errorf(e.Pos, "unary + needs a number, not %s", x.Type())
			}
			return x, nil
		default:
			return b.call(e.Pos, "NOT", x)
		}
	case *ast.FuncCall:
		return b.bindFuncCall(e, s)
	case *ast.Cast:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		if !expr.CanCast(x.Type(), e.Type) {
			return nil, errorf(e.TypePos, "cannot cast %s to %s", x.Type(), e.Type)
		}
		c, err := expr.NewCast(x, e.Type, e.Try)
		if err != nil {
			return nil, atPos(e.TypePos, err)
		}
		return c, nil
	case *ast.Case:
		return b.bindCase(e, s)
	case *ast.In:
		if e.Subquery != nil {
			return nil, errorf(e.Pos, "IN (subquery) is not supported yet")
		}
		args := []ast.Expr{e.Expr}
		args = append(args, e.List...)
		xs, err := b.bindExprs(args, s)
		if err != nil {
			return nil, err
		}
		name := "IN"
		if e.Not {
			name = "NOT IN"
		}
		return b.call(e.Pos, name, xs...)
	case *ast.Between:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		lo, err := b.bindExpr(e.Lo, s)
		if err != nil {
			return nil, err
		}
		hi, err := b.bindExpr(e.Hi, s)
		if err != nil {
			return nil, err
		}
		between := func(lo, hi expr.Expr) (expr.Expr, error) {
			ge, err := b.call(e.Pos, ">=", x, lo)
			if err != nil {
				return nil, err
			}
			le, err := b.call(e.Pos, "<=", x, hi)
			if err != nil {
				return nil, err
			}
			return b.call(e.Pos, "AND", ge, le)
		}
		r, err := between(lo, hi)
		if err != nil {
			return nil, err
		}
		if e.Symmetric {
			r2, err := between(hi, lo)
			if err != nil {
				return nil, err
			}
			if r, err = b.call(e.Pos, "OR", r, r2); err != nil {
				return nil, err
			}
		}
		if e.Not {
			return b.call(e.Pos, "NOT", r)
		}
		return r, nil
	case *ast.Like:
		args := []ast.Expr{e.Expr, e.Pattern}
		if e.Escape != nil {
			args = append(args, e.Escape)
		}
		xs, err := b.bindExprs(args, s)
		if err != nil {
			return nil, err
		}
		name := "LIKE"
		if e.Similar {
			name = "SIMILAR TO"
		}
		r, err := b.call(e.Pos, name, xs...)
		if err != nil || !e.Not {
			return r, err
		}
		return b.call(e.Pos, "NOT", r)
	case *ast.IsNull:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		if e.Not {
			return b.call(e.Pos, "IS NOT NULL", x)
		}
		return b.call(e.Pos, "IS NULL", x)
	case *ast.IsBool:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		var name string
		switch {
		case e.Unknown && e.Not:
			name = "IS NOT NULL"
		case e.Unknown:
			name = "IS NULL"
		case e.Value && e.Not:
			name = "IS NOT TRUE"
		case e.Value:
			name = "IS TRUE"
		case e.Not:
			name = "IS NOT FALSE"
		default:
			name = "IS FALSE"
		}
		return b.call(e.Pos, name, x)
	case *ast.Extract:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		return b.call(e.Pos, "EXTRACT", unitLit(e.Unit), x)
	case *ast.FloorCeil:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		name, shown := "FLOOR_TIME", "FLOOR"
		if e.Ceil {
			name, shown = "CEIL_TIME", "CEIL"
		}
		r, err := b.call(e.Pos, name, x, unitLit(e.Unit))
		if err != nil {
			// Say FLOOR/CEIL, as written, not the internal function name.
			return nil, &Error{Pos: e.Pos, Msg: strings.ReplaceAll(err.(*Error).Msg, name, shown)}
		}
		return r, nil
	case *ast.Position:
		if e.From != nil {
			return nil, errorf(e.From.Position(), "POSITION ... FROM is not supported; use LOCATE(sub, s, from)")
		}
		xs, err := b.bindExprs([]ast.Expr{e.Sub, e.Str}, s)
		if err != nil {
			return nil, err
		}
		return b.call(e.Pos, "POSITION", xs...)
	case *ast.Trim:
		x, err := b.bindExpr(e.Expr, s)
		if err != nil {
			return nil, err
		}
		var chars expr.Expr = expr.StringLiteral(" ")
		if e.Chars != nil {
			if chars, err = b.bindExpr(e.Chars, s); err != nil {
				return nil, err
			}
		}
		mode := [...]string{"BOTH", "LEADING", "TRAILING"}[e.Where]
		return b.call(e.Pos, "TRIM", expr.StringLiteral(mode), chars, x)
	case *ast.Substring:
		args := []ast.Expr{e.Expr, e.From}
		if e.For != nil {
			args = append(args, e.For)
		}
		xs, err := b.bindExprs(args, s)
		if err != nil {
			return nil, err
		}
		return b.call(e.Pos, "SUBSTRING", xs...)
	case *ast.Subscript:
		xs, err := b.bindExprs([]ast.Expr{e.Expr, e.Index}, s)
		if err != nil {
			return nil, err
		}
		return b.call(e.Pos, "ITEM", xs...)
	case *ast.Exists, *ast.ScalarSubquery:
		return nil, errorf(e.Position(), "subqueries in expressions are not supported yet")
	case *ast.Descriptor:
		return nil, errorf(e.Pos, "DESCRIPTOR is only allowed as an argument of a window table function")
	case *ast.Star:
		return nil, errorf(e.Pos, "'*' is not allowed here")
	}
	return nil, errorf(e.Position(), "unsupported expression %s", e.String())
}

func bindLiteral(e *ast.Literal) (expr.Expr, error) {
	switch e.Kind {
	case ast.LitNull:
		return expr.NullLiteral(types.Type{}), nil
	case ast.LitBool:
		return expr.BoolLiteral(strings.EqualFold(e.Text, "TRUE")), nil
	case ast.LitInteger, ast.LitDecimal, ast.LitApprox:
		return expr.NumberLiteral(e.Text)
	case ast.LitString:
		return expr.StringLiteral(e.Text), nil
	case ast.LitDate:
		return expr.DateLiteral(e.Text)
	case ast.LitTime:
		return expr.TimeLiteral(e.Text)
	case ast.LitTimestamp:
		return expr.TimestampLiteral(e.Text)
	case ast.LitBinary:
		return nil, errorf(e.Pos, "binary string literals are not supported yet")
	}
	return nil, errorf(e.Pos, "unsupported literal %s", e.String())
}

func (b *binder) bindCase(e *ast.Case, s *scope) (expr.Expr, error) {
	var operand expr.Expr
	if e.Operand != nil {
		var err error
		if operand, err = b.bindExpr(e.Operand, s); err != nil {
			return nil, err
		}
	}
	var whens []expr.When
	var resultTypes []types.Type
	for _, w := range e.Whens {
		cond, err := b.bindExpr(w.Cond, s)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			if cond, err = b.call(w.Pos, "=", operand, cond); err != nil {
				return nil, err
			}
		}
		if cond.Type().Kind != types.Boolean && cond.Type().Kind != types.Unknown {
			return nil, errorf(w.Cond.Position(), "WHEN condition must be BOOLEAN, not %s", cond.Type())
		}
		res, err := b.bindExpr(w.Result, s)
		if err != nil {
			return nil, err
		}
		whens = append(whens, expr.When{Cond: cond, Result: res})
		resultTypes = append(resultTypes, res.Type())
	}
	var els expr.Expr
	if e.Else != nil {
		var err error
		if els, err = b.bindExpr(e.Else, s); err != nil {
			return nil, err
		}
		resultTypes = append(resultTypes, els.Type())
	} else {
		resultTypes = append(resultTypes, types.Type{})
	}
	t, err := expr.CommonType(resultTypes...)
	if err != nil {
		return nil, errorf(e.Pos, "CASE branches have incompatible types: %v", err)
	}
	for i := range whens {
		if whens[i].Result, err = expr.Coerce(whens[i].Result, t); err != nil {
			return nil, atPos(e.Whens[i].Result.Position(), err)
		}
	}
	if els != nil {
		if els, err = expr.Coerce(els, t); err != nil {
			return nil, atPos(e.Else.Position(), err)
		}
	}
	return &expr.Case{Whens: whens, Else: els, T: t}, nil
}

// aggregateNames are the aggregate functions the group and window aggregations execute.
var aggregateNames = map[string]bool{
	"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true,
	"FIRST_VALUE": true, "LAST_VALUE": true,
}

func isAggregateCall(e ast.Expr) bool {
	f, ok := e.(*ast.FuncCall)
	return ok && f.Over == nil && aggregateNames[strings.ToUpper(f.Name.Name())]
}

// windowAuxNames are the legacy group-window auxiliary functions and what they return.
var windowAuxNames = map[string]windowCol{
	"TUMBLE_START": windowStartCol, "TUMBLE_END": windowEndCol, "TUMBLE_ROWTIME": windowTimeCol, "TUMBLE_PROCTIME": windowTimeCol,
	"HOP_START": windowStartCol, "HOP_END": windowEndCol, "HOP_ROWTIME": windowTimeCol, "HOP_PROCTIME": windowTimeCol,
	"SESSION_START": windowStartCol, "SESSION_END": windowEndCol, "SESSION_ROWTIME": windowTimeCol, "SESSION_PROCTIME": windowTimeCol,
	"CUMULATE_START": windowStartCol, "CUMULATE_END": windowEndCol, "CUMULATE_ROWTIME": windowTimeCol,
}

func (b *binder) bindFuncCall(e *ast.FuncCall, s *scope) (expr.Expr, error) {
	name := strings.ToUpper(b.cat.resolveFunction(e.Name.Name()))
	if e.Over != nil {
		return nil, errorf(e.Pos, "OVER windows (%s ... OVER) are not supported yet", name)
	}
	if aggregateNames[name] {
		return nil, errorf(e.Pos, "aggregate function %s is not allowed here (only in SELECT and HAVING of a query that aggregates, and not nested)", name)
	}
	if _, ok := windowAuxNames[name]; ok {
		return nil, errorf(e.Pos, "%s is only allowed in a query grouped by the matching group window", name)
	}
	switch name {
	case "TUMBLE", "HOP", "SESSION", "CUMULATE":
		return nil, errorf(e.Pos, "group window %s(...) is only allowed in GROUP BY", name)
	}
	if e.Distinct || e.Star || e.Filter != nil {
		return nil, errorf(e.Pos, "DISTINCT, * and FILTER are only allowed in aggregate functions, and %s is not one", name)
	}
	args, err := b.bindExprs(e.Args, s)
	if err != nil {
		return nil, err
	}
	if _, ok := expr.LookupFunction(name); !ok {
		msg := fmt.Sprintf("unknown function '%s'", e.Name.Name())
		// Suggest only close names: one edit for short names, two for longer ones.
		best, bestD := "", 2
		if len(name) > 5 {
			bestD = 3
		}
		for _, n := range expr.FunctionNames() {
			if d := textdist.Levenshtein(n, name); d < bestD {
				best, bestD = n, d
			}
		}
		if best != "" {
			msg += fmt.Sprintf(" — did you mean %s?", best)
		}
		return nil, &Error{Pos: e.Pos, Msg: msg}
	}
	return b.call(e.Pos, name, args...)
}

// constLiteral binds an expression without columns and folds it: the literal, or nil when it is
// not constant.
func (b *binder) constLiteral(e ast.Expr) (*expr.Literal, error) {
	x, err := b.bindExpr(e, &scope{})
	if err != nil {
		return nil, err
	}
	f, err := expr.Fold(x, b.ectx)
	if err != nil {
		return nil, atPos(e.Position(), err)
	}
	lit, _ := f.(*expr.Literal)
	return lit, nil
}

// constInterval evaluates a constant day-time interval expression to microseconds.
func (b *binder) constInterval(e ast.Expr) (int64, error) {
	lit, err := b.constLiteral(e)
	if err != nil {
		return 0, err
	}
	if lit == nil || lit.Value.Null {
		return 0, errorf(e.Position(), "expected a constant interval")
	}
	switch lit.T.Kind {
	case types.IntervalDayTime:
		if lit.Value.I <= 0 {
			return 0, errorf(e.Position(), "window interval must be positive, got %s", chunk.FormatIntervalDayTime(lit.Value.I))
		}
		return lit.Value.I, nil
	case types.IntervalYearMonth:
		return 0, errorf(e.Position(), "window intervals must be DAY TO SECOND intervals; months and years have no fixed length")
	}
	return 0, errorf(e.Position(), "expected an INTERVAL, got %s", lit.T)
}
