package ast

import (
	"github.com/floedb/floe/types"
)

// Pos is a position in the SQL source: 1-based Line and Col (in bytes) and 0-based byte Offset
// of a node's first token. The zero Pos means "unknown" (nodes built by hand).
type Pos struct {
	Line, Col, Offset int
}

// Node is implemented by every AST node.
type Node interface {
	// Position returns the position of the node's first token.
	Position() Pos
	// String renders the node as valid Flink SQL that parses back to an equal AST
	// (positions aside).
	String() string
}

// Statement is a top-level SQL statement.
type Statement interface {
	Node
	stmtNode()
}

// Query is a relational query: *Select, *SetOp, *With or *Values.
type Query interface {
	Node
	queryNode()
}

// TableExpr is an item of a FROM clause: *TableRef, *Subquery, *Join, *WindowTVF,
// *LateralTable or *Unnest.
type TableExpr interface {
	Node
	tableNode()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// ---------------------------------------------------------------------------------------------
// Names

// Ident is a possibly qualified identifier, e.g. `a`, `t.a`, `cat.db.t.a`. Parts keep the
// spelling of the source (backtick-quoted parts keep their case and may contain any character);
// the binder compares names case-insensitively. Ident is used both as an expression (a column
// reference) and for plain names (column definitions, column lists, USING), which have one part.
type Ident struct {
	Pos   Pos
	Parts []string
}

// Name returns the last part of the identifier ("" if it has none).
func (i *Ident) Name() string {
	if len(i.Parts) == 0 {
		return ""
	}
	return i.Parts[len(i.Parts)-1]
}

// ObjectName names a catalog object (table, view, function): [catalog.][database.]name.
type ObjectName struct {
	Pos   Pos
	Parts []string
}

// Name returns the object's own (last) name part.
func (n ObjectName) Name() string {
	if len(n.Parts) == 0 {
		return ""
	}
	return n.Parts[len(n.Parts)-1]
}

// Option is a 'key' = 'value' pair of a WITH clause or of an OPTIONS hint.
type Option struct {
	Key, Value       string
	KeyPos, ValuePos Pos
}

// Hint is a hint comment /*+ NAME(args) */. OPTIONS('k'='v', ...) and other key-value hints
// (LOOKUP, STATE_TTL, ...) fill KVs; list hints such as BROADCAST(t1, t2) fill Args (identifiers
// or string literals, as written without quotes). A hint without parentheses has neither.
type Hint struct {
	Pos  Pos
	Name string // upper-cased
	Args []string
	KVs  []Option
}

// ---------------------------------------------------------------------------------------------
// Statements

// ColumnKind tells physical, computed and metadata columns apart.
type ColumnKind uint8

// Column kinds.
const (
	// PhysicalColumn: `name TYPE [COMMENT '...']`.
	PhysicalColumn ColumnKind = iota
	// ComputedColumn: `name AS expr [COMMENT '...']`.
	ComputedColumn
	// MetadataColumn: `name TYPE METADATA [FROM 'key'] [VIRTUAL]`.
	MetadataColumn
)

// ColumnDef is a column of CREATE TABLE.
type ColumnDef struct {
	Pos  Pos
	Name Ident // one part
	Kind ColumnKind
	// Type and TypePos: the declared type (physical and metadata columns). A NOT NULL constraint
	// sets Type.NotNull.
	Type    types.Type
	TypePos Pos
	// Expr is the expression of a computed column.
	Expr Expr
	// MetadataKey is the FROM 'key' of a metadata column ("" = the column name).
	MetadataKey string
	// Virtual marks a metadata column VIRTUAL (read only).
	Virtual bool
	// Comment is the COMMENT '...' text ("" if none).
	Comment string
}

// WatermarkDef is WATERMARK FOR Column AS Expr.
type WatermarkDef struct {
	Pos    Pos
	Column Ident // the rowtime column; may be qualified for nested fields
	Expr   Expr
}

// PrimaryKey is [CONSTRAINT name] PRIMARY KEY (cols) [NOT ENFORCED], at table or column level.
type PrimaryKey struct {
	Pos         Pos
	Name        string // constraint name, "" if none
	Columns     []Ident
	NotEnforced bool
}

// TableLike is the LIKE clause of CREATE TABLE: LIKE name [(INCLUDING ALL ...)].
type TableLike struct {
	Pos  Pos
	Name ObjectName
	// Options are the like options upper-cased, e.g. "INCLUDING ALL", "EXCLUDING OPTIONS".
	Options []string
}

// CreateTable is CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (...) [COMMENT '...']
// [PARTITIONED BY (...)] [WITH (...)] [LIKE ...] [AS query].
type CreateTable struct {
	Pos          Pos
	Name         ObjectName
	Temporary    bool
	IfNotExists  bool
	Columns      []ColumnDef
	Watermark    *WatermarkDef
	PrimaryKey   *PrimaryKey
	Comment      string
	PartitionBy  []Ident
	Options      []Option
	Like         *TableLike
	AsQuery      Query // CREATE TABLE ... AS SELECT; nil otherwise
	HasColumnDef bool  // the column list parentheses were present (even if empty)
}

// CreateView is CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT '...'] AS query.
type CreateView struct {
	Pos         Pos
	Name        ObjectName
	Columns     []Ident
	Query       Query
	Temporary   bool
	IfNotExists bool
	Comment     string
}

// CreateFunction is CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class'
// [LANGUAGE JAVA|SCALA|PYTHON].
type CreateFunction struct {
	Pos         Pos
	Name        ObjectName
	ClassName   string
	Language    string // upper-cased, "" if not given
	Temporary   bool
	System      bool
	IfNotExists bool
}

// Insert is INSERT {INTO|OVERWRITE} table [/*+ hints */] [(cols)] query.
type Insert struct {
	Pos       Pos
	Table     ObjectName
	Hints     []Hint
	Columns   []Ident
	Query     Query
	Overwrite bool
}

// StatementSet is EXECUTE STATEMENT SET BEGIN insert; ... END or BEGIN STATEMENT SET; insert;
// ... END. It renders as the EXECUTE form.
type StatementSet struct {
	Pos     Pos
	Inserts []*Insert
}

// Set is SET 'key' = 'value', or SET alone (Key == "") which lists the session options.
type Set struct {
	Pos        Pos
	Key, Value string
}

// Reset is RESET 'key', or RESET alone (Key == "") which resets all session options.
type Reset struct {
	Pos Pos
	Key string
}

// ShowTables is SHOW TABLES.
type ShowTables struct{ Pos Pos }

// ShowViews is SHOW VIEWS.
type ShowViews struct{ Pos Pos }

// ShowFunctions is SHOW [USER] FUNCTIONS.
type ShowFunctions struct {
	Pos  Pos
	User bool
}

// ShowCreate is SHOW CREATE TABLE name / SHOW CREATE VIEW name.
type ShowCreate struct {
	Pos  Pos
	View bool
	Name ObjectName
}

// Describe is DESCRIBE name / DESC name.
type Describe struct {
	Pos  Pos
	Name ObjectName
}

// Explain is EXPLAIN [PLAN FOR | detail, ...] statement.
type Explain struct {
	Pos Pos
	// Details are the upper-cased explain details (ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN,
	// PLAN_ADVICE), empty for plain EXPLAIN and EXPLAIN PLAN FOR.
	Details []string
	Stmt    Statement
}

// DropTable is DROP [TEMPORARY] TABLE [IF EXISTS] name.
type DropTable struct {
	Pos       Pos
	Name      ObjectName
	IfExists  bool
	Temporary bool
}

// DropView is DROP [TEMPORARY] VIEW [IF EXISTS] name.
type DropView struct {
	Pos       Pos
	Name      ObjectName
	IfExists  bool
	Temporary bool
}

// DropFunction is DROP [TEMPORARY [SYSTEM]] FUNCTION [IF EXISTS] name.
type DropFunction struct {
	Pos       Pos
	Name      ObjectName
	IfExists  bool
	Temporary bool
	System    bool
}

// QueryStatement is a query used as a statement (a bare SELECT, VALUES, WITH ...).
type QueryStatement struct {
	Pos   Pos
	Query Query
}

// ---------------------------------------------------------------------------------------------
// Queries

// SelectItem is one item of a SELECT list: either Expr [AS Alias] or a Star.
type SelectItem struct {
	Pos   Pos
	Expr  Expr   // nil for a star
	Alias string // "" if none
	Star  *Star  // `*` or `t.*`
}

// NullsOrder is the NULLS FIRST/LAST option of an ORDER BY item.
type NullsOrder uint8

// Nulls orders.
const (
	NullsDefault NullsOrder = iota
	NullsFirst
	NullsLast
)

// OrderItem is an ORDER BY item: Expr [ASC|DESC] [NULLS FIRST|LAST].
type OrderItem struct {
	Pos   Pos
	Expr  Expr
	Desc  bool
	Nulls NullsOrder
}

// NamedWindow is WINDOW name AS (spec) of a SELECT.
type NamedWindow struct {
	Pos  Pos
	Name string
	Spec *WindowSpec
}

// Select is a SELECT block. OrderBy, Limit and Offset may also come from a trailing
// ORDER BY / LIMIT / OFFSET / FETCH applied to a plain SELECT.
type Select struct {
	Pos      Pos
	Hints    []Hint // SELECT /*+ ... */
	Distinct bool
	Items    []SelectItem
	From     TableExpr // nil for SELECT without FROM
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	Windows  []NamedWindow
	OrderBy  []OrderItem
	Limit    Expr // LIMIT n or FETCH FIRST n ROWS ONLY
	Offset   Expr // OFFSET n [ROWS]
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

// Set operations.
const (
	Union SetOpKind = iota
	Intersect
	Except
)

// SetOp is Left {UNION|INTERSECT|EXCEPT} [ALL|DISTINCT] Right [ORDER BY ...] [LIMIT ...].
type SetOp struct {
	Pos         Pos
	Op          SetOpKind
	All         bool
	Left, Right Query
	OrderBy     []OrderItem
	Limit       Expr
	Offset      Expr
}

// CTE is a common table expression: name [(cols)] AS (query).
type CTE struct {
	Pos     Pos
	Name    string
	Columns []Ident
	Query   Query
}

// With is WITH cte, ... body.
type With struct {
	Pos  Pos
	CTEs []CTE
	Body Query
}

// Values is VALUES (row), (row), ...
type Values struct {
	Pos  Pos
	Rows [][]Expr
}

// ---------------------------------------------------------------------------------------------
// Table expressions

// TableRef is a named table in FROM: name [/*+ hints */] [FOR SYSTEM_TIME AS OF expr]
// [[AS] alias [(cols)]].
type TableRef struct {
	Pos           Pos
	Name          ObjectName
	Hints         []Hint
	SystemTime    Expr // FOR SYSTEM_TIME AS OF expr; nil otherwise
	Alias         string
	ColumnAliases []Ident
}

// Subquery is a derived table: (query) [[AS] alias [(cols)]]. As the table argument of a
// window TVF it has no alias.
type Subquery struct {
	Pos           Pos
	Query         Query
	Alias         string
	ColumnAliases []Ident
}

// JoinKind is the kind of a join.
type JoinKind uint8

// Join kinds. A comma in FROM (FROM a, b) is a JoinCross.
const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinRight
	JoinFull
	JoinCross
)

// Join is Left [kind] JOIN Right [ON expr | USING (cols)].
type Join struct {
	Pos         Pos
	Kind        JoinKind
	Left, Right TableExpr
	On          Expr
	Using       []Ident
}

// WindowFunc is a windowing table-valued function.
type WindowFunc uint8

// Window TVFs.
const (
	Tumble WindowFunc = iota
	Hop
	Cumulate
	Session
)

// WindowTVF is TABLE(TUMBLE|HOP|CUMULATE|SESSION(TABLE t [PARTITION BY k, ...],
// DESCRIPTOR(col), interval, ...)) [[AS] alias [(cols)]], also written with named arguments
// (DATA =>, TIMECOL =>, SIZE =>, SLIDE =>, STEP =>, GAP =>, OFFSET =>).
type WindowTVF struct {
	Pos  Pos
	Func WindowFunc
	// Table is the input: a *TableRef (TABLE t) or an unaliased *Subquery ((SELECT ...)).
	Table TableExpr
	// PartitionBy: SESSION(TABLE t PARTITION BY k, ...).
	PartitionBy []Expr
	// TimeCol is the column of DESCRIPTOR(col).
	TimeCol Ident
	// Args are the intervals in canonical order: TUMBLE size[, offset]; HOP slide, size[, offset];
	// CUMULATE step, size[, offset]; SESSION gap.
	Args          []Expr
	Alias         string
	ColumnAliases []Ident
}

// LateralTable is [LATERAL] TABLE(f(args)) [[AS] alias [(cols)]] (a table function call).
type LateralTable struct {
	Pos           Pos
	Call          *FuncCall
	Alias         string
	ColumnAliases []Ident
}

// Unnest is UNNEST(expr, ...) [WITH ORDINALITY] [[AS] alias [(cols)]].
type Unnest struct {
	Pos            Pos
	Args           []Expr
	WithOrdinality bool
	Alias          string
	ColumnAliases  []Ident
}

// ---------------------------------------------------------------------------------------------
// Expressions

// LitKind is the kind of a Literal.
type LitKind uint8

// Literal kinds.
const (
	LitNull LitKind = iota
	LitBool
	// LitInteger: digits only, e.g. 42.
	LitInteger
	// LitDecimal: exact decimal, e.g. 1.5 or .5.
	LitDecimal
	// LitApprox: approximate (exponent form), e.g. 1e10, 1.5E-3.
	LitApprox
	// LitString: a character string; Text is the unescaped value.
	LitString
	// LitBinary: X'0aff'; Text is the hex digits.
	LitBinary
	// LitDate, LitTime, LitTimestamp: DATE '...', TIME '...', TIMESTAMP '...'; Text is the
	// quoted text.
	LitDate
	LitTime
	LitTimestamp
)

// Literal is a constant. Text is "TRUE"/"FALSE" for booleans, "NULL" for NULL, the number as
// written for numbers (without sign; a leading minus is a Unary) and the unquoted value for
// strings, binary strings and typed date/time literals.
type Literal struct {
	Pos  Pos
	Kind LitKind
	Text string
}

// TimeUnit is a time unit of intervals, EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPADD/DIFF.
// Plural spellings (MINUTES, SECONDS, ...) are normalized to the singular.
type TimeUnit string

// Time units.
const (
	NoUnit      TimeUnit = ""
	Year        TimeUnit = "YEAR"
	Quarter     TimeUnit = "QUARTER"
	Month       TimeUnit = "MONTH"
	Week        TimeUnit = "WEEK"
	Day         TimeUnit = "DAY"
	Hour        TimeUnit = "HOUR"
	Minute      TimeUnit = "MINUTE"
	Second      TimeUnit = "SECOND"
	Millisecond TimeUnit = "MILLISECOND"
	Microsecond TimeUnit = "MICROSECOND"
	Nanosecond  TimeUnit = "NANOSECOND"
	Dow         TimeUnit = "DOW"
	Doy         TimeUnit = "DOY"
	IsoDow      TimeUnit = "ISODOW"
	IsoYear     TimeUnit = "ISOYEAR"
	Epoch       TimeUnit = "EPOCH"
	Decade      TimeUnit = "DECADE"
	Century     TimeUnit = "CENTURY"
	Millennium  TimeUnit = "MILLENNIUM"
)

// IntervalLit is INTERVAL [-]'value' From[(Precision[, FracPrecision])] [TO To[(FracPrecision)]],
// e.g. INTERVAL '10' SECOND, INTERVAL '1:30' MINUTE TO SECOND, INTERVAL '3' DAY(3).
type IntervalLit struct {
	Pos Pos
	// Value is the quoted text as written (it may itself start with a sign: '-1').
	Value string
	// Negative is set by a sign before the quote: INTERVAL -'1' DAY.
	Negative bool
	From     TimeUnit
	To       TimeUnit // NoUnit if there is no TO part
	// Precision is the leading field precision (0 = default), FracPrecision the fractional
	// seconds precision (0 = default).
	Precision     int
	FracPrecision int
}

// TimeUnitExpr is a bare time unit used as a function argument: the first argument of
// TIMESTAMPADD(unit, n, ts) and TIMESTAMPDIFF(unit, a, b).
type TimeUnitExpr struct {
	Pos  Pos
	Unit TimeUnit
}

// Binary operators.
const (
	OpOr     = "OR"
	OpAnd    = "AND"
	OpEq     = "="
	OpNe     = "<>" // != is normalized to <>
	OpLt     = "<"
	OpLe     = "<="
	OpGt     = ">"
	OpGe     = ">="
	OpConcat = "||"
	OpAdd    = "+"
	OpSub    = "-"
	OpMul    = "*"
	OpDiv    = "/"
	OpMod    = "%"
	// IS [NOT] DISTINCT FROM.
	OpIsDistinctFrom    = "IS DISTINCT FROM"
	OpIsNotDistinctFrom = "IS NOT DISTINCT FROM"
)

// Binary is L Op R with Op one of the Op* constants.
type Binary struct {
	Pos   Pos // position of L
	OpPos Pos // position of the operator
	Op    string
	L, R  Expr
}

// Unary is Op X with Op "-", "+" or "NOT".
type Unary struct {
	Pos Pos
	Op  string
	X   Expr
}

// FuncCall is a function call: name([DISTINCT|ALL] args) [FILTER (WHERE cond)] [OVER window].
// Niladic functions written without parentheses (CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME,
// LOCALTIMESTAMP, LOCALTIME, CURRENT_ROW_TIMESTAMP, ...) are FuncCalls with Niladic set and
// no arguments. Legacy group windows (TUMBLE(ts, INTERVAL ...), TUMBLE_START(...), HOP, SESSION)
// are FuncCalls too.
type FuncCall struct {
	Pos      Pos
	Name     ObjectName // names are kept as written; built-in names compare case-insensitively
	Args     []Expr
	Distinct bool
	Star     bool // COUNT(*)
	Niladic  bool // written without parentheses
	Filter   Expr // FILTER (WHERE ...)
	Over     *WindowSpec
}

// FrameBoundKind is the kind of a window frame bound.
type FrameBoundKind uint8

// Frame bounds.
const (
	UnboundedPreceding FrameBoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// FrameBound is one end of a window frame; Offset is set for Preceding and Following.
type FrameBound struct {
	Kind   FrameBoundKind
	Offset Expr
}

// Frame is ROWS|RANGE BETWEEN Start AND End. A single-bound frame (ROWS x PRECEDING) is
// normalized to BETWEEN x PRECEDING AND CURRENT ROW.
type Frame struct {
	Pos        Pos
	Rows       bool // ROWS; false = RANGE
	Start, End FrameBound
}

// WindowSpec is an OVER clause: OVER name, or OVER ([base] [PARTITION BY ...] [ORDER BY ...]
// [frame]). Name is the referenced named window ("" if none).
type WindowSpec struct {
	Pos         Pos
	Name        string
	PartitionBy []Expr
	OrderBy     []OrderItem
	Frame       *Frame
	// Ref is true for OVER name without parentheses.
	Ref bool
}

// Cast is CAST(Expr AS Type) or TRY_CAST(...).
type Cast struct {
	Pos     Pos
	Expr    Expr
	Type    types.Type
	TypePos Pos
	Try     bool
}

// When is one WHEN Cond THEN Result arm of a CASE.
type When struct {
	Pos    Pos
	Cond   Expr
	Result Expr
}

// Case is CASE [Operand] WHEN ... THEN ... [ELSE ...] END. With an Operand (simple CASE) the
// Conds are values compared with it.
type Case struct {
	Pos     Pos
	Operand Expr
	Whens   []When
	Else    Expr
}

// In is Expr [NOT] IN (List) or Expr [NOT] IN (Subquery).
type In struct {
	Pos      Pos
	Expr     Expr
	List     []Expr
	Subquery Query
	Not      bool
}

// Between is Expr [NOT] BETWEEN [SYMMETRIC|ASYMMETRIC] Lo AND Hi.
type Between struct {
	Pos       Pos
	Expr      Expr
	Lo, Hi    Expr
	Not       bool
	Symmetric bool
}

// Like is Expr [NOT] {LIKE|SIMILAR TO} Pattern [ESCAPE Escape].
type Like struct {
	Pos     Pos
	Expr    Expr
	Pattern Expr
	Escape  Expr
	Not     bool
	Similar bool
}

// IsNull is Expr IS [NOT] NULL.
type IsNull struct {
	Pos  Pos
	Expr Expr
	Not  bool
}

// IsBool is Expr IS [NOT] TRUE|FALSE|UNKNOWN. Unknown is set for IS [NOT] UNKNOWN (then Value
// is unused).
type IsBool struct {
	Pos     Pos
	Expr    Expr
	Value   bool
	Unknown bool
	Not     bool
}

// Exists is [NOT] EXISTS (query).
type Exists struct {
	Pos   Pos
	Query Query
	Not   bool
}

// ScalarSubquery is (query) used as an expression.
type ScalarSubquery struct {
	Pos   Pos
	Query Query
}

// Extract is EXTRACT(Unit FROM Expr).
type Extract struct {
	Pos  Pos
	Unit TimeUnit
	Expr Expr
}

// FloorCeil is FLOOR(Expr TO Unit) or CEIL(Expr TO Unit). FLOOR(x) without TO is a FuncCall.
type FloorCeil struct {
	Pos  Pos
	Ceil bool
	Expr Expr
	Unit TimeUnit
}

// Position is POSITION(Sub IN Str [FROM From]).
type Position struct {
	Pos  Pos
	Sub  Expr
	Str  Expr
	From Expr
}

// TrimWhere is the side of a TRIM.
type TrimWhere uint8

// Trim sides.
const (
	TrimBoth TrimWhere = iota
	TrimLeading
	TrimTrailing
)

// Trim is TRIM([BOTH|LEADING|TRAILING] [Chars] FROM Expr) or TRIM(Expr). Chars is nil when
// not given (spaces).
type Trim struct {
	Pos   Pos
	Where TrimWhere
	Chars Expr
	Expr  Expr
}

// Substring is SUBSTRING(Expr FROM From [FOR For]). The comma form SUBSTRING(x, a, b) is a
// FuncCall.
type Substring struct {
	Pos  Pos
	Expr Expr
	From Expr
	For  Expr
}

// Subscript is Expr[Index], e.g. m['k'] or a[1].
type Subscript struct {
	Pos   Pos
	Expr  Expr
	Index Expr
}

// Descriptor is DESCRIPTOR(col, ...) (outside the window TVF forms, which take it apart).
type Descriptor struct {
	Pos  Pos
	Cols []Ident
}

// Star is `*` or `qualifier.*` in a SELECT list.
type Star struct {
	Pos       Pos
	Qualifier []string
}

// ---------------------------------------------------------------------------------------------
// Interface plumbing

func (*CreateTable) stmtNode()    {}
func (*CreateView) stmtNode()     {}
func (*CreateFunction) stmtNode() {}
func (*Insert) stmtNode()         {}
func (*StatementSet) stmtNode()   {}
func (*Set) stmtNode()            {}
func (*Reset) stmtNode()          {}
func (*ShowTables) stmtNode()     {}
func (*ShowViews) stmtNode()      {}
func (*ShowFunctions) stmtNode()  {}
func (*ShowCreate) stmtNode()     {}
func (*Describe) stmtNode()       {}
func (*Explain) stmtNode()        {}
func (*DropTable) stmtNode()      {}
func (*DropView) stmtNode()       {}
func (*DropFunction) stmtNode()   {}
func (*QueryStatement) stmtNode() {}

func (*Select) queryNode() {}
func (*SetOp) queryNode()  {}
func (*With) queryNode()   {}
func (*Values) queryNode() {}

func (*TableRef) tableNode()     {}
func (*Subquery) tableNode()     {}
func (*Join) tableNode()         {}
func (*WindowTVF) tableNode()    {}
func (*LateralTable) tableNode() {}
func (*Unnest) tableNode()       {}

func (*Ident) exprNode()          {}
func (*Literal) exprNode()        {}
func (*IntervalLit) exprNode()    {}
func (*TimeUnitExpr) exprNode()   {}
func (*Binary) exprNode()         {}
func (*Unary) exprNode()          {}
func (*FuncCall) exprNode()       {}
func (*Cast) exprNode()           {}
func (*Case) exprNode()           {}
func (*In) exprNode()             {}
func (*Between) exprNode()        {}
func (*Like) exprNode()           {}
func (*IsNull) exprNode()         {}
func (*IsBool) exprNode()         {}
func (*Exists) exprNode()         {}
func (*ScalarSubquery) exprNode() {}
func (*Extract) exprNode()        {}
func (*FloorCeil) exprNode()      {}
func (*Position) exprNode()       {}
func (*Trim) exprNode()           {}
func (*Substring) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Descriptor) exprNode()     {}
func (*Star) exprNode()           {}

func (n *CreateTable) Position() Pos    { return n.Pos }
func (n *CreateView) Position() Pos     { return n.Pos }
func (n *CreateFunction) Position() Pos { return n.Pos }
func (n *Insert) Position() Pos         { return n.Pos }
func (n *StatementSet) Position() Pos   { return n.Pos }
func (n *Set) Position() Pos            { return n.Pos }
func (n *Reset) Position() Pos          { return n.Pos }
func (n *ShowTables) Position() Pos     { return n.Pos }
func (n *ShowViews) Position() Pos      { return n.Pos }
func (n *ShowFunctions) Position() Pos  { return n.Pos }
func (n *ShowCreate) Position() Pos     { return n.Pos }
func (n *Describe) Position() Pos       { return n.Pos }
func (n *Explain) Position() Pos        { return n.Pos }
func (n *DropTable) Position() Pos      { return n.Pos }
func (n *DropView) Position() Pos       { return n.Pos }
func (n *DropFunction) Position() Pos   { return n.Pos }
func (n *QueryStatement) Position() Pos { return n.Pos }
func (n *Select) Position() Pos         { return n.Pos }
func (n *SetOp) Position() Pos          { return n.Pos }
func (n *With) Position() Pos           { return n.Pos }
func (n *Values) Position() Pos         { return n.Pos }
func (n *TableRef) Position() Pos       { return n.Pos }
func (n *Subquery) Position() Pos       { return n.Pos }
func (n *Join) Position() Pos           { return n.Pos }
func (n *WindowTVF) Position() Pos      { return n.Pos }
func (n *LateralTable) Position() Pos   { return n.Pos }
func (n *Unnest) Position() Pos         { return n.Pos }
func (n *Ident) Position() Pos          { return n.Pos }
func (n *Literal) Position() Pos        { return n.Pos }
func (n *IntervalLit) Position() Pos    { return n.Pos }
func (n *TimeUnitExpr) Position() Pos   { return n.Pos }
func (n *Binary) Position() Pos         { return n.Pos }
func (n *Unary) Position() Pos          { return n.Pos }
func (n *FuncCall) Position() Pos       { return n.Pos }
func (n *Cast) Position() Pos           { return n.Pos }
func (n *Case) Position() Pos           { return n.Pos }
func (n *In) Position() Pos             { return n.Pos }
func (n *Between) Position() Pos        { return n.Pos }
func (n *Like) Position() Pos           { return n.Pos }
func (n *IsNull) Position() Pos         { return n.Pos }
func (n *IsBool) Position() Pos         { return n.Pos }
func (n *Exists) Position() Pos         { return n.Pos }
func (n *ScalarSubquery) Position() Pos { return n.Pos }
func (n *Extract) Position() Pos        { return n.Pos }
func (n *FloorCeil) Position() Pos      { return n.Pos }
func (n *Position) Position() Pos       { return n.Pos }
func (n *Trim) Position() Pos           { return n.Pos }
func (n *Substring) Position() Pos      { return n.Pos }
func (n *Subscript) Position() Pos      { return n.Pos }
func (n *Descriptor) Position() Pos     { return n.Pos }
func (n *Star) Position() Pos           { return n.Pos }
