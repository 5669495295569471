package expr

// Fold performs constant folding: every deterministic call, cast or CASE whose inputs are all
// literals is evaluated once (on a one-row chunk) and replaced by a literal of the same type.
// Sub-expressions whose evaluation fails (1/0, a bad cast) are left in place so that the error
// is raised only if a row actually evaluates them at run time. The input tree is not modified.
func Fold(e Expr, ctx *Context) (Expr, error) {
	ctx = normContext(ctx)
	return fold(e, ctx), nil
}

func fold(e Expr, ctx *Context) Expr {
	switch x := e.(type) {
	case *Call:
		args := make([]Expr, len(x.Args))
		changed := false
		for i, a := range x.Args {
			args[i] = fold(a, ctx)
			changed = changed || args[i] != a
		}
		if changed {
			e = &Call{Fn: x.Fn, Args: args, T: x.T}
		}
	case *Cast:
		if a := fold(x.Arg, ctx); a != x.Arg {
			e = &Cast{Arg: a, T: x.T, Try: x.Try}
		}
	case *Case:
		whens := make([]When, len(x.Whens))
		changed := false
		for i, w := range x.Whens {
			whens[i] = When{Cond: fold(w.Cond, ctx), Result: fold(w.Result, ctx)}
			changed = changed || whens[i].Cond != w.Cond || whens[i].Result != w.Result
		}
		els := x.Else
		if els != nil {
			els = fold(els, ctx)
			changed = changed || els != x.Else
		}
		if changed {
			e = &Case{Whens: whens, Else: els, T: x.T}
		}
	default:
		return e
	}
	if !isConstant(e) {
		return e
	}
	d, err := evalConstant(e, ctx)
	if err != nil {
		return e
	}
	t := e.Type()
	if d.Null {
		t = t.Nullable()
	}
	return &Literal{Value: d, T: t}
}
