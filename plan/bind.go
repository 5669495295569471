package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/internal/textdist"
	"github.com/floedb/floe/ops"
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
		if err != nil {
			return nil, err
		}
		if !q.All {
			u = distinct(u)
		}
		return b.bindOrderLimit(u, q.Pos, q.OrderBy, q.Limit, q.Offset)
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
		return b.bindJoin(t)
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

// bindCondition binds a WHERE or HAVING condition, which must be BOOLEAN.
func (b *binder) bindCondition(e ast.Expr, s *scope, clause string) (expr.Expr, error) {
	cond, err := b.bindExpr(e, s)
	if err != nil {
		return nil, err
	}
	if k := cond.Type().Kind; k != types.Boolean && k != types.Unknown {
		return nil, errorf(e.Position(), "%s condition must be BOOLEAN, not %s", clause, cond.Type())
	}
	return cond, nil
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
	for _, h := range sel.Hints {
		if h.Name != "STATE_TTL" {
			return nil, errorf(h.Pos, "unknown query hint '%s' (supported: STATE_TTL)", h.Name)
		}
	}
	if err := applyStateTTLHint(from, sel.Hints); err != nil {
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
		cond, err := b.bindCondition(sel.Where, in, "WHERE")
		if err != nil {
			return nil, err
		}
		if j, ok := rel.(*Join); ok && j.Type == ops.InnerJoin && expr.IsDeterministic(cond) {
			// FROM a, b WHERE ...: the WHERE is the inner join's condition, which may make it
			// an interval or window join (and so keep its time attributes).
			nj := *j
			nj.Cond = and(j.Cond, cond)
			nj.classify()
			rel = &nj
			in = &scope{cols: rel.Schema()}
		} else {
			rel = &Filter{Input: rel, Cond: cond}
		}
	}
	aggregating := len(sel.GroupBy) > 0 || (sel.Having != nil)
	for _, it := range items {
		aggregating = aggregating || containsAggregate(it.Expr)
	}
	if aggregating {
		for _, it := range items {
			if f := overCall(it.Expr); f != nil {
				return nil, errorf(f.Pos, "OVER windows cannot be combined with GROUP BY or aggregates in one SELECT; rank in an enclosing query")
			}
		}
		rel, err = b.bindAggregate(sel, items, rel, in)
		if err != nil {
			return nil, err
		}
	} else {
		var rankCol int
		if rel, rankCol, err = b.bindOverRank(items, rel, in); err != nil {
			return nil, err
		}
		if rankCol >= 0 {
			in = &scope{cols: rel.Schema()}
		}
		exprs := make([]expr.Expr, len(items))
		cols := make([]Column, len(items))
		for i, it := range items {
			if rankCol >= 0 && overCall(it.Expr) != nil {
				exprs[i] = &expr.ColumnRef{Index: rankCol, T: in.cols[rankCol].Type, Name: in.cols[rankCol].Name}
				cols[i] = Column{Name: itemName(it, i), Type: exprs[i].Type()}
				continue
			}
			if exprs[i], err = b.bindExpr(it.Expr, in); err != nil {
				return nil, err
			}
			cols[i] = Column{Name: itemName(it, i), Type: exprs[i].Type()}
			switch x := exprs[i].(type) {
			case *expr.ColumnRef:
				src := in.cols[x.Index]
				cols[i].TimeAttr, cols[i].window, cols[i].tvf, cols[i].wprop = src.TimeAttr, src.window, src.tvf, src.wprop
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
	return b.bindOrderLimit(rel, sel.Pos, sel.OrderBy, sel.Limit, sel.Offset)
}
