package plan

import (
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

// sourcePlan is what a scan needs at run time: which physical columns to read, and the
// expressions producing the scan's output and watermark from them.
type sourcePlan struct {
	projection []int       // indexes into the table's physical columns
	outputs    []expr.Expr // over the projected chunk
	watermark  expr.Expr   // over the projected chunk; nil without WATERMARK
}

// planSource binds the scan's computed columns and watermark over the projected physical
// columns.
func (b *binder) planSource(s *Scan) (*sourcePlan, error) {
	t := s.Table
	phys := make([]Column, len(t.Physical))
	physOf := map[int]int{} // table column → physical position
	for i, p := range t.Physical {
		phys[i] = Column{Name: t.Columns[p].Name, Type: t.Columns[p].Type}
		physOf[p] = i
	}
	full := &scope{cols: phys}
	var outputs []expr.Expr
	used := map[int]bool{}
	for _, c := range s.Cols {
		tc := t.Columns[c]
		var e expr.Expr
		if tc.Computed != nil {
			var err error
			if e, err = b.bindExpr(tc.Computed, full); err != nil {
				return nil, fmt.Errorf("computed column '%s': %w", tc.Name, err)
			}
		} else {
			p := physOf[c]
			e = &expr.ColumnRef{Index: p, T: tc.Type, Name: tc.Name}
		}
		expr.Columns(e, used)
		outputs = append(outputs, e)
	}
	var wm expr.Expr
	if t.Watermark != nil {
		// The watermark expression refers to the rowtime column, which may be computed.
		wcols := make([]Column, len(t.Columns))
		wexprs := make([]expr.Expr, len(t.Columns))
		for i, tc := range t.Columns {
			wcols[i] = Column{Name: tc.Name, Type: tc.Type}
			if tc.Computed != nil {
				e, err := b.bindExpr(tc.Computed, full)
				if err != nil {
					return nil, err
				}
				wexprs[i] = e
			} else {
				wexprs[i] = &expr.ColumnRef{Index: physOf[i], T: tc.Type, Name: tc.Name}
			}
		}
		e, err := b.bindExpr(t.Watermark, &scope{cols: wcols})
		if err != nil {
			return nil, err
		}
		wm = substitute(e, wexprs)
		if !expr.IsDeterministic(wm) {
			return nil, fmt.Errorf("the watermark expression of table '%s' must be deterministic", t.Name)
		}
		expr.Columns(wm, used)
	}
	proj := sortedKeys(used)
	remap := map[int]int{}
	for i, p := range proj {
		remap[p] = i
	}
	re := func(e expr.Expr) expr.Expr {
		return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
			if ref, ok := x.(*expr.ColumnRef); ok {
				c := *ref
				c.Index = remap[ref.Index]
				return &c
			}
			return x
		})
	}
	sp := &sourcePlan{projection: proj}
	for _, e := range outputs {
		sp.outputs = append(sp.outputs, re(e))
	}
	if wm != nil {
		var err error
		if sp.watermark, err = expr.Fold(re(wm), b.ectx); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

// sourceProcessor evaluates a source's outputs and watermark candidate per chunk.
type sourceProcessor struct {
	outputs *ops.Projector
	wm      expr.Evaluator
	lastWM  int64
	lastOK  bool
}

func newSourceProcessor(sp *sourcePlan, ctx *expr.Context) (exec.SourceProcessor, error) {
	outputs, err := ops.NewProjector(sp.outputs, ctx)
	if err != nil {
		return nil, err
	}
	p := &sourceProcessor{outputs: outputs}
	if sp.watermark != nil {
		ev, err := expr.Compile(sp.watermark, ctx)
		if err != nil {
			return nil, err
		}
		p.wm = ev
	}
	return p, nil
}

func (p *sourceProcessor) Prepare(c *chunk.Chunk) (*chunk.Chunk, error) {
	p.lastOK = false
	if p.wm != nil && c.Len() > 0 {
		v, err := p.wm.Eval(c)
		if err != nil {
			return nil, fmt.Errorf("cannot compute watermark: %w", err)
		}
		for i, t := range v.I64 {
			if v.IsNull(i) {
				continue
			}
			if !p.lastOK || t > p.lastWM {
				p.lastWM, p.lastOK = t, true
			}
		}
		if v.Type.Kind == types.Timestamp || v.Type.Kind == types.TimestampLTZ {
			// Event time has millisecond resolution, as Flink's.
			p.lastWM = floorMillis(p.lastWM)
		}
	}
	return p.outputs.Project(c)
}

func floorMillis(us int64) int64 {
	q := us / 1000
	if us%1000 < 0 {
		q--
	}
	return q * 1000
}

func (p *sourceProcessor) Watermark(*chunk.Chunk) (int64, bool, error) {
	return p.lastWM, p.lastOK, nil
}

func (p *sourceProcessor) HasWatermark() bool { return p.wm != nil }
