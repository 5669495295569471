package plan

import (
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// bindWindowTVF binds TABLE(TUMBLE|HOP|CUMULATE|SESSION(...)): the input's columns followed by
// window_start, window_end and window_time, checking that the time column is a time attribute.
func (b *binder) bindWindowTVF(t *ast.WindowTVF) (Rel, error) {
	in, err := b.bindFrom(t.Table)
	if err != nil {
		return nil, err
	}
	s := &scope{cols: in.Schema()}
	tc, err := s.lookup(&t.TimeCol)
	if err != nil {
		return nil, err
	}
	col := s.cols[tc]
	if col.TimeAttr == NoTimeAttr {
		return nil, errorf(t.TimeCol.Pos, "the window function requires the time column '%s' to be a time attribute (a WATERMARK column or PROCTIME()), but it is a plain %s", col.Name, col.Type)
	}
	ivs := make([]int64, len(t.Args))
	for i, a := range t.Args {
		if ivs[i], err = b.constInterval(a); err != nil {
			return nil, err
		}
	}
	var def WindowDef
	want := map[ast.WindowFunc][2]int{ast.Tumble: {1, 2}, ast.Hop: {2, 3}, ast.Cumulate: {2, 3}, ast.Session: {1, 1}}[t.Func]
	if len(ivs) < want[0] || len(ivs) > want[1] {
		return nil, errorf(t.Pos, "wrong number of interval arguments for the window function")
	}
	switch t.Func {
	case ast.Tumble:
		def = WindowDef{Kind: TumbleWindow, Size: ivs[0]}
		if len(ivs) > 1 {
			def.Offset = ivs[1]
		}
	case ast.Hop:
		def = WindowDef{Kind: HopWindow, Slide: ivs[0], Size: ivs[1]}
		if len(ivs) > 2 {
			def.Offset = ivs[2]
		}
		if def.Size%def.Slide != 0 {
			return nil, errorf(t.Pos, "HOP window size must be an integral multiple of the slide")
		}
	case ast.Cumulate:
		def = WindowDef{Kind: CumulateWindow, Step: ivs[0], Size: ivs[1]}
		if len(ivs) > 2 {
			def.Offset = ivs[2]
		}
		if def.Size%def.Step != 0 {
			return nil, errorf(t.Pos, "CUMULATE window size must be an integral multiple of the step")
		}
	case ast.Session:
		def = WindowDef{Kind: SessionWindow, Gap: ivs[0]}
	}
	if len(t.PartitionBy) > 0 && t.Func != ast.Session {
		return nil, errorf(t.PartitionBy[0].Position(), "PARTITION BY is only allowed in SESSION windows")
	}
	w := &WindowTVF{Input: in, Def: def, TimeCol: tc, ProcTime: col.TimeAttr == ProcTime}
	for _, p := range t.PartitionBy {
		id, ok := p.(*ast.Ident)
		if !ok {
			return nil, errorf(p.Position(), "SESSION PARTITION BY takes column names")
		}
		i, err := s.lookup(id)
		if err != nil {
			return nil, err
		}
		w.PartitionBy = append(w.PartitionBy, i)
	}
	q := t.Alias
	cols := append([]Column(nil), in.Schema()...)
	if q != "" {
		cols = requalify(cols, q)
	}
	wt := windowTypes(col)
	cols = append(cols,
		Column{Name: "window_start", Qualifier: q, Type: wt[0], window: windowStartCol, tvf: w, wprop: &windowProp{role: windowStartCol, def: def, ltz: col.Type.Kind == types.TimestampLTZ, proc: col.TimeAttr == ProcTime}},
		Column{Name: "window_end", Qualifier: q, Type: wt[1], window: windowEndCol, tvf: w, wprop: &windowProp{role: windowEndCol, def: def, ltz: col.Type.Kind == types.TimestampLTZ, proc: col.TimeAttr == ProcTime}},
		Column{Name: "window_time", Qualifier: q, Type: wt[2], TimeAttr: col.TimeAttr, window: windowTimeCol, tvf: w})
	w.cols = cols
	if len(t.ColumnAliases) > 0 {
		return renameProject(w, identPtrs(t.ColumnAliases), q, t.Pos)
	}
	return w, nil
}

// windowTypes returns the types of window_start, window_end and window_time for a time
// attribute column: TIMESTAMP(3) bounds, and window_time of the attribute's type.
func windowTypes(timeCol Column) [3]types.Type {
	ts := types.TimestampType(3).WithNotNull(true)
	wt := ts
	if timeCol.Type.Kind == types.TimestampLTZ {
		wt = types.TimestampLTZType(3).WithNotNull(true)
	}
	return [3]types.Type{ts, ts, wt}
}
