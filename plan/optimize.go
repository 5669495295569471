package plan

import (
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/types"
)

// optimize applies the rewrite rules to a logical plan, in order: constant folding, filter
// pushdown (through projections, filters, unions and onto group keys), projection merging and
// projection pruning down to the scans.
func (b *binder) optimize(r Rel) (Rel, error) {
	var err error
	if r, err = b.fold(r); err != nil {
		return nil, err
	}
	r = pushFilters(r)
	r = joinKeyExprs(r)
	if r, err = rankRule(r); err != nil {
		return nil, err
	}
	r = mergeProjects(r)
	all := make([]bool, len(r.Schema()))
	for i := range all {
		all[i] = true
	}
	r, _ = prune(r, all)
	return r, nil
}

// fold folds constant sub-expressions everywhere.
func (b *binder) fold(r Rel) (Rel, error) {
	var err error
	f := func(e expr.Expr) expr.Expr {
		if err != nil {
			return e
		}
		var out expr.Expr
		out, err = expr.Fold(e, b.ectx)
		if err == nil {
			out = simplify(out)
		}
		return out
	}
	var walk func(Rel) Rel
	walk = func(r Rel) Rel {
		switch x := r.(type) {
		case *Filter:
			return &Filter{Input: walk(x.Input), Cond: f(x.Cond)}
		case *Project:
			exprs := make([]expr.Expr, len(x.Exprs))
			for i, e := range x.Exprs {
				exprs[i] = f(e)
			}
			return &Project{Input: walk(x.Input), Exprs: exprs, Cols: x.Cols}
		case *Aggregate:
			c := *x
			c.Input = walk(x.Input)
			return &c
		case *WindowAggregate:
			c := *x
			c.Input = walk(x.Input)
			return &c
		case *WindowTVF:
			c := *x
			c.Input = walk(x.Input)
			return &c
		case *Union:
			ins := make([]Rel, len(x.Ins))
			for i, in := range x.Ins {
				ins[i] = walk(in)
			}
			return &Union{Ins: ins, Cols: x.Cols}
		case *Join:
			c := *x
			c.Left, c.Right = walk(x.Left), walk(x.Right)
			if x.Cond != nil {
				c.Cond = f(x.Cond)
				if isTrue(c.Cond) {
					c.Cond = nil
				}
			}
			return &c
		}
		return withInputs(r, mapRels(r.Inputs(), walk))
	}
	out := walk(r)
	return out, err
}

func isTrue(e expr.Expr) bool {
	l, ok := e.(*expr.Literal)
	return ok && !l.Value.Null && l.T.Kind == types.Boolean && l.Value.I != 0
}

func and(a, b expr.Expr) expr.Expr {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	e, err := expr.NewCall("AND", []expr.Expr{a, b})
	if err != nil {
		return nil
	}
	return e
}

// conjuncts splits a condition into its AND-ed parts.
func conjuncts(e expr.Expr) []expr.Expr {
	if c, ok := e.(*expr.Call); ok && c.Fn.Name == "AND" && len(c.Args) == 2 {
		return append(conjuncts(c.Args[0]), conjuncts(c.Args[1])...)
	}
	return []expr.Expr{e}
}

// conjoin ANDs conditions together.
func conjoin(es []expr.Expr) expr.Expr {
	var out expr.Expr
	for _, e := range es {
		out = and(out, e)
	}
	return out
}

// simplify removes boolean constants from AND and OR: TRUE AND x = x, FALSE AND x = FALSE,
// FALSE OR x = x, TRUE OR x = TRUE (all valid under three-valued logic).
func simplify(e expr.Expr) expr.Expr {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		c, ok := x.(*expr.Call)
		if !ok || len(c.Args) != 2 || (c.Fn.Name != "AND" && c.Fn.Name != "OR") {
			return x
		}
		for i, a := range c.Args {
			lit, ok := a.(*expr.Literal)
			if !ok || lit.Value.Null || lit.T.Kind != types.Boolean {
				continue
			}
			other := c.Args[1-i]
			if (c.Fn.Name == "AND") == (lit.Value.I != 0) {
				return other // TRUE AND x, FALSE OR x
			}
			return lit // FALSE AND x, TRUE OR x
		}
		return x
	})
}

// substitute replaces column references by the expressions they name.
func substitute(e expr.Expr, by []expr.Expr) expr.Expr {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if ref, ok := x.(*expr.ColumnRef); ok {
			return by[ref.Index]
		}
		return x
	})
}

// pushFilters moves filters towards the sources.
func pushFilters(r Rel) Rel {
	switch x := r.(type) {
	case *Filter:
		in := pushFilters(x.Input)
		if isTrue(x.Cond) {
			return in
		}
		if !expr.IsDeterministic(x.Cond) {
			return &Filter{Input: in, Cond: x.Cond}
		}
		switch y := in.(type) {
		case *Filter:
			if c := and(y.Cond, x.Cond); c != nil {
				return pushFilters(&Filter{Input: y.Input, Cond: c})
			}
		case *Project:
			ok := true
			expr.Walk(x.Cond, func(e expr.Expr) {
				if ref, isRef := e.(*expr.ColumnRef); isRef && !expr.IsDeterministic(y.Exprs[ref.Index]) {
					ok = false
				}
			})
			if ok {
				return &Project{Input: pushFilters(&Filter{Input: y.Input, Cond: substitute(x.Cond, y.Exprs)}), Exprs: y.Exprs, Cols: y.Cols}
			}
		case *WindowTVF:
			// The TVF's leading columns are its input's: a condition on them runs first.
			nIn := len(y.Input.Schema())
			onInput := true
			expr.Walk(x.Cond, func(e expr.Expr) {
				if ref, isRef := e.(*expr.ColumnRef); isRef && ref.Index >= nIn {
					onInput = false
				}
			})
			if onInput {
				c := *y
				c.Input = pushFilters(&Filter{Input: y.Input, Cond: x.Cond})
				return &c
			}
		case *Union:
			ins := make([]Rel, len(y.Ins))
			for i, u := range y.Ins {
				ins[i] = pushFilters(&Filter{Input: u, Cond: x.Cond})
			}
			return &Union{Ins: ins, Cols: y.Cols}
		case *Join:
			j, stay := pushIntoJoin(y, conjuncts(x.Cond))
			if len(stay) == 0 {
				return j
			}
			return &Filter{Input: j, Cond: conjoin(stay)}
		case *Aggregate:
			// Conjuncts on group keys only can run before the aggregation: the keys are the
			// first columns of both the aggregate's output and its input.
			var below, above []expr.Expr
			for _, c := range conjuncts(x.Cond) {
				onKeys := true
				expr.Walk(c, func(e expr.Expr) {
					if ref, isRef := e.(*expr.ColumnRef); isRef && ref.Index >= y.NumKeys {
						onKeys = false
					}
				})
				if onKeys {
					below = append(below, c)
				} else {
					above = append(above, c)
				}
			}
			if len(below) > 0 {
				c := *y
				c.Input = pushFilters(&Filter{Input: y.Input, Cond: conjoin(below)})
				if len(above) == 0 {
					return &c
				}
				return &Filter{Input: &c, Cond: conjoin(above)}
			}
		}
		return &Filter{Input: in, Cond: x.Cond}
	case *Project:
		return &Project{Input: pushFilters(x.Input), Exprs: x.Exprs, Cols: x.Cols}
	case *Aggregate:
		c := *x
		c.Input = pushFilters(x.Input)
		return &c
	case *WindowAggregate:
		c := *x
		c.Input = pushFilters(x.Input)
		return &c
	case *WindowTVF:
		c := *x
		c.Input = pushFilters(x.Input)
		return &c
	case *Union:
		ins := make([]Rel, len(x.Ins))
		for i, in := range x.Ins {
			ins[i] = pushFilters(in)
		}
		return &Union{Ins: ins, Cols: x.Cols}
	case *Join:
		j, _ := pushIntoJoin(x, nil)
		return j
	}
	return withInputs(r, mapRels(r.Inputs(), pushFilters))
}

// mergeProjects composes adjacent projections when the inner expressions are deterministic,
// and drops identity projections that do not rename.
func mergeProjects(r Rel) Rel {
	switch x := r.(type) {
	case *Project:
		in := mergeProjects(x.Input)
		if y, ok := in.(*Project); ok && allDeterministic(y.Exprs) {
			exprs := make([]expr.Expr, len(x.Exprs))
			for i, e := range x.Exprs {
				exprs[i] = substitute(e, y.Exprs)
			}
			return mergeProjects(&Project{Input: y.Input, Exprs: exprs, Cols: x.Cols})
		}
		return &Project{Input: in, Exprs: x.Exprs, Cols: x.Cols}
	case *Filter:
		return &Filter{Input: mergeProjects(x.Input), Cond: x.Cond}
	case *Aggregate:
		c := *x
		c.Input = mergeProjects(x.Input)
		return &c
	case *WindowAggregate:
		c := *x
		c.Input = mergeProjects(x.Input)
		return &c
	case *WindowTVF:
		c := *x
		c.Input = mergeProjects(x.Input)
		return &c
	case *Union:
		ins := make([]Rel, len(x.Ins))
		for i, in := range x.Ins {
			ins[i] = mergeProjects(in)
		}
		return &Union{Ins: ins, Cols: x.Cols}
	}
	return withInputs(r, mapRels(r.Inputs(), mergeProjects))
}

func allDeterministic(es []expr.Expr) bool {
	for _, e := range es {
		if !expr.IsDeterministic(e) {
			return false
		}
	}
	return true
}

// prune removes columns nobody needs. need has one flag per output column of r; it returns the
// new relation and, per old output column, its new index (-1 when removed).
func prune(r Rel, need []bool) (Rel, []int) {
	identity := func(n int) []int {
		m := make([]int, n)
		for i := range m {
			m[i] = i
		}
		return m
	}
	all := func(n int) []bool {
		b := make([]bool, n)
		for i := range b {
			b[i] = true
		}
		return b
	}
	remap := func(e expr.Expr, m []int) expr.Expr {
		return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
			if ref, ok := x.(*expr.ColumnRef); ok && m[ref.Index] != ref.Index {
				c := *ref
				c.Index = m[ref.Index]
				return &c
			}
			return x
		})
	}
	switch x := r.(type) {
	case *Scan:
		var cols []int
		m := make([]int, len(x.Cols))
		for i, c := range x.Cols {
			m[i] = -1
			if need[i] {
				m[i] = len(cols)
				cols = append(cols, c)
			}
		}
		return &Scan{Table: x.Table, Cols: cols, Alias: x.Alias}, m
	case *Filter:
		inNeed := append([]bool(nil), need...)
		set := map[int]bool{}
		expr.Columns(x.Cond, set)
		for i := range set {
			inNeed[i] = true
		}
		in, m := prune(x.Input, inNeed)
		f := &Filter{Input: in, Cond: remap(x.Cond, m)}
		onlyCond := false
		for i := range set {
			onlyCond = onlyCond || !need[i]
		}
		if !onlyCond {
			return f, m
		}
		// Columns only the condition reads are dropped right after it, so that operators
		// above (a join's state, an exchange) do not carry them.
		fcols := f.Schema()
		var exprs []expr.Expr
		var cols []Column
		out := make([]int, len(m))
		for i := range m {
			out[i] = -1
			if need[i] && m[i] >= 0 {
				out[i] = len(exprs)
				exprs = append(exprs, &expr.ColumnRef{Index: m[i], T: fcols[m[i]].Type, Name: fcols[m[i]].Name})
				cols = append(cols, fcols[m[i]])
			}
		}
		return &Project{Input: f, Exprs: exprs, Cols: cols}, out
	case *Project:
		inNeed := make([]bool, len(x.Input.Schema()))
		var exprs []expr.Expr
		var cols []Column
		m := make([]int, len(x.Exprs))
		for i, e := range x.Exprs {
			m[i] = -1
			if need[i] || !expr.IsDeterministic(e) {
				set := map[int]bool{}
				expr.Columns(e, set)
				for c := range set {
					inNeed[c] = true
				}
				m[i] = len(exprs)
				exprs = append(exprs, e)
				cols = append(cols, x.Cols[i])
			}
		}
		in, im := prune(x.Input, inNeed)
		for i := range exprs {
			exprs[i] = remap(exprs[i], im)
		}
		return &Project{Input: in, Exprs: exprs, Cols: cols}, m
	case *Aggregate:
		in, _ := prune(x.Input, all(len(x.Input.Schema())))
		c := *x
		c.Input = in
		return &c, identity(len(x.Cols))
	case *WindowAggregate:
		in, _ := prune(x.Input, all(len(x.Input.Schema())))
		c := *x
		c.Input = in
		return &c, identity(len(x.Cols))
	case *WindowTVF:
		nIn := len(x.Input.Schema())
		inNeed := append([]bool(nil), need[:nIn]...)
		inNeed[x.TimeCol] = true
		for _, p := range x.PartitionBy {
			inNeed[p] = true
		}
		in, im := prune(x.Input, inNeed)
		w := &WindowTVF{Input: in, Def: x.Def, TimeCol: im[x.TimeCol], ProcTime: x.ProcTime}
		for _, p := range x.PartitionBy {
			w.PartitionBy = append(w.PartitionBy, im[p])
		}
		m := make([]int, len(x.cols))
		for i, c := range x.cols {
			m[i] = -1
			if i < nIn && im[i] >= 0 {
				m[i] = im[i]
				w.cols = append(w.cols, c)
			}
		}
		newIn := len(w.cols)
		for k := 0; k < 3; k++ {
			m[nIn+k] = newIn + k
			w.cols = append(w.cols, x.cols[nIn+k])
		}
		return w, m
	case *Union:
		ins := make([]Rel, len(x.Ins))
		var m []int
		for i, in := range x.Ins {
			ins[i], m = prune(in, need)
		}
		var cols []Column
		for i, c := range x.Cols {
			if m[i] >= 0 {
				cols = append(cols, c)
			}
		}
		return &Union{Ins: ins, Cols: cols}, m
	case *Join:
		lcols := x.Left.Schema()
		nl := len(lcols)
		set := map[int]bool{}
		if x.Cond != nil {
			expr.Columns(x.Cond, set)
		}
		lneed := make([]bool, nl)
		rneed := make([]bool, len(need)-nl)
		for i := range need {
			n := need[i] || set[i]
			if i < nl {
				lneed[i] = n
			} else {
				rneed[i-nl] = n
			}
		}
		l, lm := prune(x.Left, lneed)
		r, rm := prune(x.Right, rneed)
		newL := len(l.Schema())
		m := make([]int, len(need))
		for i := range m {
			if i < nl {
				m[i] = lm[i]
			} else if rm[i-nl] >= 0 {
				m[i] = newL + rm[i-nl]
			} else {
				m[i] = -1
			}
		}
		c := *x
		c.Left, c.Right = l, r
		if x.Cond != nil {
			c.Cond = remap(x.Cond, m)
		}
		return &c, m
	case *Rank:
		nIn := len(x.Input.Schema())
		inNeed := append([]bool(nil), need[:nIn]...)
		for _, p := range x.PartitionBy {
			inNeed[p] = true
		}
		for _, k := range x.OrderBy {
			inNeed[k.Col] = true
		}
		in, im := prune(x.Input, inNeed)
		c := *x
		c.Input = in
		c.PartitionBy = nil
		for _, p := range x.PartitionBy {
			c.PartitionBy = append(c.PartitionBy, im[p])
		}
		c.OrderBy = nil
		for _, k := range x.OrderBy {
			k.Col = im[k.Col]
			c.OrderBy = append(c.OrderBy, k)
		}
		c.Cols = nil
		m := make([]int, len(x.Cols))
		for i := 0; i < nIn; i++ {
			m[i] = im[i]
			if im[i] >= 0 {
				c.Cols = append(c.Cols, x.Cols[i])
			}
		}
		if !x.OutputRank {
			return &c, m
		}
		m[nIn] = -1
		c.OutputRank = need[nIn]
		if c.OutputRank {
			m[nIn] = len(c.Cols)
			c.Cols = append(c.Cols, x.Cols[nIn])
		}
		return &c, m
	}
	return r, identity(len(r.Schema()))
}
