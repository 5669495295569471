package ops_test

import (
	"flag"
	"fmt"
	"math"
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
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// The data-driven tests in testdata/rank_*, testdata/dedup_* and testdata/windowrank_*
// configure a ranking operator with one of these directives and then feed it with exectest's
// directives:
//
//	rank input=(types) order=(orders) [partition=(cols)] [func=row_number|rank|dense_rank]
//	     start=N end=N [output-rank] [insert-only] [unique=(cols)] [ttl=duration]
//	dedup input=(types) keep=first|last time=col|proctime [keys=(cols)] [output-rank]
//	      [ttl=duration]
//	windowrank input=(types) window=(start col, end col) order=(orders) [partition=(cols)]
//	           [func=...] start=N end=N [output-rank]
//	state     state entries (state.Sizer), rows buffered, and retractions ignored (Rank)
//
// An order is "col [asc|desc] [nulls first|nulls last]", with Flink's default null placement
// (first for ascending, last for descending).
func TestRankDataDriven(t *testing.T) { rkRunFiles(t, "rank_*") }

func rkRunFiles(t *testing.T, pattern string) {
	exectest.RunFiles(t, pattern, exectest.Driver{Build: rkBuild, Extra: rkExtra})
}

func rkBuild(d *datadriven.TestData) (exec.Operator, [][]types.Type, exectest.Config, error) {
	var cfg exectest.Config
	var op exec.Operator
	var in []types.Type
	var err error
	switch d.Cmd {
	case "rank":
		var spec ops.RankSpec
		if spec, err = rkParseRank(d); err == nil {
			in = spec.InputTypes
			op, err = ops.NewRank(spec)()
		}
	case "dedup":
		var spec ops.DedupSpec
		if spec, err = rkParseDedup(d); err == nil {
			in = spec.InputTypes
			op, err = ops.NewDedup(spec)()
		}
	case "windowrank":
		var spec ops.WindowRankSpec
		if spec, err = rkParseWindowRank(d); err == nil {
			in = spec.InputTypes
			op, err = ops.NewWindowRank(spec)()
		}
	default:
		return nil, nil, cfg, nil
	}
	if err != nil {
		return nil, nil, cfg, err
	}
	return op, [][]types.Type{in}, cfg, nil
}

// rkStats is what the ranking operators expose for tests.
type rkStats interface {
	BufferedRows() (int64, error)
}

func rkExtra(h *exectest.Harness, d *datadriven.TestData) (string, bool) {
	if d.Cmd != "state" {
		return "", false
	}
	out := fmt.Sprintf("entries=%d", h.State().(state.Sizer).Entries())
	if s, ok := h.Operator().(rkStats); ok {
		n, err := s.BufferedRows()
		if err != nil {
			return "error: " + err.Error() + "\n", true
		}
		out += fmt.Sprintf(" rows=%d", n)
	}
	if s, ok := h.Operator().(interface{ IgnoredRetractions() int64 }); ok {
		out += fmt.Sprintf(" ignored-retractions=%d", s.IgnoredRetractions())
	}
	return out + "\n", true
}

func rkArgInt(d *datadriven.TestData, key string) (int64, error) {
	vs := argVals(d, key)
	if len(vs) != 1 {
		return 0, fmt.Errorf("missing %s=N", key)
	}
	return strconv.ParseInt(vs[0], 10, 64)
}

func rkParseOrder(d *datadriven.TestData) ([]ops.SortKey, error) {
	var keys []ops.SortKey
	for _, v := range argVals(d, "order") {
		words := strings.Fields(strings.ToLower(v))
		col, err := strconv.Atoi(words[0])
		if err != nil {
			return nil, fmt.Errorf("order: invalid column %q", words[0])
		}
		k := ops.SortKey{Col: col}
		rest := words[1:]
		if len(rest) > 0 && (rest[0] == "asc" || rest[0] == "desc") {
			k.Desc = rest[0] == "desc"
			rest = rest[1:]
		}
		k.NullsFirst = !k.Desc
		switch strings.Join(rest, " ") {
		case "":
		case "nulls first":
			k.NullsFirst = true
		case "nulls last":
			k.NullsFirst = false
		default:
			return nil, fmt.Errorf("order: invalid %q", v)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func rkParseFunc(d *datadriven.TestData) (ops.RankFunc, error) {
	vs := argVals(d, "func")
	if len(vs) == 0 {
		return ops.RowNumber, nil
	}
	switch vs[0] {
	case "row_number":
		return ops.RowNumber, nil
	case "rank":
		return ops.Rank, nil
	case "dense_rank":
		return ops.DenseRank, nil
	}
	return 0, fmt.Errorf("unknown func %q", vs[0])
}

func rkArgTTL(d *datadriven.TestData) (time.Duration, error) {
	if vs := argVals(d, "ttl"); len(vs) > 0 {
		return time.ParseDuration(vs[0])
	}
	return 0, nil
}

func rkParseRank(d *datadriven.TestData) (ops.RankSpec, error) {
	var s ops.RankSpec
	var err error
	if s.InputTypes, err = argInputTypes(d); err != nil {
		return s, err
	}
	if s.PartitionKeys, err = argCols(d, "partition"); err != nil {
		return s, err
	}
	if s.OrderKeys, err = rkParseOrder(d); err != nil {
		return s, err
	}
	if s.Func, err = rkParseFunc(d); err != nil {
		return s, err
	}
	if s.Start, err = rkArgInt(d, "start"); err != nil {
		return s, err
	}
	if s.End, err = rkArgInt(d, "end"); err != nil {
		return s, err
	}
	if s.UniqueKey, err = argCols(d, "unique"); err != nil {
		return s, err
	}
	s.OutputRank = d.HasArg("output-rank")
	s.InsertOnlyInput = d.HasArg("insert-only")
	s.StateTTL, err = rkArgTTL(d)
	return s, err
}

func rkParseDedup(d *datadriven.TestData) (ops.DedupSpec, error) {
	var s ops.DedupSpec
	var err error
	if s.InputTypes, err = argInputTypes(d); err != nil {
		return s, err
	}
	if s.KeyCols, err = argCols(d, "keys"); err != nil {
		return s, err
	}
	switch keep := argVals(d, "keep"); {
	case slices.Equal(keep, []string{"first"}):
	case slices.Equal(keep, []string{"last"}):
		s.KeepLast = true
	default:
		return s, fmt.Errorf("want keep=first|last")
	}
	switch tv := argVals(d, "time"); {
	case slices.Equal(tv, []string{"proctime"}):
		s.TimeCol = -1
	case len(tv) == 1:
		if s.TimeCol, err = strconv.Atoi(tv[0]); err != nil {
			return s, fmt.Errorf("time: %w", err)
		}
	default:
		return s, fmt.Errorf("want time=col|proctime")
	}
	s.OutputRank = d.HasArg("output-rank")
	s.StateTTL, err = rkArgTTL(d)
	return s, err
}

func rkParseWindowRank(d *datadriven.TestData) (ops.WindowRankSpec, error) {
	var s ops.WindowRankSpec
	var err error
	if s.InputTypes, err = argInputTypes(d); err != nil {
		return s, err
	}
	if s.PartitionKeys, err = argCols(d, "partition"); err != nil {
		return s, err
	}
	win, err := argCols(d, "window")
	if err != nil || len(win) != 2 {
		return s, fmt.Errorf("want window=(start col, end col)")
	}
	s.WindowStartCol, s.WindowEndCol = win[0], win[1]
	if s.OrderKeys, err = rkParseOrder(d); err != nil {
		return s, err
	}
	if s.Func, err = rkParseFunc(d); err != nil {
		return s, err
	}
	if s.Start, err = rkArgInt(d, "start"); err != nil {
		return s, err
	}
	if s.End, err = rkArgInt(d, "end"); err != nil {
		return s, err
	}
	s.OutputRank = d.HasArg("output-rank")
	return s, nil
}

// ---- the sort-key order -------------------------------------------------------------------

// rkCompareDatums is the reference SQL order of two values of type t for one sort key.
func rkCompareDatums(t types.Type, k ops.SortKey, a, b chunk.Datum) int {
	switch {
	case a.Null && b.Null:
		return 0
	case a.Null || b.Null:
		c := 1
		if a.Null == k.NullsFirst {
			c = -1
		}
		return c
	}
	var c int
	switch t.Kind.Physical() {
	case types.PhysInt64:
		c = rkCmp(a.I, b.I)
	case types.PhysFloat64:
		// NaN above everything, -0.0 equal to 0.0.
		an, bn := a.F != a.F, b.F != b.F
		switch {
		case an && bn:
			c = 0
		case an:
			c = 1
		case bn:
			c = -1
		default:
			c = rkCmp(a.F, b.F)
		}
	case types.PhysDecimal:
		c = a.D.Cmp(b.D)
	case types.PhysString:
		c = strings.Compare(a.S, b.S)
	}
	if k.Desc {
		c = -c
	}
	return c
}

func rkCmp[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestRankSortOrder checks that the operators order rows as the reference comparison does, for
// every physical type, direction and NULL placement: a ROW_NUMBER top-N over all rows with the
// rank column numbers them in the reference order (ties by arrival).
func TestRankSortOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ints := []int64{-1 << 63, -5, -1, 0, 1, 7, 1<<63 - 1}
	floats := []float64{math.NaN(), -1e300, -1, math.Copysign(0, -1), 0, 1e-300, 2.5, 1e300, math.Inf(1), math.Inf(-1)}
	decs := []types.Decimal128{{Hi: -1, Lo: 0}, {Hi: -1, Lo: ^uint64(0)}, {}, {Lo: 1}, {Lo: 1 << 63}, {Hi: 1}}
	strs := []string{"", "\x00", "\x00\x00", "a", "a\x00", "a\x00b", "a\x01", "ab", "b", "\xff", "\xff\x00"}
	in := []types.Type{types.BigIntType, types.DoubleType, types.DecimalType(38, 2), types.StringType, types.BigIntType}
	gens := []func() chunk.Datum{
		func() chunk.Datum { return chunk.Int(ints[rng.IntN(len(ints))]) },
		func() chunk.Datum { return chunk.Float(floats[rng.IntN(len(floats))]) },
		func() chunk.Datum { return chunk.Dec(decs[rng.IntN(len(decs))]) },
		func() chunk.Datum { return chunk.Str(strs[rng.IntN(len(strs))]) },
	}
	for round := range 200 {
		// One or two sort columns of random types, directions and NULL placements.
		var keys []ops.SortKey
		for range 1 + rng.IntN(2) {
			keys = append(keys, ops.SortKey{Col: rng.IntN(4), Desc: rng.IntN(2) == 0, NullsFirst: rng.IntN(2) == 0})
		}
		n := 2 + rng.IntN(30)
		spec := ops.RankSpec{InputTypes: in, OrderKeys: keys, Func: ops.RowNumber, Start: 1, End: int64(n),
			OutputRank: true, InsertOnlyInput: true}
		op, err := ops.NewRank(spec)()
		if err != nil {
			t.Fatal(err)
		}
		h := exectest.New(t, op, in)
		c := chunk.New(in, n)
		rows := make([][]chunk.Datum, n)
		for i := range rows {
			row := make([]chunk.Datum, len(in))
			for j, g := range gens {
				row[j] = g()
				if rng.IntN(6) == 0 {
					row[j] = chunk.NullDatum
				}
			}
			row[4] = chunk.Int(int64(i)) // the arrival sequence
			rows[i] = row
			c.AppendRow(chunk.Insert, row)
		}
		if err := h.ProcessChunk(0, c); err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(rows)
		slices.SortStableFunc(want, func(a, b []chunk.Datum) int {
			for _, k := range keys {
				if c := rkCompareDatums(in[k.Col], k, a[k.Col], b[k.Col]); c != 0 {
					return c
				}
			}
			return 0
		})
		got, err := rkMaterialize(nil, h.Chunks(), nil)
		if err != nil {
			t.Fatal(err)
		}
		// The materialized rows carry their rank last: order them by it.
		var gotSeq, wantSeq []int64
		slices.SortFunc(got.rows, func(a, b rkOutRow) int { return rkCmp(a.rank, b.rank) })
		for _, r := range got.rows {
			gotSeq = append(gotSeq, r.seq)
		}
		for _, r := range want {
			wantSeq = append(wantSeq, r[4].I)
		}
		if !slices.Equal(gotSeq, wantSeq) {
			t.Fatalf("round %d, keys %+v: arrival numbers in rank order\n got: %v\nwant: %v", round, keys, gotSeq, wantSeq)
		}
	}
}

// ---- randomized test against a brute-force model ------------------------------------------

var rankSeed = flag.Uint64("rank.seed", 0, "seed of TestRankRandom (0: time-based)")

// rkOutRow is one materialized output row.
type rkOutRow struct {
	body string // the printed row without its kind
	rank int64  // the rank column when present
	seq  int64  // the value of the last input column (TestRankSortOrder's arrival number)
}

// rkTable is a materialized changelog: the multiset of rows it holds.
type rkTable struct {
	rows []rkOutRow
	// slots, for changelogs keyed by (partition, rank), maps the key to the row it holds.
	slots map[string]string
}

// rkMaterialize applies the rows of chunks to t (a new table when nil) and returns it. A
// retraction of a row the table does not hold is an error. With slotKey, rows are also applied
// by the key it returns, as an upsert consumer keyed by (partition, rank) would: a -U or -D must
// retract the row the key holds, an +I or +U must find the key empty.
func rkMaterialize(t *rkTable, chunks []*chunk.Chunk, slotKey func(c *chunk.Chunk, i int) string) (*rkTable, error) {
	if t == nil {
		t = &rkTable{slots: map[string]string{}}
	}
	for _, c := range chunks {
		last := len(c.Cols) - 1
		for i := 0; i < c.Len(); i++ {
			s := c.FormatRow(i)
			r := rkOutRow{body: s[2:], rank: c.Cols[last].I64[i], seq: c.Cols[last-1].Get(i).I}
			kind := c.Kinds[i]
			if kind.IsAccumulate() {
				t.rows = append(t.rows, r)
			} else {
				k := slices.IndexFunc(t.rows, func(x rkOutRow) bool { return x.body == r.body })
				if k < 0 {
					return nil, fmt.Errorf("%s retracts a row that is not in the result", s)
				}
				t.rows = slices.Delete(t.rows, k, k+1)
			}
			if slotKey == nil {
				continue
			}
			key := slotKey(c, i)
			held, ok := t.slots[key]
			switch {
			case kind.IsAccumulate() && ok:
				return nil, fmt.Errorf("%s overwrites %s without retracting it", s, held)
			case kind.IsRetract() && held != r.body:
				return nil, fmt.Errorf("%s retracts a row its (partition, rank) does not hold (it holds %q)", s, held)
			case kind.IsAccumulate():
				t.slots[key] = r.body
			default:
				delete(t.slots, key)
			}
		}
	}
	return t, nil
}

func (t *rkTable) bodies() []string {
	var out []string
	for _, r := range t.rows {
		out = append(out, r.body)
	}
	slices.Sort(out)
	return out
}

// rkRandConfig is one configuration of the randomized test.
type rkRandConfig struct {
	fn         ops.RankFunc
	start, end int64
	outputRank bool
	insertOnly bool
	unique     bool // the input is identified by its id column
	global     bool // no partition key
	chunk1     bool // chunks of one row
}

func (c rkRandConfig) String() string {
	return fmt.Sprintf("%s[%d,%d] rank=%v insert-only=%v unique=%v global=%v chunk1=%v",
		c.fn, c.start, c.end, c.outputRank, c.insertOnly, c.unique, c.global, c.chunk1)
}

// TestRankRandom feeds random changelogs (insert-only, or inserts, updates and deletes of live
// rows, with upserts when the input has a unique key) in chunks of one or random sizes to Rank,
// materializes its output after every chunk (a retraction must match a row) and compares it
// with a brute-force top-N over the live input rows, ties under ROW_NUMBER broken by arrival.
// ROW_NUMBER changelogs with the rank column are also checked as upserts keyed by (partition,
// rank).
func TestRankRandom(t *testing.T) {
	seed := *rankSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	for round := range 300 {
		s := seed + uint64(round)
		rng := rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
		cfg := rkRandConfig{fn: ops.RankFunc(rng.IntN(3)), start: 1 + int64(rng.IntN(3)), outputRank: rng.IntN(2) == 0,
			insertOnly: rng.IntN(3) == 0, global: rng.IntN(4) == 0, chunk1: rng.IntN(3) == 0}
		cfg.end = cfg.start + int64(rng.IntN(4))
		cfg.unique = !cfg.insertOnly && rng.IntN(2) == 0
		if !t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) { rkRandomRound(t, rng, cfg) }) {
			t.Fatalf("failed with %s (rerun with -rank.seed=%d)", cfg, s)
		}
	}
}

// rkLive is a live input row of the model.
type rkLive struct {
	vals []chunk.Datum // p, v, s, id
	seq  int64         // arrival, for ROW_NUMBER ties
}

func rkRandomRound(t *testing.T, rng *rand.Rand, cfg rkRandConfig) {
	// Columns: p (partition), v (BIGINT, few values, NULLs), s (STRING, NULLs), id (BIGINT).
	in := []types.Type{types.StringType, types.BigIntType, types.StringType, types.BigIntType}
	keys := []ops.SortKey{{Col: 1, Desc: rng.IntN(2) == 0, NullsFirst: rng.IntN(2) == 0}}
	if rng.IntN(2) == 0 {
		keys = append(keys, ops.SortKey{Col: 2, Desc: rng.IntN(2) == 0, NullsFirst: rng.IntN(2) == 0})
	}
	spec := ops.RankSpec{InputTypes: in, OrderKeys: keys, Func: cfg.fn, Start: cfg.start, End: cfg.end,
		OutputRank: cfg.outputRank, InsertOnlyInput: cfg.insertOnly}
	if !cfg.global {
		spec.PartitionKeys = []int{0}
	}
	if cfg.unique {
		spec.UniqueKey = []int{3}
	}
	op, err := ops.NewRank(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in)
	outTypes := slices.Clone(in)
	if cfg.outputRank {
		outTypes = append(outTypes, types.BigIntType.WithNotNull(true))
	}
	var slotKey func(c *chunk.Chunk, i int) string
	if cfg.fn == ops.RowNumber && cfg.outputRank {
		slotKey = func(c *chunk.Chunk, i int) string {
			p := ""
			if !cfg.global {
				p = c.Cols[0].Str[i]
			}
			return fmt.Sprintf("%s|%d", p, c.Cols[4].I64[i])
		}
	}

	parts := []string{"p0", "p1", "p2"}
	strs := []string{"a", "b", "c"}
	var live []rkLive
	var seq, nextID int64
	newRow := func(p string, id int64) []chunk.Datum {
		v, s := chunk.Int(rng.Int64N(5)), chunk.Str(strs[rng.IntN(len(strs))])
		if rng.IntN(6) == 0 {
			v = chunk.NullDatum
		}
		if rng.IntN(6) == 0 {
			s = chunk.NullDatum
		}
		return []chunk.Datum{chunk.Str(p), v, s, chunk.Int(id)}
	}
	equalVals := func(a, b []chunk.Datum) bool {
		for i := range a {
			if a[i].Null != b[i].Null || !a[i].Null && (a[i].I != b[i].I || a[i].S != b[i].S) {
				return false
			}
		}
		return true
	}
	sameSort := func(a, b []chunk.Datum) bool {
		for _, k := range keys {
			if rkCompareDatums(in[k.Col], k, a[k.Col], b[k.Col]) != 0 {
				return false
			}
		}
		return true
	}
	// remove removes the live row the operator would remove for a retraction of vals: by id
	// with a unique key, else the earliest of the equal rows.
	remove := func(vals []chunk.Datum) {
		i := slices.IndexFunc(live, func(l rkLive) bool {
			if cfg.unique {
				return l.vals[3].I == vals[3].I
			}
			return equalVals(l.vals, vals)
		})
		live = slices.Delete(live, i, i+1)
	}
	insert := func(vals []chunk.Datum) {
		seq++
		live = append(live, rkLive{vals: vals, seq: seq})
	}

	table := (*rkTable)(nil)
	seen := 0
	c := chunk.New(in, 8)
	check := func() {
		if c.Len() == 0 {
			return
		}
		if err := h.ProcessChunk(0, c); err != nil {
			t.Fatal(err)
		}
		c = chunk.New(in, 8)
		chunks := h.Chunks()
		var err error
		if table, err = rkMaterialize(table, chunks[seen:], slotKey); err != nil {
			t.Fatal(err)
		}
		seen = len(chunks)
		want := rkModelTopN(live, in, outTypes, keys, cfg)
		if got := table.bodies(); !slices.Equal(got, want) {
			t.Fatalf("result differs\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
		if cfg.insertOnly && cfg.fn == ops.RowNumber {
			n, err := op.(rkStats).BufferedRows()
			if err != nil {
				t.Fatal(err)
			}
			if limit := int64(len(parts)) * cfg.end; n > limit {
				t.Fatalf("the append-only top-N holds %d rows, more than partitions*End = %d", n, limit)
			}
		}
	}

	steps := 100 + rng.IntN(300)
	for range steps {
		p := parts[rng.IntN(len(parts))]
		action := rng.IntN(10)
		switch {
		case cfg.insertOnly || len(live) == 0 || action < 5:
			nextID++
			vals := newRow(p, nextID)
			if !cfg.unique && len(live) > 0 && rng.IntN(6) == 0 {
				vals = slices.Clone(live[rng.IntN(len(live))].vals) // an exact duplicate
			}
			c.AppendRow(chunk.Insert, vals)
			insert(vals)
		case action < 7:
			old := live[rng.IntN(len(live))].vals
			c.AppendRow(chunk.Delete, old)
			remove(old)
		case action < 9 || !cfg.unique:
			// An update: -U old, +U new (possibly in another partition, possibly equal).
			old := live[rng.IntN(len(live))].vals
			nv := newRow(p, old[3].I)
			if rng.IntN(4) == 0 {
				nv = slices.Clone(old)
			}
			c.AppendRow(chunk.UpdateBefore, old)
			remove(old)
			if cfg.chunk1 || rng.IntN(4) == 0 {
				check()
			}
			c.AppendRow(chunk.UpdateAfter, nv)
			insert(nv)
		default:
			// An upsert: +U for a live id without its -U; the row replaces it in place when
			// its sort key did not change.
			k := rng.IntN(len(live))
			old := live[k].vals
			nv := newRow(old[0].S, old[3].I)
			c.AppendRow(chunk.UpdateAfter, nv)
			if sameSort(old, nv) {
				live[k].vals = nv
			} else {
				remove(old)
				insert(nv)
			}
		}
		if cfg.chunk1 || rng.IntN(5) == 0 {
			check()
		}
	}
	check()
}

// rkModelTopN computes the expected rows: per partition, the live rows sorted by the sort keys
// (ties by arrival), ranked, those in [start, end], printed as the operator prints them.
func rkModelTopN(live []rkLive, in, outTypes []types.Type, keys []ops.SortKey, cfg rkRandConfig) []string {
	byPart := map[string][]rkLive{}
	for _, l := range live {
		p := ""
		if !cfg.global {
			p = l.vals[0].S
		}
		byPart[p] = append(byPart[p], l)
	}
	cmp := func(a, b rkLive) int {
		for _, k := range keys {
			if c := rkCompareDatums(in[k.Col], k, a.vals[k.Col], b.vals[k.Col]); c != 0 {
				return c
			}
		}
		return 0
	}
	out := chunk.New(outTypes, 16)
	for _, rows := range byPart {
		slices.SortFunc(rows, func(a, b rkLive) int {
			if c := cmp(a, b); c != 0 {
				return c
			}
			return rkCmp(a.seq, b.seq)
		})
		var rank int64
		for i, r := range rows {
			switch {
			case cfg.fn == ops.RowNumber:
				rank = int64(i) + 1
			case i > 0 && cmp(rows[i-1], r) == 0:
			case cfg.fn == ops.Rank:
				rank = int64(i) + 1
			default:
				rank++
			}
			if rank < cfg.start || rank > cfg.end {
				continue
			}
			vals := slices.Clone(r.vals)
			if cfg.outputRank {
				vals = append(vals, chunk.Int(rank))
			}
			out.AppendRow(chunk.Insert, vals)
		}
	}
	var rows []string
	for i := 0; i < out.Len(); i++ {
		rows = append(rows, out.FormatRow(i)[2:])
	}
	slices.Sort(rows)
	return rows
}

// ---- state size and benchmarks --------------------------------------------------------------

// TestRankAppendOnlyStateSize checks that an append-only ROW_NUMBER top-N keeps at most End rows
// per partition, one state entry per partition.
func TestRankAppendOnlyStateSize(t *testing.T) {
	in := []types.Type{types.BigIntType, types.BigIntType}
	const parts, end, rows = 50, 10, 20000
	spec := ops.RankSpec{InputTypes: in, PartitionKeys: []int{0}, OrderKeys: []ops.SortKey{{Col: 1, Desc: true}},
		Func: ops.RowNumber, Start: 1, End: end, OutputRank: true, InsertOnlyInput: true}
	op, err := ops.NewRank(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h, err := exectest.Open(t, op, exectest.Config{DiscardOutput: true}, in)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for start := 0; start < rows; start += 500 {
		c := chunk.New(in, 500)
		for range 500 {
			c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(rng.Int64N(parts)), chunk.Int(rng.Int64N(1_000_000))})
		}
		if err := h.ProcessChunk(0, c); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.State().(state.Sizer).Entries(); n != parts {
		t.Errorf("state entries = %d, want one per partition (%d)", n, parts)
	}
	n, err := op.(rkStats).BufferedRows()
	if err != nil {
		t.Fatal(err)
	}
	if n != parts*end {
		t.Errorf("buffered rows = %d, want partitions*End = %d", n, parts*end)
	}
}

// BenchmarkRankAppendOnly runs a ROW_NUMBER top-10 with the rank column over 1M rows with 10k
// partitions (benchChunks: the value column is i % 1000, so most rows never enter the top 10).
func BenchmarkRankAppendOnly(b *testing.B) {
	cs := benchChunks()
	in := cs[0].Types()
	spec := ops.RankSpec{InputTypes: in, PartitionKeys: []int{0}, OrderKeys: []ops.SortKey{{Col: 1, Desc: true}},
		Func: ops.RowNumber, Start: 1, End: 10, OutputRank: true, InsertOnlyInput: true}
	benchOperator(b, ops.NewRank(spec), cs)
}

// BenchmarkRankAppendOnlyGlobal runs a global ROW_NUMBER top-10 over 1M rows with increasing
// values (every row enters the top 10 and shifts all ranks: the worst case).
func BenchmarkRankAppendOnlyGlobal(b *testing.B) {
	cs := benchChunks()
	in := cs[0].Types()
	spec := ops.RankSpec{InputTypes: in, OrderKeys: []ops.SortKey{{Col: 2, Desc: true}},
		Func: ops.RowNumber, Start: 1, End: 10, OutputRank: true, InsertOnlyInput: true}
	benchOperator(b, ops.NewRank(spec), cs)
}

func rkSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
