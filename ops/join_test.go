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

// The data-driven tests in testdata/join_* configure a regular join with this directive and
// then feed it with exectest's directives (input 0 is the left side, input 1 the right):
//
//	join type=inner|left|right|full left=(types) right=(types) [lkeys=(cols)] [rkeys=(cols)]
//	     [lunique=(cols)] [runique=(cols)] [linsert-only] [rinsert-only] [residual=cond]
//	     [lttl=duration] [rttl=duration]
//	stats    retractions ignored because their row was not in state
//	entries  the number of state entries (state.Sizer)
//
// A residual condition is a call f(a,b) with f one of lt le gt ge eq ne (comparisons), and, or;
// an argument is a call, a column of the output row (left columns, then right columns) by
// position, #n (a BIGINT literal) or 'text' (a STRING literal). Example: residual=lt(1,3).
func TestJoinDataDriven(t *testing.T) {
	exectest.RunFiles(t, "join_*", exectest.Driver{Build: rjBuild, Extra: rjExtra})
}

func rjBuild(d *datadriven.TestData) (exec.Operator, [][]types.Type, exectest.Config, error) {
	var cfg exectest.Config
	if d.Cmd != "join" {
		return nil, nil, cfg, nil
	}
	spec, err := rjParseSpec(d)
	if err != nil {
		return nil, nil, cfg, err
	}
	op, err := ops.NewJoin(spec)()
	return op, [][]types.Type{spec.LeftTypes, spec.RightTypes}, cfg, err
}

func rjExtra(h *exectest.Harness, d *datadriven.TestData) (string, bool) {
	switch d.Cmd {
	case "stats":
		s, ok := h.Operator().(interface{ IgnoredRetractions() int64 })
		if !ok {
			return "error: the operator keeps no retraction statistics\n", true
		}
		return fmt.Sprintf("ignored-retractions=%d\n", s.IgnoredRetractions()), true
	case "entries":
		return fmt.Sprintf("entries=%d\n", h.State().(state.Sizer).Entries()), true
	}
	return "", false
}

func rjParseSpec(d *datadriven.TestData) (ops.JoinSpec, error) {
	var spec ops.JoinSpec
	types := map[string]ops.JoinType{"inner": ops.InnerJoin, "left": ops.LeftJoin, "right": ops.RightJoin, "full": ops.FullJoin}
	tv := argVals(d, "type")
	if len(tv) != 1 {
		return spec, fmt.Errorf("want type=inner|left|right|full")
	}
	jt, ok := types[tv[0]]
	if !ok {
		return spec, fmt.Errorf("unknown join type %q", tv[0])
	}
	spec.Type = jt
	var err error
	if spec.LeftTypes, err = rjArgTypes(d, "left"); err != nil {
		return spec, err
	}
	if spec.RightTypes, err = rjArgTypes(d, "right"); err != nil {
		return spec, err
	}
	for key, dst := range map[string]*[]int{"lkeys": &spec.LeftKeys, "rkeys": &spec.RightKeys, "lunique": &spec.LeftUniqueKey, "runique": &spec.RightUniqueKey} {
		if *dst, err = argCols(d, key); err != nil {
			return spec, err
		}
	}
	spec.LeftInsertOnly = d.HasArg("linsert-only")
	spec.RightInsertOnly = d.HasArg("rinsert-only")
	for key, dst := range map[string]*time.Duration{"lttl": &spec.LeftStateTTL, "rttl": &spec.RightStateTTL} {
		if vs := argVals(d, key); len(vs) > 0 {
			if *dst, err = time.ParseDuration(vs[0]); err != nil {
				return spec, fmt.Errorf("%s: %w", key, err)
			}
		}
	}
	if vs := argVals(d, "residual"); len(vs) > 0 {
		out := append(slices.Clone(spec.LeftTypes), spec.RightTypes...)
		if spec.Residual, err = rjParseCond(strings.Join(vs, ","), out); err != nil {
			return spec, fmt.Errorf("residual: %w", err)
		}
	}
	return spec, nil
}

func rjArgTypes(d *datadriven.TestData, key string) ([]types.Type, error) {
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

// rjFuncs maps the residual mini-language's functions to built-in function names.
var rjFuncs = map[string]string{"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "=", "ne": "<>", "and": "AND", "or": "OR"}

// rjParseCond parses a residual condition (see TestJoinDataDriven) over columns of types ts.
func rjParseCond(s string, ts []types.Type) (expr.Expr, error) {
	s = strings.TrimSpace(s)
	if open := strings.IndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		name, ok := rjFuncs[strings.TrimSpace(s[:open])]
		if !ok {
			return nil, fmt.Errorf("unknown function %q", s[:open])
		}
		var args []expr.Expr
		for _, a := range exectest.SplitList(s[open+1 : len(s)-1]) {
			e, err := rjParseCond(a, ts)
			if err != nil {
				return nil, err
			}
			args = append(args, e)
		}
		return expr.NewCall(name, args)
	}
	if lit, ok := strings.CutPrefix(s, "#"); ok {
		v, err := strconv.ParseInt(lit, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid literal %q", s)
		}
		return expr.IntLiteral(v), nil
	}
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return expr.StringLiteral(s[1 : len(s)-1]), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n >= len(ts) {
		return nil, fmt.Errorf("invalid column %q (the output has %d columns)", s, len(ts))
	}
	return &expr.ColumnRef{Index: n, T: ts[n], Name: fmt.Sprintf("$%d", n)}, nil
}

// ---- randomized test ----

var joinSeed = flag.Uint64("join.seed", 0, "seed of TestJoinRandom (0: time-based)")

// rjRandConfig is one configuration of the randomized test.
type rjRandConfig struct {
	typ        ops.JoinType
	unique     string // "", "id" (a column that is not the join key) or "key" (the join key)
	insertOnly bool
	residual   bool
	chunkOne   bool // chunks of one row
}

func (c rjRandConfig) String() string {
	return fmt.Sprintf("%s/unique=%s/insert-only=%v/residual=%v/one-row-chunks=%v", c.typ, c.unique, c.insertOnly, c.residual, c.chunkOne)
}

// TestJoinRandom feeds random valid changelogs (inserts, deletes, -U/+U updates and, with a
// unique key, upserts without retraction) with a small key domain to both inputs of every kind
// of join, with and without unique keys and residual, and after each chunk checks that the
// output changelog, applied to a table (every retraction must match a row), equals a
// brute-force join of the current input tables.
func TestJoinRandom(t *testing.T) {
	seed := *joinSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	var configs []rjRandConfig
	for _, typ := range []ops.JoinType{ops.InnerJoin, ops.LeftJoin, ops.RightJoin, ops.FullJoin} {
		for _, unique := range []string{"", "id", "key"} {
			for _, insertOnly := range []bool{false, true} {
				for _, residual := range []bool{false, true} {
					for _, one := range []bool{false, true} {
						configs = append(configs, rjRandConfig{typ, unique, insertOnly, residual, one})
					}
				}
			}
		}
	}
	for i, cfg := range configs {
		s := seed + uint64(i)
		if !t.Run(cfg.String(), func(t *testing.T) { rjRandomRound(t, cfg, s) }) {
			t.Fatalf("failed with seed %d (rerun with -join.seed=%d and this configuration)", s, seed)
		}
	}
}

// rjRandTypes are the columns of both inputs: join key, value, id.
var rjRandTypes = []types.Type{types.BigIntType, types.BigIntType, types.BigIntType}

// rjRandSide is the model of one input: its live rows.
type rjRandSide struct {
	rows [][]chunk.Datum
}

func rjRandomRound(t *testing.T, cfg rjRandConfig, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	spec := ops.JoinSpec{Type: cfg.typ, LeftTypes: rjRandTypes, RightTypes: rjRandTypes,
		LeftKeys: []int{0}, RightKeys: []int{0}, LeftInsertOnly: cfg.insertOnly, RightInsertOnly: cfg.insertOnly}
	switch cfg.unique {
	case "id":
		spec.LeftUniqueKey, spec.RightUniqueKey = []int{2}, []int{2}
	case "key":
		spec.LeftUniqueKey, spec.RightUniqueKey = []int{0}, []int{0}
	}
	outTypes := append(slices.Clone(rjRandTypes), rjRandTypes...)
	if cfg.residual {
		// left.value < right.value: NULL values make it NULL, which rejects the pair.
		var err error
		spec.Residual, err = expr.NewCall("<", []expr.Expr{
			&expr.ColumnRef{Index: 1, T: types.BigIntType}, &expr.ColumnRef{Index: 4, T: types.BigIntType}})
		if err != nil {
			t.Fatal(err)
		}
	}
	op, err := ops.NewJoin(spec)()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, rjRandTypes, rjRandTypes)

	sides := [2]*rjRandSide{{}, {}}
	result := map[string]int{} // the materialized output
	read := 0
	nullable := func(gen func() int64) chunk.Datum {
		if rng.IntN(6) == 0 {
			return chunk.NullDatum
		}
		return chunk.Int(gen())
	}
	nextID := int64(0)
	newRow := func(s *rjRandSide) []chunk.Datum {
		row := []chunk.Datum{
			nullable(func() int64 { return rng.Int64N(3) }),
			nullable(func() int64 { return rng.Int64N(4) }),
			chunk.Int(rng.Int64N(3)),
		}
		switch cfg.unique {
		case "id":
			nextID++
			row[2] = chunk.Int(nextID)
		case "key":
			// One live row per key value (NULL included): pick a key no live row has.
			free := []chunk.Datum{chunk.NullDatum, chunk.Int(0), chunk.Int(1), chunk.Int(2)}
			free = slices.DeleteFunc(free, func(k chunk.Datum) bool {
				return slices.ContainsFunc(s.rows, func(r []chunk.Datum) bool { return r[0].Null == k.Null && r[0].I == k.I })
			})
			if len(free) == 0 {
				return nil
			}
			row[0] = free[rng.IntN(len(free))]
		}
		return row
	}

	steps := 100 + rng.IntN(100)
	var c *chunk.Chunk
	input := 0
	flush := func() {
		if c == nil {
			return
		}
		if err := h.ProcessChunk(input, c); err != nil {
			t.Fatal(err)
		}
		c = nil
		out := h.Output()
		for _, r := range out[read:] {
			kind, body := r[:2], r[2:]
			switch kind {
			case "+I", "+U":
				result[body]++
			default:
				if result[body] == 0 {
					t.Fatalf("%s retracts a row that is not in the result\noutput so far:\n%s", r, strings.Join(out, "\n"))
				}
				result[body]--
				if result[body] == 0 {
					delete(result, body)
				}
			}
		}
		read = len(out)
		want := rjBruteForce(cfg, outTypes, sides[0].rows, sides[1].rows)
		if got := rjTable(result); !slices.Equal(got, want) {
			t.Fatalf("result differs after %d output rows\n got: %s\nwant: %s\noutput:\n%s", read,
				strings.Join(got, "\n      "), strings.Join(want, "\n      "), strings.Join(out, "\n"))
		}
	}
	add := func(in int, kind chunk.RowKind, row []chunk.Datum) {
		if c == nil {
			c, input = chunk.New(rjRandTypes, 8), in
		}
		c.AppendRow(kind, row)
		if cfg.chunkOne || rng.IntN(5) == 0 {
			flush()
		}
	}
	for range steps {
		in := rng.IntN(2)
		if c != nil && in != input {
			flush() // before the model changes: a chunk holds the rows of one input
		}
		s := sides[in]
		if len(s.rows) == 0 || cfg.insertOnly || rng.IntN(5) < 3 {
			if row := newRow(s); row != nil {
				s.rows = append(s.rows, row)
				add(in, chunk.Insert, row)
			}
			continue
		}
		i := rng.IntN(len(s.rows))
		old := s.rows[i]
		switch op := rng.IntN(3); {
		case op == 0:
			s.rows = slices.Delete(s.rows, i, i+1)
			add(in, chunk.Delete, old)
		case op == 1 || cfg.unique == "":
			// An update as a -U/+U pair; the new row keeps the unique key, if any.
			s.rows = slices.Delete(s.rows, i, i+1)
			row := newRow(s)
			if row == nil {
				row = slices.Clone(old)
			}
			if cfg.unique == "id" {
				row[2] = old[2]
			}
			add(in, chunk.UpdateBefore, old)
			s.rows = append(s.rows, row)
			add(in, chunk.UpdateAfter, row)
		default:
			// An upsert: +U of the same unique key (and join key) without -U.
			row := slices.Clone(old)
			row[1] = nullable(func() int64 { return rng.Int64N(4) })
			s.rows[i] = row
			add(in, chunk.UpdateAfter, row)
		}
	}
	flush()
	if n := op.(interface{ IgnoredRetractions() int64 }).IgnoredRetractions(); n != 0 {
		t.Fatalf("%d retractions were ignored, but every retracted row was live", n)
	}
}

// rjTable returns the rows of a multiset, each repeated by its count, sorted.
func rjTable(m map[string]int) []string {
	var rows []string
	for r, n := range m {
		for range n {
			rows = append(rows, r)
		}
	}
	slices.Sort(rows)
	return rows
}

// rjBruteForce joins the live rows of both inputs and returns the result rows (printed without
// their kind), sorted.
func rjBruteForce(cfg rjRandConfig, outTypes []types.Type, left, right [][]chunk.Datum) []string {
	out := chunk.New(outTypes, 0)
	nulls := []chunk.Datum{chunk.NullDatum, chunk.NullDatum, chunk.NullDatum}
	matches := func(l, r []chunk.Datum) bool {
		if l[0].Null || r[0].Null || l[0].I != r[0].I {
			return false
		}
		if cfg.residual && (l[1].Null || r[1].Null || l[1].I >= r[1].I) {
			return false
		}
		return true
	}
	rightMatched := make([]bool, len(right))
	for _, l := range left {
		matched := false
		for i, r := range right {
			if matches(l, r) {
				matched, rightMatched[i] = true, true
				out.AppendRow(chunk.Insert, append(slices.Clone(l), r...))
			}
		}
		if !matched && cfg.typ.LeftOuter() {
			out.AppendRow(chunk.Insert, append(slices.Clone(l), nulls...))
		}
	}
	if cfg.typ.RightOuter() {
		for i, r := range right {
			if !rightMatched[i] {
				out.AppendRow(chunk.Insert, append(slices.Clone(nulls), r...))
			}
		}
	}
	rows := make([]string, out.Len())
	for i := range rows {
		rows[i] = out.FormatRow(i)[2:]
	}
	slices.Sort(rows)
	return rows
}

// ---- state size and TTL ----

// TestJoinStateSize updates K keys N >> K times on the left side and checks that the state
// holds O(K) entries: as -U/+U pairs without a unique key, and as upserts with a unique key
// that is the join key or another column.
func TestJoinStateSize(t *testing.T) {
	const keys, updates = 10, 5000
	ts := []types.Type{types.BigIntType, types.BigIntType, types.BigIntType}
	for _, tc := range []struct {
		name   string
		unique []int
		upsert bool
		typ    ops.JoinType
	}{
		{"retract-pairs", nil, false, ops.InnerJoin},
		{"retract-pairs-outer", nil, false, ops.FullJoin},
		{"upsert-unique-id", []int{2}, true, ops.InnerJoin},
		{"upsert-unique-key", []int{0}, true, ops.LeftJoin},
		{"retract-pairs-unique-id", []int{2}, false, ops.FullJoin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := ops.NewJoin(ops.JoinSpec{Type: tc.typ, LeftTypes: ts, RightTypes: ts,
				LeftKeys: []int{0}, RightKeys: []int{0}, LeftUniqueKey: tc.unique})()
			if err != nil {
				t.Fatal(err)
			}
			h := exectest.New(t, op, ts, ts)
			right := chunk.New(ts, keys)
			for k := range keys {
				right.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(int64(k)), chunk.Int(0), chunk.Int(int64(k))})
			}
			if err := h.ProcessChunk(1, right); err != nil {
				t.Fatal(err)
			}
			last := make([]int64, keys)
			for i := range updates {
				k := i % keys
				c := chunk.New(ts, 2)
				row := func(v int64) []chunk.Datum {
					// The id (column 2) identifies the row of key k.
					return []chunk.Datum{chunk.Int(int64(k)), chunk.Int(v), chunk.Int(int64(k))}
				}
				v := int64(i + 1)
				switch {
				case i < keys:
					c.AppendRow(chunk.Insert, row(v))
				case tc.upsert:
					c.AppendRow(chunk.UpdateAfter, row(v))
				default:
					c.AppendRow(chunk.UpdateBefore, row(last[k]))
					c.AppendRow(chunk.UpdateAfter, row(v))
				}
				last[k] = v
				if err := h.ProcessChunk(0, c); err != nil {
					t.Fatal(err)
				}
			}
			if n := h.State().(state.Sizer).Entries(); n > 2*keys {
				t.Fatalf("state holds %d entries after %d updates of %d keys, want at most %d", n, updates, keys, 2*keys)
			}
			// The output is consistent: each key joins its latest row only.
			table := map[string]int{}
			for _, r := range h.Output() {
				if r[0] == '+' {
					table[r[2:]]++
				} else if table[r[2:]]--; table[r[2:]] < 0 {
					t.Fatalf("%s retracts a row that is not in the result", r)
				}
			}
			live := 0
			for _, n := range table {
				live += n
			}
			if live != keys {
				t.Fatalf("the result holds %d rows, want %d", live, keys)
			}
		})
	}
}

// TestJoinTTL checks that a row stored with a TTL of three years still matches two years later
// and has expired three years and a day after it was written.
func TestJoinTTL(t *testing.T) {
	const year = 365 * 24 * time.Hour
	ts := []types.Type{types.BigIntType, types.StringType}
	for _, view := range []struct {
		name       string
		unique     []int
		insertOnly bool
		typ        ops.JoinType
	}{
		{"list", nil, true, ops.InnerJoin},
		{"rows", nil, false, ops.InnerJoin},
		{"rows-outer", nil, false, ops.LeftJoin},
		{"unique", []int{1}, false, ops.InnerJoin},
		{"unique-in-key", []int{0}, false, ops.InnerJoin},
	} {
		t.Run(view.name, func(t *testing.T) {
			start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			op, err := ops.NewJoin(ops.JoinSpec{Type: view.typ, LeftTypes: ts, RightTypes: ts,
				LeftKeys: []int{0}, RightKeys: []int{0}, LeftUniqueKey: view.unique,
				LeftInsertOnly: view.insertOnly, LeftStateTTL: 3 * year})()
			if err != nil {
				t.Fatal(err)
			}
			h, err := exectest.Open(t, op, exectest.Config{ProcessingTime: start.UnixMicro()}, ts, ts)
			if err != nil {
				t.Fatal(err)
			}
			check := func(in int, row string, want ...string) {
				t.Helper()
				if err := h.Process(in, row); err != nil {
					t.Fatal(err)
				}
				if got := h.Drain(); !slices.Equal(got, want) {
					t.Fatalf("%s gave %q, want %q", row, got, want)
				}
			}
			var padded []string
			if view.typ == ops.LeftJoin {
				padded = []string{"+I[1, a, null, null]"}
			}
			check(0, "+I[1, a]", padded...)
			if err := h.AdvanceProcessingTime(start.Add(2 * year).UnixMicro()); err != nil {
				t.Fatal(err)
			}
			want := []string{"+I[1, a, 1, x]"}
			if view.typ == ops.LeftJoin {
				want = []string{"-D[1, a, null, null]", "+I[1, a, 1, x]"}
			}
			check(1, "+I[1, x]", want...)
			// Three years and a day after the left row was last written (the association count
			// update rewrote the outer row's state two years in, so it lives longer).
			end := start.Add(3*year + 24*time.Hour)
			if view.typ == ops.LeftJoin {
				end = start.Add(5*year + 24*time.Hour)
			}
			if err := h.AdvanceProcessingTime(end.UnixMicro()); err != nil {
				t.Fatal(err)
			}
			check(1, "+I[1, y]")
			if n := h.State().(state.Sizer).Entries(); n != 2 {
				t.Fatalf("state holds %d entries, want the 2 right rows", n)
			}
		})
	}
}

// ---- benchmark ----

// BenchmarkJoin joins 1M insert-only rows (bids: auction, bidder, price, channel, url,
// dateTime, extra) against 10k auction rows (id, itemName, seller, category), one per key,
// stored first, as in Nexmark q20: an inner join without residual where every bid matches.
// "spread" sends the bids of a chunk to different auctions; "nexmark" skews them as the
// Nexmark generator does (half to a hot auction, half to one of the 100 latest auctions).
func BenchmarkJoin(b *testing.B) {
	const bids, auctions, chunkSize = 1_000_000, 10_000, 1024
	bidTypes := []types.Type{types.BigIntType, types.BigIntType, types.BigIntType, types.StringType,
		types.StringType, types.TimestampType(3), types.StringType}
	auctionTypes := []types.Type{types.BigIntType, types.StringType, types.BigIntType, types.BigIntType}
	var auctionChunks []*chunk.Chunk
	for start := 0; start < auctions; start += chunkSize {
		c := chunk.New(auctionTypes, chunkSize)
		for i := start; i < min(start+chunkSize, auctions); i++ {
			c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(int64(i)), chunk.Str(fmt.Sprintf("item-%d", i)),
				chunk.Int(int64(i % 997)), chunk.Int(int64(i % 20))})
		}
		auctionChunks = append(auctionChunks, c)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dist := range []struct {
		name    string
		auction func(i int) int64
	}{
		{"spread", func(i int) int64 { return int64(i * 7919 % auctions) }},
		{"nexmark", func(i int) int64 {
			latest := max(100, i*auctions/bids)
			if rng.IntN(2) == 0 {
				return int64(latest / 2 * 2)
			}
			return int64(latest - rng.IntN(100))
		}},
	} {
		base := int64(1586937600_000000)
		var bidChunks []*chunk.Chunk
		for start := 0; start < bids; start += chunkSize {
			c := chunk.New(bidTypes, chunkSize)
			for i := start; i < min(start+chunkSize, bids); i++ {
				c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(dist.auction(i)), chunk.Int(int64(i % 5000)),
					chunk.Int(int64(100 + i%10000)), chunk.Str("channel-1"), chunk.Str("https://www.nexmark.com/item.htm?query=1"),
					chunk.Int(base + int64(i)*1000), chunk.Str("")})
			}
			bidChunks = append(bidChunks, c)
		}
		b.Run(dist.name, func(b *testing.B) {
			spec := ops.JoinSpec{Type: ops.InnerJoin, LeftTypes: bidTypes, RightTypes: auctionTypes,
				LeftKeys: []int{0}, RightKeys: []int{0}, LeftInsertOnly: true, RightInsertOnly: true}
			b.ReportAllocs()
			for b.Loop() {
				op, err := ops.NewJoin(spec)()
				if err != nil {
					b.Fatal(err)
				}
				h, err := exectest.Open(b, op, exectest.Config{DiscardOutput: true, PlainState: true}, bidTypes, auctionTypes)
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range auctionChunks {
					if err := h.ProcessChunk(1, c); err != nil {
						b.Fatal(err)
					}
				}
				for _, c := range bidChunks {
					if err := h.ProcessChunk(0, c); err != nil {
						b.Fatal(err)
					}
				}
				if got := h.Metrics().RecordsOut.Load(); got != bids {
					b.Fatalf("joined %d rows, want %d", got, bids)
				}
			}
			b.ReportMetric(float64((bids+auctions)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
