package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/sql/ast"
)

// Planner plans statements against a catalog and session configuration.
type Planner struct {
	Catalog *Catalog
	Config  *Config
}

// Plan is a physical streaming plan: one tree per sink.
type Plan struct {
	Roots []*PhysNode
	cfg   *Config
	ectx  *expr.Context
	b     *binder
}

// Explain renders the plan.
func (p *Plan) Explain() string { return Explain(p.Roots) }

func exprContext(cfg *Config) *expr.Context {
	return &expr.Context{Location: cfg.Location(), Now: time.Now}
}

// sinkSpec is a sink at the root of a plan.
type sinkSpec struct {
	table *Table         // a catalog table, or
	sink  connector.Sink // a ready sink (for SELECT results)
	name  string         //
	cols  []connector.Column
}

// PlanInserts plans INSERT statements (one or a statement set) into one plan.
func (p *Planner) PlanInserts(ins []*ast.Insert) (*Plan, error) {
	b := newBinder(p.Catalog, p.Config, exprContext(p.Config))
	plan := &Plan{cfg: p.Config, ectx: b.ectx, b: b}
	for _, in := range ins {
		root, err := b.planInsert(in)
		if err != nil {
			return nil, err
		}
		plan.Roots = append(plan.Roots, root)
	}
	return plan, nil
}

// PlanQuery plans a SELECT whose rows go to the given sink (e.g. printed results).
func (p *Planner) PlanQuery(q ast.Query, sink connector.Sink, name string, acceptsUpdates bool) (*Plan, []Column, error) {
	b := newBinder(p.Catalog, p.Config, exprContext(p.Config))
	rel, err := b.bindQuery(q)
	if err != nil {
		return nil, nil, err
	}
	if rel, err = b.optimize(rel); err != nil {
		return nil, nil, err
	}
	in, err := b.physical(rel)
	if err != nil {
		return nil, nil, atPos(q.Position(), err)
	}
	if !acceptsUpdates && in.Changelog != InsertOnly {
		return nil, nil, errorf(q.Position(), "the query produces updates, which %s cannot consume", name)
	}
	cols := rel.Schema()
	var ccols []connector.Column
	for _, c := range cols {
		ccols = append(ccols, connector.Column{Name: c.Name, Type: c.Type})
	}
	root := &PhysNode{Kind: PhysSink, Parallelism: in.Parallelism, Cols: cols, Changelog: in.Changelog, UpsertKey: in.UpsertKey,
		Inputs: []PhysEdge{{From: in, Part: 0}}, sink: &sinkSpec{sink: sink, name: name, cols: ccols}}
	root.Attrs = []string{fmt.Sprintf("table=[%s]", name), fmt.Sprintf("fields=[%s]", colNames(cols, seq(len(cols))))}
	return &Plan{Roots: []*PhysNode{root}, cfg: p.Config, ectx: b.ectx, b: b}, cols, nil
}

// BindQuery binds and optimizes a query, returning its output columns (for CREATE VIEW and
// DESCRIBE).
func (p *Planner) BindQuery(q ast.Query) ([]Column, error) {
	b := newBinder(p.Catalog, p.Config, exprContext(p.Config))
	rel, err := b.bindQuery(q)
	if err != nil {
		return nil, err
	}
	return rel.Schema(), nil
}

// CreateView validates a view's query and adds it to the catalog.
func (p *Planner) CreateView(s *ast.CreateView) error {
	if p.Catalog.exists(s.Name.Name()) {
		if s.IfNotExists {
			return nil
		}
		return errorf(s.Name.Pos, "table or view '%s' already exists", s.Name.Name())
	}
	cols, err := p.BindQuery(s.Query)
	if err != nil {
		return err
	}
	if len(s.Columns) > 0 && len(s.Columns) != len(cols) {
		return errorf(s.Pos, "view '%s' names %d columns but its query returns %d", s.Name.Name(), len(s.Columns), len(cols))
	}
	v := &View{Name: s.Name.Name(), Def: s}
	for i, c := range cols {
		n := c.Name
		if len(s.Columns) > 0 {
			n = s.Columns[i].Name()
		}
		v.Columns = append(v.Columns, n)
		v.Types = append(v.Types, c.Type)
	}
	p.Catalog.views[norm(v.Name)] = v
	return nil
}

func (b *binder) planInsert(in *ast.Insert) (*PhysNode, error) {
	if in.Overwrite {
		return nil, errorf(in.Pos, "INSERT OVERWRITE is not supported by streaming connectors")
	}
	if len(in.Hints) > 0 {
		return nil, errorf(in.Hints[0].Pos, "hints on the INSERT target are not supported yet")
	}
	t, ok := b.cat.Table(in.Table.Name())
	if !ok {
		if _, isView := b.cat.View(in.Table.Name()); isView {
			return nil, errorf(in.Table.Pos, "cannot INSERT INTO view '%s'", in.Table.Name())
		}
		return nil, errorf(in.Table.Pos, "unknown table '%s'", in.Table.Name())
	}
	if t.Factory.NewSink == nil {
		return nil, errorf(in.Table.Pos, "connector '%s' of table '%s' cannot be written (it is a source only)", t.Factory.Name, t.Name)
	}
	rel, err := b.bindQuery(in.Query)
	if err != nil {
		return nil, err
	}
	qcols := rel.Schema()
	target := t.PhysicalColumns()
	// Map query columns to target columns.
	pos := make([]int, len(target)) // target column → query column, -1 for NULL
	if len(in.Columns) > 0 {
		for i := range pos {
			pos[i] = -1
		}
		if len(in.Columns) != len(qcols) {
			return nil, errorf(in.Pos, "INSERT INTO %s lists %d columns but the query returns %d", t.Name, len(in.Columns), len(qcols))
		}
		for qi, id := range in.Columns {
			found := -1
			for ti, tc := range target {
				if strings.EqualFold(tc.Name, id.Name()) {
					found = ti
				}
			}
			if found < 0 {
				return nil, errorf(id.Pos, "table '%s' has no physical column '%s'", t.Name, id.Name())
			}
			pos[found] = qi
		}
	} else {
		if len(qcols) != len(target) {
			return nil, errorf(in.Query.Position(), "the query returns %d columns but table '%s' has %d (%s)", len(qcols), t.Name, len(target), targetList(target))
		}
		for i := range pos {
			pos[i] = i
		}
	}
	exprs := make([]expr.Expr, len(target))
	cols := make([]Column, len(target))
	for ti, tc := range target {
		cols[ti] = Column{Name: tc.Name, Type: tc.Type}
		qi := pos[ti]
		if qi < 0 {
			if tc.Type.NotNull {
				return nil, errorf(in.Pos, "column '%s' of table '%s' is NOT NULL and not given", tc.Name, t.Name)
			}
			exprs[ti] = expr.NullLiteral(tc.Type)
			continue
		}
		qc := qcols[qi]
		e, err := expr.Coerce(&expr.ColumnRef{Index: qi, T: qc.Type, Name: qc.Name}, tc.Type.Nullable())
		if err != nil {
			return nil, errorf(in.Query.Position(), "column '%s' of table '%s' has type %s, but the query gives %s for it (use CAST)", tc.Name, t.Name, tc.Type, qc.Type)
		}
		exprs[ti] = e
	}
	rel = &Project{Input: rel, Exprs: exprs, Cols: cols}
	if rel, err = b.enforceNotNull(rel.(*Project), t); err != nil {
		return nil, err
	}
	if rel, err = b.optimize(rel); err != nil {
		return nil, err
	}
	inNode, err := b.physical(rel)
	if err != nil {
		return nil, atPos(in.Query.Position(), err)
	}
	if inNode.Changelog != InsertOnly && !t.Factory.SinkAcceptsUpdates && (t.Factory.SinkUpdates == nil || !t.Factory.SinkUpdates(t.Options)) {
		return nil, errorf(in.Table.Pos, "table '%s' (connector '%s') only accepts insert-only data, but the query produces updates from %s", t.Name, t.Factory.Name, describeNode(updatingOrigin(inNode)))
	}
	root := &PhysNode{Kind: PhysSink, Parallelism: inNode.Parallelism, Cols: rel.Schema(), Changelog: inNode.Changelog, UpsertKey: inNode.UpsertKey,
		Inputs: []PhysEdge{{From: inNode}}, sink: &sinkSpec{table: t, name: t.Name, cols: target}}
	root.Attrs = []string{fmt.Sprintf("table=[%s]", t.Name), fmt.Sprintf("fields=[%s]", targetList(target))}
	return root, nil
}

// enforceNotNull guards the NOT NULL columns of a sink as table.exec.sink.not-null-enforcer
// says: fail the job on a NULL (ERROR, as Flink) or drop the row (DROP).
func (b *binder) enforceNotNull(p *Project, t *Table) (Rel, error) {
	var drop []expr.Expr
	for i, e := range p.Exprs {
		if !p.Cols[i].Type.NotNull || e.Type().NotNull {
			continue
		}
		if b.cfg.DropNullsInNotNullColumns() {
			c, err := expr.NewCall("IS NOT NULL", []expr.Expr{e})
			if err != nil {
				return nil, err
			}
			drop = append(drop, c)
			continue
		}
		msg := fmt.Sprintf("column '%s' of table '%s' is NOT NULL, but a NULL value is being written into it; set 'table.exec.sink.not-null-enforcer' = 'DROP' to drop such rows instead", p.Cols[i].Name, t.Name)
		g, err := expr.NewCall(expr.NotNullEnforcer, []expr.Expr{e, expr.StringLiteral(msg)})
		if err != nil {
			return nil, err
		}
		p.Exprs[i] = g
	}
	if len(drop) == 0 {
		return p, nil
	}
	// Filter before projecting: the conditions are over the projection's input.
	return &Project{Input: &Filter{Input: p.Input, Cond: conjoin(drop)}, Exprs: p.Exprs, Cols: p.Cols}, nil
}

// updatingOrigin finds the operator that first produces updates.
func updatingOrigin(n *PhysNode) *PhysNode {
	for _, in := range n.Inputs {
		if in.From.Changelog != InsertOnly {
			return updatingOrigin(in.From)
		}
	}
	return n
}

func targetList(cols []connector.Column) string {
	var ns []string
	for _, c := range cols {
		ns = append(ns, c.Name)
	}
	return strings.Join(ns, ", ")
}
