package agg

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// randCall is one call of TestAggregatorRandom: name over column col (-1 for COUNT(*)).
type randCall struct {
	name     string
	col      int
	distinct bool
	filter   int
}

// TestAggregatorRandom accumulates a random sequence of insertions and retractions of live rows
// over every argument type class (BIGINT, DOUBLE, DECIMAL, STRING) and compares the results
// after every step with a brute-force computation over the live rows. It then checks Merge by
// accumulating the live rows into two halves and merging them.
func TestAggregatorRandom(t *testing.T) {
	in := []types.Type{types.BigIntType, types.DoubleType, types.DecimalType(10, 2), types.StringType, types.BooleanType}
	var specs []randCall
	specs = append(specs, randCall{Count, -1, false, -1}, randCall{Count, -1, false, 4})
	for col := range 4 {
		names := []string{Count, Min, Max, FirstValue, LastValue}
		if col < 3 {
			names = append(names, Sum, Avg)
		}
		for _, n := range names {
			specs = append(specs, randCall{n, col, false, -1}, randCall{n, col, false, 4})
			if n != FirstValue && n != LastValue {
				specs = append(specs, randCall{n, col, true, -1}, randCall{n, col, true, 4})
			}
		}
	}
	for round := range 30 {
		seed := uint64(round)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			var calls []Call
			for _, s := range specs {
				var args []int
				if s.col >= 0 {
					args = []int{s.col}
				}
				calls = append(calls, mustCall(t, s.name, s.distinct, args, in, s.filter, false))
			}
			a, err := New(calls, in)
			if err != nil {
				t.Fatal(err)
			}
			acc := a.NewAccumulators()
			var live [][]chunk.Datum
			// ordered models FIRST/LAST with retraction per column: the non-NULL values in
			// arrival order, a retraction taking back the earliest equal value.
			ordered := make([][]chunk.Datum, 4)
			orderedF := make([][]chunk.Datum, 4) // the same over rows passing the FILTER
			for step := range 300 {
				c := chunk.New(in, 1)
				retract := len(live) > 0 && rng.IntN(3) == 0
				if retract {
					i := rng.IntN(len(live))
					c.AppendRow(chunk.Delete, live[i])
					for col := range 4 {
						takeBack(&ordered[col], in[col], live[i][col])
						if passesDatum(live[i][4]) {
							takeBack(&orderedF[col], in[col], live[i][col])
						}
					}
					live = slices.Delete(live, i, i+1)
				} else {
					r := randRow(rng)
					c.AppendRow(chunk.Insert, r)
					for col := range 4 {
						if !r[col].Null {
							ordered[col] = append(ordered[col], r[col])
							if passesDatum(r[4]) {
								orderedF[col] = append(orderedF[col], r[col])
							}
						}
					}
					live = append(live, r)
				}
				if err := a.Add(acc, c, 0, retract); err != nil {
					t.Fatal(err)
				}
				if acc.Rows != int64(len(live)) {
					t.Fatalf("step %d: Rows = %d, want %d", step, acc.Rows, len(live))
				}
				got := formatResults(a, acc)
				want := expectResults(in, specs, a.ResultTypes(), live, ordered, orderedF)
				if got != want {
					t.Fatalf("step %d (retract=%v):\n got %s\nwant %s", step, retract, got, want)
				}
			}

			// Merge: the live rows, in arrival order, split into two accumulators.
			left, right := a.NewAccumulators(), a.NewAccumulators()
			split := rng.IntN(len(live) + 1)
			c := chunk.New(in, len(live))
			for _, r := range live {
				c.AppendRow(chunk.Insert, r)
			}
			for i := range live {
				dst := left
				if i >= split {
					dst = right
				}
				if err := a.Add(dst, c, i, false); err != nil {
					t.Fatal(err)
				}
			}
			rightBefore := formatResults(a, right)
			if err := a.Merge(left, right); err != nil {
				t.Fatal(err)
			}
			// Merge only reads its source: sliced windows merge one slice into several windows.
			if got := formatResults(a, right); got != rightBefore {
				t.Fatalf("Merge changed its source:\n got %s\nwant %s", got, rightBefore)
			}
			again := a.NewAccumulators()
			if err := a.Merge(again, right); err != nil {
				t.Fatal(err)
			}
			if got := formatResults(a, again); got != rightBefore {
				t.Fatalf("merging a source a second time into an empty accumulator:\n got %s\nwant %s", got, rightBefore)
			}
			for col := range 4 {
				ordered[col], orderedF[col] = nil, nil
				for _, r := range live {
					if !r[col].Null {
						ordered[col] = append(ordered[col], r[col])
						if passesDatum(r[4]) {
							orderedF[col] = append(orderedF[col], r[col])
						}
					}
				}
			}
			got := formatResults(a, left)
			want := expectResults(in, specs, a.ResultTypes(), live, ordered, orderedF)
			if got != want {
				t.Fatalf("merged (split %d of %d):\n got %s\nwant %s", split, len(live), got, want)
			}
			if left.Rows != int64(len(live)) {
				t.Fatalf("merged Rows = %d, want %d", left.Rows, len(live))
			}
		})
	}
}

// randRow returns a row of few distinct values (so that duplicates and ties are common), each
// NULL one time in six.
func randRow(rng *rand.Rand) []chunk.Datum {
	r := []chunk.Datum{
		chunk.Int(int64(rng.IntN(7) - 3)),
		chunk.Float(float64(rng.IntN(9)-4) * 0.25),
		chunk.Dec(types.DecimalFromInt64(int64(rng.IntN(9)-4) * 125)),
		chunk.Str([]string{"", "a", "ab", "b", "zz"}[rng.IntN(5)]),
		chunk.Bool(rng.IntN(2) == 0),
	}
	for i := range r {
		if rng.IntN(6) == 0 {
			r[i] = chunk.NullDatum
		}
	}
	return r
}

func passesDatum(f chunk.Datum) bool { return !f.Null && f.I != 0 }

// takeBack removes the earliest value of vs equal to d.
func takeBack(vs *[]chunk.Datum, t types.Type, d chunk.Datum) {
	if d.Null {
		return
	}
	for i, v := range *vs {
		if compare(t, v, d) == 0 {
			*vs = slices.Delete(*vs, i, i+1)
			return
		}
	}
}

// expectResults computes the calls' results over the live rows by brute force.
func expectResults(in []types.Type, specs []randCall, rts []types.Type, live [][]chunk.Datum, ordered, orderedF [][]chunk.Datum) string {
	var parts []string
	for i, s := range specs {
		var vals []chunk.Datum
		for _, r := range live {
			if s.filter >= 0 && !passesDatum(r[s.filter]) {
				continue
			}
			if s.col < 0 {
				vals = append(vals, chunk.Int(1))
				continue
			}
			d := r[s.col]
			if d.Null || (s.distinct && slices.ContainsFunc(vals, func(v chunk.Datum) bool { return compare(in[s.col], v, d) == 0 })) {
				continue
			}
			vals = append(vals, d)
		}
		d := chunk.NullDatum
		switch {
		case s.name == Count:
			d = chunk.Int(int64(len(vals)))
		case s.name == FirstValue || s.name == LastValue:
			ord := ordered[s.col]
			if s.filter >= 0 {
				ord = orderedF[s.col]
			}
			if len(ord) > 0 && s.name == FirstValue {
				d = ord[0]
			} else if len(ord) > 0 {
				d = ord[len(ord)-1]
			}
		case len(vals) == 0:
		case s.name == Min || s.name == Max:
			d = vals[0]
			for _, v := range vals[1:] {
				if c := compare(in[s.col], v, d); (s.name == Min && c < 0) || (s.name == Max && c > 0) {
					d = v
				}
			}
		default: // SUM, AVG
			var sum chunk.Datum
			for _, v := range vals {
				sum.I += v.I
				sum.F += v.F
				sum.D, _ = sum.D.Add(v.D)
			}
			n := int64(len(vals))
			switch {
			case s.name == Sum:
				d = sum
			case in[s.col].Kind == types.Decimal:
				q, _ := types.DecimalDiv(sum.D, in[s.col].Scale, types.DecimalFromInt64(n), 0, rts[i].Scale)
				d = chunk.Dec(q)
			default:
				d = chunk.Datum{I: sum.I / n, F: sum.F / float64(n)}
			}
		}
		parts = append(parts, chunk.FormatDatum(rts[i], d))
	}
	return strings.Join(parts, ", ")
}
