package plan

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// aggScope resolves expressions over an aggregation's output: group keys, aggregate calls and
// window bounds.
type aggScope struct {
	in       *scope
	keys     []string // bound String() of each group key expression
	keyTypes []types.Type
	keyNames []string
	// aggregates collected so far: their bound identity and calls over the pre-projection.
	aggKeys []string
	aggs    []aggSpec
	// collecting is true in the first pass, which only gathers aggregates.
	collecting bool
	numAggs    int
	window     *windowInfo
}

type aggSpec struct {
	name     string
	distinct bool
	args     []expr.Expr
	filter   expr.Expr
	result   types.Type
}

// display renders the aggregate call for EXPLAIN and as its output column's name.
func (s aggSpec) display() string {
	args := exprsString(s.args)
	if s.name == "COUNT" && len(s.args) == 0 {
		args = "*"
	}
	if s.distinct {
		args = "DISTINCT " + args
	}
	out := s.name + "(" + args + ")"
	if s.filter != nil {
		out += " FILTER (WHERE " + s.filter.String() + ")"
	}
	return out
}

type windowInfo struct {
	def      WindowDef
	legacy   string // legacy group window function name (TUMBLE, HOP, SESSION), "" for a TVF
	legacyAt string // bound String() of the legacy window's arguments
	types    [3]types.Type
	timeAttr TimeAttr
}

// resolve maps e onto the aggregation output if it is a group key, an aggregate or a window
// bound; ok is false when e must be bound structurally.
func (a *aggScope) resolve(b *binder, e ast.Expr) (expr.Expr, bool, error) {
	if f, ok := e.(*ast.FuncCall); ok {
		name := strings.ToUpper(b.cat.resolveFunction(f.Name.Name()))
		if isAggregateCall(f) {
			return a.bindAggCall(b, f, name)
		}
		if wc, ok := windowAuxNames[name]; ok {
			if a.window == nil || a.window.legacy == "" || !strings.HasPrefix(name, a.window.legacy+"_") {
				return nil, true, errorf(f.Pos, "%s requires the query to be grouped by the matching %s(...) group window", name, strings.SplitN(name, "_", 2)[0])
			}
			args, err := b.bindExprs(f.Args, a.in)
			if err != nil {
				return nil, true, err
			}
			if exprsString(args) != a.window.legacyAt {
				return nil, true, errorf(f.Pos, "%s arguments must match the GROUP BY %s(...) window", name, a.window.legacy)
			}
			return a.windowRef(wc), true, nil
		}
	}
	if containsAggregate(e) {
		return nil, false, nil // bind structurally, reaching the aggregate calls inside
	}
	// A group key?
	x, err := b.bindExpr(e, a.in)
	if err != nil {
		if _, ok := e.(*ast.Ident); ok {
			return nil, true, err
		}
		return nil, false, nil
	}
	if ref, ok := x.(*expr.ColumnRef); ok && a.window != nil {
		if wc := a.in.cols[ref.Index].window; wc != notWindowCol {
			return a.windowRef(wc), true, nil
		}
	}
	str := x.String()
	for i, k := range a.keys {
		if k == str {
			return &expr.ColumnRef{Index: i, T: a.keyTypes[i], Name: a.keyNames[i]}, true, nil
		}
	}
	if _, ok := x.(*expr.Literal); ok {
		return x, true, nil
	}
	if _, ok := e.(*ast.Ident); ok {
		return nil, true, errorf(e.Position(), "column '%s' must appear in the GROUP BY clause or be used in an aggregate function", e.String())
	}
	return nil, false, nil
}

func exprsString(es []expr.Expr) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, e.String())
	}
	return strings.Join(parts, ", ")
}

func (a *aggScope) windowRef(wc windowCol) expr.Expr {
	base := len(a.keys) + a.numAggs
	idx := base + int(wc) - int(windowStartCol)
	names := [...]string{"", "window_start", "window_end", "window_time"}
	return &expr.ColumnRef{Index: idx, T: a.window.types[int(wc)-1], Name: names[wc]}
}

func (a *aggScope) bindAggCall(b *binder, f *ast.FuncCall, name string) (expr.Expr, bool, error) {
	if f.Over != nil {
		return nil, true, errorf(f.Pos, "OVER windows are not supported yet")
	}
	var args []expr.Expr
	for _, ae := range f.Args {
		if containsAggregate(ae) {
			return nil, true, errorf(ae.Position(), "aggregate function calls cannot be nested")
		}
		x, err := b.bindExpr(ae, a.in)
		if err != nil {
			return nil, true, err
		}
		args = append(args, x)
	}
	if f.Star && name != "COUNT" {
		return nil, true, errorf(f.Pos, "%s(*) is not allowed; only COUNT(*)", name)
	}
	if name == "COUNT" && len(args) > 1 && !f.Distinct {
		return nil, true, errorf(f.Pos, "COUNT takes one argument")
	}
	var filter expr.Expr
	if f.Filter != nil {
		var err error
		if filter, err = b.bindExpr(f.Filter, a.in); err != nil {
			return nil, true, err
		}
		if k := filter.Type().Kind; k != types.Boolean {
			return nil, true, errorf(f.Filter.Position(), "FILTER condition must be BOOLEAN, not %s", filter.Type())
		}
	}
	argTypes := make([]types.Type, len(args))
	for i, x := range args {
		argTypes[i] = x.Type()
	}
	result, err := agg.Resolve(name, f.Distinct, argTypes)
	if err != nil {
		return nil, true, atPos(f.Pos, err)
	}
	id := fmt.Sprintf("%s(%v|%s)|%v", name, f.Distinct, exprsString(args), filter)
	idx := -1
	for i, k := range a.aggKeys {
		if k == id {
			idx = i
		}
	}
	if idx < 0 {
		if !a.collecting {
			return nil, true, fmt.Errorf("internal error: aggregate %s not collected", id)
		}
		idx = len(a.aggs)
		a.aggKeys = append(a.aggKeys, id)
		a.aggs = append(a.aggs, aggSpec{name: name, distinct: f.Distinct, args: args, filter: filter, result: result})
	}
	return &expr.ColumnRef{Index: len(a.keys) + idx, T: result, Name: a.aggs[idx].display()}, true, nil
}

// bindAggregate plans GROUP BY / aggregate queries, including window aggregations over a
// window TVF and legacy group windows.
func (b *binder) bindAggregate(sel *ast.Select, items []ast.SelectItem, rel Rel, in *scope) (Rel, error) {
	a := &aggScope{in: in}
	var keyExprs []expr.Expr
	var tvf *WindowTVF
	var sawStart, sawEnd bool
	legacyTime := -1
	for _, g := range sel.GroupBy {
		if f, ok := g.(*ast.FuncCall); ok {
			name := strings.ToUpper(f.Name.Name())
			if name == "TUMBLE" || name == "HOP" || name == "SESSION" || name == "CUMULATE" {
				if a.window != nil {
					return nil, errorf(f.Pos, "only one group window is allowed in GROUP BY")
				}
				w, tc, err := b.bindLegacyWindow(f, name, in)
				if err != nil {
					return nil, err
				}
				a.window, legacyTime = w, tc
				continue
			}
		}
		if containsAggregate(g) {
			return nil, errorf(g.Position(), "aggregate functions are not allowed in GROUP BY")
		}
		x, err := b.bindExpr(g, in)
		if err != nil {
			return nil, err
		}
		if ref, ok := x.(*expr.ColumnRef); ok {
			if c := in.cols[ref.Index]; c.window != notWindowCol {
				if tvf != nil && tvf != c.tvf {
					return nil, errorf(g.Position(), "window columns of different window functions")
				}
				tvf = c.tvf
				switch c.window {
				case windowStartCol:
					sawStart = true
				case windowEndCol:
					sawEnd = true
				case windowTimeCol:
					// window_time is determined by window_end; accepted but not a key.
				}
				continue
			}
		}
		keyExprs = append(keyExprs, x)
	}
	if tvf != nil && !(sawStart && sawEnd) {
		return nil, errorf(sel.GroupBy[0].Position(), "a window aggregation must GROUP BY both window_start and window_end")
	}
	if tvf != nil && a.window != nil {
		return nil, errorf(sel.Pos, "a query cannot use both a window table function and a legacy group window")
	}
	if tvf == nil {
		for _, c := range in.cols {
			if c.window != notWindowCol {
				return nil, errorf(sel.Pos, "grouping over a window table function without GROUP BY window_start, window_end is not supported")
			}
		}
	}
	if tvf != nil {
		tcol := tvf.Input.Schema()[tvf.TimeCol]
		a.window = &windowInfo{def: tvf.Def, types: windowTypes(tcol), timeAttr: tcol.TimeAttr}
	}
	// GROUP BY the window_start and window_end of an earlier window aggregation (possibly
	// renamed): a window aggregation again, over the windows those columns name. It runs as a
	// 1 ms tumbling window on window_end - 1 ms, which fires when the upstream windows fire.
	boundsEnd := -1
	if tvf == nil && a.window == nil {
		start, end := -1, -1
		for _, k := range keyExprs {
			if ref, ok := k.(*expr.ColumnRef); ok {
				if wp := in.cols[ref.Index].wprop; wp != nil {
					if wp.role == windowStartCol && start < 0 {
						start = ref.Index
					} else if wp.role == windowEndCol && end < 0 {
						end = ref.Index
					}
				}
			}
		}
		// Over TIMESTAMP_LTZ windows the bounds are wall-clock times, and processing-time
		// windows have no watermark: such a GROUP BY stays a group aggregation.
		if start >= 0 && end >= 0 && in.cols[start].wprop.def == in.cols[end].wprop.def && !in.cols[end].wprop.ltz && !in.cols[end].wprop.proc {
			boundsEnd = end
			a.window = &windowInfo{def: WindowDef{Kind: TumbleWindow, Size: 1000}, types: windowTypes(in.cols[end]), timeAttr: RowTime}
		}
	}
	for _, k := range keyExprs {
		a.keys = append(a.keys, k.String())
		a.keyTypes = append(a.keyTypes, k.Type())
		name := k.String()
		if ref, ok := k.(*expr.ColumnRef); ok {
			name = ref.Name
		}
		a.keyNames = append(a.keyNames, name)
	}
	// Pass 1: collect aggregates.
	a.collecting = true
	for _, it := range items {
		if _, err := b.bindExpr(it.Expr, &scope{cols: in.cols, agg: a}); err != nil {
			return nil, err
		}
	}
	if sel.Having != nil {
		if _, err := b.bindExpr(sel.Having, &scope{cols: in.cols, agg: a}); err != nil {
			return nil, err
		}
	}
	a.collecting = false
	a.numAggs = len(a.aggs)

	// Pre-projection: keys, aggregate arguments and filters (and the time column for windows).
	var pre []expr.Expr
	pre = append(pre, keyExprs...)
	col := func(e expr.Expr) int {
		s := e.String()
		for i, p := range pre {
			if p.String() == s {
				return i
			}
		}
		pre = append(pre, e)
		return len(pre) - 1
	}
	calls := make([]agg.Call, len(a.aggs))
	for i, s := range a.aggs {
		// InsertOnly is decided by the physical planner from the input's changelog mode.
		c := agg.Call{Name: s.name, Distinct: s.distinct, Filter: -1, Result: s.result}
		for _, x := range s.args {
			c.Args = append(c.Args, col(x))
			c.ArgTypes = append(c.ArgTypes, x.Type())
		}
		if s.filter != nil {
			c.Filter = col(s.filter)
		}
		calls[i] = c
	}
	var out Rel
	outCols := make([]Column, 0, len(keyExprs)+len(calls)+3)
	for i, k := range keyExprs {
		outCols = append(outCols, Column{Name: a.keyNames[i], Type: k.Type()})
		if ref, ok := k.(*expr.ColumnRef); ok && boundsEnd >= 0 {
			outCols[i].wprop = in.cols[ref.Index].wprop
		}
	}
	for _, s := range a.aggs {
		outCols = append(outCols, Column{Name: s.display(), Type: s.result})
	}
	if a.window != nil {
		// Window aggregation: the input is the window TVF's input (or, for a legacy window,
		// the FROM relation), with WHERE filters moved below the TVF.
		base := rel
		var timeCol int
		var procTime bool
		var partition []int
		if tvf != nil {
			var err error
			base, err = peelToTVFInput(rel, tvf)
			if err != nil {
				return nil, atPos(sel.Pos, err)
			}
			timeCol, procTime, partition = tvf.TimeCol, tvf.ProcTime, tvf.PartitionBy
		} else if boundsEnd < 0 {
			timeCol = legacyTime
			procTime = in.cols[legacyTime].TimeAttr == ProcTime
		}
		for _, x := range pre {
			if refersToWindowCols(x, in.cols) {
				return nil, errorf(sel.Pos, "window_start, window_end and window_time can only be used as GROUP BY keys or in the SELECT list of a window aggregation")
			}
		}
		baseCols := base.Schema()
		var timeExpr expr.Expr
		if boundsEnd >= 0 {
			end := &expr.ColumnRef{Index: boundsEnd, T: baseCols[boundsEnd].Type, Name: baseCols[boundsEnd].Name}
			var err error
			if timeExpr, err = expr.NewCall("-", []expr.Expr{end, &expr.Literal{Value: chunk.Int(1000), T: types.IntervalDT}}); err != nil {
				return nil, atPos(sel.Pos, err)
			}
		} else {
			timeExpr = &expr.ColumnRef{Index: timeCol, T: baseCols[timeCol].Type, Name: baseCols[timeCol].Name}
		}
		tc := col(timeExpr)
		preCols := make([]Column, len(pre))
		for i, x := range pre {
			preCols[i] = Column{Name: fmt.Sprintf("$f%d", i), Type: x.Type()}
			if ref, ok := x.(*expr.ColumnRef); ok {
				preCols[i].Name = ref.Name
			}
		}
		if boundsEnd >= 0 {
			preCols[tc].Name = "window_time"
		}
		wa := &WindowAggregate{Input: &Project{Input: base, Exprs: pre, Cols: preCols}, TimeCol: tc, ProcTime: procTime, Def: a.window.def, Aggs: calls}
		// Keys: for SESSION with PARTITION BY, the partition columns are the window key and
		// the remaining group keys group within each session.
		for i := range keyExprs {
			isPartition := false
			if ref, ok := keyExprs[i].(*expr.ColumnRef); ok {
				for _, p := range partition {
					isPartition = isPartition || p == ref.Index
				}
			}
			if a.window.def.Kind == SessionWindow && tvf != nil && !isPartition {
				wa.GroupCols = append(wa.GroupCols, i)
			} else {
				wa.KeyCols = append(wa.KeyCols, i)
			}
		}
		if a.window.def.Kind == SessionWindow && tvf != nil {
			for _, p := range partition {
				found := false
				for _, k := range keyExprs {
					if ref, ok := k.(*expr.ColumnRef); ok && ref.Index == p {
						found = true
					}
				}
				if !found {
					return nil, errorf(sel.Pos, "SESSION window PARTITION BY column '%s' must be a GROUP BY key", in.cols[p].Name)
				}
			}
		}
		if len(wa.GroupCols) > 0 {
			// Output order is KeyCols, GroupCols: reorder the key outputs to match.
			var order []int
			order = append(order, wa.KeyCols...)
			order = append(order, wa.GroupCols...)
			perm := make([]Column, len(order))
			for i, k := range order {
				perm[i] = outCols[k]
			}
			copy(outCols, perm)
			a.permuteKeys(order)
		}
		wt := a.window.types
		outCols = append(outCols,
			Column{Name: "window_start", Type: wt[0], wprop: &windowProp{role: windowStartCol, def: a.window.def, ltz: wt[2].Kind == types.TimestampLTZ, proc: a.window.timeAttr == ProcTime}},
			Column{Name: "window_end", Type: wt[1], wprop: &windowProp{role: windowEndCol, def: a.window.def, ltz: wt[2].Kind == types.TimestampLTZ, proc: a.window.timeAttr == ProcTime}},
			Column{Name: "window_time", Type: wt[2], TimeAttr: a.window.timeAttr})
		if boundsEnd >= 0 {
			// The 1 ms windows are an implementation device: only the grouped bounds name windows.
			outCols[len(outCols)-3].wprop, outCols[len(outCols)-2].wprop = nil, nil
		}
		wa.Cols = outCols
		out = wa
	} else {
		preCols := make([]Column, len(pre))
		for i, x := range pre {
			preCols[i] = Column{Name: fmt.Sprintf("$f%d", i), Type: x.Type()}
			if ref, ok := x.(*expr.ColumnRef); ok {
				preCols[i].Name = ref.Name
			}
		}
		out = &Aggregate{Input: &Project{Input: rel, Exprs: pre, Cols: preCols}, NumKeys: len(keyExprs), Aggs: calls, Cols: outCols}
	}
	// Post: HAVING and the SELECT list over the aggregation output.
	post := &scope{cols: in.cols, agg: a}
	if sel.Having != nil {
		cond, err := b.bindCondition(sel.Having, post, "HAVING")
		if err != nil {
			return nil, err
		}
		out = &Filter{Input: out, Cond: cond}
	}
	exprs := make([]expr.Expr, len(items))
	cols := make([]Column, len(items))
	aggCols := out.Schema()
	for i, it := range items {
		x, err := b.bindExpr(it.Expr, post)
		if err != nil {
			return nil, err
		}
		exprs[i] = x
		cols[i] = Column{Name: itemName(it, i), Type: x.Type()}
		if ref, ok := x.(*expr.ColumnRef); ok {
			cols[i].TimeAttr, cols[i].wprop = aggCols[ref.Index].TimeAttr, aggCols[ref.Index].wprop
			if it.Alias == "" {
				if _, isIdent := it.Expr.(*ast.Ident); isIdent {
					cols[i].Name = ref.Name
				}
			}
		}
	}
	return &Project{Input: out, Exprs: exprs, Cols: cols}, nil
}

// permuteKeys reorders the group keys to the given order of original key positions.
func (a *aggScope) permuteKeys(order []int) {
	keys := make([]string, len(order))
	ts := make([]types.Type, len(order))
	ns := make([]string, len(order))
	for i, k := range order {
		keys[i], ts[i], ns[i] = a.keys[k], a.keyTypes[k], a.keyNames[k]
	}
	a.keys, a.keyTypes, a.keyNames = keys, ts, ns
}

// peelToTVFInput returns rel with the window TVF removed: rel must be the TVF itself or
// filters over it that do not use window columns (they are moved below the TVF, whose
// input has the same leading columns).
func peelToTVFInput(rel Rel, tvf *WindowTVF) (Rel, error) {
	switch r := rel.(type) {
	case *WindowTVF:
		if r != tvf {
			return nil, fmt.Errorf("nested window table functions are not supported")
		}
		return r.Input, nil
	case *Filter:
		in, err := peelToTVFInput(r.Input, tvf)
		if err != nil {
			return nil, err
		}
		if refersToWindowCols(r.Cond, tvf.cols) {
			return nil, fmt.Errorf("WHERE conditions on window_start, window_end or window_time are not supported before a window aggregation")
		}
		return &Filter{Input: in, Cond: r.Cond}, nil
	}
	return nil, fmt.Errorf("a window aggregation must read directly FROM TABLE(TUMBLE|HOP|CUMULATE|SESSION(...))")
}

func refersToWindowCols(e expr.Expr, cols []Column) bool {
	found := false
	expr.Walk(e, func(x expr.Expr) {
		if ref, ok := x.(*expr.ColumnRef); ok && ref.Index < len(cols) && cols[ref.Index].window != notWindowCol {
			found = true
		}
	})
	return found
}

// bindLegacyWindow binds GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size) / SESSION(ts, gap).
func (b *binder) bindLegacyWindow(f *ast.FuncCall, name string, in *scope) (*windowInfo, int, error) {
	want := map[string]int{"TUMBLE": 2, "HOP": 3, "SESSION": 2, "CUMULATE": 3}[name]
	if len(f.Args) != want {
		return nil, 0, errorf(f.Pos, "%s group window takes %d arguments", name, want)
	}
	id, ok := f.Args[0].(*ast.Ident)
	if !ok {
		return nil, 0, errorf(f.Args[0].Position(), "the first argument of %s must be a time attribute column", name)
	}
	tc, err := in.lookup(id)
	if err != nil {
		return nil, 0, err
	}
	col := in.cols[tc]
	if col.TimeAttr == NoTimeAttr {
		return nil, 0, errorf(id.Pos, "%s requires a time attribute (a WATERMARK column or PROCTIME()), but '%s' is a plain %s", name, col.Name, col.Type)
	}
	ivs := make([]int64, len(f.Args)-1)
	for i, a := range f.Args[1:] {
		if ivs[i], err = b.constInterval(a); err != nil {
			return nil, 0, err
		}
	}
	var def WindowDef
	switch name {
	case "TUMBLE":
		def = WindowDef{Kind: TumbleWindow, Size: ivs[0]}
	case "HOP":
		def = WindowDef{Kind: HopWindow, Slide: ivs[0], Size: ivs[1]}
		if def.Size%def.Slide != 0 {
			return nil, 0, errorf(f.Pos, "HOP window size must be an integral multiple of the slide")
		}
	case "CUMULATE":
		def = WindowDef{Kind: CumulateWindow, Step: ivs[0], Size: ivs[1]}
	case "SESSION":
		def = WindowDef{Kind: SessionWindow, Gap: ivs[0]}
	}
	args, err := b.bindExprs(f.Args, in)
	if err != nil {
		return nil, 0, err
	}
	return &windowInfo{def: def, legacy: name, legacyAt: exprsString(args), types: windowTypes(col), timeAttr: col.TimeAttr}, tc, nil
}
