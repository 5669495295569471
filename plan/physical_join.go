package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
)

// Physical join and ranking operators.
const (
	PhysJoin         PhysKind = "Join"
	PhysIntervalJoin PhysKind = "IntervalJoin"
	PhysWindowJoin   PhysKind = "WindowJoin"
	PhysRank         PhysKind = "Rank"
	PhysDedup        PhysKind = "Deduplicate"
	PhysWindowRank   PhysKind = "WindowRank"
)

// joinSpec is what the graph builder needs for the three join operators.
type joinSpec struct {
	typ                 ops.JoinType
	leftKeys, rightKeys []int
	residual            expr.Expr
	window              *windowJoinInfo
	interval            *intervalInfo
	leftUnique          []int
	rightUnique         []int
	leftTTL, rightTTL   time.Duration
}

// rankSpec is what the graph builder needs for the ranking operators.
type rankSpec struct {
	rank      *Rank
	partition []int // WindowRank: without the window columns
	winStart  int
	winEnd    int
	dedupTime int // Deduplicate: the time column, -1 for processing time
	keepLast  bool
	ttl       time.Duration
}

func (b *binder) physJoin(x *Join) (*PhysNode, error) {
	l, err := b.physical(x.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.physical(x.Right)
	if err != nil {
		return nil, err
	}
	lcols, rcols := x.Left.Schema(), x.Right.Schema()
	nl := len(lcols)
	a := analyzeJoin(x.Cond, lcols, rcols)
	insertOnly := l.Changelog == InsertOnly && r.Changelog == InsertOnly
	js := &joinSpec{typ: x.Type, leftKeys: a.leftKeys, rightKeys: a.rightKeys}
	n := &PhysNode{Cols: x.Schema(), join: js}
	residual := a.residual
	switch {
	case a.window != nil && insertOnly:
		n.Kind, n.Changelog, js.window = PhysWindowJoin, InsertOnly, a.window
	case a.interval != nil && insertOnly:
		n.Kind, n.Changelog, js.interval = PhysIntervalJoin, InsertOnly, a.interval
	default:
		// A regular join: window or interval bounds that cannot run as such stay conditions.
		n.Kind = PhysJoin
		if a.window != nil {
			js.leftKeys = append(js.leftKeys, a.window.lStart, a.window.lEnd)
			js.rightKeys = append(js.rightKeys, a.window.rStart, a.window.rEnd)
		}
		if a.interval != nil {
			keyed := map[string]bool{}
			for i := range a.leftKeys {
				keyed[fmt.Sprint(a.leftKeys[i], a.rightKeys[i])] = true
			}
			residual = residualWithout(x.Cond, nl, keyed)
		}
		n.Changelog = Retract
		if x.Type == ops.InnerJoin && insertOnly {
			n.Changelog = InsertOnly
		}
		if l.Changelog != InsertOnly {
			js.leftUnique = l.UpsertKey
		}
		if r.Changelog != InsertOnly {
			js.rightUnique = r.UpsertKey
		}
		if n.Changelog == Retract && x.Type == ops.InnerJoin && l.UpsertKey != nil && r.UpsertKey != nil {
			n.UpsertKey = append(append([]int(nil), l.UpsertKey...), shift(r.UpsertKey, nl)...)
		}
		js.leftTTL, js.rightTTL = b.cfg.StateTTL(), b.cfg.StateTTL()
		if x.LeftTTL > 0 {
			js.leftTTL = x.LeftTTL
		}
		if x.RightTTL > 0 {
			js.rightTTL = x.RightTTL
		}
	}
	if len(residual) > 0 {
		js.residual = conjoin(residual)
	}
	// Inputs are partitioned by the equi-join keys; a window join also by the window bounds.
	lhash, rhash := js.leftKeys, js.rightKeys
	if js.window != nil {
		w := js.window
		lhash = append(append([]int(nil), lhash...), w.lStart, w.lEnd)
		rhash = append(append([]int(nil), rhash...), w.rStart, w.rEnd)
	}
	par, lpart, rpart := b.cfg.Parallelism(), exec.Hash, exec.Hash
	if len(lhash) == 0 {
		par, lpart, rpart = 1, exec.Global, exec.Global
	}
	n.Parallelism = par
	n.Inputs = []PhysEdge{{From: l, Part: lpart, Keys: lhash}, {From: r, Part: rpart, Keys: rhash}}
	n.Attrs = append(n.Attrs, fmt.Sprintf("joinType=[%s]", x.Type))
	all := n.Cols
	var where []string
	for i := range js.leftKeys {
		where = append(where, fmt.Sprintf("=(%s, %s)", all[js.leftKeys[i]].Name, all[nl+js.rightKeys[i]].Name))
	}
	n.Attrs = append(n.Attrs, fmt.Sprintf("where=[%s]", strings.Join(where, ", ")))
	switch {
	case js.window != nil:
		w := js.window
		n.Attrs = append(n.Attrs, fmt.Sprintf("window=[%s]", describeWindow(lcols[w.lStart].wprop.def, "", false)),
			fmt.Sprintf("leftWindow=[%s, %s], rightWindow=[%s, %s]", lcols[w.lStart].Name, lcols[w.lEnd].Name, rcols[w.rStart].Name, rcols[w.rEnd].Name))
	case js.interval != nil:
		iv := js.interval
		n.Attrs = append(n.Attrs, fmt.Sprintf("interval=[%s <= %s <= %s]", plusInterval(rcols[iv.rTime].Name, iv.lower),
			lcols[iv.lTime].Name, plusInterval(rcols[iv.rTime].Name, iv.upper)))
		if iv.proc {
			n.Attrs = append(n.Attrs, "proctime")
		}
	}
	if js.residual != nil {
		n.Attrs = append(n.Attrs, fmt.Sprintf("residual=[%s]", exprString(js.residual, all)))
	}
	if n.Kind == PhysJoin {
		n.Attrs = append(n.Attrs, fmt.Sprintf("leftInput=[%s], rightInput=[%s]", joinInputSpec(l), joinInputSpec(r)))
		if js.leftTTL > 0 || js.rightTTL > 0 {
			n.Attrs = append(n.Attrs, fmt.Sprintf("stateTtl=[%s, %s]", formatDuration(js.leftTTL), formatDuration(js.rightTTL)))
		}
	}
	n.Attrs = append(n.Attrs, fmt.Sprintf("select=[%s]", colNames(all, seq(len(all)))))
	return n, nil
}

// residualWithout returns the conjuncts of cond other than the equalities used as keys.
func residualWithout(cond expr.Expr, nl int, keyed map[string]bool) []expr.Expr {
	var out []expr.Expr
	for _, c := range conjuncts(cond) {
		if call, ok := c.(*expr.Call); ok && call.Fn.Name == "=" {
			l, lok := call.Args[0].(*expr.ColumnRef)
			r, rok := call.Args[1].(*expr.ColumnRef)
			if lok && rok {
				if l.Index >= nl {
					l, r = r, l
				}
				if keyed[fmt.Sprint(l.Index, r.Index-nl)] {
					continue
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// joinInputSpec describes how a regular join stores an input, as Flink's EXPLAIN does.
func joinInputSpec(n *PhysNode) string {
	if n.Changelog != InsertOnly && n.UpsertKey != nil {
		return fmt.Sprintf("HasUniqueKey(%s)", colNames(n.Cols, n.UpsertKey))
	}
	return "NoUniqueKey"
}

func shift(cols []int, by int) []int {
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = c + by
	}
	return out
}

// plusInterval renders col + us (microseconds) as "col", "col + 5 s" or "col - 5 s".
func plusInterval(col string, us int64) string {
	switch {
	case us < 0:
		return col + " - " + formatInterval(-us)
	case us > 0:
		return col + " + " + formatInterval(us)
	}
	return col
}

func formatDuration(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return formatInterval(d.Microseconds())
}

func (b *binder) physRank(x *Rank) (*PhysNode, error) {
	in, err := b.physical(x.Input)
	if err != nil {
		return nil, err
	}
	inCols := x.Input.Schema()
	rs := &rankSpec{rank: x, partition: x.PartitionBy, winStart: -1, winEnd: -1, dedupTime: -1, ttl: b.cfg.StateTTL()}
	n := &PhysNode{Cols: x.Cols, rank: rs}
	// A window Top-N partitions by both bounds of one window over an insert-only input.
	for _, p := range x.PartitionBy {
		if wp := inCols[p].wprop; wp != nil {
			if wp.role == windowStartCol && rs.winStart < 0 {
				rs.winStart = p
			} else if wp.role == windowEndCol && rs.winEnd < 0 {
				rs.winEnd = p
			}
		}
	}
	// Window Top-N fires by event time on UTC bounds: windows over TIMESTAMP_LTZ (wall-clock
	// bounds) and processing-time windows run as a regular Top-N instead.
	isWindow := rs.winStart >= 0 && rs.winEnd >= 0 && inCols[rs.winStart].wprop.def == inCols[rs.winEnd].wprop.def &&
		!inCols[rs.winEnd].wprop.ltz && !inCols[rs.winEnd].wprop.proc && in.Changelog == InsertOnly
	switch {
	case isWindow:
		n.Kind, n.Changelog = PhysWindowRank, InsertOnly
		rs.partition = nil
		for _, p := range x.PartitionBy {
			if p != rs.winStart && p != rs.winEnd {
				rs.partition = append(rs.partition, p)
			}
		}
	case x.Func == ops.RowNumber && x.Start == 1 && x.End == 1 && len(x.OrderBy) == 1 &&
		inCols[x.OrderBy[0].Col].TimeAttr != NoTimeAttr && in.Changelog == InsertOnly:
		n.Kind = PhysDedup
		rs.keepLast = x.OrderBy[0].Desc
		if inCols[x.OrderBy[0].Col].TimeAttr == RowTime {
			rs.dedupTime = x.OrderBy[0].Col
		}
		n.Changelog = Retract
		if !rs.keepLast && rs.dedupTime < 0 {
			n.Changelog = InsertOnly
		}
		n.UpsertKey = x.PartitionBy
	default:
		n.Kind, n.Changelog = PhysRank, Retract
		switch {
		case x.End == 1 || x.Func != ops.RowNumber && x.Start == x.End:
			// One row per partition (a rank value shared by ties under RANK breaks that).
			if x.Func == ops.RowNumber {
				n.UpsertKey = x.PartitionBy
			}
		case x.OutputRank && x.Func == ops.RowNumber:
			n.UpsertKey = append(append([]int(nil), x.PartitionBy...), len(inCols))
		}
	}
	hash := rs.partition
	if n.Kind == PhysWindowRank {
		hash = append(append([]int(nil), hash...), rs.winStart, rs.winEnd)
	}
	par, part := b.cfg.Parallelism(), exec.Hash
	if len(hash) == 0 {
		par, part = 1, exec.Global
	}
	n.Parallelism = par
	n.Inputs = []PhysEdge{{From: in, Part: part, Keys: hash}}
	var order []string
	for _, k := range x.OrderBy {
		s := inCols[k.Col].Name
		if k.Desc {
			s += " DESC"
		} else {
			s += " ASC"
		}
		order = append(order, s)
	}
	switch n.Kind {
	case PhysDedup:
		keep := "FirstRow"
		if rs.keepLast {
			keep = "LastRow"
		}
		timeKind := "ProcTime"
		if rs.dedupTime >= 0 {
			timeKind = "RowTime"
		}
		n.Attrs = append(n.Attrs, fmt.Sprintf("keep=[%s]", keep), fmt.Sprintf("key=[%s]", colNames(inCols, x.PartitionBy)), fmt.Sprintf("order=[%s]", timeKind))
	default:
		rankName := map[ops.RankFunc]string{ops.RowNumber: "ROW_NUMBER", ops.Rank: "RANK", ops.DenseRank: "DENSE_RANK"}[x.Func]
		n.Attrs = append(n.Attrs, fmt.Sprintf("rankType=[%s]", rankName), fmt.Sprintf("rankRange=[rankStart=%d, rankEnd=%d]", x.Start, x.End),
			fmt.Sprintf("partitionBy=[%s]", colNames(inCols, rs.partition)), fmt.Sprintf("orderBy=[%s]", strings.Join(order, ", ")))
		if n.Kind == PhysWindowRank {
			n.Attrs = append(n.Attrs, fmt.Sprintf("window=[%s]", describeWindow(inCols[rs.winStart].wprop.def, "", false)))
		} else {
			spec := "insert-only input"
			if in.Changelog != InsertOnly {
				spec = "updating input"
				if in.UpsertKey != nil {
					spec += fmt.Sprintf(", uniqueKey=%s", colNames(inCols, in.UpsertKey))
				}
			}
			n.Attrs = append(n.Attrs, fmt.Sprintf("strategy=[%s]", spec))
		}
	}
	n.Attrs = append(n.Attrs, fmt.Sprintf("select=[%s]", colNames(x.Cols, seq(len(x.Cols)))))
	return n, nil
}
