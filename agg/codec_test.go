package agg

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// codecInput is the input of the codec tests: a column of every storage class, and two
// BOOLEAN columns for FILTERs.
var codecInput = []types.Type{
	types.BigIntType,          // 0
	types.DoubleType,          // 1
	types.DecimalType(38, 2),  // 2: sums and values with a non-zero Hi word
	types.StringType,          // 3
	types.TimestampType(3),    // 4
	types.MapStringType,       // 5: FIRST_VALUE, LAST_VALUE, COUNT only
	types.BooleanType,         // 6
	types.BooleanType,         // 7
	types.BytesType,           // 8
	types.FloatType,           // 9
	types.DecimalType(10, 1),  // 10
	types.IntType.Nullable(),  // 11
	types.DateType.Nullable(), // 12
	types.DoubleType,          // 13: with NaNs, which MIN and MAX order by arrival (not for them)
}

// randCodecCall returns a random valid call over codecInput.
func randCodecCall(t *testing.T, rng *rand.Rand, insertOnly bool) Call {
	numeric := []int{0, 1, 2, 9, 10, 11, 13}
	ordered := []int{0, 1, 2, 3, 4, 8, 9, 10, 11, 12}
	any := append(slices.Clone(ordered), 5, 13)
	pick := func(cols []int) int { return cols[rng.IntN(len(cols))] }
	filter := []int{-1, -1, 6, 7}[rng.IntN(4)]
	distinct := rng.IntN(3) == 0
	var name string
	var args []int
	switch rng.IntN(7) {
	case 0:
		name = Count
		switch rng.IntN(4) {
		case 0:
		case 1:
			args = []int{pick(any)}
		case 2:
			args = []int{0, 3} // a DISTINCT set keyed by encoded keys
			distinct = true
		default:
			args = []int{pick(ordered)}
		}
		if distinct && len(args) == 1 && args[0] == 5 {
			distinct = false // MAP values are not comparable
		}
		if len(args) == 0 {
			distinct = false
		}
	case 1, 2:
		name = []string{Sum, Avg}[rng.IntN(2)]
		args = []int{pick(numeric)}
	case 3, 4:
		name = []string{Min, Max}[rng.IntN(2)]
		args = []int{pick(ordered)}
	default:
		name = []string{FirstValue, LastValue}[rng.IntN(2)]
		args = []int{pick(any)}
		if args[0] == 5 {
			distinct = false
		}
	}
	return mustCall(t, name, distinct, args, codecInput, filter, insertOnly)
}

// randCodecRow returns a row over codecInput whose values repeat often, with the float
// values the key encoding canonicalizes (-0.0, NaN with a payload), integers at the ends of
// their range, decimals wider than 64 bits and NULLs.
func randCodecRow(rng *rand.Rand) []chunk.Datum {
	bigDec, _ := types.DecimalFromBig(new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil))
	negBig, _ := bigDec.Sub(types.DecimalFromInt64(7))
	negBig = negBig.Neg()
	ints := []int64{-3, -1, 0, 1, 2, 5, 1 << 40, math.MaxInt64 / 4096, math.MinInt64 / 4096}
	floats := []float64{-1.5, math.Copysign(0, -1), 0, 0.25, 3, math.Inf(1), math.Inf(-1), 1e300}
	nan := math.Float64frombits(0x7FF8000000000123)
	decs := []types.Decimal128{types.DecimalFromInt64(-125), types.DecimalFromInt64(0), types.DecimalFromInt64(375), bigDec, negBig}
	strs := []string{"", "a", "ab", "zz", "\x00\xff"}
	mapsV := []map[string]string{nil, {}, {"a": "1"}, {"a": "1", "b": ""}}
	r := []chunk.Datum{
		chunk.Int(ints[rng.IntN(len(ints))]),
		chunk.Float(floats[rng.IntN(len(floats))]),
		chunk.Dec(decs[rng.IntN(len(decs))]),
		chunk.Str(strs[rng.IntN(len(strs))]),
		chunk.Int(1_600_000_000_000_000 + int64(rng.IntN(5))*1000),
		{M: mapsV[rng.IntN(len(mapsV))]},
		chunk.Bool(rng.IntN(2) == 0),
		chunk.Bool(rng.IntN(3) == 0),
		chunk.Str(strs[rng.IntN(len(strs))]),
		chunk.Float(float64(float32(floats[rng.IntN(5)]))),
		chunk.Dec(types.DecimalFromInt64(int64(rng.IntN(9)-4) * 15)),
		chunk.Int(int64(rng.IntN(5) - 2)),
		chunk.Int(int64(18000 + rng.IntN(3))),
		chunk.Float([]float64{nan, math.Copysign(0, -1), 0, 2.5}[rng.IntN(4)]),
	}
	for i := range r {
		if rng.IntN(7) == 0 {
			r[i] = chunk.NullDatum
		}
	}
	return r
}

// oneRow returns a chunk of one row over codecInput.
func oneRow(kind chunk.RowKind, r []chunk.Datum) *chunk.Chunk {
	c := chunk.New(codecInput, 1)
	c.AppendRow(kind, r)
	return c
}

// sameDatum reports whether two datums are the same value bit for bit (floats by their bits,
// maps including whether they are nil).
func sameDatum(x, y chunk.Datum) bool {
	return x.Null == y.Null && x.I == y.I && math.Float64bits(x.F) == math.Float64bits(y.F) && x.D == y.D &&
		x.S == y.S && (x.M == nil) == (y.M == nil) && maps.Equal(x.M, y.M)
}

// sameResults fails unless a's results over x and y are the same bit for bit.
func sameResults(t *testing.T, a *Aggregator, x, y *Accumulators, what string) {
	t.Helper()
	rx, ry := a.Results(x, nil), a.Results(y, nil)
	for i := range rx {
		if !sameDatum(rx[i], ry[i]) {
			t.Fatalf("%s: result %d (%s) differs:\n got %#v\nwant %#v\n(all: %s / %s)", what, i, a.fns[i].call, ry[i], rx[i], formatResults(a, y), formatResults(a, x))
		}
	}
}

// diffAccumulators describes the first difference between two accumulators, or returns "". The
// arrival sequences of FIRST_VALUE and LAST_VALUE are compared only when withSeq, and the slots
// of DISTINCT values (which Merge assigns in map order) and free lists only when sameSlots.
func diffAccumulators(c *AccumulatorsCodec, x, y *Accumulators, withSeq, sameSlots bool) string {
	if x.Rows != y.Rows {
		return fmt.Sprintf("Rows %d != %d", x.Rows, y.Rows)
	}
	if len(x.Words) != len(y.Words) || cap(x.Words) != cap(y.Words) {
		return fmt.Sprintf("Words len/cap %d/%d != %d/%d", len(x.Words), cap(x.Words), len(y.Words), cap(y.Words))
	}
	for i := range x.Words {
		if x.Words[i] != y.Words[i] && (withSeq || !slices.Contains(c.seqWords, i)) {
			return fmt.Sprintf("word %d: %d != %d", i, x.Words[i], y.Words[i])
		}
	}
	if (x.Extra == nil) != (y.Extra == nil) {
		return "Extra nil on one side"
	}
	if x.Extra == nil {
		return ""
	}
	ex, ey := x.Extra, y.Extra
	if len(ex.Datums) != len(ey.Datums) || len(ex.Multisets) != len(ey.Multisets) || len(ex.Ordered) != len(ey.Ordered) || len(ex.Distinct) != len(ey.Distinct) {
		return "Extra layouts differ"
	}
	for i := range ex.Datums {
		if !sameDatum(ex.Datums[i], ey.Datums[i]) {
			return fmt.Sprintf("datum %d: %#v != %#v", i, ex.Datums[i], ey.Datums[i])
		}
	}
	for i := range ex.Multisets {
		mx, my := ex.Multisets[i], ey.Multisets[i]
		if !maps.Equal(mx.Ints, my.Ints) {
			return fmt.Sprintf("multiset %d ints: %v != %v", i, mx.Ints, my.Ints)
		}
		if !maps.EqualFunc(mx.Keys, my.Keys, func(a, b Counted) bool { return a.N == b.N && sameDatum(a.V, b.V) }) {
			return fmt.Sprintf("multiset %d keys: %v != %v", i, mx.Keys, my.Keys)
		}
	}
	for i := range ex.Ordered {
		ox, oy := ex.Ordered[i], ey.Ordered[i]
		if len(ox) != len(oy) {
			return fmt.Sprintf("ordered %d: %d != %d values", i, len(ox), len(oy))
		}
		for j := range ox {
			if (withSeq && ox[j].Seq != oy[j].Seq) || !sameDatum(ox[j].V, oy[j].V) {
				return fmt.Sprintf("ordered %d[%d]: %#v != %#v", i, j, ox[j], oy[j])
			}
		}
	}
	for i := range ex.Distinct {
		dx, dy := ex.Distinct[i], ey.Distinct[i]
		if sameSlots {
			if !maps.Equal(dx.Ints, dy.Ints) || !maps.Equal(dx.Keys, dy.Keys) || !slices.Equal(dx.Counts, dy.Counts) || !slices.Equal(dx.Free, dy.Free) {
				return fmt.Sprintf("distinct %d: %+v != %+v", i, dx, dy)
			}
			continue
		}
		m := len(c.a.sets[i].members)
		if vx, vy := distinctCounts(dx, m), distinctCounts(dy, m); !maps.Equal(vx, vy) {
			return fmt.Sprintf("distinct %d: %v != %v", i, vx, vy)
		}
	}
	return ""
}

// distinctCounts returns the counts of every DISTINCT value, whatever its slot.
func distinctCounts(dv DistinctValues, m int) map[string]string {
	out := map[string]string{}
	for v, s := range dv.Ints {
		out[fmt.Sprint(v)] = fmt.Sprint(dv.Counts[s*m : (s+1)*m])
	}
	for k, s := range dv.Keys {
		out[fmt.Sprintf("%q", k)] = fmt.Sprint(dv.Counts[s*m : (s+1)*m])
	}
	return out
}

// roundTrip encodes acc, decodes it, and checks that the copy is exact and encodes to the same
// bytes.
func roundTrip(t *testing.T, c *AccumulatorsCodec, acc *Accumulators) *Accumulators {
	t.Helper()
	b, err := c.Encode(nil, acc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Decode(b)
	if err != nil {
		t.Fatalf("decoding %x: %v", b, err)
	}
	dec := v.(*Accumulators)
	if d := diffAccumulators(c, acc, dec, true, true); d != "" {
		t.Fatalf("decoded accumulators differ: %s", d)
	}
	again, err := c.Encode(nil, dec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Fatalf("re-encoding a decoded copy gives other bytes:\n%x\n%x", again, b)
	}
	return dec
}

// TestAccumulatorsCodecRandom runs random calls (DISTINCT, FILTER, MIN/MAX multisets,
// FIRST/LAST arrival lists, insert-only values, every storage class) over random insertions and
// retractions. At random steps it round-trips the accumulators through the codec and checks
// that the copy is exact (Words, Extra, DISTINCT slots and free lists), that it keeps giving the
// original's results while the same rows are added to both, and that Merge into and from a
// decoded copy gives what it gives with the original.
func TestAccumulatorsCodecRandom(t *testing.T) {
	for round := range 200 {
		seed := uint64(round)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			insertOnly := round%3 == 0
			var calls []Call
			for range 1 + rng.IntN(12) {
				calls = append(calls, randCodecCall(t, rng, insertOnly))
			}
			a, err := New(calls, codecInput)
			if err != nil {
				t.Fatal(err)
			}
			c := a.Codec()
			acc := a.NewAccumulators()
			var cp *Accumulators // a decoded copy that follows acc
			var live [][]chunk.Datum
			add := func(r []chunk.Datum, retract bool) {
				row := oneRow(chunk.Insert, r)
				kind := chunk.Insert
				if retract {
					kind = chunk.Delete
				}
				row.Kinds[0] = kind
				for _, x := range []*Accumulators{acc, cp} {
					if x == nil {
						continue
					}
					if err := a.Add(x, row, 0, retract); err != nil {
						t.Fatal(err)
					}
				}
			}
			for step := range 150 {
				switch {
				case !insertOnly && len(live) > 0 && rng.IntN(3) == 0:
					i := rng.IntN(len(live))
					add(live[i], true)
					live = slices.Delete(live, i, i+1)
				case !insertOnly && rng.IntN(40) == 0:
					add(randCodecRow(rng), true) // a retraction of a row never added
				default:
					r := randCodecRow(rng)
					add(r, false)
					live = append(live, r)
				}
				if cp != nil {
					sameResults(t, a, acc, cp, fmt.Sprintf("step %d, after the copy", step))
					if d := diffAccumulators(c, acc, cp, false, true); d != "" {
						t.Fatalf("step %d: the copy drifted: %s", step, d)
					}
				}
				if rng.IntN(8) != 0 {
					continue
				}
				cp = roundTrip(t, c, acc)
				sameResults(t, a, acc, cp, fmt.Sprintf("step %d", step))

				// Merge into a decoded copy, and from one, as into and from the original.
				other := a.NewAccumulators()
				for range rng.IntN(6) {
					if err := a.Add(other, oneRow(chunk.Insert, randCodecRow(rng)), 0, false); err != nil {
						t.Fatal(err)
					}
				}
				into, intoCopy := roundTrip(t, c, acc), roundTrip(t, c, acc)
				if err := a.Merge(into, other); err != nil {
					t.Fatal(err)
				}
				if err := a.Merge(intoCopy, roundTrip(t, c, other)); err != nil {
					t.Fatal(err)
				}
				if d := diffAccumulators(c, into, intoCopy, true, false); d != "" {
					t.Fatalf("step %d: merging a decoded source: %s", step, d)
				}
				from, fromCopy := roundTrip(t, c, other), roundTrip(t, c, other)
				if err := a.Merge(from, acc); err != nil {
					t.Fatal(err)
				}
				if err := a.Merge(fromCopy, cp); err != nil {
					t.Fatal(err)
				}
				if d := diffAccumulators(c, from, fromCopy, true, false); d != "" {
					t.Fatalf("step %d: merging from a decoded copy: %s", step, d)
				}
				sameResults(t, a, from, fromCopy, fmt.Sprintf("step %d, merged", step))
				roundTrip(t, c, from)
			}
		})
	}
}

// TestAccumulatorsCodecExact checks the details a round trip must keep: float bits the key
// encoding would canonicalize, DISTINCT slots and their free list, the packed allocation of
// words, and the arrival counter.
func TestAccumulatorsCodecExact(t *testing.T) {
	in := []types.Type{types.DoubleType, types.BigIntType}
	calls := []Call{
		mustCall(t, Min, false, []int{0}, in, -1, false),
		mustCall(t, FirstValue, false, []int{0}, in, -1, true),
		mustCall(t, Count, true, []int{1}, in, -1, false),
		mustCall(t, Sum, false, []int{0}, in, -1, false),
	}
	a, err := New(calls, in)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Codec()
	acc := a.NewAccumulators()
	nan := math.Float64frombits(0x7FF8000000000ABC)
	rows := chunk.New(in, 4)
	rows.AppendRow(chunk.Insert, []chunk.Datum{chunk.Float(math.Copysign(0, -1)), chunk.Int(1)})
	rows.AppendRow(chunk.Insert, []chunk.Datum{chunk.NullDatum, chunk.Int(2)})
	rows.AppendRow(chunk.Insert, []chunk.Datum{chunk.Float(nan), chunk.Int(3)})
	for i := range rows.Len() {
		if err := a.Add(acc, rows, i, false); err != nil {
			t.Fatal(err)
		}
	}
	// Retracting 2 frees its DISTINCT slot (1); its NULL is nothing for the insert-only call.
	if err := a.Add(acc, rows, 1, true); err != nil {
		t.Fatal(err)
	}
	dec := roundTrip(t, c, acc)
	if got := dec.Extra.Distinct[0].Free; !slices.Equal(got, []int{1}) {
		t.Fatalf("free DISTINCT slots = %v, want [1]", got)
	}
	res := a.Results(dec, nil)
	if !math.Signbit(res[0].F) || res[0].F != 0 {
		t.Errorf("MIN = %v, want -0.0", res[0].F)
	}
	if !math.Signbit(res[1].F) {
		t.Errorf("FIRST_VALUE = %v, want -0.0", res[1].F)
	}
	var ms []float64
	for _, e := range dec.Extra.Multisets[0].Keys {
		ms = append(ms, e.V.F)
	}
	if !slices.ContainsFunc(ms, func(f float64) bool { return math.Float64bits(f) == math.Float64bits(nan) }) {
		t.Errorf("the NaN payload was lost: %v", ms)
	}
	// The words share the Accumulators' allocation, as NewAccumulators allocates them.
	if want := uintptr(unsafe.Pointer(dec)) + unsafe.Sizeof(Accumulators{}); uintptr(unsafe.Pointer(&dec.Words[0])) != want {
		t.Errorf("decoded words are not packed with their Accumulators")
	}
	// A new value takes the freed slot in both.
	rows.AppendRow(chunk.Insert, []chunk.Datum{chunk.Float(1), chunk.Int(9)})
	for _, x := range []*Accumulators{acc, dec} {
		if err := a.Add(x, rows, 3, false); err != nil {
			t.Fatal(err)
		}
	}
	if s := dec.Extra.Distinct[0].Ints[9]; s != 1 {
		t.Errorf("the new DISTINCT value took slot %d, want the freed slot 1", s)
	}
	if d := diffAccumulators(c, acc, dec, false, true); d != "" {
		t.Fatal(d)
	}

	// A fresh Aggregator's arrival counter is raised past every decoded sequence, so that a
	// later arrival orders after the decoded ones when merged.
	b, err := c.Encode(nil, acc)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := New(calls, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Codec().Decode(b); err != nil {
		t.Fatal(err)
	}
	if fresh.seq < acc.Words[a.fns[1].seq] {
		t.Errorf("the arrival counter is %d after decoding a sequence of %d", fresh.seq, acc.Words[a.fns[1].seq])
	}
}

// TestAccumulatorsCodecErrors checks what Encode and Decode reject.
func TestAccumulatorsCodecErrors(t *testing.T) {
	in := []types.Type{types.BigIntType, types.StringType}
	a, err := New([]Call{
		mustCall(t, Count, false, nil, in, -1, false),
		mustCall(t, Max, false, []int{1}, in, -1, false),
	}, in)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Codec()
	if _, err := c.Encode(nil, "x"); err == nil {
		t.Error("encoding a string was accepted")
	}
	if _, err := c.Encode(nil, (*Accumulators)(nil)); err == nil {
		t.Error("encoding a nil *Accumulators was accepted")
	}
	if _, err := c.Encode(nil, &Accumulators{Words: make([]int64, 1)}); err == nil {
		t.Error("encoding accumulators of another layout was accepted")
	}
	acc := a.NewAccumulators()
	acc.Extra.Datums[0] = chunk.NullDatum
	if _, err := c.Encode(nil, acc); err == nil {
		t.Error("encoding a NULL value was accepted")
	}
	acc = a.NewAccumulators()
	good, err := c.Encode(nil, acc)
	if err != nil {
		t.Fatal(err)
	}
	other, err := New([]Call{mustCall(t, Count, false, nil, in, -1, false)}, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		codec *AccumulatorsCodec
		b     []byte
		want  string
	}{
		{c, nil, "corrupt accumulators: truncated"},
		{c, []byte{9}, "unsupported accumulators format version 9 (this build reads version 1)"},
		{c, append(slices.Clone(good), 0), "corrupt accumulators: 1 trailing bytes"},
		{c, good[:len(good)-1], "corrupt accumulators: truncated or invalid varint or count"},
		{other.Codec(), good, "corrupt accumulators: encoded with 2 words, but the aggregate calls have 1: the state belongs to other calls"},
	} {
		_, err := tc.codec.Decode(tc.b)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Decode(%x) = %v, want %s", tc.b, err, tc.want)
		}
		if err != nil && tc.b != nil && len(tc.b) > 0 && tc.b[0] == 1 && !errors.Is(err, ErrCorruptAccumulators) {
			t.Errorf("Decode(%x): %v is not ErrCorruptAccumulators", tc.b, err)
		}
	}
}

// fuzzAggregator has calls of every kind of state: words of every width, datums, multisets over
// integers and keys, ordered lists, DISTINCT sets over integers and over keys.
func fuzzAggregator(t testing.TB) *Aggregator {
	in := codecInput
	call := func(name string, distinct bool, args []int, filter int, insertOnly bool) Call {
		c := Call{Name: name, Args: args, Distinct: distinct, Filter: filter, InsertOnly: insertOnly}
		for _, x := range args {
			c.ArgTypes = append(c.ArgTypes, in[x])
		}
		var err error
		if c.Result, err = Resolve(name, distinct, c.ArgTypes); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, err := New([]Call{
		call(Count, false, nil, -1, false),
		call(Sum, false, []int{1}, 6, false),
		call(Avg, false, []int{2}, -1, false),
		call(Min, false, []int{0}, -1, false),
		call(Max, false, []int{3}, -1, false),
		call(Max, false, []int{3}, -1, true),
		call(FirstValue, false, []int{5}, -1, true),
		call(LastValue, false, []int{5}, -1, false),
		call(FirstValue, false, []int{2}, -1, false),
		call(Count, true, []int{0}, 7, false),
		call(Sum, true, []int{0}, -1, false),
		call(Count, true, []int{0, 3}, -1, false),
	}, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// FuzzAccumulatorsDecode decodes arbitrary bytes: Decode returns an error or accumulators, and
// never panics; accumulators it returns are usable (Results, Add, Merge) and re-encode to bytes
// that decode to the same encoding again.
func FuzzAccumulatorsDecode(f *testing.F) {
	a := fuzzAggregator(f)
	c := a.Codec()
	rng := rand.New(rand.NewPCG(1, 2))
	acc := a.NewAccumulators()
	var added [][]chunk.Datum
	for i := range 40 {
		r, retract := randCodecRow(rng), i%5 == 4
		if retract {
			// Retract an added row, without the values of the insert-only calls.
			r = slices.Clone(added[rng.IntN(len(added))])
			r[3], r[5] = chunk.NullDatum, chunk.NullDatum
		}
		added = append(added, r)
		if err := a.Add(acc, oneRow(chunk.Insert, r), 0, retract); err != nil {
			f.Fatal(err)
		}
		if i%8 == 0 {
			b, err := c.Encode(nil, acc)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		a := fuzzAggregator(t)
		c := a.Codec()
		v, err := c.Decode(b)
		if err != nil {
			return
		}
		acc := v.(*Accumulators)
		a.Results(acc, nil)
		enc, err := c.Encode(nil, acc)
		if err != nil {
			t.Fatalf("re-encoding decoded accumulators: %v", err)
		}
		v2, err := c.Decode(enc)
		if err != nil {
			t.Fatalf("decoding a re-encoding: %v", err)
		}
		enc2, err := c.Encode(nil, v2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("re-encoding is not stable: %v\n%x\n%x", err, enc, enc2)
		}
		// Decoded state stays usable (an error is fine: corrupt state may, say, overflow a sum).
		_ = a.Merge(a.NewAccumulators(), acc)
		row := oneRow(chunk.Insert, randCodecRow(rand.New(rand.NewPCG(uint64(len(b)), 3))))
		_ = a.Add(acc, row, 0, false)
		_ = a.Add(acc, row, 0, true)
		a.Results(acc, nil)
	})
}

// q17Accumulators returns an Aggregator with Nexmark q17's calls (COUNT(*), three COUNT(*)
// FILTERs, MIN, MAX, AVG and SUM of a BIGINT price) and accumulators over n bids.
func q17Accumulators(tb testing.TB, n int, insertOnly bool) (*Aggregator, *Accumulators) {
	in := []types.Type{types.BigIntType, types.BooleanType, types.BooleanType, types.BooleanType}
	call := func(name string, args []int, filter int) Call {
		c := Call{Name: name, Args: args, Filter: filter, InsertOnly: insertOnly}
		for _, x := range args {
			c.ArgTypes = append(c.ArgTypes, in[x])
		}
		c.Result, _ = Resolve(name, false, c.ArgTypes)
		return c
	}
	a, err := New([]Call{
		call(Count, nil, -1), call(Count, nil, 1), call(Count, nil, 2), call(Count, nil, 3),
		call(Min, []int{0}, -1), call(Max, []int{0}, -1), call(Avg, []int{0}, -1), call(Sum, []int{0}, -1),
	}, in)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 17))
	c := chunk.New(in, n)
	for range n {
		p := int64(rng.IntN(10_000_000))
		c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(p), chunk.Bool(p < 10_000), chunk.Bool(p >= 10_000 && p < 1_000_000), chunk.Bool(p >= 1_000_000)})
	}
	acc := a.NewAccumulators()
	for i := range n {
		if err := a.Add(acc, c, i, false); err != nil {
			tb.Fatal(err)
		}
	}
	return a, acc
}

// BenchmarkAccumulatorsCodec measures encoding and decoding the accumulators of one q17 group
// (1000 bids): insert-only (words only, as q17 runs), and with retraction (MIN and MAX keep a
// multiset of every price).
func BenchmarkAccumulatorsCodec(b *testing.B) {
	for _, bc := range []struct {
		name       string
		insertOnly bool
		bids       int
	}{{"q17", true, 1000}, {"q17-retract-10bids", false, 10}, {"q17-retract-1000bids", false, 1000}} {
		a, acc := q17Accumulators(b, bc.bids, bc.insertOnly)
		c := a.Codec()
		enc, err := c.Encode(nil, acc)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name+"/encode+decode", func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, len(enc))
			for b.Loop() {
				buf, _ = c.Encode(buf[:0], acc)
				if _, err := c.Decode(buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
		b.Run(bc.name+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, len(enc))
			for b.Loop() {
				buf, _ = c.Encode(buf[:0], acc)
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
		b.Run(bc.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Decode(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
