package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// TimeAttr marks a column as a time attribute.
type TimeAttr uint8

// Time attribute kinds.
const (
	NoTimeAttr TimeAttr = iota
	RowTime             // event time: the column of the table's WATERMARK (and window_time)
	ProcTime            // processing time: a PROCTIME() computed column
)

// TableColumn is a column of a catalog table.
type TableColumn struct {
	Name string
	Type types.Type
	// Computed is the expression of a computed column (nil for physical columns).
	Computed ast.Expr
	TimeAttr TimeAttr
}

// Table is a connector table created by CREATE TABLE.
type Table struct {
	Name    string
	Def     *ast.CreateTable
	Columns []TableColumn
	// Physical lists the indexes of the physical columns in Columns, in declaration order.
	Physical []int
	// RowTime is the index of the watermark column, -1 without a WATERMARK.
	RowTime   int
	Watermark ast.Expr
	// PrimaryKey holds column indexes.
	PrimaryKey []int
	Factory    *connector.Factory
	Options    connector.Options
	RawOptions map[string]string
}

// View is a view created by CREATE VIEW.
type View struct {
	Name    string
	Def     *ast.CreateView
	Columns []string // column names of its result
	Types   []types.Type
}

// Catalog holds the tables, views and functions of a session. It is used by one goroutine.
type Catalog struct {
	tables    map[string]*Table
	views     map[string]*View
	functions map[string]string // user function name → built-in name
	registry  *connector.Registry
}

// NewCatalog returns an empty catalog whose tables use the given connectors.
func NewCatalog(reg *connector.Registry) *Catalog {
	return &Catalog{tables: map[string]*Table{}, views: map[string]*View{}, functions: map[string]string{}, registry: reg}
}

func norm(name string) string { return strings.ToLower(name) }

// Table returns a table by name (case-insensitive).
func (c *Catalog) Table(name string) (*Table, bool) { t, ok := c.tables[norm(name)]; return t, ok }

// View returns a view by name (case-insensitive).
func (c *Catalog) View(name string) (*View, bool) { v, ok := c.views[norm(name)]; return v, ok }

// TableNames returns the names of tables and views, sorted.
func (c *Catalog) TableNames() []string {
	var ns []string
	for _, t := range c.tables {
		ns = append(ns, t.Name)
	}
	for _, v := range c.views {
		ns = append(ns, v.Name)
	}
	sort.Strings(ns)
	return ns
}

// ViewNames returns the names of views, sorted.
func (c *Catalog) ViewNames() []string {
	var ns []string
	for _, v := range c.views {
		ns = append(ns, v.Name)
	}
	sort.Strings(ns)
	return ns
}

// FunctionNames returns the user-defined function names, sorted.
func (c *Catalog) FunctionNames() []string {
	var ns []string
	for n := range c.functions {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// knownClasses maps the Java classes of well-known Flink UDFs to Floe built-ins, so that
// scripts written for Flink run unchanged.
var knownClasses = map[string]string{
	"com.github.nexmark.flink.udf.CountChar": "COUNT_CHAR",
}

// CreateFunction registers a user function. Floe cannot load JVM classes: the class name must be
// 'builtin:<NAME>' naming a built-in function, or a known Flink UDF class with a built-in
// equivalent.
func (c *Catalog) CreateFunction(s *ast.CreateFunction, lookup func(string) bool) error {
	name := norm(s.Name.Name())
	if _, ok := c.functions[name]; ok {
		if s.IfNotExists {
			return nil
		}
		return errorf(s.Name.Pos, "function '%s' already exists", s.Name.Name())
	}
	target, ok := knownClasses[s.ClassName]
	if !ok {
		b, found := strings.CutPrefix(s.ClassName, "builtin:")
		if !found {
			return errorf(s.Pos, "cannot load function class '%s': Floe runs no JVM; use AS 'builtin:<NAME>' to alias a built-in function", s.ClassName)
		}
		target = strings.ToUpper(b)
	}
	if !lookup(target) {
		return errorf(s.Pos, "unknown built-in function '%s'", target)
	}
	c.functions[name] = target
	return nil
}

// DropFunction removes a user function.
func (c *Catalog) DropFunction(s *ast.DropFunction) error {
	n := norm(s.Name.Name())
	if _, ok := c.functions[n]; !ok {
		if s.IfExists {
			return nil
		}
		return errorf(s.Name.Pos, "function '%s' does not exist (built-in functions cannot be dropped)", s.Name.Name())
	}
	delete(c.functions, n)
	return nil
}

// resolveFunction maps a user function name to its built-in, or returns name unchanged.
func (c *Catalog) resolveFunction(name string) string {
	if b, ok := c.functions[norm(name)]; ok {
		return b
	}
	return name
}

// DropTable removes a table.
func (c *Catalog) DropTable(s *ast.DropTable) error {
	n := norm(s.Name.Name())
	if _, ok := c.tables[n]; !ok {
		if s.IfExists {
			return nil
		}
		return errorf(s.Name.Pos, "table '%s' does not exist", s.Name.Name())
	}
	delete(c.tables, n)
	return nil
}

// DropView removes a view.
func (c *Catalog) DropView(s *ast.DropView) error {
	n := norm(s.Name.Name())
	if _, ok := c.views[n]; !ok {
		if s.IfExists {
			return nil
		}
		return errorf(s.Name.Pos, "view '%s' does not exist", s.Name.Name())
	}
	delete(c.views, n)
	return nil
}

func (c *Catalog) exists(name string) bool {
	n := norm(name)
	_, t := c.tables[n]
	_, v := c.views[n]
	return t || v
}

// CreateTable validates a CREATE TABLE and adds it: column names unique, computed columns and
// the watermark expression valid, the connector known and its options valid.
func (c *Catalog) CreateTable(s *ast.CreateTable, cfg *Config) error {
	name := s.Name.Name()
	if c.exists(name) {
		if s.IfNotExists {
			return nil
		}
		return errorf(s.Name.Pos, "table '%s' already exists", name)
	}
	if s.Like != nil || s.AsQuery != nil {
		return errorf(s.Pos, "CREATE TABLE ... LIKE / AS SELECT is not supported yet")
	}
	t := &Table{Name: name, Def: s, RowTime: -1, RawOptions: map[string]string{}}
	seen := map[string]bool{}
	for _, cd := range s.Columns {
		n := cd.Name.Name()
		if seen[norm(n)] {
			return errorf(cd.Name.Pos, "duplicate column '%s'", n)
		}
		seen[norm(n)] = true
		switch cd.Kind {
		case ast.PhysicalColumn:
			t.Physical = append(t.Physical, len(t.Columns))
			t.Columns = append(t.Columns, TableColumn{Name: n, Type: cd.Type})
		case ast.ComputedColumn:
			t.Columns = append(t.Columns, TableColumn{Name: n, Computed: cd.Expr})
		case ast.MetadataColumn:
			return errorf(cd.Pos, "metadata column '%s': no connector of this version exposes metadata", n)
		}
	}
	// Type the computed columns: each may refer to physical columns only.
	for i := range t.Columns {
		col := &t.Columns[i]
		if col.Computed == nil {
			continue
		}
		e, err := c.bindComputed(t, col.Computed, cfg)
		if err != nil {
			return err
		}
		col.Type = e.Type()
		if isProctimeCall(col.Computed) {
			col.TimeAttr = ProcTime
		}
	}
	if s.Watermark != nil {
		idx := t.column(s.Watermark.Column.Name())
		if idx < 0 {
			return errorf(s.Watermark.Column.Pos, "watermark column '%s' is not a column of table '%s'", s.Watermark.Column.Name(), name)
		}
		if !t.Columns[idx].Type.IsTimestamp() || t.Columns[idx].Type.Precision > 3 {
			return errorf(s.Watermark.Column.Pos, "watermark column '%s' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not %s (Flink's rowtime attributes have millisecond precision)", t.Columns[idx].Name, t.Columns[idx].Type)
		}
		e, err := c.bindComputed(t, s.Watermark.Expr, cfg)
		if err != nil {
			return err
		}
		if !e.Type().IsTimestamp() {
			return errorf(s.Watermark.Expr.Position(), "watermark expression must return a timestamp, not %s", e.Type())
		}
		t.RowTime = idx
		t.Watermark = s.Watermark.Expr
		t.Columns[idx].TimeAttr = RowTime
	}
	if s.PrimaryKey != nil {
		if !s.PrimaryKey.NotEnforced {
			return errorf(s.PrimaryKey.Pos, "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint: write PRIMARY KEY (...) NOT ENFORCED")
		}
		for _, id := range s.PrimaryKey.Columns {
			idx := t.column(id.Name())
			if idx < 0 {
				return errorf(id.Pos, "primary key column '%s' is not a column of table '%s'", id.Name(), name)
			}
			t.PrimaryKey = append(t.PrimaryKey, idx)
		}
	}
	var connName string
	var connPos ast.Pos = s.Pos
	for _, o := range s.Options {
		if _, dup := t.RawOptions[o.Key]; dup {
			return errorf(o.KeyPos, "option '%s' is given twice", o.Key)
		}
		t.RawOptions[o.Key] = o.Value
		if o.Key == "connector" {
			connName, connPos = o.Value, o.ValuePos
		}
	}
	if connName == "" {
		return errorf(s.Pos, "table '%s' has no 'connector' option (managed tables come in a later version); e.g. WITH ('connector' = 'datagen')", name)
	}
	f, err := c.registry.Lookup(connName)
	if err != nil {
		return atPos(connPos, err)
	}
	opts, err := f.Spec.Validate(t.RawOptions)
	if err != nil {
		return atPos(optionPos(s, err), fmt.Errorf("table '%s': %w", name, err))
	}
	t.Factory, t.Options = f, opts
	c.tables[norm(name)] = t
	return nil
}

// optionPos finds the position of the option an OptionError names.
func optionPos(s *ast.CreateTable, err error) ast.Pos {
	if oe, ok := err.(*connector.OptionError); ok {
		for _, o := range s.Options {
			if o.Key == oe.Key {
				return o.KeyPos
			}
		}
	}
	return s.Pos
}

func (t *Table) column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	for i, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// PhysicalColumns returns the table's physical columns as connector columns.
func (t *Table) PhysicalColumns() []connector.Column {
	cols := make([]connector.Column, len(t.Physical))
	for i, p := range t.Physical {
		cols[i] = connector.Column{Name: t.Columns[p].Name, Type: t.Columns[p].Type}
	}
	return cols
}

func isProctimeCall(e ast.Expr) bool {
	f, ok := e.(*ast.FuncCall)
	return ok && strings.EqualFold(f.Name.Name(), "PROCTIME") && len(f.Args) == 0
}
