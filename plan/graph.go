package plan

import (
	"fmt"
	"log/slog"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/ops"
)

// Graph builds the executable dataflow of a plan. Connector sources and sinks are created
// here, so a plan can be explained without touching the outside world.
func (p *Plan) Graph(logger *slog.Logger) (*exec.Graph, error) {
	g := &exec.Graph{}
	built := map[*PhysNode]int{}
	byDigest := map[string]int{} // sub-plan reuse (see reuse.go)
	dg := newDigester()
	ids := newUIDs(dg)
	var build func(n *PhysNode) (int, error)
	build = func(n *PhysNode) (int, error) {
		if id, ok := built[n]; ok {
			return id, nil
		}
		digest := dg.digest(n)
		if id, ok := byDigest[digest]; ok {
			built[n] = id
			return id, nil
		}
		en := &exec.Node{Name: n.label(), Parallelism: n.Parallelism, OutputTypes: columnTypes(n.Cols)}
		for _, e := range n.Inputs {
			from, err := build(e.From)
			if err != nil {
				return 0, err
			}
			part := e.Part
			if part == exec.Forward && e.From.Parallelism != n.Parallelism {
				part = exec.Rebalance
			}
			en.Inputs = append(en.Inputs, exec.Edge{From: from, Partitioning: part, KeyCols: e.Keys})
		}
		if err := p.fill(en, n, logger); err != nil {
			return 0, err
		}
		en.ID = len(g.Nodes)
		en.UID = ids.uid(n)
		g.Nodes = append(g.Nodes, en)
		built[n] = en.ID
		byDigest[digest] = en.ID
		return en.ID, nil
	}
	for _, r := range p.Roots {
		if _, err := build(r); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (n *PhysNode) label() string {
	switch {
	case n.scan != nil:
		return fmt.Sprintf("Source: %s", n.scan.Table.Name)
	case n.sink != nil:
		return fmt.Sprintf("Sink: %s", n.sink.name)
	}
	return string(n.Kind)
}

func (p *Plan) fill(en *exec.Node, n *PhysNode, logger *slog.Logger) error {
	switch n.Kind {
	case PhysSource:
		t := n.scan.Table
		sp, err := p.b.planSource(n.scan)
		if err != nil {
			return err
		}
		src, err := t.Factory.NewSource(connector.CreateContext{Table: t.Name, Columns: t.PhysicalColumns(), PrimaryKey: physicalKey(t), Options: t.Options, Logger: logger})
		if err != nil {
			return fmt.Errorf("cannot create source for table '%s': %w", t.Name, err)
		}
		ectx := p.ectx
		en.Source = &exec.SourceSpec{
			Source:       src,
			Projection:   sp.projection,
			NewProcessor: func() (exec.SourceProcessor, error) { return newSourceProcessor(sp, ectx) },
			IdleTimeout:  p.cfg.IdleTimeout(),
		}
	case PhysCalc:
		in := columnTypes(n.Inputs[0].From.Cols)
		en.NewOperator = ops.NewCalc(ops.CalcSpec{InputTypes: in, Filter: n.calc.filter, Projections: n.calc.exprs})
	case PhysUnion:
		en.NewOperator = ops.NewUnion()
	case PhysGroupAgg:
		a := n.groupAgg
		en.NewOperator = ops.NewGroupAgg(ops.GroupAggSpec{
			InputTypes:      columnTypes(a.Input.Schema()),
			KeyCols:         seq(a.NumKeys),
			Aggs:            a.Aggs,
			InsertOnlyInput: n.Inputs[0].From.Changelog == InsertOnly,
			MiniBatch:       p.cfg.MiniBatch(),
			StateTTL:        p.cfg.StateTTL(),
		})
	case PhysWindowAgg:
		w := n.windowAgg
		calls := make([]agg.Call, len(w.Aggs))
		for i, c := range w.Aggs {
			c.InsertOnly = true
			calls[i] = c
		}
		en.NewOperator = ops.NewWindowAgg(ops.WindowAggSpec{
			InputTypes: columnTypes(w.Input.Schema()),
			KeyCols:    w.KeyCols,
			GroupCols:  w.GroupCols,
			TimeCol:    w.TimeCol,
			ProcTime:   w.ProcTime,
			Window:     opsWindow(w.Def),
			Aggs:       calls,
		})
	case PhysWindowTVF:
		w := n.windowTVF
		en.NewOperator = ops.NewWindowTVF(ops.WindowTVFSpec{
			InputTypes: columnTypes(w.Input.Schema()),
			TimeCol:    w.TimeCol,
			ProcTime:   w.ProcTime,
			Window:     opsWindow(w.Def),
		})
	case PhysJoin, PhysIntervalJoin, PhysWindowJoin:
		return fillJoin(en, n)
	case PhysRank, PhysDedup, PhysWindowRank:
		fillRank(en, n)
	case PhysSink:
		s := n.sink
		if s.sink != nil {
			en.Sink = s.sink
			return nil
		}
		t := s.table
		sink, err := t.Factory.NewSink(connector.CreateContext{Table: t.Name, Columns: t.PhysicalColumns(), PrimaryKey: physicalKey(t), Options: t.Options, Logger: logger})
		if err != nil {
			return fmt.Errorf("cannot create sink for table '%s': %w", t.Name, err)
		}
		en.Sink = sink
	default:
		return fmt.Errorf("internal error: cannot build %s", n.Kind)
	}
	return nil
}

// physicalKey maps the primary key to positions among the physical columns.
func physicalKey(t *Table) []int {
	var out []int
	for _, k := range t.PrimaryKey {
		for i, p := range t.Physical {
			if p == k {
				out = append(out, i)
			}
		}
	}
	return out
}

func opsWindow(d WindowDef) ops.WindowDef {
	kinds := map[WindowKind]ops.WindowKind{TumbleWindow: ops.Tumble, HopWindow: ops.Hop, CumulateWindow: ops.Cumulate, SessionWindow: ops.Session}
	return ops.WindowDef{Kind: kinds[d.Kind], Size: d.Size, Slide: d.Slide, Step: d.Step, Gap: d.Gap, Offset: d.Offset}
}

func fillJoin(en *exec.Node, n *PhysNode) error {
	j := n.join
	lt, rt := columnTypes(n.Inputs[0].From.Cols), columnTypes(n.Inputs[1].From.Cols)
	switch n.Kind {
	case PhysWindowJoin:
		w := j.window
		en.NewOperator = ops.NewWindowJoin(ops.WindowJoinSpec{
			Type: j.typ, LeftTypes: lt, RightTypes: rt, LeftKeys: j.leftKeys, RightKeys: j.rightKeys,
			LeftWindowStart: w.lStart, LeftWindowEnd: w.lEnd, RightWindowStart: w.rStart, RightWindowEnd: w.rEnd,
			Residual: j.residual, ShiftTimeZone: n.Inputs[0].From.Cols[w.lStart].wprop.ltz,
		})
	case PhysIntervalJoin:
		iv := j.interval
		spec := ops.IntervalJoinSpec{
			Type: j.typ, LeftTypes: lt, RightTypes: rt, LeftKeys: j.leftKeys, RightKeys: j.rightKeys,
			LeftTimeCol: iv.lTime, RightTimeCol: iv.rTime, Lower: iv.lower, Upper: iv.upper, ProcTime: iv.proc,
			Residual: j.residual,
		}
		en.NewOperator = ops.NewIntervalJoin(spec)
		if !iv.proc {
			en.WatermarkDelay = spec.MaxOutputDelay()
		}
	default:
		en.NewOperator = ops.NewJoin(ops.JoinSpec{
			Type: j.typ, LeftTypes: lt, RightTypes: rt, LeftKeys: j.leftKeys, RightKeys: j.rightKeys,
			Residual: j.residual, LeftUniqueKey: j.leftUnique, RightUniqueKey: j.rightUnique,
			LeftInsertOnly:  n.Inputs[0].From.Changelog == InsertOnly,
			RightInsertOnly: n.Inputs[1].From.Changelog == InsertOnly,
			LeftStateTTL:    j.leftTTL, RightStateTTL: j.rightTTL,
		})
	}
	return nil
}

func fillRank(en *exec.Node, n *PhysNode) {
	rs := n.rank
	r := rs.rank
	in := n.Inputs[0].From
	inTypes := columnTypes(r.Input.Schema())
	switch n.Kind {
	case PhysWindowRank:
		en.NewOperator = ops.NewWindowRank(ops.WindowRankSpec{
			InputTypes: inTypes, PartitionKeys: rs.partition, WindowStartCol: rs.winStart, WindowEndCol: rs.winEnd,
			OrderKeys: r.OrderBy, Func: r.Func, Start: r.Start, End: r.End, OutputRank: r.OutputRank,
		})
	case PhysDedup:
		en.NewOperator = ops.NewDedup(ops.DedupSpec{
			InputTypes: inTypes, KeyCols: r.PartitionBy, KeepLast: rs.keepLast, TimeCol: rs.dedupTime,
			OutputRank: r.OutputRank, StateTTL: rs.ttl,
		})
	default:
		var unique []int
		if in.Changelog != InsertOnly {
			unique = in.UpsertKey
		}
		en.NewOperator = ops.NewRank(ops.RankSpec{
			InputTypes: inTypes, PartitionKeys: r.PartitionBy, OrderKeys: r.OrderBy, Func: r.Func,
			Start: r.Start, End: r.End, OutputRank: r.OutputRank, InsertOnlyInput: in.Changelog == InsertOnly,
			UniqueKey: unique, StateTTL: rs.ttl,
		})
	}
}
