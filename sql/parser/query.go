package parser

import (
	"strings"

	"github.com/floedb/floe/sql/ast"
)

// parseQuery reads a full query: [WITH ...] set-operation tree [ORDER BY] [LIMIT] [OFFSET]
// [FETCH].
func (p *parser) parseQuery() ast.Query {
	p.enter()
	defer p.leave()
	if p.isKw("WITH") {
		w := &ast.With{Pos: p.advance().pos}
		for {
			c := ast.CTE{}
			c.Name, c.Pos = p.parseIdentPart("a common table expression name")
			if p.isOp("(") {
				c.Columns = p.parseIdentList("a column name")
			}
			p.expectKwAfter("AS", "WITH "+ast.QuoteIdent(c.Name))
			p.expectOp("(")
			c.Query = p.parseQuery()
			p.expectOp(")")
			w.CTEs = append(w.CTEs, c)
			if !p.acceptOp(",") {
				break
			}
		}
		w.Body = p.parseQuery()
		return w
	}
	return p.parseQueryTail(p.parseUnion())
}

// isQueryContinuation reports whether t continues a query: a set operation or ORDER BY, LIMIT,
// OFFSET, FETCH.
func isQueryContinuation(t token) bool {
	switch upper(t) {
	case "UNION", "INTERSECT", "EXCEPT", "MINUS", "ORDER", "LIMIT", "OFFSET", "FETCH":
		return true
	}
	return false
}

// continueQuery parses the rest of a query whose first operand q was already parsed (as a
// parenthesized subquery in an ambiguous position, e.g. "((SELECT 1) UNION (SELECT 2))").
func (p *parser) continueQuery(q ast.Query) ast.Query {
	return p.parseQueryTail(p.parseUnionFrom(p.parseIntersectFrom(q)))
}

// startsQueryDirectly reports whether the token at k is SELECT, WITH or VALUES.
func (p *parser) startsQueryDirectly(k int) bool {
	switch upper(p.peek(k)) {
	case "SELECT", "WITH", "VALUES":
		return true
	}
	return false
}

// parseQueryTail reads the optional ORDER BY, LIMIT, OFFSET and FETCH of q.
func (p *parser) parseQueryTail(q ast.Query) ast.Query {
	if !(p.isKw("ORDER") || p.isKw("LIMIT") || p.isKw("OFFSET") || p.isKw("FETCH")) {
		return q
	}
	var orderBy *[]ast.OrderItem
	var limit, offset *ast.Expr
	switch q := q.(type) {
	case *ast.Select:
		orderBy, limit, offset = &q.OrderBy, &q.Limit, &q.Offset
	case *ast.SetOp:
		orderBy, limit, offset = &q.OrderBy, &q.Limit, &q.Offset
	default:
		p.fail("%s is not allowed here (wrap the query in a SELECT)", p.describe(p.tok()))
	}
	if len(*orderBy) > 0 || *limit != nil || *offset != nil {
		p.fail("%s is not allowed here: the query already has ORDER BY, LIMIT or OFFSET", p.describe(p.tok()))
	}
	if p.isKw("ORDER") {
		p.advance()
		p.expectKwAfter("BY", "ORDER")
		*orderBy = p.parseOrderList()
	}
	if p.acceptKw("LIMIT") {
		if p.acceptKw("ALL") {
			// LIMIT ALL: no limit.
		} else {
			*limit = p.parseExpr()
		}
	}
	if p.acceptKw("OFFSET") {
		*offset = p.parseExpr()
		if !p.acceptKw("ROWS") {
			p.acceptKw("ROW")
		}
	}
	if p.isKw("FETCH") {
		p.advance()
		if !p.acceptKw("FIRST") && !p.acceptKw("NEXT") {
			p.expected("FIRST or NEXT after FETCH")
		}
		if *limit != nil {
			p.fail("FETCH cannot be combined with LIMIT")
		}
		*limit = p.parseExpr()
		if !p.acceptKw("ROWS") && !p.acceptKw("ROW") {
			p.expected("ROWS")
		}
		p.expectKw("ONLY")
	}
	return q
}

func (p *parser) parseUnion() ast.Query { return p.parseUnionFrom(p.parseIntersect()) }

func (p *parser) parseUnionFrom(left ast.Query) ast.Query {
	for {
		t := p.tok()
		var op ast.SetOpKind
		switch upper(t) {
		case "UNION":
			op = ast.Union
		case "EXCEPT", "MINUS":
			op = ast.Except
		default:
			return left
		}
		p.advance()
		all := p.acceptKw("ALL")
		if !all {
			p.acceptKw("DISTINCT")
		}
		right := p.parseIntersect()
		left = &ast.SetOp{Pos: left.Position(), Op: op, All: all, Left: left, Right: right}
	}
}

func (p *parser) parseIntersect() ast.Query { return p.parseIntersectFrom(p.parseQueryPrimary()) }

func (p *parser) parseIntersectFrom(left ast.Query) ast.Query {
	for p.isKw("INTERSECT") {
		p.advance()
		all := p.acceptKw("ALL")
		if !all {
			p.acceptKw("DISTINCT")
		}
		right := p.parseQueryPrimary()
		left = &ast.SetOp{Pos: left.Position(), Op: ast.Intersect, All: all, Left: left, Right: right}
	}
	return left
}

func (p *parser) parseQueryPrimary() ast.Query {
	t := p.tok()
	switch {
	case isKw(t, "SELECT"):
		return p.parseSelect()
	case isKw(t, "VALUES"):
		return p.parseValues()
	case isOp(t, "("):
		p.advance()
		q := p.parseQuery()
		p.expectOp(")")
		return q
	}
	p.expected("SELECT, VALUES or '('")
	return nil
}

func (p *parser) parseValues() *ast.Values {
	v := &ast.Values{Pos: p.advance().pos}
	for {
		p.expectOp("(")
		var row []ast.Expr
		for {
			row = append(row, p.parseExpr())
			if p.acceptOp(",") {
				continue
			}
			if !p.isOp(")") {
				p.expected("',' or ')'")
			}
			p.advance()
			break
		}
		v.Rows = append(v.Rows, row)
		if !p.acceptOp(",") {
			return v
		}
	}
}

func (p *parser) parseSelect() *ast.Select {
	s := &ast.Select{Pos: p.advance().pos}
	s.Hints = p.parseHints()
	if p.acceptKw("DISTINCT") {
		s.Distinct = true
	} else {
		p.acceptKw("ALL")
	}
	for {
		s.Items = append(s.Items, p.parseSelectItem())
		if !p.acceptOp(",") {
			break
		}
	}
	if p.acceptKw("FROM") {
		s.From = p.parseTableExpr()
	}
	if p.acceptKw("WHERE") {
		s.Where = p.parseExpr()
	}
	if p.isKw("GROUP") {
		p.advance()
		p.expectKwAfter("BY", "GROUP")
		for {
			if p.isKw("GROUPING") || p.isKw("ROLLUP") || p.isKw("CUBE") {
				if isOp(p.peek(1), "(") || isKw(p.peek(1), "SETS") {
					p.fail("%s is not supported", strings.ToUpper(p.tok().val))
				}
			}
			s.GroupBy = append(s.GroupBy, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKw("HAVING") {
		s.Having = p.parseExpr()
	}
	if p.acceptKw("WINDOW") {
		for {
			nw := ast.NamedWindow{}
			nw.Name, nw.Pos = p.parseIdentPart("a window name")
			p.expectKwAfter("AS", "WINDOW "+ast.QuoteIdent(nw.Name))
			nw.Spec = p.parseWindowSpecBody()
			s.Windows = append(s.Windows, nw)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	return s
}

// isStarItem reports whether the select item at the cursor is * or a.b.*.
func (p *parser) isStarItem() bool {
	k := 0
	for {
		t := p.peek(k)
		if isOp(t, "*") {
			return true
		}
		if (t.kind == tIdent || t.kind == tQIdent) && isOp(p.peek(k+1), ".") {
			k += 2
			continue
		}
		return false
	}
}

func (p *parser) parseSelectItem() ast.SelectItem {
	t := p.tok()
	if p.isStarItem() {
		st := &ast.Star{Pos: t.pos}
		for !p.isOp("*") {
			st.Qualifier = append(st.Qualifier, p.advance().val)
			p.advance() // '.'
		}
		p.advance()
		return ast.SelectItem{Pos: t.pos, Star: st}
	}
	item := ast.SelectItem{Pos: t.pos, Expr: p.parseExpr()}
	if p.acceptKw("AS") {
		item.Alias, _ = p.parseIdentPart("an alias")
	} else if isIdentTok(p.tok()) {
		item.Alias = p.advance().val
	} else if p.tok().kind == tString {
		p.fail("expected an alias but found %s (quote aliases with backticks)", p.describe(p.tok()))
	}
	return item
}

func (p *parser) parseOrderList() []ast.OrderItem {
	var items []ast.OrderItem
	for {
		it := ast.OrderItem{Pos: p.tok().pos, Expr: p.parseExpr()}
		if p.acceptKw("DESC") {
			it.Desc = true
		} else {
			p.acceptKw("ASC")
		}
		if p.isKw("NULLS") {
			p.advance()
			switch {
			case p.acceptKw("FIRST"):
				it.Nulls = ast.NullsFirst
			case p.acceptKw("LAST"):
				it.Nulls = ast.NullsLast
			default:
				p.expected("FIRST or LAST after NULLS")
			}
		}
		items = append(items, it)
		if !p.acceptOp(",") {
			return items
		}
	}
}

// ---------------------------------------------------------------------------------------------
// FROM

func (p *parser) parseTableExpr() ast.TableExpr {
	p.enter()
	defer p.leave()
	left := p.parseTablePrimary()
	for {
		t := p.tok()
		var kind ast.JoinKind
		switch upper(t) {
		case "":
			if !isOp(t, ",") {
				return left
			}
			p.advance()
			right := p.parseTablePrimary()
			left = &ast.Join{Pos: left.Position(), Kind: ast.JoinCross, Left: left, Right: right}
			continue
		case "JOIN":
			kind = ast.JoinInner
		case "INNER":
			p.advance()
			kind = ast.JoinInner
		case "LEFT":
			p.advance()
			p.acceptKw("OUTER")
			kind = ast.JoinLeft
		case "RIGHT":
			p.advance()
			p.acceptKw("OUTER")
			kind = ast.JoinRight
		case "FULL":
			p.advance()
			p.acceptKw("OUTER")
			kind = ast.JoinFull
		case "CROSS":
			p.advance()
			kind = ast.JoinCross
		case "NATURAL":
			p.fail("NATURAL JOIN is not supported")
		default:
			return left
		}
		if !p.isKw("JOIN") {
			p.expected("JOIN")
		}
		p.advance()
		right := p.parseTablePrimary()
		j := &ast.Join{Pos: left.Position(), Kind: kind, Left: left, Right: right}
		switch {
		case p.acceptKw("ON"):
			if kind == ast.JoinCross {
				p.fail("CROSS JOIN cannot have an ON condition")
			}
			j.On = p.parseExpr()
		case p.isKw("USING"):
			if kind == ast.JoinCross {
				p.fail("CROSS JOIN cannot have a USING clause")
			}
			p.advance()
			j.Using = p.parseIdentList("a column name")
		default:
			if kind != ast.JoinCross {
				p.expected("ON or USING")
			}
		}
		left = j
	}
}

func isWindowTVFName(t token) bool {
	switch upper(t) {
	case "TUMBLE", "HOP", "CUMULATE", "SESSION":
		return true
	}
	return false
}

func (p *parser) parseTablePrimary() ast.TableExpr {
	t := p.tok()
	switch {
	case isOp(t, "("):
		if p.startsQueryDirectly(1) {
			p.advance()
			q := p.parseQuery()
			p.expectOp(")")
			sq := &ast.Subquery{Pos: t.pos, Query: q}
			sq.Alias, sq.ColumnAliases = p.parseOptionalAlias(true)
			return sq
		}
		// A parenthesized table expression, or a query starting with a parenthesized query.
		p.advance()
		te := p.parseTableExpr()
		sq, isQuery := te.(*ast.Subquery)
		isQuery = isQuery && sq.Alias == ""
		if isQuery && isQueryContinuation(p.tok()) {
			sq = &ast.Subquery{Query: p.continueQuery(sq.Query)}
		}
		p.expectOp(")")
		if isQuery {
			sq.Pos = t.pos
			sq.Alias, sq.ColumnAliases = p.parseOptionalAlias(true)
			return sq
		}
		return te
	case isKw(t, "LATERAL"):
		p.advance()
		if !p.isKw("TABLE") {
			if p.isOp("(") {
				p.fail("LATERAL subqueries are not supported")
			}
			p.expected("TABLE after LATERAL")
		}
		p.advance()
		return p.parseTableFunction(t.pos)
	case isKw(t, "TABLE"):
		p.advance()
		if !p.isOp("(") {
			p.expected("'(' after TABLE")
		}
		if isWindowTVFName(p.peek(1)) && isOp(p.peek(2), "(") {
			p.advance()
			return p.parseWindowTVF(t.pos)
		}
		return p.parseTableFunction(t.pos)
	case isKw(t, "UNNEST"):
		p.advance()
		u := &ast.Unnest{Pos: t.pos}
		p.expectOp("(")
		for {
			u.Args = append(u.Args, p.parseExpr())
			if p.acceptOp(",") {
				continue
			}
			if !p.isOp(")") {
				p.expected("',' or ')'")
			}
			p.advance()
			break
		}
		if p.isKw("WITH") && isKw(p.peek(1), "ORDINALITY") {
			p.advance()
			p.advance()
			u.WithOrdinality = true
		}
		u.Alias, u.ColumnAliases = p.parseOptionalAlias(true)
		return u
	}
	ref := &ast.TableRef{Pos: t.pos}
	ref.Name = p.parseObjectName("a table name")
	ref.Hints = p.parseHints()
	if p.isKw("FOR") {
		p.advance()
		p.expectKwAfter("SYSTEM_TIME", "FOR")
		p.expectKwAfter("AS", "FOR SYSTEM_TIME")
		p.expectKwAfter("OF", "FOR SYSTEM_TIME AS")
		ref.SystemTime = p.parseExpr()
	}
	ref.Alias, ref.ColumnAliases = p.parseOptionalAlias(true)
	return ref
}

// parseTableFunction reads (f(args)) [alias] after [LATERAL] TABLE.
func (p *parser) parseTableFunction(start ast.Pos) *ast.LateralTable {
	p.expectOp("(")
	e := p.parseExpr()
	call, ok := e.(*ast.FuncCall)
	if !ok || call.Niladic || call.Over != nil || call.Filter != nil {
		p.failAt(e.Position(), "expected a table function call")
	}
	p.expectOp(")")
	lt := &ast.LateralTable{Pos: start, Call: call}
	lt.Alias, lt.ColumnAliases = p.parseOptionalAlias(true)
	return lt
}

// windowArgNames lists, per window function, the named interval arguments in canonical
// order and how many of them are required.
var windowArgNames = map[ast.WindowFunc]struct {
	names    []string
	required int
}{
	ast.Tumble:   {[]string{"SIZE", "OFFSET"}, 1},
	ast.Hop:      {[]string{"SLIDE", "SIZE", "OFFSET"}, 2},
	ast.Cumulate: {[]string{"STEP", "SIZE", "OFFSET"}, 2},
	ast.Session:  {[]string{"GAP"}, 1},
}

// parseWindowTVF reads TUMBLE(...) ) [alias] with the cursor on the function name, after
// TABLE '('.
func (p *parser) parseWindowTVF(start ast.Pos) *ast.WindowTVF {
	nameTok := p.advance()
	w := &ast.WindowTVF{Pos: start}
	switch upper(nameTok) {
	case "TUMBLE":
		w.Func = ast.Tumble
	case "HOP":
		w.Func = ast.Hop
	case "CUMULATE":
		w.Func = ast.Cumulate
	case "SESSION":
		w.Func = ast.Session
	}
	spec := windowArgNames[w.Func]
	fname := w.Func.String()
	p.expectOp("(")
	named := map[string]ast.Expr{}
	var positional []ast.Expr
	haveTable, haveTimeCol := false, false
	isNamed := (p.tok().kind == tIdent || p.tok().kind == tQIdent) && isOp(p.peek(1), "=>")
	for i := 0; ; i++ {
		argTok := p.tok()
		name := ""
		if isNamed {
			if !(argTok.kind == tIdent || argTok.kind == tQIdent) || !isOp(p.peek(1), "=>") {
				p.fail("expected a named argument (NAME => value) but found %s: %s cannot mix positional and named arguments", p.describe(argTok), fname)
			}
			name = strings.ToUpper(argTok.val)
			p.advance()
			p.advance()
		} else if (argTok.kind == tIdent || argTok.kind == tQIdent) && isOp(p.peek(1), "=>") {
			p.fail("%s cannot mix positional and named arguments", fname)
		}
		switch {
		case name == "DATA" || (!isNamed && i == 0):
			if haveTable {
				p.failAt(argTok.pos, "duplicate DATA argument of %s", fname)
			}
			haveTable = true
			w.Table, w.PartitionBy = p.parseTVFTableArg(fname)
		case name == "TIMECOL" || (!isNamed && i == 1):
			if haveTimeCol {
				p.failAt(argTok.pos, "duplicate TIMECOL argument of %s", fname)
			}
			haveTimeCol = true
			if !p.isKw("DESCRIPTOR") {
				p.expected("DESCRIPTOR(time column)")
			}
			d := p.parseDescriptor()
			if len(d.Cols) != 1 {
				p.failAt(d.Pos, "DESCRIPTOR of %s must name exactly one time column", fname)
			}
			w.TimeCol = d.Cols[0]
		case isNamed:
			known := false
			for _, n := range spec.names {
				if n == name {
					known = true
				}
			}
			if !known {
				p.failAt(argTok.pos, "unknown argument %s of %s (expected DATA, TIMECOL, %s)", name, fname, strings.Join(spec.names, ", "))
			}
			if _, dup := named[name]; dup {
				p.failAt(argTok.pos, "duplicate %s argument of %s", name, fname)
			}
			named[name] = p.parseExpr()
		default:
			if len(positional) == len(spec.names) {
				p.failAt(argTok.pos, "too many arguments for %s", fname)
			}
			positional = append(positional, p.parseExpr())
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
	if !haveTable {
		p.failAt(nameTok.pos, "%s requires a table argument (TABLE t)", fname)
	}
	if !haveTimeCol {
		p.failAt(nameTok.pos, "%s requires a time column argument (DESCRIPTOR(col))", fname)
	}
	if isNamed {
		for i, n := range spec.names {
			e, ok := named[n]
			if !ok {
				if i < spec.required {
					p.failAt(nameTok.pos, "%s requires a %s argument", fname, n)
				}
				continue
			}
			if len(w.Args) != i {
				p.failAt(e.Position(), "%s argument of %s requires %s", n, fname, spec.names[len(w.Args)])
			}
			w.Args = append(w.Args, e)
		}
	} else {
		if len(positional) < spec.required {
			p.failAt(nameTok.pos, "%s requires %d interval argument(s) (%s)", fname, spec.required, strings.ToLower(strings.Join(spec.names[:spec.required], ", ")))
		}
		w.Args = positional
	}
	p.expectOp(")")
	w.Alias, w.ColumnAliases = p.parseOptionalAlias(true)
	return w
}

// parseTVFTableArg reads TABLE name [PARTITION BY ...] or (query) [PARTITION BY ...].
func (p *parser) parseTVFTableArg(fname string) (ast.TableExpr, []ast.Expr) {
	t := p.tok()
	var te ast.TableExpr
	switch {
	case isKw(t, "TABLE"):
		p.advance()
		te = &ast.TableRef{Pos: p.tok().pos, Name: p.parseObjectName("a table name")}
	case isOp(t, "(") && p.startsQuery(1):
		p.advance()
		q := p.parseQuery()
		p.expectOp(")")
		te = &ast.Subquery{Pos: t.pos, Query: q}
	default:
		p.expected("TABLE name or a subquery as the first argument of " + fname)
	}
	var part []ast.Expr
	if p.isKw("PARTITION") {
		p.advance()
		p.expectKwAfter("BY", "PARTITION")
		paren := p.acceptOp("(")
		for {
			part = append(part, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
			if !paren && !p.startsPartitionItem() {
				// The comma ends the table argument.
				p.i--
				break
			}
		}
		if paren {
			p.expectOp(")")
		}
	}
	return te, part
}

// startsPartitionItem reports whether, after a comma in an unparenthesized PARTITION BY list,
// the next token continues the list rather than starting the next TVF argument.
func (p *parser) startsPartitionItem() bool {
	t := p.tok()
	if isKw(t, "DESCRIPTOR") || isKw(t, "INTERVAL") {
		return false
	}
	if (t.kind == tIdent || t.kind == tQIdent) && isOp(p.peek(1), "=>") {
		return false
	}
	return true
}
