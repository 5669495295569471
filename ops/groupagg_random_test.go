package ops_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

var groupAggSeed = flag.Uint64("groupagg.seed", 0, "seed of TestGroupAggRandom (0: time-based)")

// randRow is one live input row of the randomized test.
type randRow struct {
	v, f chunk.Datum
}

// TestGroupAggRandom feeds a random valid changelog (inserts, updates and deletes of rows that
// exist) in random chunk sizes to GroupAgg with and without mini-batch, applies each output
// changelog to a table (every retraction must match a row), and compares both tables with a
// brute-force recomputation from the live input rows.
func TestGroupAggRandom(t *testing.T) {
	seed := *groupAggSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	for round := range 20 {
		s := seed + uint64(round)
		if !t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) { groupAggRandomRound(t, s) }) {
			t.Fatalf("failed with seed %d (rerun with -groupagg.seed=%d)", s, s)
		}
	}
}

func groupAggRandomRound(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	in := []types.Type{types.StringType, types.BigIntType, types.BooleanType}
	names := []string{"COUNT(*)", "COUNT(1)", "SUM(1)", "MIN(1)", "MAX(1)", "AVG(1)", "COUNT(DISTINCT 1)",
		"COUNT(DISTINCT 1) FILTER 2", "SUM(1) FILTER 2", "FIRST_VALUE(1)", "LAST_VALUE(1)"}
	var calls []agg.Call
	for _, n := range names {
		c, err := parseCall(n, in, false)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	spec := ops.GroupAggSpec{InputTypes: in, KeyCols: []int{0}, Aggs: calls}
	harness := func(miniBatch bool) *exectest.Harness {
		spec.MiniBatch = miniBatch
		op, err := ops.NewGroupAgg(spec)()
		if err != nil {
			t.Fatal(err)
		}
		// Per-row: state stored through its codec (as a durable backend); mini-batch: plain.
		h, err := exectest.Open(t, op, exectest.Config{PlainState: miniBatch}, in)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	perRow, batched := harness(false), harness(true)

	keys := []string{"k0", "k1", "k2", "k3"}
	live := map[string][]randRow{}       // live rows per key
	values := map[string][]chunk.Datum{} // FIRST/LAST model: non-NULL values in arrival order
	randDatum := func(gen func() chunk.Datum) chunk.Datum {
		if rng.IntN(6) == 0 {
			return chunk.NullDatum
		}
		return gen()
	}
	steps := 200 + rng.IntN(300)
	c := chunk.New(in, 16)
	flush := func() {
		for _, h := range []*exectest.Harness{perRow, batched} {
			if err := h.ProcessChunk(0, c); err != nil {
				t.Fatal(err)
			}
		}
		c = chunk.New(in, 16)
	}
	add := func(kind chunk.RowKind, k string, r randRow) {
		c.AppendRow(kind, []chunk.Datum{chunk.Str(k), r.v, r.f})
		if kind.IsAccumulate() {
			live[k] = append(live[k], r)
			if !r.v.Null {
				values[k] = append(values[k], r.v)
			}
			return
		}
		if !r.v.Null {
			vs := values[k]
			i := slices.IndexFunc(vs, func(d chunk.Datum) bool { return d.I == r.v.I })
			values[k] = slices.Delete(vs, i, i+1)
		}
	}
	for range steps {
		k := keys[rng.IntN(len(keys))]
		newRow := randRow{
			v: randDatum(func() chunk.Datum { return chunk.Int(rng.Int64N(11) - 5) }),
			f: randDatum(func() chunk.Datum { return chunk.Bool(rng.IntN(2) == 0) }),
		}
		if rows := live[k]; len(rows) > 0 && rng.IntN(5) < 2 {
			i := rng.IntN(len(rows))
			old := rows[i]
			live[k] = slices.Delete(rows, i, i+1)
			if rng.IntN(2) == 0 {
				add(chunk.UpdateBefore, k, old)
				add(chunk.UpdateAfter, k, newRow)
			} else {
				add(chunk.Delete, k, old)
			}
		} else {
			add(chunk.Insert, k, newRow)
		}
		if rng.IntN(8) == 0 {
			flush()
		}
	}
	flush()

	want := bruteForce(live, values)
	for name, h := range map[string]*exectest.Harness{"per-row": perRow, "mini-batch": batched} {
		got, err := applyChangelog(h.Output())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: final result differs\n got: %s\nwant: %s", name, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
	}
}

// applyChangelog applies printed changelog rows to a table and returns its rows, sorted.
func applyChangelog(rows []string) ([]string, error) {
	table := map[string]int{}
	for _, r := range rows {
		kind, body := r[:2], r[2:]
		switch kind {
		case "+I", "+U":
			table[body]++
		case "-U", "-D":
			if table[body] == 0 {
				return nil, fmt.Errorf("%s retracts a row that is not in the result", r)
			}
			table[body]--
		}
	}
	var out []string
	for body, n := range table {
		for range n {
			out = append(out, body)
		}
	}
	slices.Sort(out)
	return out, nil
}

// bruteForce computes the expected result rows from the live input rows.
func bruteForce(live map[string][]randRow, values map[string][]chunk.Datum) []string {
	var out []string
	for k, rows := range live {
		if len(rows) == 0 {
			continue
		}
		var n, sum, sumF, nF int64
		var mn, mx *int64
		distinct, distinctF := map[int64]bool{}, map[int64]bool{}
		for _, r := range rows {
			pass := !r.f.Null && r.f.I != 0
			if r.v.Null {
				continue
			}
			v := r.v.I
			n++
			sum += v
			if mn == nil || v < *mn {
				mn = &v
			}
			if mx == nil || v > *mx {
				mx = &v
			}
			distinct[v] = true
			if pass {
				distinctF[v] = true
				sumF += v
				nF++
			}
		}
		f := func(ok bool, v int64) string {
			if !ok {
				return "null"
			}
			return fmt.Sprint(v)
		}
		vs := values[k]
		first, last := "null", "null"
		if len(vs) > 0 {
			first, last = fmt.Sprint(vs[0].I), fmt.Sprint(vs[len(vs)-1].I)
		}
		var avg int64
		if n > 0 {
			avg = sum / n
		}
		cols := []string{k, fmt.Sprint(len(rows)), fmt.Sprint(n), f(n > 0, sum), f(mn != nil, deref(mn)),
			f(mx != nil, deref(mx)), f(n > 0, avg), fmt.Sprint(len(distinct)), fmt.Sprint(len(distinctF)),
			f(nF > 0, sumF), first, last}
		out = append(out, "["+strings.Join(cols, ", ")+"]")
	}
	slices.Sort(out)
	return out
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
