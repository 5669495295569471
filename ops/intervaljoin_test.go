package ops_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// The data-driven tests in testdata/intervaljoin_* and testdata/windowjoin_* configure a join
// with one of these directives and then feed it with exectest's directives (input 0 is the
// left side, input 1 the right):
//
//	intervaljoin type=inner|left|right|full left=(types) right=(types) [lkeys=(cols)]
//	             [rkeys=(cols)] ltime=col rtime=col | proctime  lower=duration upper=duration
//	             [residual=(cond, ...)]
//	windowjoin   type=... left=(types) right=(types) [lkeys=(cols)] [rkeys=(cols)]
//	             lwin=(start, end) rwin=(start, end) [residual=(cond, ...)] [tz=zone]
//	state        print the state entries and the pending event and processing-time timers
//
// A residual condition is "a op b" with op one of = <> < <= > >= and each operand either $n,
// column n of the output row (left columns, then right columns), or an integer; several
// conditions are ANDed. Durations are Go durations ("-5s", "1h30m", "0s").
func TestIntervalJoinDataDriven(t *testing.T) {
	ijRunFiles(t, "intervaljoin_*")
}

func ijRunFiles(t *testing.T, pattern string) {
	exectest.RunFiles(t, pattern, exectest.Driver{Build: ijBuildJoin, Extra: ijStateDirective})
}

func ijBuildJoin(d *datadriven.TestData) (exec.Operator, [][]types.Type, exectest.Config, error) {
	var cfg exectest.Config
	switch d.Cmd {
	case "intervaljoin":
		spec, err := ijParseIntervalJoin(d)
		if err != nil {
			return nil, nil, cfg, err
		}
		op, err := ops.NewIntervalJoin(spec)()
		return op, [][]types.Type{spec.LeftTypes, spec.RightTypes}, cfg, err
	case "windowjoin":
		spec, err := wjParseWindowJoin(d)
		if err != nil {
			return nil, nil, cfg, err
		}
		if a, ok := d.Arg("tz"); ok {
			if cfg.Location, err = time.LoadLocation(a.Vals[0]); err != nil {
				return nil, nil, cfg, err
			}
		}
		op, err := ops.NewWindowJoin(spec)()
		return op, [][]types.Type{spec.LeftTypes, spec.RightTypes}, cfg, err
	}
	return nil, nil, cfg, nil
}

func ijStateDirective(h *exectest.Harness, d *datadriven.TestData) (string, bool) {
	if d.Cmd != "state" {
		return "", false
	}
	ev, proc := h.PendingTimers()
	return fmt.Sprintf("entries=%d event-timers=%d processing-timers=%d\n", h.State().(state.Sizer).Entries(), ev, proc), true
}

func ijArgTypes(d *datadriven.TestData, key string) ([]types.Type, error) {
	a, ok := d.Arg(key)
	if !ok {
		return nil, fmt.Errorf("missing %s=(types)", key)
	}
	var ts []types.Type
	for _, v := range a.Vals {
		t, err := exectest.ParseType(v)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func ijArgInt(d *datadriven.TestData, key string) (int, error) {
	vs := argVals(d, key)
	if len(vs) != 1 {
		return 0, fmt.Errorf("missing %s=N", key)
	}
	return strconv.Atoi(vs[0])
}

func ijArgDuration(d *datadriven.TestData, key string) (int64, error) {
	vs := argVals(d, key)
	if len(vs) != 1 {
		return 0, fmt.Errorf("missing %s=duration", key)
	}
	dur, err := time.ParseDuration(vs[0])
	if err != nil {
		return 0, err
	}
	return dur.Microseconds(), nil
}

func ijParseJoinType(d *datadriven.TestData) (ops.JoinType, error) {
	vs := argVals(d, "type")
	if len(vs) != 1 {
		return 0, fmt.Errorf("missing type=inner|left|right|full")
	}
	switch vs[0] {
	case "inner":
		return ops.InnerJoin, nil
	case "left":
		return ops.LeftJoin, nil
	case "right":
		return ops.RightJoin, nil
	case "full":
		return ops.FullJoin, nil
	}
	return 0, fmt.Errorf("unknown join type %q", vs[0])
}

// ijParseResidual parses the residual=(cond, ...) argument over the output row's columns.
func ijParseResidual(d *datadriven.TestData, out []types.Type) (expr.Expr, error) {
	var res expr.Expr
	for _, cond := range argVals(d, "residual") {
		f := strings.Fields(cond)
		if len(f) != 3 {
			return nil, fmt.Errorf("invalid condition %q (want a op b)", cond)
		}
		var args []expr.Expr
		for _, s := range []string{f[0], f[2]} {
			if n, ok := strings.CutPrefix(s, "$"); ok {
				i, err := strconv.Atoi(n)
				if err != nil || i < 0 || i >= len(out) {
					return nil, fmt.Errorf("invalid column %q in %q", s, cond)
				}
				args = append(args, &expr.ColumnRef{Index: i, T: out[i], Name: s})
				continue
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("invalid operand %q in %q", s, cond)
			}
			args = append(args, expr.IntLiteral(v))
		}
		c, err := expr.NewCall(f[1], args)
		if err != nil {
			return nil, err
		}
		if res == nil {
			res = c
		} else if res, err = expr.NewCall("AND", []expr.Expr{res, c}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// ijParseCommon parses what both join directives have: type, sides, keys and residual.
func ijParseCommon(d *datadriven.TestData) (jt ops.JoinType, left, right []types.Type, lkeys, rkeys []int, res expr.Expr, err error) {
	if jt, err = ijParseJoinType(d); err != nil {
		return
	}
	if left, err = ijArgTypes(d, "left"); err != nil {
		return
	}
	if right, err = ijArgTypes(d, "right"); err != nil {
		return
	}
	if lkeys, err = argCols(d, "lkeys"); err != nil {
		return
	}
	if rkeys, err = argCols(d, "rkeys"); err != nil {
		return
	}
	res, err = ijParseResidual(d, append(slices.Clone(left), right...))
	return
}

func ijParseIntervalJoin(d *datadriven.TestData) (ops.IntervalJoinSpec, error) {
	var s ops.IntervalJoinSpec
	var err error
	if s.Type, s.LeftTypes, s.RightTypes, s.LeftKeys, s.RightKeys, s.Residual, err = ijParseCommon(d); err != nil {
		return s, err
	}
	s.ProcTime = d.HasArg("proctime")
	if !s.ProcTime {
		if s.LeftTimeCol, err = ijArgInt(d, "ltime"); err != nil {
			return s, err
		}
		if s.RightTimeCol, err = ijArgInt(d, "rtime"); err != nil {
			return s, err
		}
	}
	if s.Lower, err = ijArgDuration(d, "lower"); err != nil {
		return s, err
	}
	s.Upper, err = ijArgDuration(d, "upper")
	return s, err
}

// ---- randomized test against a nested-loop model ----

var intervalJoinSeed = flag.Uint64("intervaljoin.seed", 0, "seed of TestIntervalJoinRandom and TestWindowJoinRandom (0: time-based)")

// ijRow is one input row of the randomized tests: (k BIGINT, t TIMESTAMP(3), v BIGINT) for
// the interval join; the window join adds its window.
type ijRow struct {
	k, v       chunk.Datum
	t          int64 // the join time: the event time, or the arrival time with processing time
	tcol       int64 // the time column
	start, end int64 // the window join's window
}

// ijModelJoin is the reference: a nested loop over all rows with outer padding. match says
// whether two rows with equal non-NULL keys join (before the residual l.v <> r.v when
// residual is set); format renders an output row.
func ijModelJoin(jt ops.JoinType, left, right []ijRow, residual bool, match func(l, r ijRow) bool, format func(l, r *ijRow) string) []string {
	var out []string
	rmatched := make([]bool, len(right))
	for _, l := range left {
		lm := false
		for ri, r := range right {
			if l.k.Null || r.k.Null || l.k.I != r.k.I || !match(l, r) {
				continue
			}
			if residual && (l.v.Null || r.v.Null || l.v.I == r.v.I) {
				continue
			}
			out = append(out, format(&l, &r))
			lm, rmatched[ri] = true, true
		}
		if !lm && jt.LeftOuter() {
			out = append(out, format(&l, nil))
		}
	}
	if jt.RightOuter() {
		for ri := range right {
			if !rmatched[ri] {
				out = append(out, format(nil, &right[ri]))
			}
		}
	}
	slices.Sort(out)
	return out
}

func ijRandDatum(rng *rand.Rand, n int64) chunk.Datum {
	if rng.IntN(8) == 0 {
		return chunk.NullDatum
	}
	return chunk.Int(rng.Int64N(n))
}

// ijEvent is one row arriving on one side.
type ijEvent struct {
	input int
	row   ijRow
}

// ijShuffleEvents orders events by time (as given by at), then moves each by up to disorder
// positions, and returns for every position the minimum time over it and what follows: the
// watermark may be advanced to just below it before that event.
func ijShuffleEvents(rng *rand.Rand, evs []ijEvent, at func(ijEvent) int64, disorder int) []int64 {
	slices.SortStableFunc(evs, func(a, b ijEvent) int { return int(at(a) - at(b)) })
	for i := range evs {
		if j := i + rng.IntN(disorder+1); j < len(evs) {
			evs[i], evs[j] = evs[j], evs[i]
		}
	}
	minFrom := make([]int64, len(evs)+1)
	minFrom[len(evs)] = exec.MaxWatermark
	for i := len(evs) - 1; i >= 0; i-- {
		minFrom[i] = min(at(evs[i]), minFrom[i+1])
	}
	return minFrom
}

// TestIntervalJoinRandom joins random insert-only rows of both sides (random keys with NULLs,
// times shuffled within a bound, random bounds, with and without a residual, all join types)
// in random chunks while advancing the watermark as far as no later row is late, and compares
// the output after finish with a nested-loop join. In processing-time mode rows take the
// clock's time at arrival. After finish the state must be empty and no timer pending.
func TestIntervalJoinRandom(t *testing.T) {
	seed := *intervalJoinSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	for round := range 40 {
		s := seed + uint64(round)
		if !t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) { ijRandomRound(t, s) }) {
			t.Fatalf("failed with seed %d (rerun with -intervaljoin.seed=%d)", s, s)
		}
	}
}

func ijRandomRound(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const ms = int64(1000)
	base := int64(1586937600_000000) // 2020-04-15 08:00:00
	in := []types.Type{types.BigIntType, types.TimestampType(3), types.BigIntType}
	jt := ops.JoinType(rng.IntN(4))
	procTime := rng.IntN(4) == 0
	residual := rng.IntN(2) == 0
	lower := (rng.Int64N(41) - 20) * ms
	upper := lower + rng.Int64N(31)*ms
	spec := ops.IntervalJoinSpec{Type: jt, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
		LeftTimeCol: 1, RightTimeCol: 1, Lower: lower, Upper: upper, ProcTime: procTime}
	if residual {
		spec.Residual = ijNotEqual(t, 2, 5, types.BigIntType)
	}
	op, err := ops.NewIntervalJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h, err := exectest.Open(t, op, exectest.Config{ProcessingTime: base}, in, in)
	if err != nil {
		t.Fatal(err)
	}
	desc := fmt.Sprintf("%s lower=%dms upper=%dms proctime=%v residual=%v", jt, lower/ms, upper/ms, procTime, residual)

	n := 20 + rng.IntN(200)
	keys := int64(1 + rng.IntN(5))
	span := int64(10 + rng.IntN(200))
	evs := make([]ijEvent, n)
	for i := range evs {
		evs[i] = ijEvent{input: rng.IntN(2), row: ijRow{k: ijRandDatum(rng, keys), v: ijRandDatum(rng, 3),
			t: base + rng.Int64N(span)*ms}}
	}
	minFrom := ijShuffleEvents(rng, evs, func(e ijEvent) int64 { return e.row.t }, rng.IntN(10))

	// Every row emitted must be on time for the output watermark, which is the input
	// watermark before the emission minus MaxOutputDelay: both of its time columns (when not
	// NULL) must be above it.
	delay, seen := spec.MaxOutputDelay(), 0
	checkDelay := func(wm int64) {
		chunks := h.Chunks()[seen:]
		seen += len(chunks)
		if procTime || wm == exec.MinWatermark {
			return
		}
		for _, oc := range chunks {
			for i := 0; i < oc.Len(); i++ {
				for _, col := range []int{1, 4} {
					if v := oc.Cols[col]; !v.IsNull(i) && v.I64[i] <= wm-delay {
						t.Fatalf("%s: %s emitted behind the output watermark %s (input watermark minus %dms)", desc,
							oc.FormatRow(i), chunk.FormatDatum(in[1], chunk.Int(wm-delay)), delay/ms)
					}
				}
			}
		}
	}

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
		checkDelay(h.CurrentWatermark())
		c = chunk.New(in, 8)
	}
	for i, e := range evs {
		if e.input != cur || rng.IntN(4) == 0 {
			flush()
			cur = e.input
		}
		if c.Len() == 0 {
			if procTime {
				// The clock moves only between chunks: the rows of a chunk arrive together.
				if err := h.AdvanceProcessingTime(h.ProcessingTime() + rng.Int64N(3)*ms); err != nil {
					t.Fatalf("%s: %v", desc, err)
				}
			} else if rng.IntN(3) == 0 {
				wm := h.CurrentWatermark()
				if err := h.Watermark(minFrom[i] - 1 - rng.Int64N(3)*ms); err != nil {
					t.Fatalf("%s: %v", desc, err)
				}
				checkDelay(wm)
			}
		}
		r := e.row
		r.tcol = r.t
		if procTime {
			r.t = h.ProcessingTime()
		}
		c.AppendRow(chunk.Insert, []chunk.Datum{e.row.k, chunk.Int(e.row.t), e.row.v})
		sides[e.input] = append(sides[e.input], r)
	}
	flush()
	wm := h.CurrentWatermark()
	if err := h.Finish(); err != nil {
		t.Fatalf("%s: %v", desc, err)
	}
	checkDelay(wm)
	got := slices.Clone(h.Output())
	slices.Sort(got)

	match := func(l, r ijRow) bool { return r.t+lower <= l.t && l.t <= r.t+upper }
	format := func(l, r *ijRow) string {
		cols := make([]string, 0, 6)
		for _, x := range []*ijRow{l, r} {
			if x == nil {
				cols = append(cols, "null", "null", "null")
				continue
			}
			cols = append(cols, ijFmtDatum(x.k), chunk.FormatDatum(types.TimestampType(3), chunk.Int(x.tcol)), ijFmtDatum(x.v))
		}
		return "+I[" + strings.Join(cols, ", ") + "]"
	}
	want := ijModelJoin(jt, sides[0], sides[1], residual, match, format)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: output differs from the nested-loop join\n got: %s\nwant: %s", desc,
			strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	if e := h.State().(state.Sizer).Entries(); e != 0 {
		t.Fatalf("%s: %d state entries left after finish", desc, e)
	}
	if ev, proc := h.PendingTimers(); ev+proc != 0 {
		t.Fatalf("%s: %d event-time and %d processing-time timers left after finish", desc, ev, proc)
	}
}

// ijFmtDatum renders a BIGINT datum as the print form does.
func ijFmtDatum(d chunk.Datum) string {
	if d.Null {
		return "null"
	}
	return strconv.FormatInt(d.I, 10)
}

// ijNotEqual returns $a <> $b over BIGINT columns of type t.
func ijNotEqual(tb testing.TB, a, b int, t types.Type) expr.Expr {
	e, err := expr.NewCall("<>", []expr.Expr{&expr.ColumnRef{Index: a, T: t}, &expr.ColumnRef{Index: b, T: t}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestIntervalJoinMaxOutputDelay(t *testing.T) {
	for _, c := range []struct {
		lower, upper, want int64
		proc               bool
	}{
		{-5, 5, 5, false}, {-10, 2, 10, false}, {-2, 10, 10, false}, {0, 0, 0, false},
		{2, 5, 5, false}, {-5, -2, 5, false}, {-10, 2, 0, true},
	} {
		s := ops.IntervalJoinSpec{Lower: c.lower, Upper: c.upper, ProcTime: c.proc}
		if got := s.MaxOutputDelay(); got != c.want {
			t.Errorf("MaxOutputDelay(lower=%d, upper=%d, proctime=%v) = %d, want %d", c.lower, c.upper, c.proc, got, c.want)
		}
	}
}

// TestIntervalJoinCleanup checks that buffered rows are dropped exactly when the watermark
// passes their expiration, and that nothing is left once it passes everything.
func TestIntervalJoinCleanup(t *testing.T) {
	in := []types.Type{types.BigIntType, types.TimestampType(3)}
	spec := ops.IntervalJoinSpec{Type: ops.FullJoin, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
		LeftTimeCol: 1, RightTimeCol: 1, Lower: -2_000_000, Upper: 3_000_000}
	op, err := ops.NewIntervalJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in, in)
	base := int64(1586937600_000000)
	c := chunk.New(in, 100)
	for k := range int64(100) {
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(k), chunk.Int(base + k*1000)})
	}
	if err := h.ProcessChunk(0, c); err != nil {
		t.Fatal(err)
	}
	if err := h.ProcessChunk(1, c); err != nil {
		t.Fatal(err)
	}
	entries := func() int64 { return h.State().(state.Sizer).Entries() }
	if e := entries(); e != 200 {
		t.Fatalf("%d entries after 200 rows, want 200", e)
	}
	// Left rows l expire at l - Lower = l + 2s, right rows r at r + Upper = r + 3s.
	if err := h.Watermark(base + 2_000_000 + 49_000); err != nil {
		t.Fatal(err)
	}
	if e := entries(); e != 150 {
		t.Fatalf("%d entries, want 150 (50 left rows expired)", e)
	}
	if err := h.Watermark(base + 3_000_000 + 9_000); err != nil {
		t.Fatal(err)
	}
	if e := entries(); e != 90 {
		t.Fatalf("%d entries, want 90 (all left rows and 10 right rows expired)", e)
	}
	if err := h.Watermark(base + 3_000_000 + 99_000); err != nil {
		t.Fatal(err)
	}
	if e := entries(); e != 0 {
		t.Fatalf("%d entries left after the watermark passed everything", e)
	}
	if ev, proc := h.PendingTimers(); ev+proc != 0 {
		t.Fatalf("%d event-time and %d processing-time timers left", ev, proc)
	}
	if n := len(h.Output()); n != 100 {
		t.Fatalf("%d rows emitted, want 100 pairs", n)
	}
}

// BenchmarkIntervalJoin joins 1M rows, half on each side, over 1000 keys with bounds of ±1 s.
// Each side has one row per millisecond (keys cycling, so a key recurs every second) and the
// right side runs 500 ms behind the left: every row meets about two rows of the other side.
// Chunks of 1024 rows alternate between the sides and the watermark follows the input.
func BenchmarkIntervalJoin(b *testing.B) {
	const rows, keys, chunkSize = 1_000_000, 1000, 1024
	in := []types.Type{types.BigIntType, types.TimestampType(3), types.BigIntType}
	base := int64(1586937600_000000)
	var cs [2][]*chunk.Chunk
	for side, offset := range []int64{0, -500_000} {
		for start := 0; start < rows/2; start += chunkSize {
			c := chunk.New(in, chunkSize)
			for n := start; n < min(start+chunkSize, rows/2); n++ {
				c.Kinds = append(c.Kinds, chunk.Insert)
				c.Cols[0].I64 = append(c.Cols[0].I64, int64(n*7919%keys))
				c.Cols[1].I64 = append(c.Cols[1].I64, base+offset+int64(n)*1000)
				c.Cols[2].I64 = append(c.Cols[2].I64, int64(n))
			}
			cs[side] = append(cs[side], c)
		}
	}
	for _, jt := range []ops.JoinType{ops.InnerJoin, ops.FullJoin} {
		b.Run(jt.String(), func(b *testing.B) {
			spec := ops.IntervalJoinSpec{Type: jt, LeftTypes: in, RightTypes: in, LeftKeys: []int{0}, RightKeys: []int{0},
				LeftTimeCol: 1, RightTimeCol: 1, Lower: -1_000_000, Upper: 1_000_000}
			b.ReportAllocs()
			var out int64
			for b.Loop() {
				op, err := ops.NewIntervalJoin(spec)()
				if err != nil {
					b.Fatal(err)
				}
				h, err := exectest.Open(b, op, exectest.Config{DiscardOutput: true, PlainState: true}, in, in)
				if err != nil {
					b.Fatal(err)
				}
				for i := range cs[0] {
					for side := range cs {
						if err := h.ProcessChunk(side, cs[side][i]); err != nil {
							b.Fatal(err)
						}
					}
					// The next chunks of both sides start after this watermark.
					if err := h.Watermark(cs[1][i].Cols[1].I64[cs[1][i].Len()-1]); err != nil {
						b.Fatal(err)
					}
				}
				if err := h.Finish(); err != nil {
					b.Fatal(err)
				}
				out = h.Metrics().RecordsOut.Load()
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(out), "out-rows")
		})
	}
}
