package plan

import (
	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/types"
)

// Column is a column of a relation's output.
type Column struct {
	Name string
	// Qualifier is the table name or alias that qualifies the column in scope ("" if none).
	Qualifier string
	Type      types.Type
	TimeAttr  TimeAttr
	// window marks window_start/window_end/window_time columns produced by a window TVF.
	window windowCol
	tvf    *WindowTVF
	// wprop marks the window_start and window_end columns of a window TVF or window aggregation,
	// and columns that carry them through projections: window joins and window top-N recognize
	// their inputs' windows by it.
	wprop *windowProp
}

// windowProp is a window bound column: which bound, of which window.
type windowProp struct {
	role windowCol // windowStartCol or windowEndCol
	def  WindowDef
	// ltz: the window is over a TIMESTAMP_LTZ time attribute, so its bounds are wall-clock
	// times in the session time zone.
	ltz bool
	// proc: a processing-time window (window joins and window Top-N fire by event time only).
	proc bool
}

type windowCol uint8

const (
	notWindowCol windowCol = iota
	windowStartCol
	windowEndCol
	windowTimeCol
)

// Rel is a logical relational operator.
type Rel interface {
	Schema() []Column
	Inputs() []Rel
}

// Scan reads a connector table. Cols are indexes into Table.Columns that the scan produces,
// in order (projection pruning narrows them).
type Scan struct {
	Table *Table
	Cols  []int
	Alias string
}

// Filter keeps the rows for which Cond is TRUE.
type Filter struct {
	Input Rel
	Cond  expr.Expr
}

// Project computes one output column per expression.
type Project struct {
	Input Rel
	Exprs []expr.Expr
	Cols  []Column
}

// Aggregate is a group aggregation: the first NumKeys input columns are the group key; each
// aggregate reads its arguments and filter from input columns.
type Aggregate struct {
	Input   Rel
	NumKeys int
	Aggs    []agg.Call
	Cols    []Column
}

// WindowKind is the kind of a window.
type WindowKind uint8

// Window kinds.
const (
	TumbleWindow WindowKind = iota
	HopWindow
	CumulateWindow
	SessionWindow
)

func (k WindowKind) String() string { return [...]string{"TUMBLE", "HOP", "CUMULATE", "SESSION"}[k] }

// WindowDef describes a window; durations are in microseconds.
type WindowDef struct {
	Kind   WindowKind
	Size   int64 // TUMBLE, HOP, CUMULATE
	Slide  int64 // HOP
	Step   int64 // CUMULATE
	Gap    int64 // SESSION
	Offset int64
}

// WindowTVF is a windowing table function: input columns plus window_start, window_end and
// window_time. It only survives binding when the plan aggregates over it.
type WindowTVF struct {
	Input       Rel
	Def         WindowDef
	TimeCol     int
	ProcTime    bool
	PartitionBy []int
	cols        []Column
}

// WindowAggregate aggregates per window. Its input columns are: KeyCols..., GroupCols...,
// aggregate inputs..., and the time column TimeCol. Output: keys, group columns, aggregates,
// window_start, window_end, window_time.
type WindowAggregate struct {
	Input     Rel
	KeyCols   []int
	GroupCols []int
	TimeCol   int
	ProcTime  bool
	Def       WindowDef
	Aggs      []agg.Call
	Cols      []Column
}

// Union concatenates inputs with the same column types (UNION ALL).
type Union struct {
	Ins  []Rel
	Cols []Column
}

// Schema implementations.
func (s *Scan) Schema() []Column {
	cols := make([]Column, len(s.Cols))
	for i, c := range s.Cols {
		tc := s.Table.Columns[c]
		q := s.Alias
		if q == "" {
			q = s.Table.Name
		}
		cols[i] = Column{Name: tc.Name, Qualifier: q, Type: tc.Type, TimeAttr: tc.TimeAttr}
	}
	return cols
}
func (f *Filter) Schema() []Column          { return f.Input.Schema() }
func (p *Project) Schema() []Column         { return p.Cols }
func (a *Aggregate) Schema() []Column       { return a.Cols }
func (w *WindowTVF) Schema() []Column       { return w.cols }
func (w *WindowAggregate) Schema() []Column { return w.Cols }
func (u *Union) Schema() []Column           { return u.Cols }

// Inputs implementations.
func (s *Scan) Inputs() []Rel            { return nil }
func (f *Filter) Inputs() []Rel          { return []Rel{f.Input} }
func (p *Project) Inputs() []Rel         { return []Rel{p.Input} }
func (a *Aggregate) Inputs() []Rel       { return []Rel{a.Input} }
func (w *WindowTVF) Inputs() []Rel       { return []Rel{w.Input} }
func (w *WindowAggregate) Inputs() []Rel { return []Rel{w.Input} }
func (u *Union) Inputs() []Rel           { return u.Ins }

func columnTypes(cols []Column) []types.Type {
	ts := make([]types.Type, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	return ts
}
