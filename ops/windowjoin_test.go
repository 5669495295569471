package ops_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// TestWindowJoinDataDriven runs testdata/windowjoin_*; the directives are described at
// TestIntervalJoinDataDriven.
func TestWindowJoinDataDriven(t *testing.T) {
	ijRunFiles(t, "windowjoin_*")
}

func wjParseWindowJoin(d *datadriven.TestData) (ops.WindowJoinSpec, error) {
	var s ops.WindowJoinSpec
	var err error
	if s.Type, s.LeftTypes, s.RightTypes, s.LeftKeys, s.RightKeys, s.Residual, err = ijParseCommon(d); err != nil {
		return s, err
	}
	lw, err := argCols(d, "lwin")
	if err != nil {
		return s, err
	}
	rw, err := argCols(d, "rwin")
	if err != nil {
		return s, err
	}
	if len(lw) != 2 || len(rw) != 2 {
		return s, fmt.Errorf("want lwin=(start, end) and rwin=(start, end)")
	}
	s.LeftWindowStart, s.LeftWindowEnd, s.RightWindowStart, s.RightWindowEnd = lw[0], lw[1], rw[0], rw[1]
	s.ShiftTimeZone = d.HasArg("tz")
	return s, nil
}

// TestWindowJoinRandom joins random insert-only rows of both sides (random keys with NULLs,
// random TUMBLE or HOP windows, arrival shuffled within a bound, with and without a residual,
// all join types) in random chunks while advancing the watermark as far as no later row is
// late, and compares the output after finish with a nested-loop join on key and window. After
// finish the state must be empty and no timer pending.
func TestWindowJoinRandom(t *testing.T) {
	seed := *intervalJoinSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	for round := range 40 {
		s := seed + uint64(round)
		if !t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) { wjRandomRound(t, s) }) {
			t.Fatalf("failed with seed %d (rerun with -intervaljoin.seed=%d)", s, s)
		}
	}
}

func wjRandomRound(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const ms = int64(1000)
	base := int64(1586937600_000000) // 2020-04-15 08:00:00
	ts := types.TimestampType(3).WithNotNull(true)
	// (k, v, window_start, window_end)
	in := []types.Type{types.BigIntType, types.BigIntType, ts, ts}
	jt := ops.JoinType(rng.IntN(4))
	residual := rng.IntN(2) == 0
	slide := (1 + rng.Int64N(10)) * ms
	size := slide * (1 + rng.Int64N(3)) // TUMBLE when equal to the slide, else HOP
	spec := ops.WindowJoinSpec{Type: jt, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
		LeftWindowStart: 2, LeftWindowEnd: 3, RightWindowStart: 2, RightWindowEnd: 3}
	if residual {
		spec.Residual = ijNotEqual(t, 1, 5, types.BigIntType)
	}
	op, err := ops.NewWindowJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in, in)
	desc := fmt.Sprintf("%s size=%dms slide=%dms residual=%v", jt, size/ms, slide/ms, residual)

	// Each drawn row time gives one row per window containing it, as a window TVF does.
	var evs []ijEvent
	keys := int64(1 + rng.IntN(5))
	span := int64(10 + rng.IntN(100))
	for range 20 + rng.IntN(150) {
		input := rng.IntN(2)
		r := ijRow{k: ijRandDatum(rng, keys), v: ijRandDatum(rng, 3), t: base + rng.Int64N(span)*ms}
		for start := r.t - (r.t-base)%slide; start > r.t-size; start -= slide {
			w := r
			w.start, w.end = start, start+size
			evs = append(evs, ijEvent{input: input, row: w})
		}
	}
	fire := func(e ijEvent) int64 { return e.row.end - ms }
	minFire := ijShuffleEvents(rng, evs, fire, rng.IntN(10))

	var sides [2][]ijRow
	c := chunk.New(in, 8)
	cur := 0
	flush := func() {
		if c.Len() == 0 {
			return
		}
		if err := h.ProcessChunk(cur, c); err != nil {
			t.Fatalf("%s: %v", desc, err)
		}
		c = chunk.New(in, 8)
	}
	for i, e := range evs {
		if e.input != cur || rng.IntN(4) == 0 {
			flush()
			cur = e.input
		}
		if c.Len() == 0 && rng.IntN(3) == 0 {
			// No later row's window has fired: they all fire after minFire[i] - 1.
			if err := h.Watermark(minFire[i] - 1 - rng.Int64N(3)*ms); err != nil {
				t.Fatalf("%s: %v", desc, err)
			}
		}
		r := e.row
		c.AppendRow(chunk.Insert, []chunk.Datum{r.k, r.v, chunk.Int(r.start), chunk.Int(r.end)})
		sides[e.input] = append(sides[e.input], r)
	}
	flush()
	if err := h.Finish(); err != nil {
		t.Fatalf("%s: %v", desc, err)
	}
	got := slices.Clone(h.Output())
	slices.Sort(got)
	match := func(l, r ijRow) bool { return l.start == r.start && l.end == r.end }
	format := func(l, r *ijRow) string {
		cols := make([]string, 0, 8)
		for _, x := range []*ijRow{l, r} {
			if x == nil {
				cols = append(cols, "null", "null", "null", "null")
				continue
			}
			cols = append(cols, ijFmtDatum(x.k), ijFmtDatum(x.v), chunk.FormatDatum(ts, chunk.Int(x.start)), chunk.FormatDatum(ts, chunk.Int(x.end)))
		}
		return "+I[" + strings.Join(cols, ", ") + "]"
	}
	want := ijModelJoin(jt, sides[0], sides[1], residual, match, format)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: output differs from the nested-loop join\n got: %s\nwant: %s", desc,
			strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	if n := h.Metrics().LateDropped.Load(); n != 0 {
		t.Fatalf("%s: %d rows dropped as late", desc, n)
	}
	if e := h.State().(state.Sizer).Entries(); e != 0 {
		t.Fatalf("%s: %d state entries left after finish", desc, e)
	}
	if ev, proc := h.PendingTimers(); ev+proc != 0 {
		t.Fatalf("%s: %d event-time and %d processing-time timers left after finish", desc, ev, proc)
	}
}

// TestWindowJoinCleanup checks that a window's state is dropped when it fires, and that
// nothing is left once the watermark passes every window.
func TestWindowJoinCleanup(t *testing.T) {
	ts := types.TimestampType(3)
	in := []types.Type{types.BigIntType, ts, ts}
	spec := ops.WindowJoinSpec{Type: ops.FullJoin, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
		LeftWindowStart: 1, LeftWindowEnd: 2, RightWindowStart: 1, RightWindowEnd: 2}
	op, err := ops.NewWindowJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in, in)
	base := int64(1586937600_000000)
	const size = 10_000_000 // 10 s windows
	c := chunk.New(in, 100)
	for k := range int64(100) {
		start := base + k%4*size
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(k), chunk.Int(start), chunk.Int(start + size)})
	}
	for input := range 2 {
		if err := h.ProcessChunk(input, c); err != nil {
			t.Fatal(err)
		}
	}
	entries := func() int64 { return h.State().(state.Sizer).Entries() }
	if e := entries(); e != 200 {
		t.Fatalf("%d entries, want 200 (one bucket per key, window and side)", e)
	}
	if ev, _ := h.PendingTimers(); ev != 100 {
		t.Fatalf("%d event-time timers, want 100 (one per key and window)", ev)
	}
	if err := h.Watermark(base + 2*size - 1000); err != nil { // the first two windows fire
		t.Fatal(err)
	}
	if e := entries(); e != 100 {
		t.Fatalf("%d entries, want 100 after two of four windows fired", e)
	}
	if err := h.Watermark(base + 4*size); err != nil {
		t.Fatal(err)
	}
	if e := entries(); e != 0 {
		t.Fatalf("%d entries left after the watermark passed every window", e)
	}
	if ev, proc := h.PendingTimers(); ev+proc != 0 {
		t.Fatalf("%d event-time and %d processing-time timers left", ev, proc)
	}
	if n := len(h.Output()); n != 100 {
		t.Fatalf("%d rows emitted, want 100 pairs", n)
	}
}

// TestWindowJoinLargeWindow joins a window whose cross product exceeds the batches in which
// pairs are evaluated against the residual and emitted: 100 × 100 rows under one key, left
// values 30..129 and right values 0..99, FULL JOIN on left.v < right.v (with unmatched rows
// on both sides).
func TestWindowJoinLargeWindow(t *testing.T) {
	ts := types.TimestampType(3)
	in := []types.Type{types.BigIntType, types.BigIntType, ts, ts}
	spec := ops.WindowJoinSpec{Type: ops.FullJoin, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
		LeftWindowStart: 2, LeftWindowEnd: 3, RightWindowStart: 2, RightWindowEnd: 3, Residual: ijLess(t, 1, 5)}
	op, err := ops.NewWindowJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in, in)
	start := int64(1586937600_000000)
	end := start + 10_000_000
	var sides [2][]ijRow
	for input := range 2 {
		c := chunk.New(in, 100)
		for v := range int64(100) {
			if input == 0 {
				v += 30
			}
			r := ijRow{k: chunk.Int(1), v: chunk.Int(v), start: start, end: end}
			c.AppendRow(chunk.Insert, []chunk.Datum{r.k, r.v, chunk.Int(start), chunk.Int(end)})
			sides[input] = append(sides[input], r)
		}
		if err := h.ProcessChunk(input, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Finish(); err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(h.Output())
	slices.Sort(got)
	format := func(l, r *ijRow) string {
		cols := make([]string, 0, 8)
		for _, x := range []*ijRow{l, r} {
			if x == nil {
				cols = append(cols, "null", "null", "null", "null")
				continue
			}
			cols = append(cols, ijFmtDatum(x.k), ijFmtDatum(x.v), chunk.FormatDatum(ts, chunk.Int(x.start)), chunk.FormatDatum(ts, chunk.Int(x.end)))
		}
		return "+I[" + strings.Join(cols, ", ") + "]"
	}
	want := ijModelJoin(ops.FullJoin, sides[0], sides[1], false, func(l, r ijRow) bool { return l.v.I < r.v.I }, format)
	if !slices.Equal(got, want) {
		t.Fatalf("output differs from the nested-loop join (%d rows, want %d)", len(got), len(want))
	}
	if n := len(h.Chunks()); n < 2 {
		t.Fatalf("%d output chunks, want the output split at the flush size", n)
	}
}

// ijLess returns $a < $b over BIGINT columns.
func ijLess(tb testing.TB, a, b int) expr.Expr {
	e, err := expr.NewCall("<", []expr.Expr{&expr.ColumnRef{Index: a, T: types.BigIntType}, &expr.ColumnRef{Index: b, T: types.BigIntType}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
