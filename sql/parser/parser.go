package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// maxDepth bounds the nesting of expressions and queries.
const maxDepth = 500

// ParseScript parses a script of statements separated by semicolons (the last one optional).
func ParseScript(src string) (stmts []ast.Statement, err error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	for {
		for p.acceptOp(";") {
		}
		if p.tok().kind == tEOF {
			break
		}
		stmts = append(stmts, p.parseStatement())
		if !p.acceptOp(";") && p.tok().kind != tEOF {
			p.expected("';' or end of input")
		}
	}
	return stmts, nil
}

// ParseStatement parses exactly one statement, optionally followed by a semicolon.
func ParseStatement(src string) (stmt ast.Statement, err error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	if p.tok().kind == tEOF {
		p.expected("a statement")
	}
	stmt = p.parseStatement()
	p.acceptOp(";")
	if p.tok().kind != tEOF {
		p.expected("end of input")
	}
	return stmt, nil
}

// ParseQuery parses one query (SELECT, VALUES, WITH, set operations).
func ParseQuery(src string) (q ast.Query, err error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	q = p.parseQuery()
	if p.tok().kind != tEOF {
		p.expected("end of input")
	}
	return q, nil
}

// ParseExpr parses one scalar expression.
func ParseExpr(src string) (e ast.Expr, err error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	e = p.parseExpr()
	if p.tok().kind != tEOF {
		p.expected("end of input")
	}
	return e, nil
}

// ParseType parses a data type such as "DECIMAL(10, 2) NOT NULL".
func ParseType(src string) (t types.Type, err error) {
	p, err := newParser(src)
	if err != nil {
		return types.Type{}, err
	}
	defer p.recover(&err)
	t, _ = p.parseType()
	if p.tok().kind != tEOF {
		p.expected("end of input")
	}
	return t, nil
}

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

func newParser(src string) (*parser, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

// recover turns a *Error panic raised by fail into a returned error.
func (p *parser) recover(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(*Error)
		if !ok {
			panic(r)
		}
		*err = e
	}
}

func (p *parser) failAt(pos ast.Pos, format string, args ...any) {
	panic(newError(p.src, pos, fmt.Sprintf(format, args...)))
}

func (p *parser) fail(format string, args ...any) {
	p.failAt(p.tok().pos, format, args...)
}

// expected fails with "expected <what> but found <current token>".
func (p *parser) expected(what string) {
	p.fail("expected %s but found %s", what, p.describe(p.tok()))
}

// describe renders a token for error messages, verbatim from the source.
func (p *parser) describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tHintStart:
		return "hint '/*+'"
	}
	s := p.src[t.pos.Offset:t.end]
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:37]) + "..."
	}
	return "'" + s + "'"
}

func (p *parser) tok() token { return p.toks[p.i] }

func (p *parser) peek(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) advance() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func isKw(t token, kw string) bool { return t.kind == tIdent && strings.EqualFold(t.val, kw) }

func isOp(t token, op string) bool { return t.kind == tOp && t.val == op }

func (p *parser) isKw(kw string) bool { return isKw(p.tok(), kw) }

func (p *parser) isOp(op string) bool { return isOp(p.tok(), op) }

func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) token {
	if !p.isKw(kw) {
		p.expected(kw)
	}
	return p.advance()
}

func (p *parser) expectOp(op string) token {
	if !p.isOp(op) {
		p.expected("'" + op + "'")
	}
	return p.advance()
}

// expectKwAfter fails with "expected KW after <context>".
func (p *parser) expectKwAfter(kw, context string) token {
	if !p.isKw(kw) {
		p.fail("expected %s after %s but found %s", kw, context, p.describe(p.tok()))
	}
	return p.advance()
}

// upper returns the upper-cased word of an unquoted token ("" otherwise).
func upper(t token) string {
	if t.kind != tIdent {
		return ""
	}
	return strings.ToUpper(t.val)
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail("statement is nested too deeply")
	}
}

func (p *parser) leave() { p.depth-- }

// ---------------------------------------------------------------------------------------------
// Identifiers

// isIdentTok reports whether t can be an identifier (unquoted non-reserved word or quoted).
func isIdentTok(t token) bool {
	return t.kind == tQIdent || (t.kind == tIdent && !ast.IsHardReserved(t.val))
}

// parseIdentPart reads one identifier.
func (p *parser) parseIdentPart(what string) (string, ast.Pos) {
	t := p.tok()
	if isIdentTok(t) {
		p.advance()
		return t.val, t.pos
	}
	if t.kind == tIdent {
		p.fail("expected %s but found reserved word %s (quote it with backticks to use it as a name)", what, p.describe(t))
	}
	p.expected(what)
	return "", ast.Pos{}
}

// parseDottedRest reads ". part" continuations; after a dot any word is accepted.
func (p *parser) parseDottedRest(parts []string) []string {
	for p.isOp(".") && (p.peek(1).kind == tIdent || p.peek(1).kind == tQIdent) {
		p.advance()
		parts = append(parts, p.advance().val)
	}
	return parts
}

func (p *parser) parseObjectName(what string) ast.ObjectName {
	first, pos := p.parseIdentPart(what)
	return ast.ObjectName{Pos: pos, Parts: p.parseDottedRest([]string{first})}
}

// parseSimpleIdent reads an unqualified name as a one-part Ident.
func (p *parser) parseSimpleIdent(what string) ast.Ident {
	name, pos := p.parseIdentPart(what)
	return ast.Ident{Pos: pos, Parts: []string{name}}
}

// parseQualifiedIdent reads a possibly qualified name as an Ident.
func (p *parser) parseQualifiedIdent(what string) ast.Ident {
	first, pos := p.parseIdentPart(what)
	return ast.Ident{Pos: pos, Parts: p.parseDottedRest([]string{first})}
}

// parseIdentList reads (a, b, c) after the opening parenthesis was checked.
func (p *parser) parseIdentList(what string) []ast.Ident {
	p.expectOp("(")
	var ids []ast.Ident
	for {
		ids = append(ids, p.parseSimpleIdent(what))
		if p.acceptOp(",") {
			continue
		}
		if !p.isOp(")") {
			p.expected("',' or ')'")
		}
		p.advance()
		return ids
	}
}

func (p *parser) parseStringLit(what string) (string, ast.Pos) {
	t := p.tok()
	if t.kind != tString {
		p.expected(what)
	}
	p.advance()
	return t.val, t.pos
}

// parseOptionalAlias reads [AS] alias [(col, ...)].
func (p *parser) parseOptionalAlias(withColumns bool) (string, []ast.Ident) {
	var alias string
	if p.acceptKw("AS") {
		alias, _ = p.parseIdentPart("an alias")
	} else if isIdentTok(p.tok()) {
		alias = p.advance().val
	} else {
		return "", nil
	}
	var cols []ast.Ident
	if withColumns && p.isOp("(") {
		cols = p.parseIdentList("a column alias")
	}
	return alias, cols
}

// ---------------------------------------------------------------------------------------------
// Hints

// parseHints reads zero or more /*+ ... */ blocks at the current position.
func (p *parser) parseHints() []ast.Hint {
	var hints []ast.Hint
	for p.tok().kind == tHintStart {
		p.advance()
		for {
			hints = append(hints, p.parseHint())
			if p.acceptOp(",") {
				continue
			}
			if p.tok().kind != tHintEnd {
				p.expected("',' or '*/' in hint")
			}
			p.advance()
			break
		}
	}
	return hints
}

func (p *parser) parseHint() ast.Hint {
	t := p.tok()
	if t.kind != tIdent && t.kind != tQIdent {
		p.expected("a hint name")
	}
	p.advance()
	h := ast.Hint{Pos: t.pos, Name: strings.ToUpper(t.val)}
	if !p.acceptOp("(") {
		return h
	}
	if p.acceptOp(")") {
		return h
	}
	kv := isOp(p.peek(1), "=")
	for {
		a := p.tok()
		if a.kind != tIdent && a.kind != tQIdent && a.kind != tString {
			p.expected("a hint option")
		}
		p.advance()
		if kv {
			p.expectOp("=")
			v := p.tok()
			if v.kind != tString && v.kind != tIdent && v.kind != tInteger && v.kind != tDecimal {
				p.expected("a hint option value")
			}
			p.advance()
			h.KVs = append(h.KVs, ast.Option{Key: a.val, Value: v.val, KeyPos: a.pos, ValuePos: v.pos})
		} else {
			h.Args = append(h.Args, a.val)
		}
		if p.acceptOp(",") {
			continue
		}
		if !p.isOp(")") {
			p.expected("',' or ')'")
		}
		p.advance()
		return h
	}
}

// ---------------------------------------------------------------------------------------------
// Statements

func (p *parser) parseStatement() ast.Statement {
	t := p.tok()
	switch upper(t) {
	case "SELECT", "WITH", "VALUES":
		return &ast.QueryStatement{Pos: t.pos, Query: p.parseQuery()}
	case "CREATE":
		return p.parseCreate()
	case "DROP":
		return p.parseDrop()
	case "INSERT":
		return p.parseInsert()
	case "EXECUTE":
		p.advance()
		if p.isKw("STATEMENT") {
			return p.parseStatementSet(t.pos, true)
		}
		if p.isKw("INSERT") || p.isKw("SELECT") || p.isKw("WITH") || p.isKw("VALUES") {
			return p.parseStatement()
		}
		p.expected("STATEMENT SET or INSERT after EXECUTE")
	case "BEGIN":
		p.advance()
		return p.parseStatementSet(t.pos, false)
	case "STATEMENT":
		// EXPLAIN STATEMENT SET BEGIN ... END
		if isKw(p.peek(1), "SET") {
			return p.parseStatementSet(t.pos, true)
		}
	case "SET":
		p.advance()
		if p.tok().kind == tEOF || p.isOp(";") {
			return &ast.Set{Pos: t.pos}
		}
		k, kpos := p.parseStringLit("a quoted option key")
		if k == "" {
			p.failAt(kpos, "option key must not be empty")
		}
		p.expectOp("=")
		v := p.tok()
		switch v.kind {
		case tString, tInteger, tDecimal, tApprox, tIdent:
			p.advance()
		default:
			p.expected("a quoted option value")
		}
		return &ast.Set{Pos: t.pos, Key: k, Value: v.val}
	case "RESET":
		p.advance()
		if p.tok().kind == tEOF || p.isOp(";") {
			return &ast.Reset{Pos: t.pos}
		}
		k, kpos := p.parseStringLit("a quoted option key")
		if k == "" {
			p.failAt(kpos, "option key must not be empty")
		}
		return &ast.Reset{Pos: t.pos, Key: k}
	case "SHOW":
		return p.parseShow()
	case "DESCRIBE", "DESC":
		p.advance()
		p.acceptKw("EXTENDED")
		return &ast.Describe{Pos: t.pos, Name: p.parseObjectName("a table name")}
	case "EXPLAIN":
		p.advance()
		ex := &ast.Explain{Pos: t.pos}
		if p.acceptKw("PLAN") {
			p.expectKwAfter("FOR", "EXPLAIN PLAN")
		} else {
			for {
				d := upper(p.tok())
				if d != "ESTIMATED_COST" && d != "CHANGELOG_MODE" && d != "JSON_EXECUTION_PLAN" && d != "PLAN_ADVICE" {
					break
				}
				p.advance()
				ex.Details = append(ex.Details, d)
				if !p.acceptOp(",") {
					break
				}
			}
		}
		ex.Stmt = p.parseStatement()
		return ex
	}
	if p.isOp("(") {
		return &ast.QueryStatement{Pos: t.pos, Query: p.parseQuery()}
	}
	p.expected("a statement (SELECT, INSERT, CREATE, DROP, SET, SHOW, DESCRIBE, EXPLAIN, ...)")
	return nil
}

func (p *parser) parseIfNotExists() bool {
	if p.isKw("IF") {
		p.advance()
		p.expectKwAfter("NOT", "IF")
		p.expectKwAfter("EXISTS", "IF NOT")
		return true
	}
	return false
}

func (p *parser) parseIfExists() bool {
	if p.isKw("IF") {
		p.advance()
		p.expectKwAfter("EXISTS", "IF")
		return true
	}
	return false
}

func (p *parser) parseCreate() ast.Statement {
	start := p.advance().pos
	if p.isKw("OR") {
		p.fail("CREATE OR REPLACE is not supported")
	}
	temporary := p.acceptKw("TEMPORARY")
	system := false
	if temporary {
		system = p.acceptKw("SYSTEM")
	}
	switch upper(p.tok()) {
	case "TABLE":
		if system {
			p.fail("expected FUNCTION after CREATE TEMPORARY SYSTEM but found %s", p.describe(p.tok()))
		}
		p.advance()
		return p.parseCreateTable(start, temporary)
	case "VIEW":
		if system {
			p.fail("expected FUNCTION after CREATE TEMPORARY SYSTEM but found %s", p.describe(p.tok()))
		}
		p.advance()
		v := &ast.CreateView{Pos: start, Temporary: temporary}
		v.IfNotExists = p.parseIfNotExists()
		v.Name = p.parseObjectName("a view name")
		if p.isOp("(") {
			v.Columns = p.parseIdentList("a column name")
		}
		if p.acceptKw("COMMENT") {
			v.Comment, _ = p.parseStringLit("a comment string")
		}
		p.expectKwAfter("AS", "CREATE VIEW "+v.Name.String())
		v.Query = p.parseQuery()
		return v
	case "FUNCTION":
		p.advance()
		f := &ast.CreateFunction{Pos: start, Temporary: temporary, System: system}
		f.IfNotExists = p.parseIfNotExists()
		f.Name = p.parseObjectName("a function name")
		p.expectKwAfter("AS", "CREATE FUNCTION "+f.Name.String())
		f.ClassName, _ = p.parseStringLit("a quoted class name")
		if p.acceptKw("LANGUAGE") {
			l := upper(p.tok())
			if l != "JAVA" && l != "SCALA" && l != "PYTHON" {
				p.expected("JAVA, SCALA or PYTHON")
			}
			p.advance()
			f.Language = l
		}
		return f
	case "CATALOG", "DATABASE":
		p.fail("CREATE %s is not supported", upper(p.tok()))
	}
	p.expected("TABLE, VIEW or FUNCTION after CREATE")
	return nil
}

func (p *parser) parseCreateTable(start ast.Pos, temporary bool) *ast.CreateTable {
	ct := &ast.CreateTable{Pos: start, Temporary: temporary}
	ct.IfNotExists = p.parseIfNotExists()
	ct.Name = p.parseObjectName("a table name")
	if p.acceptOp("(") {
		ct.HasColumnDef = true
		if !p.acceptOp(")") {
			for {
				p.parseTableElement(ct)
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
	}
	if p.acceptKw("COMMENT") {
		ct.Comment, _ = p.parseStringLit("a comment string")
	}
	if p.acceptKw("PARTITIONED") {
		p.expectKwAfter("BY", "PARTITIONED")
		ct.PartitionBy = p.parseIdentList("a column name")
	}
	if p.acceptKw("WITH") {
		ct.Options = p.parseOptions()
	}
	if p.isKw("LIKE") {
		l := &ast.TableLike{Pos: p.advance().pos}
		l.Name = p.parseObjectName("a table name")
		if p.acceptOp("(") {
			for !p.acceptOp(")") {
				mode := upper(p.tok())
				if mode != "INCLUDING" && mode != "EXCLUDING" && mode != "OVERWRITING" {
					p.expected("INCLUDING, EXCLUDING, OVERWRITING or ')'")
				}
				p.advance()
				what := upper(p.tok())
				switch what {
				case "ALL", "CONSTRAINTS", "GENERATED", "OPTIONS", "PARTITIONS", "WATERMARKS", "METADATA":
				default:
					p.expected("ALL, CONSTRAINTS, GENERATED, METADATA, OPTIONS, PARTITIONS or WATERMARKS")
				}
				p.advance()
				l.Options = append(l.Options, mode+" "+what)
			}
		}
		ct.Like = l
	}
	if p.acceptKw("AS") {
		ct.AsQuery = p.parseQuery()
	}
	return ct
}

// parseOptions reads ('k' = 'v', ...) after WITH.
func (p *parser) parseOptions() []ast.Option {
	p.expectOp("(")
	var opts []ast.Option
	if p.acceptOp(")") {
		return opts
	}
	for {
		k, kpos := p.parseStringLit("a quoted option key")
		p.expectOp("=")
		v := p.tok()
		switch v.kind {
		case tString, tInteger, tDecimal, tApprox:
		default:
			if !isKw(v, "TRUE") && !isKw(v, "FALSE") {
				p.expected("a quoted option value")
			}
		}
		p.advance()
		opts = append(opts, ast.Option{Key: k, Value: v.val, KeyPos: kpos, ValuePos: v.pos})
		if p.acceptOp(",") {
			continue
		}
		if !p.isOp(")") {
			p.expected("',' or ')'")
		}
		p.advance()
		return opts
	}
}

func (p *parser) setPrimaryKey(ct *ast.CreateTable, pk *ast.PrimaryKey) {
	if ct.PrimaryKey != nil {
		p.failAt(pk.Pos, "multiple primary keys are not allowed")
	}
	ct.PrimaryKey = pk
}

// parsePKTail reads [NOT ENFORCED] after PRIMARY KEY ....
func (p *parser) parsePKTail(pk *ast.PrimaryKey) {
	if p.isKw("NOT") && isKw(p.peek(1), "ENFORCED") {
		p.advance()
		p.advance()
		pk.NotEnforced = true
	} else if p.isKw("ENFORCED") {
		p.fail("ENFORCED primary keys are not supported, use NOT ENFORCED")
	}
}

func (p *parser) parseTableElement(ct *ast.CreateTable) {
	t := p.tok()
	if isKw(t, "WATERMARK") && isKw(p.peek(1), "FOR") {
		p.advance()
		p.advance()
		if ct.Watermark != nil {
			p.failAt(t.pos, "multiple WATERMARK definitions are not allowed")
		}
		w := &ast.WatermarkDef{Pos: t.pos}
		w.Column = p.parseQualifiedIdent("a column name")
		p.expectKwAfter("AS", "WATERMARK FOR "+w.Column.String())
		w.Expr = p.parseExpr()
		ct.Watermark = w
		return
	}
	if isKw(t, "CONSTRAINT") || (isKw(t, "PRIMARY") && isKw(p.peek(1), "KEY")) {
		pk := &ast.PrimaryKey{Pos: t.pos}
		if p.acceptKw("CONSTRAINT") {
			pk.Name, _ = p.parseIdentPart("a constraint name")
		}
		p.expectKw("PRIMARY")
		p.expectKwAfter("KEY", "PRIMARY")
		pk.Columns = p.parseIdentList("a column name")
		p.parsePKTail(pk)
		p.setPrimaryKey(ct, pk)
		return
	}
	col := ast.ColumnDef{Pos: t.pos}
	col.Name = p.parseSimpleIdent("a column name")
	if p.acceptKw("AS") {
		col.Kind = ast.ComputedColumn
		col.Expr = p.parseExpr()
	} else {
		col.Type, col.TypePos = p.parseType()
		if p.acceptKw("METADATA") {
			col.Kind = ast.MetadataColumn
			if p.acceptKw("FROM") {
				col.MetadataKey, _ = p.parseStringLit("a quoted metadata key")
			}
			col.Virtual = p.acceptKw("VIRTUAL")
		}
	}
	for {
		switch {
		case p.isKw("PRIMARY") || p.isKw("CONSTRAINT"):
			pk := &ast.PrimaryKey{Pos: p.tok().pos, Columns: []ast.Ident{col.Name}}
			if p.acceptKw("CONSTRAINT") {
				pk.Name, _ = p.parseIdentPart("a constraint name")
			}
			p.expectKw("PRIMARY")
			p.expectKwAfter("KEY", "PRIMARY")
			p.parsePKTail(pk)
			p.setPrimaryKey(ct, pk)
			continue
		case p.isKw("COMMENT"):
			p.advance()
			col.Comment, _ = p.parseStringLit("a comment string")
			continue
		}
		break
	}
	ct.Columns = append(ct.Columns, col)
}

func (p *parser) parseDrop() ast.Statement {
	start := p.advance().pos
	temporary := p.acceptKw("TEMPORARY")
	system := temporary && p.acceptKw("SYSTEM")
	switch upper(p.tok()) {
	case "TABLE":
		p.advance()
		ifExists := p.parseIfExists()
		return &ast.DropTable{Pos: start, Temporary: temporary, IfExists: ifExists, Name: p.parseObjectName("a table name")}
	case "VIEW":
		p.advance()
		ifExists := p.parseIfExists()
		return &ast.DropView{Pos: start, Temporary: temporary, IfExists: ifExists, Name: p.parseObjectName("a view name")}
	case "FUNCTION":
		p.advance()
		ifExists := p.parseIfExists()
		return &ast.DropFunction{Pos: start, Temporary: temporary, System: system, IfExists: ifExists, Name: p.parseObjectName("a function name")}
	}
	p.expected("TABLE, VIEW or FUNCTION after DROP")
	return nil
}

// startsQuery reports whether the tokens at k start a query (possibly parenthesized).
func (p *parser) startsQuery(k int) bool {
	for isOp(p.peek(k), "(") {
		k++
	}
	switch upper(p.peek(k)) {
	case "SELECT", "WITH", "VALUES":
		return true
	}
	return false
}

func (p *parser) parseInsert() *ast.Insert {
	ins := &ast.Insert{Pos: p.advance().pos}
	switch {
	case p.acceptKw("INTO"):
	case p.acceptKw("OVERWRITE"):
		ins.Overwrite = true
	default:
		p.expected("INTO or OVERWRITE after INSERT")
	}
	ins.Table = p.parseObjectName("a table name")
	if p.isKw("PARTITION") {
		p.fail("INSERT ... PARTITION is not supported")
	}
	ins.Hints = p.parseHints()
	if p.isOp("(") && !p.startsQuery(0) {
		ins.Columns = p.parseIdentList("a column name")
	}
	if !p.startsQuery(0) {
		p.expected("a query (SELECT or VALUES)")
	}
	ins.Query = p.parseQuery()
	return ins
}

// parseStatementSet parses the rest of EXECUTE STATEMENT SET BEGIN ... END (execute) or
// BEGIN STATEMENT SET; ... END.
func (p *parser) parseStatementSet(start ast.Pos, execute bool) *ast.StatementSet {
	if execute {
		p.expectKw("STATEMENT")
		p.expectKwAfter("SET", "STATEMENT")
		p.expectKwAfter("BEGIN", "EXECUTE STATEMENT SET")
	} else {
		p.expectKwAfter("STATEMENT", "BEGIN")
		p.expectKwAfter("SET", "BEGIN STATEMENT")
		if !p.acceptOp(";") {
			p.expected("';' after BEGIN STATEMENT SET")
		}
	}
	ss := &ast.StatementSet{Pos: start}
	for {
		for p.acceptOp(";") {
		}
		if p.acceptKw("END") {
			break
		}
		if !p.isKw("INSERT") {
			p.expected("INSERT or END in statement set")
		}
		ss.Inserts = append(ss.Inserts, p.parseInsert())
		if !p.isOp(";") && !p.isKw("END") {
			p.expected("';' or END")
		}
	}
	if len(ss.Inserts) == 0 {
		p.failAt(start, "statement set has no INSERT statements")
	}
	return ss
}

func (p *parser) parseShow() ast.Statement {
	start := p.advance().pos
	switch upper(p.tok()) {
	case "TABLES":
		p.advance()
		return &ast.ShowTables{Pos: start}
	case "VIEWS":
		p.advance()
		return &ast.ShowViews{Pos: start}
	case "FUNCTIONS":
		p.advance()
		return &ast.ShowFunctions{Pos: start}
	case "USER":
		p.advance()
		p.expectKwAfter("FUNCTIONS", "SHOW USER")
		return &ast.ShowFunctions{Pos: start, User: true}
	case "CREATE":
		p.advance()
		sc := &ast.ShowCreate{Pos: start}
		switch {
		case p.acceptKw("TABLE"):
		case p.acceptKw("VIEW"):
			sc.View = true
		default:
			p.expected("TABLE or VIEW after SHOW CREATE")
		}
		sc.Name = p.parseObjectName("a name")
		return sc
	}
	p.expected("TABLES, VIEWS, FUNCTIONS or CREATE after SHOW")
	return nil
}
