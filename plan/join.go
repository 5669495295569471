package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// Join joins two relations. Its output is the left columns then the right columns; Cond is over
// that output (nil: every pair, a cross join).
type Join struct {
	Left, Right Rel
	Type        ops.JoinType
	Cond        expr.Expr
	// out says which column properties the output keeps (see joinOutput).
	out joinOutput
	// LeftTTL and RightTTL override table.exec.state.ttl for each side (STATE_TTL hint); 0
	// means the session default.
	LeftTTL, RightTTL time.Duration
	// LeftName and RightName are the inputs' aliases (for STATE_TTL hints and EXPLAIN).
	LeftName, RightName string
}

// Schema is the left columns then the right columns; the side that an outer join pads with
// NULLs becomes nullable.
func (j *Join) Schema() []Column {
	return joinCols(j.Left.Schema(), j.Right.Schema(), j.Type, j.out)
}

// Inputs returns the two sides.
func (j *Join) Inputs() []Rel { return []Rel{j.Left, j.Right} }

// joinOutput is what a join's output columns keep of its inputs' column properties.
type joinOutput uint8

const (
	// regularOutput: plain values, as in Flink: a regular join's rows are not ordered by
	// any watermark.
	regularOutput joinOutput = iota
	// intervalOutput keeps time attributes (the interval join holds back its output
	// watermark by its bounds) and window bounds.
	intervalOutput
	// windowOutput keeps window bounds only: rows leave when their window fires, up to a
	// window behind the time attributes they carry.
	windowOutput
	// bindOutput keeps everything, for binding the join condition itself.
	bindOutput
)

func joinCols(l, r []Column, t ops.JoinType, out joinOutput) []Column {
	cols := make([]Column, 0, len(l)+len(r))
	add := func(cs []Column, padded bool) {
		for _, c := range cs {
			c.window, c.tvf = notWindowCol, nil
			if out == regularOutput || out == windowOutput || (padded && out != bindOutput) {
				// A padded side's columns can be NULL: never a time attribute.
				c.TimeAttr = NoTimeAttr
			}
			if out == regularOutput || (padded && out != bindOutput) {
				c.wprop = nil
			}
			if padded {
				c.Type = c.Type.Nullable()
			}
			cols = append(cols, c)
		}
	}
	add(l, t.RightOuter())
	add(r, t.LeftOuter())
	return cols
}

func relName(te ast.TableExpr) string {
	switch t := te.(type) {
	case *ast.TableRef:
		if t.Alias != "" {
			return t.Alias
		}
		return t.Name.Name()
	case *ast.Subquery:
		return t.Alias
	case *ast.WindowTVF:
		return t.Alias
	}
	return ""
}

// bindJoin binds a JOIN (or a comma in FROM) and its ON condition.
func (b *binder) bindJoin(t *ast.Join) (Rel, error) {
	if len(t.Using) > 0 {
		return nil, errorf(t.Using[0].Pos, "JOIN ... USING is not supported yet; write the condition as ON a.col = b.col")
	}
	l, err := b.bindFrom(t.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.bindFrom(t.Right)
	if err != nil {
		return nil, err
	}
	typ := map[ast.JoinKind]ops.JoinType{ast.JoinInner: ops.InnerJoin, ast.JoinCross: ops.InnerJoin,
		ast.JoinLeft: ops.LeftJoin, ast.JoinRight: ops.RightJoin, ast.JoinFull: ops.FullJoin}[t.Kind]
	j := &Join{Left: l, Right: r, Type: typ, LeftName: relName(t.Left), RightName: relName(t.Right)}
	if t.On != nil {
		if containsAggregate(t.On) {
			return nil, errorf(t.On.Position(), "aggregate functions are not allowed in a join condition")
		}
		s := &scope{cols: joinCols(l.Schema(), r.Schema(), typ, bindOutput)}
		cond, err := b.bindCondition(t.On, s, "ON")
		if err != nil {
			return nil, err
		}
		j.Cond = cond
	} else if t.Kind != ast.JoinCross {
		return nil, errorf(t.Pos, "%s needs an ON condition", t.Kind)
	}
	j.classify()
	return j, nil
}

// classify decides whether the join keeps time attributes (interval and window joins).
func (j *Join) classify() {
	a := analyzeJoin(j.Cond, j.Left.Schema(), j.Right.Schema())
	switch {
	case a.window != nil:
		j.out = windowOutput
	case a.interval != nil:
		j.out = intervalOutput
	default:
		j.out = regularOutput
	}
}

// applyStateTTLHint applies /*+ STATE_TTL('alias' = 'duration', ...) */ of a SELECT to the
// joins of its FROM clause.
func applyStateTTLHint(from Rel, hints []ast.Hint) error {
	for _, h := range hints {
		if h.Name != "STATE_TTL" {
			continue
		}
		for _, kv := range h.KVs {
			d, err := connector.ParseDuration(kv.Value)
			if err != nil {
				return errorf(kv.KeyPos, "STATE_TTL for '%s': %v", kv.Key, err)
			}
			if !setJoinTTL(from, kv.Key, d) {
				return errorf(kv.KeyPos, "STATE_TTL names '%s', which is not an input of a join in this FROM clause", kv.Key)
			}
		}
	}
	return nil
}

func setJoinTTL(r Rel, name string, d time.Duration) bool {
	j, ok := r.(*Join)
	if !ok {
		return false
	}
	found := false
	if strings.EqualFold(j.LeftName, name) {
		j.LeftTTL, found = d, true
	}
	if strings.EqualFold(j.RightName, name) {
		j.RightTTL, found = d, true
	}
	return setJoinTTL(j.Left, name, d) || setJoinTTL(j.Right, name, d) || found
}

// joinAnalysis is what a join condition allows: equi-join keys, and either a window join (equal
// window bounds) or an interval join (bounds between the two sides' time attributes).
type joinAnalysis struct {
	leftKeys, rightKeys []int // right keys index the right input
	residual            []expr.Expr
	window              *windowJoinInfo
	interval            *intervalInfo
}

type windowJoinInfo struct {
	lStart, lEnd, rStart, rEnd int
}

// intervalInfo: right.time + lower <= left.time <= right.time + upper.
type intervalInfo struct {
	lTime, rTime int
	lower, upper int64
	proc         bool
}

// analyzeJoin splits a join condition into equi-join keys (column = column across the sides),
// window bounds, interval bounds and the residual rest.
func analyzeJoin(cond expr.Expr, lcols, rcols []Column) joinAnalysis {
	var a joinAnalysis
	nl := len(lcols)
	if cond == nil {
		return a
	}
	var rest []expr.Expr
	var ws, we [][2]int // candidate window start/end pairs (left, right)
	for _, c := range conjuncts(cond) {
		if call, ok := c.(*expr.Call); ok && call.Fn.Name == "=" {
			l, lok := call.Args[0].(*expr.ColumnRef)
			r, rok := call.Args[1].(*expr.ColumnRef)
			if lok && rok {
				if l.Index >= nl && r.Index < nl {
					l, r = r, l
				}
				if l.Index < nl && r.Index >= nl && sameKeyType(l.T, r.T) {
					li, ri := l.Index, r.Index-nl
					lp, rp := lcols[li].wprop, rcols[ri].wprop
					if lp != nil && rp != nil && lp.role == rp.role && lp.def == rp.def && !lp.proc && !rp.proc {
						if lp.role == windowStartCol {
							ws = append(ws, [2]int{li, ri})
						} else {
							we = append(we, [2]int{li, ri})
						}
						continue
					}
					a.leftKeys = append(a.leftKeys, li)
					a.rightKeys = append(a.rightKeys, ri)
					continue
				}
			}
		}
		rest = append(rest, c)
	}
	if len(ws) > 0 && len(we) > 0 {
		a.window = &windowJoinInfo{lStart: ws[0][0], rStart: ws[0][1], lEnd: we[0][0], rEnd: we[0][1]}
		ws, we = ws[1:], we[1:]
	}
	// Window bound equalities not used as the window become ordinary keys.
	for _, p := range append(ws, we...) {
		a.leftKeys = append(a.leftKeys, p[0])
		a.rightKeys = append(a.rightKeys, p[1])
	}
	if a.window == nil {
		a.interval, rest = intervalBounds(rest, lcols, rcols)
	}
	a.residual = rest
	return a
}

// sameKeyType reports whether two columns compared by = (so already of compatible types) can
// be matched by their key encodings: equal storage and, for decimals, equal scale.
func sameKeyType(l, r types.Type) bool {
	if l.Kind.Physical() != r.Kind.Physical() {
		return false
	}
	return l.Kind != types.Decimal || l.Scale == r.Scale
}

// timeTerm is a time attribute column plus a constant offset (microseconds).
type timeTerm struct {
	col    int
	offset int64
}

// linearTime matches col, col + interval, col - interval (possibly under a cast between
// timestamp precisions) over a time attribute column.
func linearTime(e expr.Expr, cols []Column) (timeTerm, bool) {
	switch x := e.(type) {
	case *expr.ColumnRef:
		if x.Index < len(cols) && cols[x.Index].TimeAttr != NoTimeAttr {
			return timeTerm{col: x.Index}, true
		}
	case *expr.Cast:
		// A cast to a timestamp of the same kind and no lower precision keeps the value.
		if k := x.T.Kind; k == types.Timestamp || k == types.TimestampLTZ {
			if at := x.Arg.Type(); at.Kind == k && x.T.Precision >= at.Precision {
				return linearTime(x.Arg, cols)
			}
		}
	case *expr.Call:
		if (x.Fn.Name == "+" || x.Fn.Name == "-") && len(x.Args) == 2 {
			lit, ok := x.Args[1].(*expr.Literal)
			if !ok || lit.Value.Null || lit.T.Kind != types.IntervalDayTime {
				return timeTerm{}, false
			}
			t, ok := linearTime(x.Args[0], cols)
			if !ok {
				return timeTerm{}, false
			}
			if x.Fn.Name == "+" {
				t.offset += lit.Value.I
			} else {
				t.offset -= lit.Value.I
			}
			return t, true
		}
	}
	return timeTerm{}, false
}

// intervalBounds finds conjuncts bounding a left time attribute by a right one from both
// sides; it returns the bounds and the other conjuncts.
func intervalBounds(conds []expr.Expr, lcols, rcols []Column) (*intervalInfo, []expr.Expr) {
	all := joinCols(lcols, rcols, ops.InnerJoin, bindOutput)
	nl := len(lcols)
	type bound struct {
		lt, rt  int
		isLower bool // a lower bound on left.time - right.time
		v       int64
		i       int
	}
	var bounds []bound
	for i, c := range conds {
		call, ok := c.(*expr.Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		op := call.Fn.Name
		if op != "<" && op != "<=" && op != ">" && op != ">=" {
			continue
		}
		x, okx := linearTime(call.Args[0], all)
		y, oky := linearTime(call.Args[1], all)
		if !okx || !oky {
			continue
		}
		// Normalize to (left term) op (right term).
		if x.col >= nl && y.col < nl {
			x, y = y, x
			op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
		}
		if x.col >= nl || y.col < nl || all[x.col].TimeAttr != all[y.col].TimeAttr {
			continue
		}
		// l + ox op r + oy  <=>  l - r op oy - ox.
		d := y.offset - x.offset
		switch op {
		case ">":
			bounds = append(bounds, bound{x.col, y.col - nl, true, d + 1, i})
		case ">=":
			bounds = append(bounds, bound{x.col, y.col - nl, true, d, i})
		case "<":
			bounds = append(bounds, bound{x.col, y.col - nl, false, d - 1, i})
		case "<=":
			bounds = append(bounds, bound{x.col, y.col - nl, false, d, i})
		}
	}
	for _, lo := range bounds {
		if !lo.isLower {
			continue
		}
		info := &intervalInfo{lTime: lo.lt, rTime: lo.rt, lower: lo.v, proc: all[lo.lt].TimeAttr == ProcTime}
		used := map[int]bool{}
		hasUpper := false
		for _, bd := range bounds {
			if bd.lt != lo.lt || bd.rt != lo.rt {
				continue
			}
			used[bd.i] = true
			if bd.isLower {
				info.lower = max(info.lower, bd.v)
			} else if !hasUpper || bd.v < info.upper {
				info.upper, hasUpper = bd.v, true
			}
		}
		if !hasUpper || info.lower > info.upper {
			// Without an upper bound there is no interval; an empty interval matches nothing,
			// which a regular join with the bounds as its condition handles (outer rows are
			// all padded).
			continue
		}
		var rest []expr.Expr
		for i, c := range conds {
			if !used[i] {
				rest = append(rest, c)
			}
		}
		return info, rest
	}
	return nil, conds
}

// sideOf tells which inputs of a join an expression refers to.
func sideOf(e expr.Expr, nl int) (left, right bool) {
	set := map[int]bool{}
	expr.Columns(e, set)
	for c := range set {
		if c < nl {
			left = true
		} else {
			right = true
		}
	}
	return left, right
}

// shiftColumns subtracts n from every column reference (to move a right-side condition onto the
// right input).
func shiftColumns(e expr.Expr, n int) expr.Expr {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if ref, ok := x.(*expr.ColumnRef); ok {
			c := *ref
			c.Index -= n
			return &c
		}
		return x
	})
}

// pushIntoJoin pushes the conjuncts of a filter above a join (nil: none) and of the join's own
// condition into the join and its inputs, as far as the join type allows; it returns the new
// join and the conjuncts that stay above it.
func pushIntoJoin(j *Join, above []expr.Expr) (Rel, []expr.Expr) {
	nl := len(j.Left.Schema())
	var toLeft, toRight, cond, stay []expr.Expr
	route := func(c expr.Expr, fromWhere bool) {
		if !expr.IsDeterministic(c) {
			if fromWhere {
				stay = append(stay, c)
			} else {
				cond = append(cond, c)
			}
			return
		}
		l, r := sideOf(c, nl)
		switch {
		case l && !r:
			// A condition on the left only: below the join when it removes left rows entirely
			// (inner and right joins for the ON condition; inner and left joins for WHERE).
			if (fromWhere && !j.Type.RightOuter()) || (!fromWhere && !j.Type.LeftOuter()) {
				toLeft = append(toLeft, c)
				return
			}
		case r && !l:
			if (fromWhere && !j.Type.LeftOuter()) || (!fromWhere && !j.Type.RightOuter()) {
				toRight = append(toRight, shiftColumns(c, nl))
				return
			}
		case l && r:
			if !fromWhere || j.Type == ops.InnerJoin {
				cond = append(cond, c)
				return
			}
		}
		if fromWhere {
			stay = append(stay, c)
		} else {
			cond = append(cond, c)
		}
	}
	if j.Cond != nil {
		for _, c := range conjuncts(j.Cond) {
			route(c, false)
		}
	}
	for _, c := range above {
		route(c, true)
	}
	out := *j
	out.Left, out.Right = j.Left, j.Right
	if len(toLeft) > 0 {
		out.Left = &Filter{Input: j.Left, Cond: conjoin(toLeft)}
	}
	if len(toRight) > 0 {
		out.Right = &Filter{Input: j.Right, Cond: conjoin(toRight)}
	}
	out.Left, out.Right = pushFilters(out.Left), pushFilters(out.Right)
	out.Cond = conjoin(cond)
	return &out, stay
}

// joinKeyExprs turns equalities between an expression of one side and an expression of the
// other (CAST(a.id AS BIGINT) = b.id, a.x + 1 = b.y) into equalities of computed columns, so
// that they partition the join and key its state instead of running as a residual condition
// of a keyless join: each input gets a projection that appends the key expressions, and a
// projection above the join drops them again.
func joinKeyExprs(r Rel) Rel {
	r = withInputs(r, mapRels(r.Inputs(), joinKeyExprs))
	j, ok := r.(*Join)
	if !ok || j.Cond == nil {
		return r
	}
	lcols, rcols := j.Left.Schema(), j.Right.Schema()
	nl, nr := len(lcols), len(rcols)
	var lx, rx []expr.Expr
	var rest []expr.Expr
	var keyConj []int // positions in rest of the key equalities, by key index
	for _, c := range conjuncts(j.Cond) {
		call, isCall := c.(*expr.Call)
		if !isCall || call.Fn.Name != "=" || !expr.IsDeterministic(c) {
			rest = append(rest, c)
			continue
		}
		a, b := call.Args[0], call.Args[1]
		_, aRef := a.(*expr.ColumnRef)
		_, bRef := b.(*expr.ColumnRef)
		al, ar := sideOf(a, nl)
		bl, br := sideOf(b, nl)
		switch {
		case al && !ar && br && !bl:
		case ar && !al && bl && !br:
			a, b = b, a
		default:
			rest = append(rest, c)
			continue
		}
		if !sameKeyType(a.Type(), b.Type()) {
			// Compare in the common type (BIGINT = DOUBLE, DECIMALs of other scales).
			t, err := expr.CommonType(a.Type(), b.Type())
			var ca, cb expr.Expr
			if err == nil {
				ca, err = expr.Coerce(a, t)
			}
			if err == nil {
				cb, err = expr.Coerce(b, t)
			}
			if err != nil || !sameKeyType(ca.Type(), cb.Type()) {
				rest = append(rest, c)
				continue
			}
			a, b = ca, cb
		} else if aRef && bRef {
			rest = append(rest, c) // already a key
			continue
		}
		lx = append(lx, a)
		rx = append(rx, shiftColumns(b, nl))
		keyConj = append(keyConj, len(rest))
		rest = append(rest, nil) // filled below
	}
	if len(lx) == 0 {
		return r
	}
	extend := func(in Rel, cols []Column, xs []expr.Expr) Rel {
		exprs := make([]expr.Expr, 0, len(cols)+len(xs))
		out := append([]Column(nil), cols...)
		for i, c := range cols {
			exprs = append(exprs, &expr.ColumnRef{Index: i, T: c.Type, Name: c.Name})
		}
		for i, x := range xs {
			exprs = append(exprs, x)
			out = append(out, Column{Name: fmt.Sprintf("$key%d", i), Type: x.Type()})
		}
		return &Project{Input: in, Exprs: exprs, Cols: out}
	}
	nk := len(lx)
	nj := *j
	nj.Left, nj.Right = extend(j.Left, lcols, lx), extend(j.Right, rcols, rx)
	ncols := nj.Schema()
	for i, c := range rest {
		if c != nil {
			// Right columns move right by the number of left key columns.
			rest[i] = expr.Rewrite(c, func(x expr.Expr) expr.Expr {
				if ref, ok := x.(*expr.ColumnRef); ok && ref.Index >= nl {
					cp := *ref
					cp.Index += nk
					return &cp
				}
				return x
			})
		}
	}
	for i, pos := range keyConj {
		li, ri := nl+i, nl+nk+nr+i
		eq, err := expr.NewCall("=", []expr.Expr{
			&expr.ColumnRef{Index: li, T: ncols[li].Type, Name: ncols[li].Name},
			&expr.ColumnRef{Index: ri, T: ncols[ri].Type, Name: ncols[ri].Name}})
		if err != nil {
			return j // type-checked equalities can always be rebuilt
		}
		rest[pos] = eq
	}
	nj.Cond = conjoin(rest)
	// Above the join: the original columns, in the original order.
	orig := j.Schema()
	exprs := make([]expr.Expr, 0, nl+nr)
	for i := 0; i < nl; i++ {
		exprs = append(exprs, &expr.ColumnRef{Index: i, T: ncols[i].Type, Name: ncols[i].Name})
	}
	for i := 0; i < nr; i++ {
		k := nl + nk + i
		exprs = append(exprs, &expr.ColumnRef{Index: k, T: ncols[k].Type, Name: ncols[k].Name})
	}
	return &Project{Input: &nj, Exprs: exprs, Cols: orig}
}
