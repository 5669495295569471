package expr

// Walk calls fn for e and every sub-expression of e, parents before children.
func Walk(e Expr, fn func(Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch e := e.(type) {
	case *Call:
		for _, a := range e.Args {
			Walk(a, fn)
		}
	case *Cast:
		Walk(e.Arg, fn)
	case *Case:
		for _, w := range e.Whens {
			Walk(w.Cond, fn)
			Walk(w.Result, fn)
		}
		Walk(e.Else, fn)
	}
}

// Rewrite returns e with every sub-expression x replaced by fn(x), children first. fn returns
// its argument unchanged to keep a node. Nodes are copied only when a child changed.
func Rewrite(e Expr, fn func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	switch x := e.(type) {
	case *Call:
		var args []Expr
		for i, a := range x.Args {
			na := Rewrite(a, fn)
			if na != a && args == nil {
				args = append([]Expr(nil), x.Args...)
			}
			if args != nil {
				args[i] = na
			}
		}
		if args != nil {
			c := *x
			c.Args = args
			e = &c
		}
	case *Cast:
		if na := Rewrite(x.Arg, fn); na != x.Arg {
			c := *x
			c.Arg = na
			e = &c
		}
	case *Case:
		changed := false
		whens := make([]When, len(x.Whens))
		for i, w := range x.Whens {
			whens[i] = When{Cond: Rewrite(w.Cond, fn), Result: Rewrite(w.Result, fn)}
			changed = changed || whens[i].Cond != w.Cond || whens[i].Result != w.Result
		}
		els := Rewrite(x.Else, fn)
		if changed || els != x.Else {
			e = &Case{Whens: whens, Else: els, T: x.T}
		}
	}
	return fn(e)
}

// Columns returns the input columns e reads, as a set.
func Columns(e Expr, into map[int]bool) {
	Walk(e, func(x Expr) {
		if c, ok := x.(*ColumnRef); ok {
			into[c.Index] = true
		}
	})
}

// IsDeterministic reports whether e gives the same value for the same input row each time.
func IsDeterministic(e Expr) bool {
	det := true
	Walk(e, func(x Expr) {
		if c, ok := x.(*Call); ok && !c.Fn.Deterministic {
			det = false
		}
	})
	return det
}
