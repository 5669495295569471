package parser

import (
	"strconv"
	"strings"

	"github.com/floedb/floe/sql/ast"
)

// Precedence climbing, lowest first:
// OR < AND < NOT < comparison/IS/IN/BETWEEN/LIKE < || < + - < * / % < unary - + < [] .

func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() ast.Expr {
	l := p.parseAnd()
	for p.isKw("OR") {
		op := p.advance()
		r := p.parseAnd()
		l = &ast.Binary{Pos: l.Position(), OpPos: op.pos, Op: ast.OpOr, L: l, R: r}
	}
	return l
}

func (p *parser) parseAnd() ast.Expr {
	l := p.parseNot()
	for p.isKw("AND") {
		op := p.advance()
		r := p.parseNot()
		l = &ast.Binary{Pos: l.Position(), OpPos: op.pos, Op: ast.OpAnd, L: l, R: r}
	}
	return l
}

func (p *parser) parseNot() ast.Expr {
	if p.isKw("NOT") {
		t := p.advance()
		p.enter()
		x := p.parseNot()
		p.leave()
		if ex, ok := x.(*ast.Exists); ok && !ex.Not {
			ex.Not = true
			ex.Pos = t.pos
			return ex
		}
		return &ast.Unary{Pos: t.pos, Op: "NOT", X: x}
	}
	return p.parseCmp()
}

var cmpOps = map[string]string{
	"=": ast.OpEq, "<>": ast.OpNe, "!=": ast.OpNe, "<": ast.OpLt, "<=": ast.OpLe, ">": ast.OpGt, ">=": ast.OpGe,
}

func (p *parser) parseCmp() ast.Expr {
	l := p.parseConcat()
	for {
		t := p.tok()
		if t.kind == tOp {
			op, ok := cmpOps[t.val]
			if !ok {
				return l
			}
			p.advance()
			if p.isKw("ANY") || p.isKw("SOME") || (p.isKw("ALL") && isOp(p.peek(1), "(")) {
				p.fail("quantified comparisons (%s) are not supported", strings.ToUpper(p.tok().val))
			}
			r := p.parseConcat()
			l = &ast.Binary{Pos: l.Position(), OpPos: t.pos, Op: op, L: l, R: r}
			continue
		}
		if isKw(t, "IS") {
			p.advance()
			not := p.acceptKw("NOT")
			switch {
			case p.acceptKw("NULL"):
				l = &ast.IsNull{Pos: l.Position(), Expr: l, Not: not}
			case p.acceptKw("TRUE"):
				l = &ast.IsBool{Pos: l.Position(), Expr: l, Value: true, Not: not}
			case p.acceptKw("FALSE"):
				l = &ast.IsBool{Pos: l.Position(), Expr: l, Value: false, Not: not}
			case p.acceptKw("UNKNOWN"):
				l = &ast.IsBool{Pos: l.Position(), Expr: l, Unknown: true, Not: not}
			case p.isKw("DISTINCT"):
				p.advance()
				p.expectKwAfter("FROM", "IS DISTINCT")
				r := p.parseConcat()
				op := ast.OpIsDistinctFrom
				if not {
					op = ast.OpIsNotDistinctFrom
				}
				l = &ast.Binary{Pos: l.Position(), OpPos: t.pos, Op: op, L: l, R: r}
			default:
				p.expected("NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS")
			}
			continue
		}
		not := false
		if isKw(t, "NOT") {
			switch upper(p.peek(1)) {
			case "IN", "BETWEEN", "LIKE", "SIMILAR":
				p.advance()
				not = true
			default:
				return l
			}
		}
		switch upper(p.tok()) {
		case "IN":
			p.advance()
			in := &ast.In{Pos: l.Position(), Expr: l, Not: not}
			p.expectOp("(")
			if p.startsQueryDirectly(0) {
				in.Subquery = p.parseQuery()
				p.expectOp(")")
			} else {
				for {
					e := p.parseExpr()
					if sq, ok := e.(*ast.ScalarSubquery); ok && len(in.List) == 0 && (isQueryContinuation(p.tok()) || p.isOp(")")) {
						// x IN ((SELECT ...) UNION ...) or x IN ((SELECT ...)): a subquery.
						in.Subquery = p.continueQuery(sq.Query)
						p.expectOp(")")
						break
					}
					in.List = append(in.List, e)
					if p.acceptOp(",") {
						continue
					}
					if !p.isOp(")") {
						p.expected("',' or ')'")
					}
					p.advance()
					break
				}
			}
			l = in
		case "BETWEEN":
			p.advance()
			b := &ast.Between{Pos: l.Position(), Expr: l, Not: not}
			if p.acceptKw("SYMMETRIC") {
				b.Symmetric = true
			} else {
				p.acceptKw("ASYMMETRIC")
			}
			b.Lo = p.parseConcat()
			p.expectKwAfter("AND", "BETWEEN ... ")
			b.Hi = p.parseConcat()
			l = b
		case "LIKE", "SIMILAR":
			lk := &ast.Like{Pos: l.Position(), Expr: l, Not: not}
			if kwTok := p.advance(); upper(kwTok) == "SIMILAR" {
				p.expectKwAfter("TO", "SIMILAR")
				lk.Similar = true
			}
			lk.Pattern = p.parseConcat()
			if p.acceptKw("ESCAPE") {
				lk.Escape = p.parseConcat()
			}
			l = lk
		default:
			return l
		}
	}
}

func (p *parser) parseConcat() ast.Expr {
	l := p.parseAdd()
	for p.isOp("||") {
		op := p.advance()
		r := p.parseAdd()
		l = &ast.Binary{Pos: l.Position(), OpPos: op.pos, Op: ast.OpConcat, L: l, R: r}
	}
	return l
}

func (p *parser) parseAdd() ast.Expr {
	l := p.parseMul()
	for p.isOp("+") || p.isOp("-") {
		op := p.advance()
		r := p.parseMul()
		l = &ast.Binary{Pos: l.Position(), OpPos: op.pos, Op: op.val, L: l, R: r}
	}
	return l
}

func (p *parser) parseMul() ast.Expr {
	l := p.parseUnary()
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		op := p.advance()
		r := p.parseUnary()
		l = &ast.Binary{Pos: l.Position(), OpPos: op.pos, Op: op.val, L: l, R: r}
	}
	return l
}

func (p *parser) parseUnary() ast.Expr {
	if p.isOp("-") || p.isOp("+") {
		t := p.advance()
		p.enter()
		x := p.parseUnary()
		p.leave()
		return &ast.Unary{Pos: t.pos, Op: t.val, X: x}
	}
	e := p.parsePrimary()
	for p.isOp("[") {
		p.advance()
		idx := p.parseExpr()
		p.expectOp("]")
		e = &ast.Subscript{Pos: e.Position(), Expr: e, Index: idx}
	}
	return e
}

func (p *parser) parsePrimary() ast.Expr {
	t := p.tok()
	switch t.kind {
	case tInteger:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitInteger, Text: t.val}
	case tDecimal:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitDecimal, Text: t.val}
	case tApprox:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitApprox, Text: t.val}
	case tString:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitString, Text: t.val}
	case tBinString:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitBinary, Text: t.val}
	case tQIdent:
		return p.parseNameOrCall()
	case tOp:
		switch t.val {
		case "(":
			if p.startsQueryDirectly(1) {
				p.advance()
				q := p.parseQuery()
				p.expectOp(")")
				return &ast.ScalarSubquery{Pos: t.pos, Query: q}
			}
			p.advance()
			e := p.parseExpr()
			if sq, ok := e.(*ast.ScalarSubquery); ok && isQueryContinuation(p.tok()) {
				// ((SELECT ...) UNION ...)
				q := p.continueQuery(sq.Query)
				p.expectOp(")")
				return &ast.ScalarSubquery{Pos: t.pos, Query: q}
			}
			if p.isOp(",") {
				p.fail("row value expressions are not supported")
			}
			p.expectOp(")")
			return e
		case "?":
			p.fail("query parameters are not supported")
		}
		p.expected("an expression")
	case tIdent:
		return p.parseKeywordPrimary(t)
	}
	p.expected("an expression")
	return nil
}

func (p *parser) parseKeywordPrimary(t token) ast.Expr {
	next := p.peek(1)
	call := isOp(next, "(")
	switch kw := upper(t); kw {
	case "NULL":
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitNull, Text: "NULL"}
	case "TRUE", "FALSE":
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitBool, Text: kw}
	case "CASE":
		return p.parseCase()
	case "CAST":
		return p.parseCast(false)
	case "TRY_CAST":
		if call {
			return p.parseCast(true)
		}
	case "EXISTS":
		p.advance()
		p.expectOp("(")
		q := p.parseQuery()
		p.expectOp(")")
		return &ast.Exists{Pos: t.pos, Query: q}
	case "INTERVAL":
		return p.parseInterval()
	case "DATE", "TIME", "TIMESTAMP":
		if next.kind == tString {
			p.advance()
			p.advance()
			k := map[string]ast.LitKind{"DATE": ast.LitDate, "TIME": ast.LitTime, "TIMESTAMP": ast.LitTimestamp}[kw]
			return &ast.Literal{Pos: t.pos, Kind: k, Text: next.val}
		}
	case "EXTRACT":
		if call {
			p.advance()
			p.advance()
			unit := p.parseTimeUnit(extractUnits, "a time unit")
			p.expectKwAfter("FROM", "EXTRACT("+string(unit))
			e := p.parseExpr()
			p.expectOp(")")
			return &ast.Extract{Pos: t.pos, Unit: unit, Expr: e}
		}
	case "FLOOR", "CEIL", "CEILING":
		if call {
			p.advance()
			p.advance()
			e := p.parseExpr()
			if p.acceptKw("TO") {
				unit := p.parseTimeUnit(floorUnits, "a time unit")
				p.expectOp(")")
				return &ast.FloorCeil{Pos: t.pos, Ceil: kw != "FLOOR", Expr: e, Unit: unit}
			}
			p.expectOp(")")
			return p.finishCall(&ast.FuncCall{Pos: t.pos, Name: ast.ObjectName{Pos: t.pos, Parts: []string{t.val}}, Args: []ast.Expr{e}})
		}
	case "POSITION":
		if call {
			p.advance()
			p.advance()
			sub := p.parseConcat()
			p.expectKwAfter("IN", "POSITION(...")
			str := p.parseConcat()
			var from ast.Expr
			if p.acceptKw("FROM") {
				from = p.parseConcat()
			}
			p.expectOp(")")
			return &ast.Position{Pos: t.pos, Sub: sub, Str: str, From: from}
		}
	case "TRIM":
		if call {
			p.advance()
			p.advance()
			tr := &ast.Trim{Pos: t.pos}
			switch {
			case p.acceptKw("BOTH"):
			case p.acceptKw("LEADING"):
				tr.Where = ast.TrimLeading
			case p.acceptKw("TRAILING"):
				tr.Where = ast.TrimTrailing
			}
			if p.acceptKw("FROM") {
				tr.Expr = p.parseExpr()
			} else {
				e := p.parseExpr()
				if p.acceptKw("FROM") {
					tr.Chars = e
					tr.Expr = p.parseExpr()
				} else {
					tr.Expr = e
				}
			}
			p.expectOp(")")
			return tr
		}
	case "SUBSTRING":
		if call {
			p.advance()
			p.advance()
			e := p.parseExpr()
			if p.acceptKw("FROM") {
				s := &ast.Substring{Pos: t.pos, Expr: e, From: p.parseExpr()}
				if p.acceptKw("FOR") {
					s.For = p.parseExpr()
				}
				p.expectOp(")")
				return s
			}
			fc := &ast.FuncCall{Pos: t.pos, Name: ast.ObjectName{Pos: t.pos, Parts: []string{t.val}}, Args: []ast.Expr{e}}
			for p.acceptOp(",") {
				fc.Args = append(fc.Args, p.parseExpr())
			}
			if !p.isOp(")") {
				p.expected("',', FROM or ')'")
			}
			p.advance()
			return p.finishCall(fc)
		}
	case "DESCRIPTOR":
		if call {
			return p.parseDescriptor()
		}
	case "ARRAY", "MAP", "MULTISET":
		if isOp(next, "[") || call {
			p.fail("%s constructors are not supported yet", kw)
		}
	}
	if ast.IsNiladic(t.val) && !isOp(p.peek(1), "(") && !isOp(p.peek(1), ".") {
		p.advance()
		return &ast.FuncCall{Pos: t.pos, Name: ast.ObjectName{Pos: t.pos, Parts: []string{t.val}}, Niladic: true}
	}
	// LEFT and RIGHT are reserved (joins) but are also functions: LEFT(s, n).
	if ast.IsHardReserved(t.val) && !(call && (strings.EqualFold(t.val, "LEFT") || strings.EqualFold(t.val, "RIGHT"))) {
		p.expected("an expression")
	}
	return p.parseNameOrCall()
}

// parseNameOrCall reads a (qualified) identifier, or a function call if '(' follows.
func (p *parser) parseNameOrCall() ast.Expr {
	t := p.advance()
	parts := []string{t.val}
	for p.isOp(".") {
		p.advance()
		n := p.tok()
		if n.kind != tIdent && n.kind != tQIdent {
			p.expected("an identifier after '.'")
		}
		parts = append(parts, p.advance().val)
	}
	if !p.isOp("(") {
		return &ast.Ident{Pos: t.pos, Parts: parts}
	}
	p.advance()
	fc := &ast.FuncCall{Pos: t.pos, Name: ast.ObjectName{Pos: t.pos, Parts: parts}}
	name := strings.ToUpper(parts[len(parts)-1])
	if p.acceptOp(")") {
		return p.finishCall(fc)
	}
	if p.isOp("*") && isOp(p.peek(1), ")") {
		p.advance()
		p.advance()
		fc.Star = true
		return p.finishCall(fc)
	}
	if p.acceptKw("DISTINCT") {
		fc.Distinct = true
	} else if p.isKw("ALL") && !isOp(p.peek(1), ")") && !isOp(p.peek(1), ",") {
		p.advance()
	}
	unitArg := len(parts) == 1 && (name == "TIMESTAMPADD" || name == "TIMESTAMPDIFF")
	for {
		if unitArg && len(fc.Args) == 0 {
			ut := p.tok()
			u := p.parseTimeUnit(tsDiffUnits, "a time unit")
			fc.Args = append(fc.Args, &ast.TimeUnitExpr{Pos: ut.pos, Unit: u})
		} else {
			if (p.tok().kind == tIdent || p.tok().kind == tQIdent) && isOp(p.peek(1), "=>") {
				p.fail("named arguments are only supported for window table functions")
			}
			fc.Args = append(fc.Args, p.parseExpr())
		}
		if p.acceptOp(",") {
			continue
		}
		if !p.isOp(")") {
			p.expected("',' or ')'")
		}
		p.advance()
		break
	}
	return p.finishCall(fc)
}

// finishCall reads the optional FILTER (WHERE ...) and OVER clauses of a call.
func (p *parser) finishCall(fc *ast.FuncCall) ast.Expr {
	if p.isKw("FILTER") && isOp(p.peek(1), "(") {
		p.advance()
		p.advance()
		p.expectKwAfter("WHERE", "FILTER (")
		fc.Filter = p.parseExpr()
		p.expectOp(")")
	}
	if p.isKw("WITHIN") && isKw(p.peek(1), "GROUP") {
		p.fail("WITHIN GROUP is not supported")
	}
	if p.isKw("OVER") {
		t := p.advance()
		if p.isOp("(") {
			fc.Over = p.parseWindowSpecBody()
			fc.Over.Pos = t.pos
		} else {
			name, _ := p.parseIdentPart("a window name or '('")
			fc.Over = &ast.WindowSpec{Pos: t.pos, Name: name, Ref: true}
		}
	}
	return fc
}

// parseWindowSpecBody reads ( [name] [PARTITION BY ...] [ORDER BY ...] [frame] ).
func (p *parser) parseWindowSpecBody() *ast.WindowSpec {
	ws := &ast.WindowSpec{Pos: p.expectOp("(").pos}
	if isIdentTok(p.tok()) && !p.isKw("ROWS") && !p.isKw("RANGE") {
		ws.Name = p.advance().val
	}
	if p.isKw("PARTITION") {
		p.advance()
		p.expectKwAfter("BY", "PARTITION")
		for {
			ws.PartitionBy = append(ws.PartitionBy, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.isKw("ORDER") {
		p.advance()
		p.expectKwAfter("BY", "ORDER")
		ws.OrderBy = p.parseOrderList()
	}
	if p.isKw("ROWS") || p.isKw("RANGE") {
		t := p.advance()
		f := &ast.Frame{Pos: t.pos, Rows: upper(t) == "ROWS"}
		if p.acceptKw("BETWEEN") {
			f.Start = p.parseFrameBound()
			p.expectKwAfter("AND", "BETWEEN ...")
			f.End = p.parseFrameBound()
		} else {
			f.Start = p.parseFrameBound()
			f.End = ast.FrameBound{Kind: ast.CurrentRow}
		}
		ws.Frame = f
	}
	if !p.isOp(")") {
		p.expected("PARTITION BY, ORDER BY, ROWS, RANGE or ')'")
	}
	p.advance()
	return ws
}

func (p *parser) parseFrameBound() ast.FrameBound {
	if p.acceptKw("UNBOUNDED") {
		switch {
		case p.acceptKw("PRECEDING"):
			return ast.FrameBound{Kind: ast.UnboundedPreceding}
		case p.acceptKw("FOLLOWING"):
			return ast.FrameBound{Kind: ast.UnboundedFollowing}
		}
		p.expected("PRECEDING or FOLLOWING")
	}
	if p.isKw("CURRENT") {
		p.advance()
		p.expectKwAfter("ROW", "CURRENT")
		return ast.FrameBound{Kind: ast.CurrentRow}
	}
	off := p.parseConcat()
	switch {
	case p.acceptKw("PRECEDING"):
		return ast.FrameBound{Kind: ast.Preceding, Offset: off}
	case p.acceptKw("FOLLOWING"):
		return ast.FrameBound{Kind: ast.Following, Offset: off}
	}
	p.expected("PRECEDING or FOLLOWING")
	return ast.FrameBound{}
}

func (p *parser) parseDescriptor() *ast.Descriptor {
	t := p.advance()
	p.expectOp("(")
	d := &ast.Descriptor{Pos: t.pos}
	for {
		d.Cols = append(d.Cols, p.parseQualifiedIdent("a column name"))
		if p.acceptOp(",") {
			continue
		}
		if !p.isOp(")") {
			p.expected("',' or ')'")
		}
		p.advance()
		return d
	}
}

func (p *parser) parseCase() ast.Expr {
	c := &ast.Case{Pos: p.advance().pos}
	if !p.isKw("WHEN") {
		c.Operand = p.parseExpr()
	}
	for p.isKw("WHEN") {
		w := ast.When{Pos: p.advance().pos}
		w.Cond = p.parseExpr()
		p.expectKwAfter("THEN", "WHEN ...")
		w.Result = p.parseExpr()
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		p.expected("WHEN")
	}
	if p.acceptKw("ELSE") {
		c.Else = p.parseExpr()
	}
	if !p.isKw("END") {
		p.expected("WHEN, ELSE or END")
	}
	p.advance()
	return c
}

func (p *parser) parseCast(try bool) ast.Expr {
	t := p.advance()
	p.expectOp("(")
	c := &ast.Cast{Pos: t.pos, Try: try}
	c.Expr = p.parseExpr()
	p.expectKwAfter("AS", strings.ToUpper(t.val)+"(...")
	c.Type, c.TypePos = p.parseType()
	p.expectOp(")")
	return c
}

// Unit sets.
var (
	intervalUnits = unitSet(ast.Year, ast.Quarter, ast.Month, ast.Week, ast.Day, ast.Hour, ast.Minute, ast.Second)
	floorUnits    = unitSet(ast.Year, ast.Quarter, ast.Month, ast.Week, ast.Day, ast.Hour, ast.Minute, ast.Second,
		ast.Millisecond, ast.Microsecond, ast.Decade, ast.Century, ast.Millennium)
	tsDiffUnits  = unitSet(ast.Year, ast.Quarter, ast.Month, ast.Week, ast.Day, ast.Hour, ast.Minute, ast.Second, ast.Millisecond, ast.Microsecond, ast.Nanosecond)
	extractUnits = unitSet(ast.Year, ast.Quarter, ast.Month, ast.Week, ast.Day, ast.Hour, ast.Minute, ast.Second,
		ast.Millisecond, ast.Microsecond, ast.Nanosecond, ast.Dow, ast.Doy, ast.IsoDow, ast.IsoYear, ast.Epoch,
		ast.Decade, ast.Century, ast.Millennium)
)

func unitSet(us ...ast.TimeUnit) map[string]ast.TimeUnit {
	m := map[string]ast.TimeUnit{}
	for _, u := range us {
		m[string(u)] = u
		m[string(u)+"S"] = u // Flink accepts plural spellings (MINUTES, SECONDS, ...)
	}
	return m
}

func (p *parser) parseTimeUnit(set map[string]ast.TimeUnit, what string) ast.TimeUnit {
	t := p.tok()
	if t.kind == tIdent {
		if u, ok := set[strings.ToUpper(t.val)]; ok {
			p.advance()
			return u
		}
	}
	p.expected(what)
	return ast.NoUnit
}

// parseUnitPrecision reads an optional (p) or (p, q) after a time unit.
func (p *parser) parseUnitPrecision(allowFrac bool) (int, int) {
	if !p.isOp("(") || p.peek(1).kind != tInteger {
		return 0, 0
	}
	p.advance()
	prec := p.parseSmallInt(1, 9, "interval precision")
	frac := 0
	if allowFrac && p.acceptOp(",") {
		frac = p.parseSmallInt(0, 9, "fractional second precision")
	}
	p.expectOp(")")
	return prec, frac
}

// parseSmallInt reads an integer literal in [lo, hi].
func (p *parser) parseSmallInt(lo, hi int, what string) int {
	t := p.tok()
	if t.kind != tInteger {
		p.expected("an integer " + what)
	}
	n, err := strconv.Atoi(t.val)
	if err != nil || n < lo || n > hi {
		p.fail("%s must be between %d and %d but is %s", what, lo, hi, t.val)
	}
	p.advance()
	return n
}

var validIntervalRanges = map[[2]ast.TimeUnit]bool{
	{ast.Year, ast.Month}:    true,
	{ast.Day, ast.Hour}:      true,
	{ast.Day, ast.Minute}:    true,
	{ast.Day, ast.Second}:    true,
	{ast.Hour, ast.Minute}:   true,
	{ast.Hour, ast.Second}:   true,
	{ast.Minute, ast.Second}: true,
}

// parseIntervalQualifier reads From[(p)] [TO To[(f)]].
func (p *parser) parseIntervalQualifier() (from, to ast.TimeUnit, prec, frac int) {
	ft := p.tok()
	from = p.parseTimeUnit(intervalUnits, "a time unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, ...)")
	prec, frac = p.parseUnitPrecision(from == ast.Second)
	if p.isKw("TO") {
		p.advance()
		to = p.parseTimeUnit(intervalUnits, "a time unit")
		if !validIntervalRanges[[2]ast.TimeUnit{from, to}] {
			p.failAt(ft.pos, "invalid interval qualifier %s TO %s", from, to)
		}
		if to == ast.Second && p.isOp("(") {
			p.advance()
			frac = p.parseSmallInt(0, 9, "fractional second precision")
			p.expectOp(")")
		}
	}
	return
}

func (p *parser) parseInterval() ast.Expr {
	iv := &ast.IntervalLit{Pos: p.advance().pos}
	if p.isOp("-") || p.isOp("+") {
		iv.Negative = p.advance().val == "-"
	}
	t := p.tok()
	switch t.kind {
	case tString, tInteger, tDecimal:
		p.advance()
		iv.Value = t.val
	default:
		p.expected("a quoted interval value such as '10'")
	}
	iv.From, iv.To, iv.Precision, iv.FracPrecision = p.parseIntervalQualifier()
	return iv
}
