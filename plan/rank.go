package plan

import (
	"fmt"
	"math"
	"strings"

	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// OverRank is ROW_NUMBER(), RANK() or DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...): the
// input columns plus the rank. It only runs as a Rank: a filter on the rank (rn <= N, rn = 1)
// turns it into one during optimization.
type OverRank struct {
	Input       Rel
	Func        ops.RankFunc
	FuncName    string
	PartitionBy []int
	OrderBy     []ops.SortKey
	Cols        []Column
	Pos         ast.Pos
}

// Rank keeps, per partition, the rows whose rank is in [Start, End] (Top-N, and deduplication
// for ROW_NUMBER() = 1). Output: the input columns, then the rank when OutputRank.
type Rank struct {
	Input       Rel
	Func        ops.RankFunc
	PartitionBy []int
	OrderBy     []ops.SortKey
	Start, End  int64
	OutputRank  bool
	Cols        []Column
}

// Schema and Inputs implementations.
func (o *OverRank) Schema() []Column { return o.Cols }
func (o *OverRank) Inputs() []Rel    { return []Rel{o.Input} }
func (r *Rank) Schema() []Column     { return r.Cols }
func (r *Rank) Inputs() []Rel        { return []Rel{r.Input} }

var rankFuncs = map[string]ops.RankFunc{"ROW_NUMBER": ops.RowNumber, "RANK": ops.Rank, "DENSE_RANK": ops.DenseRank}

// overCall returns the SELECT item's OVER call, if it is one.
func overCall(e ast.Expr) *ast.FuncCall {
	if f, ok := e.(*ast.FuncCall); ok && f.Over != nil {
		return f
	}
	return nil
}

// bindOverRank binds the ranking function of a SELECT list (at most one, possibly used by
// several items) over rel. It returns the new relation (rel's columns, any computed partition
// or order expressions, then the rank) and the index of the rank column, or rel and -1 when
// the SELECT list has no OVER call.
func (b *binder) bindOverRank(items []ast.SelectItem, rel Rel, in *scope) (Rel, int, error) {
	var f *ast.FuncCall
	for _, it := range items {
		var other *ast.FuncCall
		walkExpr(it.Expr, func(x ast.Expr) bool {
			if g, ok := x.(*ast.FuncCall); ok && g.Over != nil {
				if x != it.Expr {
					other = g
				} else if f == nil {
					f = g
				} else if f.String() != g.String() {
					other = g
				}
			}
			return other == nil
		})
		if other != nil {
			return nil, 0, errorf(other.Pos, "only one ranking function per SELECT is supported, used as a whole SELECT item (ROW_NUMBER() OVER (...) AS rn)")
		}
	}
	if f == nil {
		return rel, -1, nil
	}
	name := strings.ToUpper(f.Name.Name())
	fn, ok := rankFuncs[name]
	if !ok {
		return nil, 0, errorf(f.Pos, "OVER aggregations (%s(...) OVER ...) are not supported yet; ROW_NUMBER, RANK and DENSE_RANK are, in a Top-N or deduplication query", name)
	}
	if len(f.Args) > 0 || f.Distinct || f.Star || f.Filter != nil {
		return nil, 0, errorf(f.Pos, "%s takes no arguments", name)
	}
	w := f.Over
	if w.Ref || w.Name != "" {
		return nil, 0, errorf(w.Pos, "named windows are not supported yet")
	}
	if w.Frame != nil {
		return nil, 0, errorf(w.Frame.Pos, "%s does not take a window frame", name)
	}
	if len(w.OrderBy) == 0 {
		return nil, 0, errorf(w.Pos, "%s needs ORDER BY in its OVER clause", name)
	}
	// Partition and order expressions that are not columns are computed by a projection below.
	cols := append([]Column(nil), in.cols...)
	exprs := make([]expr.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &expr.ColumnRef{Index: i, T: c.Type, Name: c.Name}
	}
	colOf := func(e ast.Expr) (int, error) {
		x, err := b.bindExpr(e, in)
		if err != nil {
			return 0, err
		}
		if ref, ok := x.(*expr.ColumnRef); ok {
			return ref.Index, nil
		}
		exprs = append(exprs, x)
		cols = append(cols, Column{Name: fmt.Sprintf("$over%d", len(cols)), Type: x.Type()})
		return len(cols) - 1, nil
	}
	o := &OverRank{Func: fn, FuncName: name, Pos: f.Pos}
	for _, p := range w.PartitionBy {
		c, err := colOf(p)
		if err != nil {
			return nil, 0, err
		}
		o.PartitionBy = append(o.PartitionBy, c)
	}
	for _, it := range w.OrderBy {
		c, err := colOf(it.Expr)
		if err != nil {
			return nil, 0, err
		}
		if !orderable(cols[c].Type) {
			return nil, 0, errorf(it.Pos, "cannot order by a %s", cols[c].Type)
		}
		o.OrderBy = append(o.OrderBy, sortKey(c, it))
	}
	o.Input = rel
	if len(cols) > len(in.cols) {
		o.Input = &Project{Input: rel, Exprs: exprs, Cols: cols}
	}
	o.Cols = append(append([]Column(nil), cols...), Column{Name: strings.ToLower(name), Type: types.BigIntType.WithNotNull(true)})
	o.Cols = rankOutputCols(o)
	return o, len(cols), nil
}

// sortKey is the sort key of ORDER BY item it over column c, with Flink's default null
// placement: NULLS FIRST ascending, NULLS LAST descending.
func sortKey(c int, it ast.OrderItem) ops.SortKey {
	nullsFirst := !it.Desc
	switch it.Nulls {
	case ast.NullsFirst:
		nullsFirst = true
	case ast.NullsLast:
		nullsFirst = false
	}
	return ops.SortKey{Col: c, Desc: it.Desc, NullsFirst: nullsFirst}
}

func orderable(t types.Type) bool {
	switch t.Kind {
	case types.Map, types.Unknown:
		return false
	}
	return true
}

// rankRule turns a filter on the rank column of an OverRank into a Rank: rn <= N, rn < N,
// rn = N and rn BETWEEN a AND b bound the range; other conjuncts stay in a filter above.
func rankRule(r Rel) (Rel, error) {
	var err error
	var walk func(Rel) Rel
	walk = func(r Rel) Rel {
		if err != nil {
			return r
		}
		f, ok := r.(*Filter)
		if !ok {
			return withInputs(r, mapRels(r.Inputs(), walk))
		}
		o, ok := f.Input.(*OverRank)
		if !ok {
			return withInputs(r, mapRels(r.Inputs(), walk))
		}
		rc := len(o.Cols) - 1
		start, end := int64(1), int64(-1)
		var rest []expr.Expr
		for _, c := range conjuncts(f.Cond) {
			lo, hi, ok := rankBound(c, rc)
			if !ok {
				rest = append(rest, c)
				continue
			}
			start = max(start, lo)
			if hi >= 0 && (end < 0 || hi < end) {
				end = hi
			}
		}
		if end < 0 {
			err = errorf(o.Pos, "%s() OVER (...) needs an upper bound on its result in the enclosing WHERE (e.g. WHERE rn <= 10 for a Top-N or rn = 1 to deduplicate); other OVER windows are not supported yet", o.FuncName)
			return r
		}
		if end < start {
			err = errorf(o.Pos, "the WHERE bounds on %s() select no rank (from %d to %d)", o.FuncName, start, end)
			return r
		}
		rank := &Rank{Input: walk(o.Input), Func: o.Func, PartitionBy: o.PartitionBy, OrderBy: o.OrderBy,
			Start: start, End: end, OutputRank: true, Cols: o.Cols}
		if len(rest) == 0 {
			return rank
		}
		return &Filter{Input: rank, Cond: conjoin(rest)}
	}
	out := walk(r)
	if err != nil {
		return nil, err
	}
	// An OverRank left over had no filter on its rank.
	var leftover *OverRank
	visit(out, func(r Rel) {
		if o, ok := r.(*OverRank); ok && leftover == nil {
			leftover = o
		}
	})
	if leftover != nil {
		return nil, errorf(leftover.Pos, "%s() OVER (...) is only supported in a Top-N or deduplication query: select it in a subquery and filter on it in the enclosing WHERE (e.g. WHERE rn <= 10, or rn = 1)", leftover.FuncName)
	}
	return out, nil
}

// rankOutputCols are an OverRank's columns as a Rank's output: window bounds stay window bounds
// only when the ranking is per window (a window Top-N, whose output is insert-only and leaves
// as windows fire); otherwise the output is updating and the bounds are plain values.
func rankOutputCols(o *OverRank) []Column {
	start, end := false, false
	for _, p := range o.PartitionBy {
		if wp := o.Cols[p].wprop; wp != nil {
			start = start || wp.role == windowStartCol
			end = end || wp.role == windowEndCol
		}
	}
	cols := append([]Column(nil), o.Cols...)
	for i := range cols {
		if !(start && end) {
			cols[i].wprop = nil
		}
		cols[i].TimeAttr = NoTimeAttr
	}
	return cols
}

// rankBound matches rn <= N, rn < N, rn = N, rn >= N, rn > N (either operand order) against an
// integer constant; hi is -1 when the conjunct gives no upper bound.
func rankBound(c expr.Expr, rc int) (lo, hi int64, ok bool) {
	call, isCall := c.(*expr.Call)
	if !isCall || len(call.Args) != 2 {
		return 0, 0, false
	}
	op := call.Fn.Name
	a, b := unwrapCast(call.Args[0]), unwrapCast(call.Args[1])
	if _, isLit := a.(*expr.Literal); isLit {
		a, b = b, a
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}[op]
	}
	ref, okRef := a.(*expr.ColumnRef)
	lit, okLit := b.(*expr.Literal)
	if !okRef || !okLit || ref.Index != rc || lit.Value.Null || !isIntegerKind(lit.T.Kind) {
		return 0, 0, false
	}
	// Ranks are 1..MaxInt64: clamp the constant so that the arithmetic cannot overflow; an
	// upper bound below 1 gives the empty range [1, 0] and a clear error.
	n := max(min(lit.Value.I, math.MaxInt64-1), 0)
	switch op {
	case "<=":
		return 1, n, true
	case "<":
		return 1, max(n-1, 0), true
	case "=":
		return max(n, 1), n, true
	case ">=":
		return max(n, 1), -1, true
	case ">":
		return n + 1, -1, true
	}
	return 0, 0, false
}

func unwrapCast(e expr.Expr) expr.Expr {
	if c, ok := e.(*expr.Cast); ok {
		return unwrapCast(c.Arg)
	}
	return e
}

func isIntegerKind(k types.Kind) bool {
	switch k {
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		return true
	}
	return false
}

// visit calls fn for every relation of a plan, parents first.
func visit(r Rel, fn func(Rel)) {
	fn(r)
	for _, in := range r.Inputs() {
		visit(in, fn)
	}
}

func mapRels(rs []Rel, fn func(Rel) Rel) []Rel {
	out := make([]Rel, len(rs))
	for i, r := range rs {
		out[i] = fn(r)
	}
	return out
}

// withInputs returns a copy of r with new inputs (same count as r.Inputs()).
func withInputs(r Rel, ins []Rel) Rel {
	switch x := r.(type) {
	case *Scan:
		return x
	case *Filter:
		return &Filter{Input: ins[0], Cond: x.Cond}
	case *Project:
		return &Project{Input: ins[0], Exprs: x.Exprs, Cols: x.Cols}
	case *Aggregate:
		c := *x
		c.Input = ins[0]
		return &c
	case *WindowAggregate:
		c := *x
		c.Input = ins[0]
		return &c
	case *WindowTVF:
		c := *x
		c.Input = ins[0]
		return &c
	case *Union:
		return &Union{Ins: ins, Cols: x.Cols}
	case *Join:
		c := *x
		c.Left, c.Right = ins[0], ins[1]
		return &c
	case *OverRank:
		c := *x
		c.Input = ins[0]
		return &c
	case *Rank:
		c := *x
		c.Input = ins[0]
		return &c
	}
	panic(fmt.Sprintf("withInputs: unknown relation %T", r))
}

// bindOrderLimit plans ORDER BY ... LIMIT n [OFFSET m] over a query's result as a global Top-N
// (Flink does the same on a stream): the rows ranked m+1 .. m+n, without the rank column. ORDER
// BY items name output columns (by name, alias or 1-based position). ORDER BY without LIMIT
// would need the whole stream sorted, and is rejected.
func (b *binder) bindOrderLimit(rel Rel, pos ast.Pos, order []ast.OrderItem, limit, offset ast.Expr) (Rel, error) {
	if len(order) == 0 && limit == nil && offset == nil {
		return rel, nil
	}
	if limit == nil {
		return nil, errorf(pos, "ORDER BY or OFFSET without LIMIT would sort an unbounded stream; add LIMIT n (a Top-N), or rank with ROW_NUMBER() OVER (PARTITION BY ...)")
	}
	if len(order) == 0 {
		return nil, errorf(limit.Position(), "LIMIT on a stream needs ORDER BY (which rows to keep changes as rows arrive)")
	}
	n, err := b.constCount(limit, "LIMIT")
	if err != nil {
		return nil, err
	}
	var skip int64
	if offset != nil {
		if skip, err = b.constCount(offset, "OFFSET"); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, errorf(limit.Position(), "LIMIT 0 selects no rows")
	}
	cols := rel.Schema()
	s := &scope{cols: cols}
	r := &Rank{Input: rel, Func: ops.RowNumber, Start: skip + 1, End: skip + n, Cols: cols}
	for _, it := range order {
		c := -1
		if lit, ok := it.Expr.(*ast.Literal); ok {
			x, err := b.bindExpr(lit, s)
			if err != nil {
				return nil, err
			}
			if l, ok := x.(*expr.Literal); ok && isIntegerKind(l.T.Kind) && !l.Value.Null {
				if l.Value.I < 1 || l.Value.I > int64(len(cols)) {
					return nil, errorf(it.Pos, "ORDER BY position %d is not in the select list (1..%d)", l.Value.I, len(cols))
				}
				c = int(l.Value.I - 1)
			}
		}
		if c < 0 {
			x, err := b.bindExpr(it.Expr, s)
			if err != nil {
				return nil, err
			}
			ref, ok := x.(*expr.ColumnRef)
			if !ok {
				return nil, errorf(it.Pos, "ORDER BY of a streaming query must name a selected column (select the expression with an alias and order by the alias)")
			}
			c = ref.Index
		}
		if !orderable(cols[c].Type) {
			return nil, errorf(it.Pos, "cannot order by a %s", cols[c].Type)
		}
		r.OrderBy = append(r.OrderBy, sortKey(c, it))
	}
	return r, nil
}

// constCount evaluates a constant non-negative integer (LIMIT, OFFSET).
func (b *binder) constCount(e ast.Expr, clause string) (int64, error) {
	lit, err := b.constLiteral(e)
	if err != nil {
		return 0, err
	}
	if lit == nil || lit.Value.Null || !isIntegerKind(lit.T.Kind) || lit.Value.I < 0 {
		return 0, errorf(e.Position(), "%s must be a non-negative integer constant", clause)
	}
	return lit.Value.I, nil
}
