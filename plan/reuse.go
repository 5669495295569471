package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/floedb/floe/expr"
)

// Sub-plan reuse: two physical nodes that compute the same thing from the same inputs run once
// in the dataflow (Flink's table.optimizer.reuse-sub-plan-enabled, on by default). Nexmark q5
// aggregates the same bids in the same windows on both sides of its join; with reuse the
// source and the window aggregation run once and feed both sides.
//
// Two nodes are the same when their digests are equal. A digest names the operator kind, its
// complete configuration (column positions, not names, which may repeat), its parallelism,
// changelog and output types, and its inputs' partitionings and digests. Sinks and nodes with
// non-deterministic expressions are never reused.

// digester computes and memoizes digests.
type digester struct {
	memo map[*PhysNode]string
	next int
}

func newDigester() *digester { return &digester{memo: map[*PhysNode]string{}} }

// digest returns n's digest; unique nodes get a digest no other node has.
func (d *digester) digest(n *PhysNode) string {
	if s, ok := d.memo[n]; ok {
		return s
	}
	var b strings.Builder
	spec, reusable := n.spec()
	if !reusable {
		d.next++
		s := fmt.Sprintf("unique#%d", d.next)
		d.memo[n] = s
		return s
	}
	fmt.Fprintf(&b, "%s{%s} p=%d %s upsert=%v types=%v", n.Kind, spec, n.Parallelism, n.Changelog, n.UpsertKey, columnTypes(n.Cols))
	for _, e := range n.Inputs {
		fmt.Fprintf(&b, " <-[%s %v](%s)", e.Part, e.Keys, d.digest(e.From))
	}
	s := b.String()
	d.memo[n] = s
	return s
}

// indexed renders an expression with column positions instead of names.
func indexed(e expr.Expr) string {
	if e == nil {
		return "<nil>"
	}
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if ref, ok := x.(*expr.ColumnRef); ok {
			c := *ref
			c.Name = ""
			return &c
		}
		return x
	}).String()
}

// spec renders the node's configuration; reusable is false for sinks and for nodes whose
// results may differ between two evaluations.
func (n *PhysNode) spec() (s string, reusable bool) {
	switch n.Kind {
	case PhysSink:
		return "", false
	case PhysSource:
		t := n.scan.Table
		keys := make([]string, 0, len(t.RawOptions))
		for k := range t.RawOptions {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var opts []string
		for _, k := range keys {
			opts = append(opts, k+"="+t.RawOptions[k])
		}
		wm := ""
		if t.Watermark != nil {
			wm = t.Watermark.String()
		}
		return fmt.Sprintf("%s cols=%v opts=%v wm=%s", t.Name, n.scan.Cols, opts, wm), true
	case PhysCalc:
		if n.calc.filter != nil && !expr.IsDeterministic(n.calc.filter) || !allDeterministic(n.calc.exprs) {
			return "", false
		}
		var parts []string
		for _, e := range n.calc.exprs {
			parts = append(parts, indexed(e))
		}
		return fmt.Sprintf("where=%s select=%v", indexed(n.calc.filter), parts), true
	case PhysGroupAgg:
		a := n.groupAgg
		return fmt.Sprintf("keys=%d aggs=%+v", a.NumKeys, a.Aggs), true
	case PhysWindowAgg:
		w := n.windowAgg
		return fmt.Sprintf("keys=%v groups=%v time=%d proc=%v def=%+v aggs=%+v", w.KeyCols, w.GroupCols, w.TimeCol, w.ProcTime, w.Def, w.Aggs), true
	case PhysWindowTVF:
		w := n.windowTVF
		return fmt.Sprintf("time=%d proc=%v def=%+v", w.TimeCol, w.ProcTime, w.Def), true
	case PhysUnion:
		return "", true
	case PhysJoin, PhysIntervalJoin, PhysWindowJoin:
		j := n.join
		s := fmt.Sprintf("type=%s keys=%v/%v residual=%s unique=%v/%v ttl=%v/%v", j.typ, j.leftKeys, j.rightKeys,
			indexed(j.residual), j.leftUnique, j.rightUnique, j.leftTTL, j.rightTTL)
		if j.window != nil {
			s += fmt.Sprintf(" window=%+v", *j.window)
		}
		if j.interval != nil {
			s += fmt.Sprintf(" interval=%+v", *j.interval)
		}
		return s, j.residual == nil || expr.IsDeterministic(j.residual)
	case PhysRank, PhysDedup, PhysWindowRank:
		r := n.rank
		return fmt.Sprintf("func=%d partition=%v order=%+v range=%d..%d rank=%v part=%v win=%d/%d time=%d last=%v ttl=%v",
			r.rank.Func, r.rank.PartitionBy, r.rank.OrderBy, r.rank.Start, r.rank.End, r.rank.OutputRank,
			r.partition, r.winStart, r.winEnd, r.dedupTime, r.keepLast, r.ttl), true
	}
	return "", false
}

// Operator identities. Checkpoints store each operator's state under its UID, and a restored
// pipeline gives each operator the state stored under its own, so a UID must stay the same
// when the operator and everything it reads stay the same, even if other parts of the
// pipeline change, and must change when its state would no longer fit:
//   - a source's UID is its table's name (its state is split positions, which do not depend
//     on the projection), with an ordinal when one table is scanned several ways;
//   - a sink's UID is its table's name, with an ordinal for several INSERTs into one table
//     (its state is pre-committed output, to be committed whatever the new query);
//   - any other operator's UID hashes its digest without the parallelism (a changed
//     parallelism is refused on restore rather than silently starting empty) and with its
//     inputs' UIDs in place of their digests.

// uids assigns operator identities; see above.
type uids struct {
	d     *digester
	memo  map[string]string // by digest: nodes merged by sub-plan reuse share a UID
	count map[string]int
}

func newUIDs(d *digester) *uids {
	return &uids{d: d, memo: map[string]string{}, count: map[string]int{}}
}

// ordinal returns base, or base#k for the k-th (k ≥ 1) later use of base.
func (u *uids) ordinal(base string) string {
	k := u.count[base]
	u.count[base]++
	if k == 0 {
		return base
	}
	return fmt.Sprintf("%s#%d", base, k)
}

// uid returns n's identity. Calls in build order give the same UIDs for the same plan.
func (u *uids) uid(n *PhysNode) string {
	digest := u.d.digest(n)
	if s, ok := u.memo[digest]; ok {
		return s
	}
	var s string
	switch n.Kind {
	case PhysSource:
		s = u.ordinal("source:" + n.scan.Table.Name)
	case PhysSink:
		s = u.ordinal("sink:" + n.sink.name)
	default:
		var b strings.Builder
		spec, reusable := n.spec()
		if !reusable {
			spec = "non-deterministic"
		}
		// Nullability is left out: it does not change what the operator stores, and the
		// planner may tighten or relax it when the pipeline around the operator changes.
		ts := columnTypes(n.Cols)
		for i := range ts {
			ts[i].NotNull = false
		}
		fmt.Fprintf(&b, "%s{%s} %s upsert=%v types=%v", n.Kind, spec, n.Changelog, n.UpsertKey, ts)
		for _, e := range n.Inputs {
			fmt.Fprintf(&b, " <-[%s %v](%s)", e.Part, e.Keys, u.uid(e.From))
		}
		h := sha256.Sum256([]byte(b.String()))
		s = u.ordinal(strings.ToLower(string(n.Kind)) + ":" + hex.EncodeToString(h[:8]))
	}
	u.memo[digest] = s
	return s
}

// Digest identifies the plan's dataflow: a hash of its operators' UIDs. Checkpoints record it,
// so that a restore can tell an unchanged pipeline from a changed one.
func (p *Plan) Digest() string {
	ids := newUIDs(newDigester())
	seen := map[string]bool{}
	var all []string
	var walk func(n *PhysNode)
	walk = func(n *PhysNode) {
		for _, e := range n.Inputs {
			walk(e.From)
		}
		if id := ids.uid(n); !seen[id] {
			seen[id] = true
			all = append(all, id)
		}
	}
	for _, r := range p.Roots {
		walk(r)
	}
	sort.Strings(all)
	h := sha256.Sum256([]byte(strings.Join(all, "\n")))
	return hex.EncodeToString(h[:16])
}
