package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/internal/textdist"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// binder turns AST queries into logical plans.
type binder struct {
	cat  *Catalog
	cfg  *Config
	ectx *expr.Context
	// ctes are the common table expressions in scope, innermost last.
	ctes []map[string]*ast.CTE
	// expanding guards against recursive views.
	expanding map[string]bool
}

func newBinder(cat *Catalog, cfg *Config, ectx *expr.Context) *binder {
	return &binder{cat: cat, cfg: cfg, ectx: ectx, expanding: map[string]bool{}}
}

// bindComputed binds a computed column or watermark expression over a table's physical
// columns (and earlier computed columns), returning the typed expression.
func (c *Catalog) bindComputed(t *Table, e ast.Expr, cfg *Config) (expr.Expr, error) {
	b := newBinder(c, cfg, exprContext(cfg))
	var cols []Column
	for _, tc := range t.Columns {
		if tc.Computed != nil && tc.Type.Kind == types.Unknown {
			cols = append(cols, Column{Name: tc.Name + "\x00unbound"}) // not yet typed: not referable
			continue
		}
		cols = append(cols, Column{Name: tc.Name, Qualifier: t.Name, Type: tc.Type})
	}
	return b.bindExpr(e, &scope{cols: cols})
}

func requalify(cols []Column, q string) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Qualifier = q
		out[i] = c
	}
	return out
}

// renameProject wraps r in a projection that renames its columns (column aliases).
func renameProject(r Rel, names []*ast.Ident, q string, pos ast.Pos) (Rel, error) {
	cols := r.Schema()
	if len(names) != len(cols) {
		return nil, errorf(pos, "%d column aliases given for %d columns", len(names), len(cols))
	}
	exprs := make([]expr.Expr, len(cols))
	out := make([]Column, len(cols))
	for i, c := range cols {
		exprs[i] = &expr.ColumnRef{Index: i, T: c.Type, Name: c.Name}
		c.Name = names[i].Name()
		c.Qualifier = q
		out[i] = c
	}
	return &Project{Input: r, Exprs: exprs, Cols: out}, nil
}

func identPtrs(ids []ast.Ident) []*ast.Ident {
	out := make([]*ast.Ident, len(ids))
	for i := range ids {
		out[i] = &ids[i]
	}
	return out
}

// withQualifier returns a relation whose columns carry qualifier q.
func withQualifier(r Rel, q string) Rel {
	cols := r.Schema()
	exprs := make([]expr.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &expr.ColumnRef{Index: i, T: c.Type, Name: c.Name}
	}
	return &Project{Input: r, Exprs: exprs, Cols: requalify(cols, q)}
}

func (b *binder) bindQuery(q ast.Query) (Rel, error) {
	switch q := q.(type) {
	case *ast.Select:
		return b.bindSelect(q)
	case *ast.SetOp:
		if len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil {
			return nil, errorf(q.Pos, "ORDER BY and LIMIT on a streaming query are not supported yet")
		}
		if q.Op != ast.Union {
			return nil, errorf(q.Pos, "INTERSECT and EXCEPT are not supported yet")
		}
		l, err := b.bindQuery(q.Left)
		if err != nil {
			return nil, err
		}
		r, err := b.bindQuery(q.Right)
		if err != nil {
			return nil, err
		}
		u, err := b.union(q.Pos, l, r)
		if err != nil || q.All {
			return u, err
		}
		return distinct(u), nil
	case *ast.With:
		m := map[string]*ast.CTE{}
		for i := range q.CTEs {
			m[strings.ToLower(q.CTEs[i].Name)] = &q.CTEs[i]
		}
		b.ctes = append(b.ctes, m)
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
		return b.bindQuery(q.Body)
	case *ast.Values:
		return nil, errorf(q.Pos, "VALUES is not supported yet; use a 'filesystem' or 'datagen' table")
	}
	return nil, errorf(q.Position(), "unsupported query")
}

// union builds UNION ALL of two relations, coercing columns to their common types.
func (b *binder) union(pos ast.Pos, l, r Rel) (Rel, error) {
	lc, rc := l.Schema(), r.Schema()
	if len(lc) != len(rc) {
		return nil, errorf(pos, "UNION inputs have %d and %d columns", len(lc), len(rc))
	}
	cols := make([]Column, len(lc))
	for i := range lc {
		t, err := expr.CommonType(lc[i].Type, rc[i].Type)
		if err != nil {
			return nil, errorf(pos, "UNION column %d ('%s') has incompatible types %s and %s", i+1, lc[i].Name, lc[i].Type, rc[i].Type)
		}
		cols[i] = Column{Name: lc[i].Name, Type: t}
	}
	cast := func(in Rel) (Rel, error) {
		ic := in.Schema()
		exprs := make([]expr.Expr, len(ic))
		same := true
		for i, c := range ic {
			var err error
			exprs[i], err = expr.Coerce(&expr.ColumnRef{Index: i, T: c.Type, Name: c.Name}, cols[i].Type)
			if err != nil {
				return nil, atPos(pos, err)
			}
			same = same && c.Type == cols[i].Type
		}
		if same {
			return in, nil
		}
		return &Project{Input: in, Exprs: exprs, Cols: withTypes(ic, cols)}, nil
	}
	var ins []Rel
	for _, in := range []Rel{l, r} {
		c, err := cast(in)
		if err != nil {
			return nil, err
		}
		if u, ok := c.(*Union); ok {
			ins = append(ins, u.Ins...)
		} else {
			ins = append(ins, c)
		}
	}
	return &Union{Ins: ins, Cols: cols}, nil
}

func withTypes(cols, typed []Column) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Type = typed[i].Type
		c.TimeAttr = NoTimeAttr
		out[i] = c
	}
	return out
}

// distinct groups by all columns.
func distinct(r Rel) Rel {
	cols := r.Schema()
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.TimeAttr = NoTimeAttr
		c.window = notWindowCol
		out[i] = c
	}
	return &Aggregate{Input: r, NumKeys: len(cols), Cols: out}
}

func (b *binder) lookupCTE(name string) *ast.CTE {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if c, ok := b.ctes[i][strings.ToLower(name)]; ok {
			return c
		}
	}
	return nil
}

func (b *binder) bindFrom(te ast.TableExpr) (Rel, error) {
	switch t := te.(type) {
	case *ast.TableRef:
		return b.bindTableRef(t)
	case *ast.Subquery:
		r, err := b.bindQuery(t.Query)
		if err != nil {
			return nil, err
		}
		if len(t.ColumnAliases) > 0 {
			return renameProject(r, identPtrs(t.ColumnAliases), t.Alias, t.Pos)
		}
		return withQualifier(r, t.Alias), nil
	case *ast.WindowTVF:
		return b.bindWindowTVF(t)
	case *ast.Join:
		return nil, errorf(t.Pos, "joins are not supported yet (they come with the next part of the streaming engine)")
	case *ast.LateralTable, *ast.Unnest:
		return nil, errorf(te.Position(), "table functions are not supported yet")
	}
	return nil, errorf(te.Position(), "unsupported FROM item")
}

func (b *binder) bindTableRef(t *ast.TableRef) (Rel, error) {
	name := t.Name.Name()
	if len(t.Name.Parts) > 3 {
		return nil, errorf(t.Name.Pos, "table name '%s' has too many parts", strings.Join(t.Name.Parts, "."))
	}
	if t.SystemTime != nil {
		return nil, errorf(t.SystemTime.Position(), "FOR SYSTEM_TIME AS OF (lookup and temporal joins) is not supported yet")
	}
	q := t.Alias
	if q == "" {
		q = name
	}
	var r Rel
	if cte := b.lookupCTE(name); cte != nil && len(t.Name.Parts) == 1 {
		key := "cte:" + strings.ToLower(name)
		if b.expanding[key] {
			return nil, errorf(t.Pos, "recursive WITH '%s' is not supported", name)
		}
		b.expanding[key] = true
		rel, err := b.bindQuery(cte.Query)
		delete(b.expanding, key)
		if err != nil {
			return nil, err
		}
		if len(cte.Columns) > 0 {
			if rel, err = renameProject(rel, identPtrs(cte.Columns), q, cte.Pos); err != nil {
				return nil, err
			}
		}
		r = rel
	} else if v, ok := b.cat.View(name); ok {
		key := "view:" + strings.ToLower(name)
		if b.expanding[key] {
			return nil, errorf(t.Pos, "view '%s' refers to itself", name)
		}
		b.expanding[key] = true
		saved := b.ctes
		b.ctes = nil // a view sees only the catalog
		rel, err := b.bindQuery(v.Def.Query)
		b.ctes = saved
		delete(b.expanding, key)
		if err != nil {
			var pe *Error
			if errors.As(err, &pe) {
				return nil, &Error{Pos: pe.Pos, Msg: fmt.Sprintf("in view '%s': %s", name, pe.Msg)}
			}
			return nil, fmt.Errorf("in view '%s': %w", name, err)
		}
		if len(v.Def.Columns) > 0 {
			if rel, err = renameProject(rel, identPtrs(v.Def.Columns), q, v.Def.Pos); err != nil {
				return nil, err
			}
		}
		r = rel
	} else if tab, ok := b.cat.Table(name); ok {
		if len(t.Hints) > 0 {
			var err error
			if tab, err = b.applyHints(tab, t.Hints); err != nil {
				return nil, err
			}
		}
		cols := make([]int, len(tab.Columns))
		for i := range cols {
			cols[i] = i
		}
		r = &Scan{Table: tab, Cols: cols, Alias: t.Alias}
	} else {
		msg := fmt.Sprintf("unknown table '%s'", name)
		best, bestD := "", 3
		for _, n := range b.cat.TableNames() {
			if d := textdist.Levenshtein(strings.ToLower(n), strings.ToLower(name)); d < bestD {
				best, bestD = n, d
			}
		}
		if best != "" {
			msg += fmt.Sprintf(" — did you mean '%s'?", best)
		}
		return nil, &Error{Pos: t.Name.Pos, Msg: msg}
	}
	if len(t.ColumnAliases) > 0 {
		return renameProject(r, identPtrs(t.ColumnAliases), q, t.Pos)
	}
	if _, ok := r.(*Scan); ok {
		return r, nil
	}
	return withQualifier(r, q), nil
}

// applyHints applies /*+ OPTIONS('k'='v') */ dynamic table options.
func (b *binder) applyHints(t *Table, hints []ast.Hint) (*Table, error) {
	nt := *t
	nt.RawOptions = map[string]string{}
	for k, v := range t.RawOptions {
		nt.RawOptions[k] = v
	}
	for _, h := range hints {
		if h.Name != "OPTIONS" {
			return nil, errorf(h.Pos, "unknown table hint '%s' (supported: OPTIONS)", h.Name)
		}
		for _, kv := range h.KVs {
			if kv.Key == "connector" {
				return nil, errorf(kv.KeyPos, "the 'connector' option cannot be changed by a hint")
			}
			nt.RawOptions[kv.Key] = kv.Value
		}
	}
	opts, err := nt.Factory.Spec.Validate(nt.RawOptions)
	if err != nil {
		pos := hints[0].Pos
		return nil, atPos(pos, fmt.Errorf("table '%s': %w", t.Name, err))
	}
	nt.Options = opts
	return &nt, nil
}

func (b *binder) bindWindowTVF(t *ast.WindowTVF) (Rel, error) {
	in, err := b.bindFrom(t.Table)
	if err != nil {
		return nil, err
	}
	s := &scope{cols: in.Schema()}
	tc, err := s.lookup(&t.TimeCol)
	if err != nil {
		return nil, err
	}
	col := s.cols[tc]
	if col.TimeAttr == NoTimeAttr {
		return nil, errorf(t.TimeCol.Pos, "the window function requires the time column '%s' to be a time attribute (a WATERMARK column or PROCTIME()), but it is a plain %s", col.Name, col.Type)
	}
	ivs := make([]int64, len(t.Args))
	for i, a := range t.Args {
		if ivs[i], err = b.constInterval(a); err != nil {
			return nil, err
		}
	}
	var def WindowDef
	want := map[ast.WindowFunc][2]int{ast.Tumble: {1, 2}, ast.Hop: {2, 3}, ast.Cumulate: {2, 3}, ast.Session: {1, 1}}[t.Func]
	if len(ivs) < want[0] || len(ivs) > want[1] {
		return nil, errorf(t.Pos, "wrong number of interval arguments for the window function")
	}
	switch t.Func {
	case ast.Tumble:
		def = WindowDef{Kind: TumbleWindow, Size: ivs[0]}
		if len(ivs) > 1 {
			def.Offset = ivs[1]
		}
	case ast.Hop:
		def = WindowDef{Kind: HopWindow, Slide: ivs[0], Size: ivs[1]}
		if len(ivs) > 2 {
			def.Offset = ivs[2]
		}
		if def.Size%def.Slide != 0 {
			return nil, errorf(t.Pos, "HOP window size must be an integral multiple of the slide")
		}
	case ast.Cumulate:
		def = WindowDef{Kind: CumulateWindow, Step: ivs[0], Size: ivs[1]}
		if len(ivs) > 2 {
			def.Offset = ivs[2]
		}
		if def.Size%def.Step != 0 {
			return nil, errorf(t.Pos, "CUMULATE window size must be an integral multiple of the step")
		}
	case ast.Session:
		def = WindowDef{Kind: SessionWindow, Gap: ivs[0]}
	}
	if len(t.PartitionBy) > 0 && t.Func != ast.Session {
		return nil, errorf(t.PartitionBy[0].Position(), "PARTITION BY is only allowed in SESSION windows")
	}
	w := &WindowTVF{Input: in, Def: def, TimeCol: tc, ProcTime: col.TimeAttr == ProcTime}
	for _, p := range t.PartitionBy {
		id, ok := p.(*ast.Ident)
		if !ok {
			return nil, errorf(p.Position(), "SESSION PARTITION BY takes column names")
		}
		i, err := s.lookup(id)
		if err != nil {
			return nil, err
		}
		w.PartitionBy = append(w.PartitionBy, i)
	}
	q := t.Alias
	cols := append([]Column(nil), in.Schema()...)
	if q != "" {
		cols = requalify(cols, q)
	}
	wt := windowTypes(col)
	cols = append(cols,
		Column{Name: "window_start", Qualifier: q, Type: wt[0], window: windowStartCol, tvf: w},
		Column{Name: "window_end", Qualifier: q, Type: wt[1], window: windowEndCol, tvf: w},
		Column{Name: "window_time", Qualifier: q, Type: wt[2], TimeAttr: col.TimeAttr, window: windowTimeCol, tvf: w})
	w.cols = cols
	if len(t.ColumnAliases) > 0 {
		return renameProject(w, identPtrs(t.ColumnAliases), q, t.Pos)
	}
	return w, nil
}

// windowTypes returns the types of window_start, window_end and window_time for a time
// attribute column: TIMESTAMP(3) bounds, and window_time of the attribute's type.
func windowTypes(timeCol Column) [3]types.Type {
	ts := types.TimestampType(3).WithNotNull(true)
	wt := ts
	if timeCol.Type.Kind == types.TimestampLTZ {
		wt = types.TimestampLTZType(3).WithNotNull(true)
	}
	return [3]types.Type{ts, ts, wt}
}

// expandStars replaces * and t.* select items by column items.
func expandStars(items []ast.SelectItem, s *scope) ([]ast.SelectItem, error) {
	var out []ast.SelectItem
	for _, it := range items {
		if it.Star == nil {
			out = append(out, it)
			continue
		}
		n := 0
		for _, c := range s.cols {
			if len(it.Star.Qualifier) > 0 && !strings.EqualFold(c.Qualifier, it.Star.Qualifier[len(it.Star.Qualifier)-1]) {
				continue
			}
			parts := []string{c.Name}
			if c.Qualifier != "" {
				parts = []string{c.Qualifier, c.Name}
			}
			out = append(out, ast.SelectItem{Pos: it.Pos, Expr: &ast.Ident{Pos: it.Pos, Parts: parts}})
			n++
		}
		if n == 0 {
			return nil, errorf(it.Pos, "'%s' matches no columns", it.Star.String())
		}
	}
	return out, nil
}

func itemName(it ast.SelectItem, i int) string {
	if it.Alias != "" {
		return it.Alias
	}
	switch e := it.Expr.(type) {
	case *ast.Ident:
		return e.Name()
	case *ast.FuncCall:
		if _, ok := windowAuxNames[strings.ToUpper(e.Name.Name())]; ok {
			return "EXPR$" + fmt.Sprint(i)
		}
	}
	return "EXPR$" + fmt.Sprint(i)
}

func containsAggregate(e ast.Expr) bool {
	found := false
	walkExpr(e, func(x ast.Expr) bool {
		if isAggregateCall(x) {
			found = true
		}
		return !found
	})
	return found
}

func (b *binder) bindSelect(sel *ast.Select) (Rel, error) {
	if len(sel.OrderBy) > 0 || sel.Limit != nil || sel.Offset != nil {
		return nil, errorf(sel.Pos, "ORDER BY and LIMIT on a streaming query are not supported yet")
	}
	if sel.From == nil {
		return nil, errorf(sel.Pos, "SELECT without FROM is not supported yet")
	}
	if len(sel.Windows) > 0 {
		return nil, errorf(sel.Windows[0].Pos, "named windows (WINDOW ... AS) are not supported yet")
	}
	from, err := b.bindFrom(sel.From)
	if err != nil {
		return nil, err
	}
	in := &scope{cols: from.Schema()}
	items, err := expandStars(sel.Items, in)
	if err != nil {
		return nil, err
	}
	var rel Rel = from
	if sel.Where != nil {
		if containsAggregate(sel.Where) {
			return nil, errorf(sel.Where.Position(), "aggregate functions are not allowed in WHERE; use HAVING")
		}
		cond, err := b.bindExpr(sel.Where, in)
		if err != nil {
			return nil, err
		}
		if k := cond.Type().Kind; k != types.Boolean && k != types.Unknown {
			return nil, errorf(sel.Where.Position(), "WHERE condition must be BOOLEAN, not %s", cond.Type())
		}
		rel = &Filter{Input: rel, Cond: cond}
	}
	aggregating := len(sel.GroupBy) > 0 || (sel.Having != nil)
	for _, it := range items {
		aggregating = aggregating || containsAggregate(it.Expr)
	}
	if aggregating {
		rel, err = b.bindAggregate(sel, items, rel, in)
		if err != nil {
			return nil, err
		}
	} else {
		exprs := make([]expr.Expr, len(items))
		cols := make([]Column, len(items))
		for i, it := range items {
			if exprs[i], err = b.bindExpr(it.Expr, in); err != nil {
				return nil, err
			}
			cols[i] = Column{Name: itemName(it, i), Type: exprs[i].Type()}
			switch x := exprs[i].(type) {
			case *expr.ColumnRef:
				src := in.cols[x.Index]
				cols[i].TimeAttr, cols[i].window, cols[i].tvf = src.TimeAttr, src.window, src.tvf
			case *expr.Call:
				if x.Fn.Name == "PROCTIME" {
					cols[i].TimeAttr = ProcTime
				}
			}
		}
		rel = &Project{Input: rel, Exprs: exprs, Cols: cols}
	}
	if sel.Distinct {
		rel = distinct(rel)
	}
	return rel, nil
}

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
		} else {
			timeCol = legacyTime
			procTime = in.cols[legacyTime].TimeAttr == ProcTime
		}
		for _, x := range pre {
			if refersToWindowCols(x, in.cols) {
				return nil, errorf(sel.Pos, "window_start, window_end and window_time can only be used as GROUP BY keys or in the SELECT list of a window aggregation")
			}
		}
		baseCols := base.Schema()
		tc := col(&expr.ColumnRef{Index: timeCol, T: baseCols[timeCol].Type, Name: baseCols[timeCol].Name})
		preCols := make([]Column, len(pre))
		for i, x := range pre {
			preCols[i] = Column{Name: fmt.Sprintf("$f%d", i), Type: x.Type()}
			if ref, ok := x.(*expr.ColumnRef); ok {
				preCols[i].Name = ref.Name
			}
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
			Column{Name: "window_start", Type: wt[0]},
			Column{Name: "window_end", Type: wt[1]},
			Column{Name: "window_time", Type: wt[2], TimeAttr: a.window.timeAttr})
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
		cond, err := b.bindExpr(sel.Having, post)
		if err != nil {
			return nil, err
		}
		if k := cond.Type().Kind; k != types.Boolean && k != types.Unknown {
			return nil, errorf(sel.Having.Position(), "HAVING condition must be BOOLEAN, not %s", cond.Type())
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
			cols[i].TimeAttr = aggCols[ref.Index].TimeAttr
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
