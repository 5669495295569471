package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
)

// Changelog is the kind of change stream an operator emits.
type Changelog uint8

// Changelog modes.
const (
	// InsertOnly streams contain only +I rows.
	InsertOnly Changelog = iota
	// Retract streams contain +I, -U, +U and -D rows; every update is a -U/+U pair.
	Retract
)

func (c Changelog) String() string {
	if c == InsertOnly {
		return "[I]"
	}
	return "[I,UB,UA,D]"
}

// PhysKind names a physical operator.
type PhysKind string

// Physical operators.
const (
	PhysSource    PhysKind = "Source"
	PhysCalc      PhysKind = "Calc"
	PhysGroupAgg  PhysKind = "GroupAgg"
	PhysWindowAgg PhysKind = "WindowAgg"
	PhysWindowTVF PhysKind = "WindowTableFunction"
	PhysUnion     PhysKind = "Union"
	PhysSink      PhysKind = "Sink"
)

// PhysEdge is an input of a physical node.
type PhysEdge struct {
	From *PhysNode
	Part exec.Partitioning
	Keys []int
}

// PhysNode is a node of the physical streaming plan.
type PhysNode struct {
	Kind        PhysKind
	Attrs       []string // for EXPLAIN, e.g. "select=[a, b]"
	Parallelism int
	Inputs      []PhysEdge
	Cols        []Column
	Changelog   Changelog
	// UpsertKey: columns that identify a row of an updating stream (nil if unknown).
	UpsertKey []int

	// What the graph builder needs.
	scan      *Scan
	calc      *calcSpec
	groupAgg  *Aggregate
	windowAgg *WindowAggregate
	windowTVF *WindowTVF
	sink      *sinkSpec
	join      *joinSpec
	rank      *rankSpec
	id        int
}

type calcSpec struct {
	filter expr.Expr
	exprs  []expr.Expr // nil = pass through
}

// physical translates an optimized logical plan into physical nodes.
func (b *binder) physical(r Rel) (*PhysNode, error) {
	p := b.cfg.Parallelism()
	switch x := r.(type) {
	case *Scan:
		n := &PhysNode{Kind: PhysSource, Parallelism: p, Cols: x.Schema(), Changelog: InsertOnly, scan: x}
		var fields []string
		for _, c := range x.Cols {
			fields = append(fields, x.Table.Columns[c].Name)
		}
		n.Attrs = append(n.Attrs, fmt.Sprintf("table=[%s]", x.Table.Name), fmt.Sprintf("fields=[%s]", strings.Join(fields, ", ")))
		if x.Table.Watermark != nil {
			n.Attrs = append(n.Attrs, fmt.Sprintf("watermark=[%s]", x.Table.Watermark.String()))
		}
		return n, nil
	case *Filter, *Project:
		return b.physCalc(r)
	case *Aggregate:
		in, err := b.physical(x.Input)
		if err != nil {
			return nil, err
		}
		calls := make([]agg.Call, len(x.Aggs))
		for i, c := range x.Aggs {
			c.InsertOnly = in.Changelog == InsertOnly
			calls[i] = c
		}
		ag := *x
		ag.Aggs = calls
		keys := seq(x.NumKeys)
		par := p
		part := exec.Hash
		if x.NumKeys == 0 {
			par, part = 1, exec.Global
		}
		n := &PhysNode{Kind: PhysGroupAgg, Parallelism: par, Cols: x.Cols, Changelog: Retract, UpsertKey: keys, groupAgg: &ag,
			Inputs: []PhysEdge{{From: in, Part: part, Keys: keys}}}
		inCols := x.Input.Schema()
		n.Attrs = append(n.Attrs, fmt.Sprintf("groupBy=[%s]", colNames(inCols, keys)), fmt.Sprintf("select=[%s]", aggList(x.Cols[:x.NumKeys], x.Aggs, inCols)))
		return n, nil
	case *WindowAggregate:
		in, err := b.physical(x.Input)
		if err != nil {
			return nil, err
		}
		if in.Changelog != InsertOnly {
			return nil, fmt.Errorf("window aggregation requires an insert-only input, but its input produces updates (%s)", describeNode(in))
		}
		par := p
		part := exec.Hash
		if len(x.KeyCols) == 0 {
			par, part = 1, exec.Global
		}
		n := &PhysNode{Kind: PhysWindowAgg, Parallelism: par, Cols: x.Cols, Changelog: InsertOnly, windowAgg: x,
			Inputs: []PhysEdge{{From: in, Part: part, Keys: x.KeyCols}}}
		inCols := x.Input.Schema()
		n.Attrs = append(n.Attrs, fmt.Sprintf("window=[%s]", describeWindow(x.Def, inCols[x.TimeCol].Name, x.ProcTime)))
		if len(x.KeyCols) > 0 {
			n.Attrs = append(n.Attrs, fmt.Sprintf("partitionBy=[%s]", colNames(inCols, x.KeyCols)))
		}
		if len(x.GroupCols) > 0 {
			n.Attrs = append(n.Attrs, fmt.Sprintf("groupBy=[%s]", colNames(inCols, x.GroupCols)))
		}
		nk := len(x.KeyCols) + len(x.GroupCols)
		n.Attrs = append(n.Attrs, fmt.Sprintf("select=[%s]", aggList(x.Cols[:nk], x.Aggs, inCols)+", window_start, window_end, window_time"))
		return n, nil
	case *Union:
		n := &PhysNode{Kind: PhysUnion, Parallelism: p, Cols: x.Cols, Changelog: InsertOnly}
		for _, in := range x.Ins {
			pn, err := b.physical(in)
			if err != nil {
				return nil, err
			}
			e := PhysEdge{From: pn, Part: exec.Forward}
			if pn.Parallelism != p {
				e.Part = exec.Rebalance
				if pn.Changelog != InsertOnly {
					// Keep each key's changes in order: route by the upsert key.
					e.Part, e.Keys = exec.Hash, pn.UpsertKey
					if pn.UpsertKey == nil {
						e.Keys = seq(len(pn.Cols))
					}
				}
			}
			if pn.Changelog != InsertOnly {
				n.Changelog = Retract
			}
			n.Inputs = append(n.Inputs, e)
		}
		n.Attrs = append(n.Attrs, fmt.Sprintf("all=[true], union=[%s]", colNames(x.Cols, seq(len(x.Cols)))))
		return n, nil
	case *Join:
		return b.physJoin(x)
	case *Rank:
		return b.physRank(x)
	case *OverRank:
		return nil, errorf(x.Pos, "%s() OVER (...) is only supported in a Top-N or deduplication query", x.FuncName)
	case *WindowTVF:
		if x.Def.Kind == SessionWindow {
			return nil, fmt.Errorf("a SESSION window table function must be followed by a window aggregation (GROUP BY window_start, window_end)")
		}
		in, err := b.physical(x.Input)
		if err != nil {
			return nil, err
		}
		if in.Changelog != InsertOnly {
			return nil, fmt.Errorf("a window table function requires an insert-only input, but its input produces updates (%s)", describeNode(in))
		}
		n := &PhysNode{Kind: PhysWindowTVF, Parallelism: in.Parallelism, Cols: x.cols, Changelog: InsertOnly, windowTVF: x,
			Inputs: []PhysEdge{{From: in, Part: exec.Forward}}}
		n.Attrs = append(n.Attrs, fmt.Sprintf("window=[%s]", describeWindow(x.Def, x.Input.Schema()[x.TimeCol].Name, x.ProcTime)))
		return n, nil
	}
	return nil, fmt.Errorf("internal error: no physical operator for %T", r)
}

// physCalc fuses a chain of Project and Filter nodes into one Calc.
func (b *binder) physCalc(r Rel) (*PhysNode, error) {
	var exprs []expr.Expr // nil: identity over the current input
	var cols []Column
	var filter expr.Expr
	cur := r
	for {
		switch x := cur.(type) {
		case *Project:
			if filter != nil || exprs != nil {
				if !allDeterministic(x.Exprs) {
					goto done
				}
				if filter != nil {
					filter = substitute(filter, x.Exprs)
				}
				if exprs != nil {
					for i := range exprs {
						exprs[i] = substitute(exprs[i], x.Exprs)
					}
				} else {
					exprs = append([]expr.Expr(nil), x.Exprs...)
				}
			} else {
				exprs = append([]expr.Expr(nil), x.Exprs...)
				cols = x.Cols
			}
			cur = x.Input
			continue
		case *Filter:
			if filter != nil {
				filter = and(x.Cond, filter)
			} else {
				filter = x.Cond
			}
			if cols == nil {
				cols = x.Schema()
			}
			cur = x.Input
			continue
		}
		break
	}
done:
	in, err := b.physical(cur)
	if err != nil {
		return nil, err
	}
	inCols := cur.Schema()
	if exprs != nil && isIdentity(exprs, len(inCols)) {
		exprs = nil
	}
	if exprs == nil && filter == nil {
		// Pure renaming: keep the input node, only the names change.
		out := *in
		out.Cols = cols
		return &out, nil
	}
	n := &PhysNode{Kind: PhysCalc, Parallelism: in.Parallelism, Cols: cols, Changelog: in.Changelog, calc: &calcSpec{filter: filter, exprs: exprs},
		Inputs: []PhysEdge{{From: in, Part: exec.Forward}}}
	if in.UpsertKey != nil {
		n.UpsertKey = projectKey(in.UpsertKey, exprs)
	}
	if exprs != nil {
		var parts []string
		for i, e := range exprs {
			s := exprString(e, inCols)
			if ref, ok := e.(*expr.ColumnRef); !ok || inCols[ref.Index].Name != cols[i].Name {
				s += " AS " + cols[i].Name
			}
			parts = append(parts, s)
		}
		n.Attrs = append(n.Attrs, fmt.Sprintf("select=[%s]", strings.Join(parts, ", ")))
	}
	if filter != nil {
		n.Attrs = append(n.Attrs, fmt.Sprintf("where=[%s]", exprString(filter, inCols)))
	}
	return n, nil
}

// projectKey maps an upsert key through a projection; nil when a key column is dropped.
func projectKey(key []int, exprs []expr.Expr) []int {
	if exprs == nil {
		return key
	}
	var out []int
	for _, k := range key {
		found := -1
		for i, e := range exprs {
			if ref, ok := e.(*expr.ColumnRef); ok && ref.Index == k {
				found = i
				break
			}
		}
		if found < 0 {
			return nil
		}
		out = append(out, found)
	}
	return out
}

func isIdentity(exprs []expr.Expr, n int) bool {
	if len(exprs) != n {
		return false
	}
	for i, e := range exprs {
		if ref, ok := e.(*expr.ColumnRef); !ok || ref.Index != i {
			return false
		}
	}
	return true
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// exprString renders an expression with input column names.
func exprString(e expr.Expr, cols []Column) string {
	named := expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if ref, ok := x.(*expr.ColumnRef); ok && ref.Index < len(cols) {
			c := *ref
			c.Name = cols[ref.Index].Name
			return &c
		}
		return x
	})
	return named.String()
}

func colNames(cols []Column, idx []int) string {
	var ns []string
	for _, i := range idx {
		ns = append(ns, cols[i].Name)
	}
	return strings.Join(ns, ", ")
}

func aggList(keys []Column, aggs []agg.Call, in []Column) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, k.Name)
	}
	for _, a := range aggs {
		var args []string
		for _, c := range a.Args {
			args = append(args, in[c].Name)
		}
		s := a.Name + "("
		if a.Distinct {
			s += "DISTINCT "
		}
		if len(args) == 0 && a.Name == "COUNT" {
			s += "*"
		}
		s += strings.Join(args, ", ") + ")"
		if a.Filter >= 0 {
			s += " FILTER " + in[a.Filter].Name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func describeWindow(d WindowDef, timeCol string, proc bool) string {
	iv := func(us int64) string { return formatInterval(us) }
	// timeCol is "" when the window is described by bound columns (window joins and Top-N).
	tc := ""
	if timeCol != "" {
		tc = fmt.Sprintf("time_col=[%s], ", timeCol)
	}
	var s string
	switch d.Kind {
	case TumbleWindow:
		s = fmt.Sprintf("TUMBLE(%ssize=[%s]", tc, iv(d.Size))
	case HopWindow:
		s = fmt.Sprintf("HOP(%ssize=[%s], slide=[%s]", tc, iv(d.Size), iv(d.Slide))
	case CumulateWindow:
		s = fmt.Sprintf("CUMULATE(%smax_size=[%s], step=[%s]", tc, iv(d.Size), iv(d.Step))
	case SessionWindow:
		s = fmt.Sprintf("SESSION(%sgap=[%s]", tc, iv(d.Gap))
	}
	if d.Offset != 0 {
		s += fmt.Sprintf(", offset=[%s]", iv(d.Offset))
	}
	if proc {
		s += ", proctime"
	}
	return s + ")"
}

func formatInterval(us int64) string {
	units := []struct {
		n    int64
		name string
	}{{86400e6, "d"}, {3600e6, "h"}, {60e6, "min"}, {1e6, "s"}, {1e3, "ms"}, {1, "us"}}
	for _, u := range units {
		if us%u.n == 0 {
			return fmt.Sprintf("%d %s", us/u.n, u.name)
		}
	}
	return fmt.Sprintf("%d us", us)
}

func describeNode(n *PhysNode) string {
	return fmt.Sprintf("%s(%s)", n.Kind, strings.Join(n.Attrs, ", "))
}

// Explain renders a physical plan (one tree per sink) like Flink's EXPLAIN, with each
// operator's parallelism and changelog mode, and exchanges between operators.
func Explain(roots []*PhysNode) string {
	var b strings.Builder
	b.WriteString("== Physical Plan ==\n")
	for i, r := range roots {
		if i > 0 {
			b.WriteString("\n")
		}
		explainNode(&b, r, "", "")
	}
	return b.String()
}

func explainNode(b *strings.Builder, n *PhysNode, first, rest string) {
	attrs := append([]string(nil), n.Attrs...)
	attrs = append(attrs, fmt.Sprintf("parallelism=[%d]", n.Parallelism), fmt.Sprintf("changelog=%s", n.Changelog))
	if n.Changelog != InsertOnly && n.UpsertKey != nil {
		attrs = append(attrs, fmt.Sprintf("upsertKey=[%s]", colNames(n.Cols, n.UpsertKey)))
	}
	fmt.Fprintf(b, "%s%s(%s)\n", first, n.Kind, strings.Join(attrs, ", "))
	for i, e := range n.Inputs {
		f, r := rest+"+- ", rest+"   "
		if i < len(n.Inputs)-1 {
			f, r = rest+":- ", rest+":  "
		}
		if e.Part != exec.Forward {
			dist := strings.ToLower(e.Part.String())
			if e.Part == exec.Hash {
				dist = fmt.Sprintf("hash[%s]", colNames(e.From.Cols, e.Keys))
			}
			fmt.Fprintf(b, "%sExchange(distribution=[%s])\n", f, dist)
			f, r = r+"+- ", r+"   "
		}
		explainNode(b, e.From, f, r)
	}
}

// sortedKeys returns a map's keys in order (deterministic plans).
func sortedKeys(m map[int]bool) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}
