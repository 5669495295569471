package expr

import (
	"fmt"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// DefaultContext returns an evaluation context in UTC with the real clock.
func DefaultContext() *Context {
	return &Context{Location: time.UTC, Now: time.Now}
}

func normContext(ctx *Context) *Context {
	if ctx == nil {
		return DefaultContext()
	}
	if ctx.Location == nil || ctx.Now == nil {
		c := *ctx
		if c.Location == nil {
			c.Location = time.UTC
		}
		if c.Now == nil {
			c.Now = time.Now
		}
		return &c
	}
	return ctx
}

// Compile turns e into an Evaluator. Constant deterministic sub-expressions are evaluated once
// at compile time (unless that evaluation fails, in which case the error surfaces only when a
// row actually reaches it, e.g. 1/0 in an untaken CASE branch). Compile reports user-facing
// errors for bad constant arguments (an invalid regular expression, an unknown unit).
func Compile(e Expr, ctx *Context) (Evaluator, error) {
	c := &compiler{ctx: normContext(ctx)}
	return c.compile(e)
}

type compiler struct {
	ctx *Context
}

func (c *compiler) compile(e Expr) (Evaluator, error) {
	switch x := e.(type) {
	case *ColumnRef:
		if x.Index < 0 {
			return nil, fmt.Errorf("invalid column reference $%d", x.Index)
		}
		return &colEval{idx: x.Index}, nil
	case *Literal:
		return &litEval{t: x.T, d: x.Value}, nil
	}
	if isConstant(e) {
		if d, err := evalConstant(e, c.ctx); err == nil {
			return &litEval{t: e.Type(), d: d}, nil
		}
	}
	switch x := e.(type) {
	case *Call:
		return c.compileCall(x)
	case *Cast:
		arg, err := c.compile(x.Arg)
		if err != nil {
			return nil, err
		}
		fn, err := castFunc(x.Arg.Type(), x.T, x.Try)
		if err != nil {
			return nil, err
		}
		return &castEval{arg: arg, fn: fn, ctx: c.ctx}, nil
	case *Case:
		return c.compileCase(x)
	case nil:
		return nil, fmt.Errorf("cannot compile a nil expression")
	}
	return nil, fmt.Errorf("cannot compile expression of type %T", e)
}

func (c *compiler) compileCall(x *Call) (Evaluator, error) {
	if x.Fn == nil {
		return nil, fmt.Errorf("call without a function")
	}
	args := make([]Evaluator, len(x.Args))
	for i, a := range x.Args {
		ev, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		args[i] = ev
	}
	switch x.Fn.Name {
	case "IF":
		if len(x.Args) == 3 {
			return c.compileCase(&Case{Whens: []When{{Cond: x.Args[0], Result: x.Args[1]}}, Else: x.Args[2], T: x.T})
		}
	case "COALESCE", "IFNULL":
		ce := &coalesceEval{t: x.T, args: args}
		for i, a := range x.Args {
			if !a.Type().Equal(x.T) {
				ev, err := c.compile(&Cast{Arg: a, T: x.T.WithNotNull(a.Type().NotNull)})
				if err != nil {
					return nil, err
				}
				ce.args[i] = ev
			}
			ce.cols = append(ce.cols, columnsUsed(a))
		}
		return ce, nil
	case "AND", "OR":
		if len(args) == 2 {
			return &logicEval{and: x.Fn.Name == "AND", l: args[0], r: args[1], t: x.T,
				rcols: columnsUsed(x.Args[1])}, nil
		}
	}
	params := make([]types.Type, len(x.Args))
	consts := make([]*chunk.Datum, len(x.Args))
	for i, a := range x.Args {
		params[i] = a.Type()
		if isConstant(a) {
			if d, err := evalConstant(a, c.ctx); err == nil {
				consts[i] = &d
			}
		}
	}
	if x.Fn.Make == nil {
		return nil, fmt.Errorf("function %s has no implementation", x.Fn.Name)
	}
	k, err := x.Fn.Make(params, x.T, consts)
	if err != nil {
		return nil, err
	}
	return &callEval{name: x.Fn.Name, args: args, vecs: make([]*chunk.Vector, len(args)),
		kernel: k, nullSafe: x.Fn.NullSafe, t: x.T, ctx: c.ctx}, nil
}

func (c *compiler) compileCase(x *Case) (Evaluator, error) {
	ce := &caseEval{t: x.T}
	branch := func(e Expr) (Evaluator, []bool, error) {
		if !e.Type().Equal(x.T) {
			e = &Cast{Arg: e, T: x.T.WithNotNull(e.Type().NotNull)}
		}
		ev, err := c.compile(e)
		return ev, columnsUsed(e), err
	}
	for _, w := range x.Whens {
		cond, err := c.compile(w.Cond)
		if err != nil {
			return nil, err
		}
		res, rc, err := branch(w.Result)
		if err != nil {
			return nil, err
		}
		ce.conds = append(ce.conds, cond)
		ce.condCols = append(ce.condCols, columnsUsed(w.Cond))
		ce.results = append(ce.results, res)
		ce.resCols = append(ce.resCols, rc)
	}
	if x.Else != nil {
		ev, cols, err := branch(x.Else)
		if err != nil {
			return nil, err
		}
		ce.els, ce.elsCols = ev, cols
	}
	return ce, nil
}

// isConstant reports whether e depends on no column and only on deterministic functions.
func isConstant(e Expr) bool {
	switch x := e.(type) {
	case *Literal:
		return true
	case *ColumnRef:
		return false
	case *Cast:
		return isConstant(x.Arg)
	case *Call:
		if x.Fn == nil || !x.Fn.Deterministic {
			return false
		}
		for _, a := range x.Args {
			if !isConstant(a) {
				return false
			}
		}
		return true
	case *Case:
		for _, w := range x.Whens {
			if !isConstant(w.Cond) || !isConstant(w.Result) {
				return false
			}
		}
		return x.Else == nil || isConstant(x.Else)
	}
	return false
}

// evalConstant evaluates a column-free expression on a one-row chunk.
func evalConstant(e Expr, ctx *Context) (chunk.Datum, error) {
	if l, ok := e.(*Literal); ok {
		return l.Value, nil
	}
	c := &compiler{ctx: ctx}
	var ev Evaluator
	var err error
	switch x := e.(type) {
	case *Call:
		ev, err = c.compileCall(x)
	case *Cast:
		var arg Evaluator
		if arg, err = c.compile(x.Arg); err == nil {
			var fn castFn
			if fn, err = castFunc(x.Arg.Type(), x.T, x.Try); err == nil {
				ev = &castEval{arg: arg, fn: fn, ctx: ctx}
			}
		}
	case *Case:
		ev, err = c.compileCase(x)
	default:
		return chunk.Datum{}, fmt.Errorf("not a constant: %s", e)
	}
	if err != nil {
		return chunk.Datum{}, err
	}
	in := &chunk.Chunk{Kinds: []chunk.RowKind{chunk.Insert}}
	v, err := ev.Eval(in)
	if err != nil {
		return chunk.Datum{}, err
	}
	return v.Get(0), nil
}

// columnsUsed returns a mask of the input columns e reads.
func columnsUsed(e Expr) []bool {
	var mask []bool
	var walk func(Expr)
	walk = func(e Expr) {
		switch x := e.(type) {
		case *ColumnRef:
			for len(mask) <= x.Index {
				mask = append(mask, false)
			}
			mask[x.Index] = true
		case *Call:
			for _, a := range x.Args {
				walk(a)
			}
		case *Cast:
			walk(x.Arg)
		case *Case:
			for _, w := range x.Whens {
				walk(w.Cond)
				walk(w.Result)
			}
			if x.Else != nil {
				walk(x.Else)
			}
		}
	}
	walk(e)
	return mask
}

type colEval struct{ idx int }

func (c *colEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	if c.idx >= len(in.Cols) || in.Cols[c.idx] == nil {
		return nil, fmt.Errorf("column $%d is not in the input (%d columns)", c.idx, len(in.Cols))
	}
	return in.Cols[c.idx], nil
}

type litEval struct {
	t     types.Type
	d     chunk.Datum
	cache *chunk.Vector
}

func (l *litEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	n := in.Len()
	if l.cache == nil || l.cache.Len() != n {
		l.cache = broadcast(l.t, l.d, n)
	}
	return l.cache, nil
}

type callEval struct {
	name     string
	args     []Evaluator
	vecs     []*chunk.Vector
	kernel   Kernel
	nullSafe bool
	t        types.Type
	ctx      *Context
}

func (c *callEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	n := in.Len()
	anyNull := false
	for i, a := range c.args {
		v, err := a.Eval(in)
		if err != nil {
			return nil, err
		}
		c.vecs[i] = v
		anyNull = anyNull || v.Nulls != nil
	}
	res, err := c.kernel(c.ctx, c.vecs, n)
	if err != nil {
		if c.nullSafe || !anyNull {
			return nil, err
		}
		// The kernel may have failed on the zero values of NULL rows: retry on the rest.
		return c.retryNonNull(n)
	}
	if !c.nullSafe && anyNull {
		mergeNulls(res, c.vecs, n)
	}
	return res, nil
}

func (c *callEval) retryNonNull(n int) (*chunk.Vector, error) {
	sel := make([]int, 0, n)
	for i := 0; i < n; i++ {
		null := false
		for _, v := range c.vecs {
			if v.IsNull(i) {
				null = true
				break
			}
		}
		if !null {
			sel = append(sel, i)
		}
	}
	sub := make([]*chunk.Vector, len(c.vecs))
	for j, v := range c.vecs {
		sub[j] = v.Select(sel)
	}
	res, err := c.kernel(c.ctx, sub, len(sel))
	if err != nil {
		return nil, err
	}
	out := nullVec(c.t, n)
	for k, i := range sel {
		out.Nulls[i] = false
		copySlot(out, i, res, k, n)
	}
	compactNulls(out)
	return out, nil
}

// compactNulls drops an all-false null mask.
func compactNulls(v *chunk.Vector) {
	for _, b := range v.Nulls {
		if b {
			return
		}
	}
	v.Nulls = nil
}

// evalSubset evaluates ev for the given rows of in. When full is true the result is indexed by
// the original row number, otherwise by position in rows. Dense subsets are evaluated on the
// whole chunk first (cheaper than copying); if that fails, only the requested rows are
// evaluated so errors in rows that are not asked for never surface.
func evalSubset(ev Evaluator, in *chunk.Chunk, rows []int, cols []bool) (v *chunk.Vector, full bool, err error) {
	n := in.Len()
	if len(rows) == n {
		v, err = ev.Eval(in)
		return v, true, err
	}
	if len(rows)*4 >= n {
		if v, err = ev.Eval(in); err == nil {
			return v, true, nil
		}
	}
	v, err = ev.Eval(subChunk(in, rows, cols))
	return v, false, err
}

// logicEval is AND/OR with per-row short-circuit: the right side is only required to succeed on
// rows the left side does not decide.
type logicEval struct {
	and   bool
	l, r  Evaluator
	t     types.Type
	rcols []bool
}

func (e *logicEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	n := in.Len()
	lv, err := e.l.Eval(in)
	if err != nil {
		return nil, err
	}
	// decided: AND false, OR true.
	decided := int64(0)
	if !e.and {
		decided = 1
	}
	var need []int
	if lv.Nulls == nil {
		cnt := 0
		for _, x := range lv.I64[:n] {
			if x != decided {
				cnt++
			}
		}
		if cnt == n {
			rv, err := e.r.Eval(in)
			if err != nil {
				return nil, err
			}
			return e.combineFull(lv, rv, n), nil
		}
		if cnt == 0 {
			return retype(lv, e.t), nil
		}
		need = make([]int, 0, cnt)
		for i, x := range lv.I64[:n] {
			if x != decided {
				need = append(need, i)
			}
		}
	} else {
		need = make([]int, 0, n)
		for i := 0; i < n; i++ {
			if lv.Nulls[i] || lv.I64[i] != decided {
				need = append(need, i)
			}
		}
		if len(need) == 0 {
			return retype(lv, e.t), nil
		}
	}
	rv, full, err := evalSubset(e.r, in, need, e.rcols)
	if err != nil {
		return nil, err
	}
	out := newVec(e.t, n)
	copy(out.I64, lv.I64[:n])
	if lv.Nulls != nil {
		out.Nulls = make([]bool, n)
		copy(out.Nulls, lv.Nulls[:n])
	}
	for k, i := range need {
		j := k
		if full {
			j = i
		}
		lNull := lv.IsNull(i)
		rNull := rv.IsNull(j)
		switch {
		case !rNull && rv.I64[j] == decided:
			out.I64[i] = decided
			if out.Nulls != nil {
				out.Nulls[i] = false
			}
		case lNull || rNull:
			setNull(out, i, n)
		default:
			out.I64[i] = 1 - decided
		}
	}
	if out.Nulls != nil {
		compactNulls(out)
	}
	return out, nil
}

func (e *logicEval) combineFull(lv, rv *chunk.Vector, n int) *chunk.Vector {
	out := newVec(e.t, n)
	l, r, o := lv.I64[:n], rv.I64[:n], out.I64
	if rv.Nulls == nil {
		if e.and {
			for i := range o {
				o[i] = l[i] & r[i]
			}
		} else {
			for i := range o {
				o[i] = l[i] | r[i]
			}
		}
		return out
	}
	decided := int64(0)
	if !e.and {
		decided = 1
	}
	for i := range o {
		switch {
		case !rv.Nulls[i] && r[i] == decided:
			o[i] = decided
		case rv.Nulls[i]:
			setNull(out, i, n)
		default:
			o[i] = 1 - decided
		}
	}
	return out
}

type caseEval struct {
	t        types.Type
	conds    []Evaluator
	condCols [][]bool
	results  []Evaluator
	resCols  [][]bool
	els      Evaluator
	elsCols  []bool
}

func (c *caseEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	n := in.Len()
	out := newVec(c.t, n)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	for w, cond := range c.conds {
		if len(rows) == 0 {
			break
		}
		cv, full, err := evalSubset(cond, in, rows, c.condCols[w])
		if err != nil {
			return nil, err
		}
		take := make([]int, 0, len(rows))
		rest := make([]int, 0, len(rows))
		for k, i := range rows {
			j := k
			if full {
				j = i
			}
			if !cv.IsNull(j) && cv.I64[j] != 0 {
				take = append(take, i)
			} else {
				rest = append(rest, i)
			}
		}
		if len(take) > 0 {
			rv, full, err := evalSubset(c.results[w], in, take, c.resCols[w])
			if err != nil {
				return nil, err
			}
			scatter(out, take, rv, full, n)
		}
		rows = rest
	}
	if len(rows) > 0 {
		if c.els == nil {
			for _, i := range rows {
				setNull(out, i, n)
			}
		} else {
			rv, full, err := evalSubset(c.els, in, rows, c.elsCols)
			if err != nil {
				return nil, err
			}
			scatter(out, rows, rv, full, n)
		}
	}
	return out, nil
}

// castEval applies a cast function to its argument's vector.
type castEval struct {
	arg Evaluator
	fn  castFn
	ctx *Context
}

func (c *castEval) Eval(in *chunk.Chunk) (*chunk.Vector, error) {
	v, err := c.arg.Eval(in)
	if err != nil {
		return nil, err
	}
	return c.fn(c.ctx, v, in.Len())
}
