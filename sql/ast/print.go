package ast

import (
	"fmt"
	"strconv"
	"strings"
)

// String renders the position as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// IsValid reports whether the position is known.
func (p Pos) IsValid() bool { return p.Line > 0 }

func joinIdents(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = QuoteIdent(p)
	}
	return strings.Join(q, ".")
}

func identList(ids []Ident) string {
	s := make([]string, len(ids))
	for i := range ids {
		s[i] = ids[i].String()
	}
	return strings.Join(s, ", ")
}

func exprList(es []Expr) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.String()
	}
	return strings.Join(s, ", ")
}

func orderList(items []OrderItem) string {
	s := make([]string, len(items))
	for i := range items {
		s[i] = items[i].String()
	}
	return strings.Join(s, ", ")
}

func optionList(opts []Option) string {
	s := make([]string, len(opts))
	for i, o := range opts {
		s[i] = o.String()
	}
	return strings.Join(s, ", ")
}

func hintList(hs []Hint) string {
	if len(hs) == 0 {
		return ""
	}
	s := make([]string, len(hs))
	for i := range hs {
		s[i] = hs[i].body()
	}
	return "/*+ " + strings.Join(s, ", ") + " */"
}

func aliasSuffix(alias string, cols []Ident) string {
	if alias == "" {
		return ""
	}
	s := " AS " + QuoteIdent(alias)
	if len(cols) > 0 {
		s += " (" + identList(cols) + ")"
	}
	return s
}

// String renders the identifier, quoting parts as needed.
func (i *Ident) String() string { return joinIdents(i.Parts) }

// String renders the name, quoting parts as needed.
func (n ObjectName) String() string { return joinIdents(n.Parts) }

// String renders 'key' = 'value'.
func (o Option) String() string { return QuoteString(o.Key) + " = " + QuoteString(o.Value) }

func (h *Hint) body() string {
	name := h.Name
	if !isPlainIdent(name) {
		name = "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	switch {
	case len(h.KVs) > 0:
		return name + "(" + optionList(h.KVs) + ")"
	case len(h.Args) > 0:
		s := make([]string, len(h.Args))
		for i, a := range h.Args {
			if isPlainIdent(a) {
				s[i] = a
			} else {
				s[i] = QuoteString(a)
			}
		}
		return name + "(" + strings.Join(s, ", ") + ")"
	}
	return name
}

// String renders the hint as /*+ NAME(...) */.
func (h *Hint) String() string { return "/*+ " + h.body() + " */" }

// ---------------------------------------------------------------------------------------------
// Statements

// String renders the column definition.
func (c *ColumnDef) String() string {
	var b strings.Builder
	b.WriteString(c.Name.String())
	switch c.Kind {
	case ComputedColumn:
		b.WriteString(" AS ")
		b.WriteString(c.Expr.String())
	case MetadataColumn:
		b.WriteString(" ")
		b.WriteString(c.Type.String())
		b.WriteString(" METADATA")
		if c.MetadataKey != "" {
			b.WriteString(" FROM " + QuoteString(c.MetadataKey))
		}
		if c.Virtual {
			b.WriteString(" VIRTUAL")
		}
	default:
		b.WriteString(" ")
		b.WriteString(c.Type.String())
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(c.Comment))
	}
	return b.String()
}

// String renders WATERMARK FOR col AS expr.
func (w *WatermarkDef) String() string {
	return "WATERMARK FOR " + w.Column.String() + " AS " + w.Expr.String()
}

// String renders the primary key constraint.
func (pk *PrimaryKey) String() string {
	s := ""
	if pk.Name != "" {
		s = "CONSTRAINT " + QuoteIdent(pk.Name) + " "
	}
	s += "PRIMARY KEY (" + identList(pk.Columns) + ")"
	if pk.NotEnforced {
		s += " NOT ENFORCED"
	}
	return s
}

// String renders the LIKE clause.
func (l *TableLike) String() string {
	s := "LIKE " + l.Name.String()
	if len(l.Options) > 0 {
		s += " (" + strings.Join(l.Options, " ") + ")"
	}
	return s
}

// String renders the statement.
func (n *CreateTable) String() string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if n.Temporary {
		b.WriteString("TEMPORARY ")
	}
	b.WriteString("TABLE ")
	if n.IfNotExists {
		b.WriteString("IF NOT EXISTS ")
	}
	b.WriteString(n.Name.String())
	var elems []string
	for i := range n.Columns {
		elems = append(elems, n.Columns[i].String())
	}
	if n.Watermark != nil {
		elems = append(elems, n.Watermark.String())
	}
	if n.PrimaryKey != nil {
		elems = append(elems, n.PrimaryKey.String())
	}
	if len(elems) > 0 || n.HasColumnDef {
		b.WriteString(" (" + strings.Join(elems, ", ") + ")")
	}
	if n.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(n.Comment))
	}
	if len(n.PartitionBy) > 0 {
		b.WriteString(" PARTITIONED BY (" + identList(n.PartitionBy) + ")")
	}
	if len(n.Options) > 0 {
		b.WriteString(" WITH (" + optionList(n.Options) + ")")
	}
	if n.Like != nil {
		b.WriteString(" " + n.Like.String())
	}
	if n.AsQuery != nil {
		b.WriteString(" AS " + n.AsQuery.String())
	}
	return b.String()
}

// String renders the statement.
func (n *CreateView) String() string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if n.Temporary {
		b.WriteString("TEMPORARY ")
	}
	b.WriteString("VIEW ")
	if n.IfNotExists {
		b.WriteString("IF NOT EXISTS ")
	}
	b.WriteString(n.Name.String())
	if len(n.Columns) > 0 {
		b.WriteString(" (" + identList(n.Columns) + ")")
	}
	if n.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(n.Comment))
	}
	b.WriteString(" AS " + n.Query.String())
	return b.String()
}

// String renders the statement.
func (n *CreateFunction) String() string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if n.Temporary {
		b.WriteString("TEMPORARY ")
		if n.System {
			b.WriteString("SYSTEM ")
		}
	}
	b.WriteString("FUNCTION ")
	if n.IfNotExists {
		b.WriteString("IF NOT EXISTS ")
	}
	b.WriteString(n.Name.String() + " AS " + QuoteString(n.ClassName))
	if n.Language != "" {
		b.WriteString(" LANGUAGE " + n.Language)
	}
	return b.String()
}

// String renders the statement.
func (n *Insert) String() string {
	var b strings.Builder
	if n.Overwrite {
		b.WriteString("INSERT OVERWRITE ")
	} else {
		b.WriteString("INSERT INTO ")
	}
	b.WriteString(n.Table.String())
	if len(n.Hints) > 0 {
		b.WriteString(" " + hintList(n.Hints))
	}
	if len(n.Columns) > 0 {
		b.WriteString(" (" + identList(n.Columns) + ")")
	}
	b.WriteString(" " + n.Query.String())
	return b.String()
}

// String renders EXECUTE STATEMENT SET BEGIN ...; END.
func (n *StatementSet) String() string {
	var b strings.Builder
	b.WriteString("EXECUTE STATEMENT SET BEGIN ")
	for _, ins := range n.Inserts {
		b.WriteString(ins.String())
		b.WriteString("; ")
	}
	b.WriteString("END")
	return b.String()
}

// String renders the statement.
func (n *Set) String() string {
	if n.Key == "" {
		return "SET"
	}
	return "SET " + QuoteString(n.Key) + " = " + QuoteString(n.Value)
}

// String renders the statement.
func (n *Reset) String() string {
	if n.Key == "" {
		return "RESET"
	}
	return "RESET " + QuoteString(n.Key)
}

// String renders the statement.
func (n *ShowTables) String() string { return "SHOW TABLES" }

// String renders the statement.
func (n *ShowViews) String() string { return "SHOW VIEWS" }

// String renders the statement.
func (n *ShowFunctions) String() string {
	if n.User {
		return "SHOW USER FUNCTIONS"
	}
	return "SHOW FUNCTIONS"
}

// String renders the statement.
func (n *ShowCreate) String() string {
	if n.View {
		return "SHOW CREATE VIEW " + n.Name.String()
	}
	return "SHOW CREATE TABLE " + n.Name.String()
}

// String renders the statement.
func (n *Describe) String() string { return "DESCRIBE " + n.Name.String() }

// String renders the statement.
func (n *Explain) String() string {
	if len(n.Details) > 0 {
		return "EXPLAIN " + strings.Join(n.Details, ", ") + " " + n.Stmt.String()
	}
	return "EXPLAIN " + n.Stmt.String()
}

func dropString(what string, temporary, system, ifExists bool, name ObjectName) string {
	s := "DROP "
	if temporary {
		s += "TEMPORARY "
		if system {
			s += "SYSTEM "
		}
	}
	s += what + " "
	if ifExists {
		s += "IF EXISTS "
	}
	return s + name.String()
}

// String renders the statement.
func (n *DropTable) String() string {
	return dropString("TABLE", n.Temporary, false, n.IfExists, n.Name)
}

// String renders the statement.
func (n *DropView) String() string {
	return dropString("VIEW", n.Temporary, false, n.IfExists, n.Name)
}

// String renders the statement.
func (n *DropFunction) String() string {
	return dropString("FUNCTION", n.Temporary, n.System, n.IfExists, n.Name)
}

// String renders the query.
func (n *QueryStatement) String() string { return n.Query.String() }

// ---------------------------------------------------------------------------------------------
// Queries

// String renders the select item.
func (it *SelectItem) String() string {
	if it.Star != nil {
		return it.Star.String()
	}
	if it.Alias != "" {
		return it.Expr.String() + " AS " + QuoteIdent(it.Alias)
	}
	return it.Expr.String()
}

// String renders the order item.
func (o *OrderItem) String() string {
	s := o.Expr.String()
	if o.Desc {
		s += " DESC"
	}
	switch o.Nulls {
	case NullsFirst:
		s += " NULLS FIRST"
	case NullsLast:
		s += " NULLS LAST"
	}
	return s
}

func orderLimitSuffix(orderBy []OrderItem, limit, offset Expr) string {
	s := ""
	if len(orderBy) > 0 {
		s += " ORDER BY " + orderList(orderBy)
	}
	if limit != nil {
		s += " LIMIT " + limit.String()
	}
	if offset != nil {
		s += " OFFSET " + offset.String()
	}
	return s
}

// String renders the query.
func (n *Select) String() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if len(n.Hints) > 0 {
		b.WriteString(hintList(n.Hints) + " ")
	}
	if n.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i := range n.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n.Items[i].String())
	}
	if n.From != nil {
		b.WriteString(" FROM " + n.From.String())
	}
	if n.Where != nil {
		b.WriteString(" WHERE " + n.Where.String())
	}
	if len(n.GroupBy) > 0 {
		b.WriteString(" GROUP BY " + exprList(n.GroupBy))
	}
	if n.Having != nil {
		b.WriteString(" HAVING " + n.Having.String())
	}
	if len(n.Windows) > 0 {
		b.WriteString(" WINDOW ")
		for i, w := range n.Windows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteIdent(w.Name) + " AS " + w.Spec.body())
		}
	}
	b.WriteString(orderLimitSuffix(n.OrderBy, n.Limit, n.Offset))
	return b.String()
}

// String renders UNION, INTERSECT or EXCEPT.
func (k SetOpKind) String() string {
	switch k {
	case Intersect:
		return "INTERSECT"
	case Except:
		return "EXCEPT"
	}
	return "UNION"
}

func setOpPrec(k SetOpKind) int {
	if k == Intersect {
		return 2
	}
	return 1
}

// setOperand renders q as an operand of a set operation with precedence prec; right operands
// need parentheses already at equal precedence (set operations are left-associative).
func setOperand(q Query, prec int, right bool) string {
	paren := false
	switch q := q.(type) {
	case *Select:
		paren = len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil
	case *Values:
	case *SetOp:
		p := setOpPrec(q.Op)
		paren = len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil || p < prec || (right && p == prec)
	default:
		paren = true
	}
	if paren {
		return "(" + q.String() + ")"
	}
	return q.String()
}

// String renders the query.
func (n *SetOp) String() string {
	op := " " + n.Op.String() + " "
	if n.All {
		op = " " + n.Op.String() + " ALL "
	}
	p := setOpPrec(n.Op)
	return setOperand(n.Left, p, false) + op + setOperand(n.Right, p, true) + orderLimitSuffix(n.OrderBy, n.Limit, n.Offset)
}

// String renders the CTE.
func (c *CTE) String() string {
	s := QuoteIdent(c.Name)
	if len(c.Columns) > 0 {
		s += " (" + identList(c.Columns) + ")"
	}
	return s + " AS (" + c.Query.String() + ")"
}

// String renders the query.
func (n *With) String() string {
	var b strings.Builder
	b.WriteString("WITH ")
	for i := range n.CTEs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n.CTEs[i].String())
	}
	b.WriteString(" " + n.Body.String())
	return b.String()
}

// String renders the query.
func (n *Values) String() string {
	rows := make([]string, len(n.Rows))
	for i, r := range n.Rows {
		rows[i] = "(" + exprList(r) + ")"
	}
	return "VALUES " + strings.Join(rows, ", ")
}

// ---------------------------------------------------------------------------------------------
// Table expressions

// String renders the table reference.
func (n *TableRef) String() string {
	s := n.Name.String()
	if len(n.Hints) > 0 {
		s += " " + hintList(n.Hints)
	}
	if n.SystemTime != nil {
		s += " FOR SYSTEM_TIME AS OF " + n.SystemTime.String()
	}
	return s + aliasSuffix(n.Alias, n.ColumnAliases)
}

// String renders the derived table.
func (n *Subquery) String() string {
	return "(" + n.Query.String() + ")" + aliasSuffix(n.Alias, n.ColumnAliases)
}

// String renders the join keyword(s).
func (k JoinKind) String() string {
	switch k {
	case JoinLeft:
		return "LEFT JOIN"
	case JoinRight:
		return "RIGHT JOIN"
	case JoinFull:
		return "FULL JOIN"
	case JoinCross:
		return "CROSS JOIN"
	}
	return "JOIN"
}

// String renders the join.
func (n *Join) String() string {
	right := n.Right.String()
	if _, ok := n.Right.(*Join); ok {
		right = "(" + right + ")"
	}
	s := n.Left.String() + " " + n.Kind.String() + " " + right
	if n.On != nil {
		s += " ON " + n.On.String()
	}
	if len(n.Using) > 0 {
		s += " USING (" + identList(n.Using) + ")"
	}
	return s
}

// String renders TUMBLE, HOP, CUMULATE or SESSION.
func (f WindowFunc) String() string {
	switch f {
	case Hop:
		return "HOP"
	case Cumulate:
		return "CUMULATE"
	case Session:
		return "SESSION"
	}
	return "TUMBLE"
}

// String renders the window TVF in positional form.
func (n *WindowTVF) String() string {
	var b strings.Builder
	b.WriteString("TABLE(" + n.Func.String() + "(")
	switch t := n.Table.(type) {
	case *TableRef:
		b.WriteString("TABLE " + t.String())
	default:
		b.WriteString(t.String())
	}
	if len(n.PartitionBy) > 0 {
		b.WriteString(" PARTITION BY " + exprList(n.PartitionBy))
	}
	b.WriteString(", DESCRIPTOR(" + n.TimeCol.String() + ")")
	for _, a := range n.Args {
		b.WriteString(", " + a.String())
	}
	b.WriteString("))")
	b.WriteString(aliasSuffix(n.Alias, n.ColumnAliases))
	return b.String()
}

// String renders LATERAL TABLE(call).
func (n *LateralTable) String() string {
	return "LATERAL TABLE(" + n.Call.String() + ")" + aliasSuffix(n.Alias, n.ColumnAliases)
}

// String renders UNNEST(...).
func (n *Unnest) String() string {
	s := "UNNEST(" + exprList(n.Args) + ")"
	if n.WithOrdinality {
		s += " WITH ORDINALITY"
	}
	return s + aliasSuffix(n.Alias, n.ColumnAliases)
}

// ---------------------------------------------------------------------------------------------
// Expressions

// Operator precedences, lowest first; the parser uses the same levels.
const (
	PrecOr      = 1
	PrecAnd     = 2
	PrecNot     = 3
	PrecCmp     = 4 // comparisons, IS, IN, BETWEEN, LIKE
	PrecConcat  = 5
	PrecAdd     = 6
	PrecMul     = 7
	PrecUnary   = 8
	PrecPrimary = 9
)

// BinaryPrec returns the precedence of a binary operator (0 if unknown).
func BinaryPrec(op string) int {
	switch op {
	case OpOr:
		return PrecOr
	case OpAnd:
		return PrecAnd
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIsDistinctFrom, OpIsNotDistinctFrom:
		return PrecCmp
	case OpConcat:
		return PrecConcat
	case OpAdd, OpSub:
		return PrecAdd
	case OpMul, OpDiv, OpMod:
		return PrecMul
	}
	return 0
}

// Prec returns the precedence of an expression's outermost operator (PrecPrimary for atoms).
func Prec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		return BinaryPrec(e.Op)
	case *Unary:
		if e.Op == "NOT" {
			return PrecNot
		}
		return PrecUnary
	case *In, *Between, *Like, *IsNull, *IsBool:
		return PrecCmp
	case *Exists:
		if e.Not {
			return PrecNot
		}
	}
	return PrecPrimary
}

// operand renders e, parenthesized when its precedence is below min.
func operand(e Expr, min int) string {
	if Prec(e) < min {
		return "(" + e.String() + ")"
	}
	return e.String()
}

// String renders the expression.
func (n *Literal) String() string {
	switch n.Kind {
	case LitNull:
		return "NULL"
	case LitBool:
		return strings.ToUpper(n.Text)
	case LitString:
		return QuoteString(n.Text)
	case LitBinary:
		return "X" + QuoteString(n.Text)
	case LitDate:
		return "DATE " + QuoteString(n.Text)
	case LitTime:
		return "TIME " + QuoteString(n.Text)
	case LitTimestamp:
		return "TIMESTAMP " + QuoteString(n.Text)
	}
	return n.Text
}

func unitWithPrec(u TimeUnit, p, f int) string {
	s := string(u)
	switch {
	case p > 0 && f > 0:
		s += "(" + strconv.Itoa(p) + ", " + strconv.Itoa(f) + ")"
	case p > 0:
		s += "(" + strconv.Itoa(p) + ")"
	}
	return s
}

// String renders the interval literal.
func (n *IntervalLit) String() string {
	s := "INTERVAL "
	if n.Negative {
		s += "-"
	}
	s += QuoteString(n.Value) + " "
	if n.To == NoUnit {
		if n.From == Second {
			return s + unitWithPrec(n.From, n.Precision, n.FracPrecision)
		}
		return s + unitWithPrec(n.From, n.Precision, 0)
	}
	s += unitWithPrec(n.From, n.Precision, 0) + " TO "
	if n.To == Second && n.FracPrecision > 0 {
		return s + "SECOND(" + strconv.Itoa(n.FracPrecision) + ")"
	}
	return s + string(n.To)
}

// String renders the unit.
func (n *TimeUnitExpr) String() string { return string(n.Unit) }

// String renders the expression.
func (n *Binary) String() string {
	p := BinaryPrec(n.Op)
	return operand(n.L, p) + " " + n.Op + " " + operand(n.R, p+1)
}

// String renders the expression.
func (n *Unary) String() string {
	if n.Op == "NOT" {
		return "NOT " + operand(n.X, PrecNot)
	}
	x := operand(n.X, PrecUnary)
	if strings.HasPrefix(x, "-") || strings.HasPrefix(x, "+") {
		return n.Op + " " + x
	}
	return n.Op + x
}

// String renders the call.
func (n *FuncCall) String() string {
	parts := make([]string, len(n.Name.Parts))
	for i, p := range n.Name.Parts {
		parts[i] = quoteFuncName(p)
	}
	if len(parts) == 1 && specialSyntaxCall(n) {
		parts[0] = "`" + strings.ReplaceAll(n.Name.Parts[0], "`", "``") + "`"
	}
	name := strings.Join(parts, ".")
	if n.Niladic {
		return name
	}
	var b strings.Builder
	b.WriteString(name + "(")
	if n.Distinct {
		b.WriteString("DISTINCT ")
	}
	if n.Star {
		b.WriteString("*")
	} else {
		b.WriteString(exprList(n.Args))
	}
	b.WriteString(")")
	if n.Filter != nil {
		b.WriteString(" FILTER (WHERE " + n.Filter.String() + ")")
	}
	if n.Over != nil {
		b.WriteString(" OVER " + n.Over.String())
	}
	return b.String()
}

func (fb FrameBound) String() string {
	switch fb.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case Preceding:
		return fb.Offset.String() + " PRECEDING"
	case CurrentRow:
		return "CURRENT ROW"
	case Following:
		return fb.Offset.String() + " FOLLOWING"
	}
	return "UNBOUNDED FOLLOWING"
}

// String renders the frame.
func (f *Frame) String() string {
	unit := "RANGE"
	if f.Rows {
		unit = "ROWS"
	}
	return unit + " BETWEEN " + f.Start.String() + " AND " + f.End.String()
}

// body renders the parenthesized specification.
func (w *WindowSpec) body() string {
	var parts []string
	if w.Name != "" {
		parts = append(parts, QuoteIdent(w.Name))
	}
	if len(w.PartitionBy) > 0 {
		parts = append(parts, "PARTITION BY "+exprList(w.PartitionBy))
	}
	if len(w.OrderBy) > 0 {
		parts = append(parts, "ORDER BY "+orderList(w.OrderBy))
	}
	if w.Frame != nil {
		parts = append(parts, w.Frame.String())
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// String renders the window as it follows OVER.
func (w *WindowSpec) String() string {
	if w.Ref {
		return QuoteIdent(w.Name)
	}
	return w.body()
}

// String renders the expression.
func (n *Cast) String() string {
	f := "CAST"
	if n.Try {
		f = "TRY_CAST"
	}
	return f + "(" + n.Expr.String() + " AS " + n.Type.String() + ")"
}

// String renders the expression.
func (n *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	if n.Operand != nil {
		b.WriteString(" " + n.Operand.String())
	}
	for _, w := range n.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Result.String())
	}
	if n.Else != nil {
		b.WriteString(" ELSE " + n.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}

func not(b bool) string {
	if b {
		return "NOT "
	}
	return ""
}

// String renders the expression.
func (n *In) String() string {
	s := operand(n.Expr, PrecCmp) + " " + not(n.Not) + "IN ("
	if n.Subquery != nil {
		return s + n.Subquery.String() + ")"
	}
	return s + exprList(n.List) + ")"
}

// String renders the expression.
func (n *Between) String() string {
	s := operand(n.Expr, PrecCmp) + " " + not(n.Not) + "BETWEEN "
	if n.Symmetric {
		s += "SYMMETRIC "
	}
	return s + operand(n.Lo, PrecConcat) + " AND " + operand(n.Hi, PrecConcat)
}

// String renders the expression.
func (n *Like) String() string {
	op := "LIKE "
	if n.Similar {
		op = "SIMILAR TO "
	}
	s := operand(n.Expr, PrecCmp) + " " + not(n.Not) + op + operand(n.Pattern, PrecConcat)
	if n.Escape != nil {
		s += " ESCAPE " + operand(n.Escape, PrecConcat)
	}
	return s
}

// String renders the expression.
func (n *IsNull) String() string {
	return operand(n.Expr, PrecCmp) + " IS " + not(n.Not) + "NULL"
}

// String renders the expression.
func (n *IsBool) String() string {
	v := "FALSE"
	switch {
	case n.Unknown:
		v = "UNKNOWN"
	case n.Value:
		v = "TRUE"
	}
	return operand(n.Expr, PrecCmp) + " IS " + not(n.Not) + v
}

// String renders the expression.
func (n *Exists) String() string { return not(n.Not) + "EXISTS (" + n.Query.String() + ")" }

// String renders the expression.
func (n *ScalarSubquery) String() string { return "(" + n.Query.String() + ")" }

// String renders the expression.
func (n *Extract) String() string {
	return "EXTRACT(" + string(n.Unit) + " FROM " + n.Expr.String() + ")"
}

// String renders the expression.
func (n *FloorCeil) String() string {
	f := "FLOOR"
	if n.Ceil {
		f = "CEIL"
	}
	return f + "(" + n.Expr.String() + " TO " + string(n.Unit) + ")"
}

// String renders the expression.
func (n *Position) String() string {
	s := "POSITION(" + operand(n.Sub, PrecConcat) + " IN " + operand(n.Str, PrecConcat)
	if n.From != nil {
		s += " FROM " + operand(n.From, PrecConcat)
	}
	return s + ")"
}

// String renders the expression.
func (n *Trim) String() string {
	w := "BOTH"
	switch n.Where {
	case TrimLeading:
		w = "LEADING"
	case TrimTrailing:
		w = "TRAILING"
	}
	s := "TRIM(" + w + " "
	if n.Chars != nil {
		s += n.Chars.String() + " "
	}
	return s + "FROM " + n.Expr.String() + ")"
}

// String renders the expression.
func (n *Substring) String() string {
	s := "SUBSTRING(" + n.Expr.String() + " FROM " + n.From.String()
	if n.For != nil {
		s += " FOR " + n.For.String()
	}
	return s + ")"
}

// String renders the expression.
func (n *Subscript) String() string {
	return operand(n.Expr, PrecPrimary) + "[" + n.Index.String() + "]"
}

// String renders the expression.
func (n *Descriptor) String() string { return "DESCRIPTOR(" + identList(n.Cols) + ")" }

// String renders `*` or `q.*`.
func (n *Star) String() string {
	if len(n.Qualifier) == 0 {
		return "*"
	}
	return joinIdents(n.Qualifier) + ".*"
}

// String names the literal kind.
func (k LitKind) String() string {
	switch k {
	case LitNull:
		return "NULL"
	case LitBool:
		return "BOOLEAN"
	case LitInteger:
		return "INTEGER"
	case LitDecimal:
		return "DECIMAL"
	case LitApprox:
		return "APPROX"
	case LitString:
		return "STRING"
	case LitBinary:
		return "BINARY"
	case LitDate:
		return "DATE"
	case LitTime:
		return "TIME"
	case LitTimestamp:
		return "TIMESTAMP"
	}
	return "LitKind(" + strconv.Itoa(int(k)) + ")"
}

// String names the column kind.
func (k ColumnKind) String() string {
	switch k {
	case ComputedColumn:
		return "COMPUTED"
	case MetadataColumn:
		return "METADATA"
	}
	return "PHYSICAL"
}

// String renders the NULLS option ("" for the default).
func (n NullsOrder) String() string {
	switch n {
	case NullsFirst:
		return "NULLS FIRST"
	case NullsLast:
		return "NULLS LAST"
	}
	return ""
}

// String names the frame bound kind.
func (k FrameBoundKind) String() string {
	switch k {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case Preceding:
		return "PRECEDING"
	case CurrentRow:
		return "CURRENT ROW"
	case Following:
		return "FOLLOWING"
	}
	return "UNBOUNDED FOLLOWING"
}

// String renders BOTH, LEADING or TRAILING.
func (w TrimWhere) String() string {
	switch w {
	case TrimLeading:
		return "LEADING"
	case TrimTrailing:
		return "TRAILING"
	}
	return "BOTH"
}
