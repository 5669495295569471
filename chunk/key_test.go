package chunk

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/floedb/floe/types"
)

var keyTypes = []types.Type{
	types.BigIntType, types.DoubleType, types.DecimalType(38, 2), types.StringType,
	types.MapStringType, types.TimestampType(3), types.BooleanType,
}

func keyChunk(rows ...[]Datum) *Chunk {
	c := New(keyTypes, len(rows))
	for _, r := range rows {
		c.AppendRow(Insert, r)
	}
	return c
}

// TestKeyFormatGolden pins the byte format: it must never change (state and routing depend
// on it).
func TestKeyFormatGolden(t *testing.T) {
	row := []Datum{
		Int(-2), Float(1.5), Dec(types.DecimalFromInt64(-1)), Str("ab"),
		{M: map[string]string{"y": "2", "x": "1"}}, NullDatum, Bool(true),
	}
	got := hex.EncodeToString(EncodeDatums(nil, keyTypes, row))
	want := "01" + "7ffffffffffffffe" +
		"01" + "bff8000000000000" +
		"01" + "7fffffffffffffff" + "ffffffffffffffff" +
		"01" + "02" + "6162" +
		"01" + "02" + "01" + "78" + "01" + "31" + "01" + "79" + "01" + "32" +
		"00" +
		"01" + "8000000000000001"
	if got != want {
		t.Fatalf("encoding changed:\n got %s\nwant %s", got, want)
	}
	c := keyChunk(row)
	if k := hex.EncodeToString(EncodeKey(nil, c, []int{0, 1, 2, 3, 4, 5, 6}, 0)); k != want {
		t.Fatalf("EncodeKey differs from EncodeDatums:\n got %s\nwant %s", k, want)
	}
}

func TestKeyRoundTrip(t *testing.T) {
	rows := [][]Datum{
		{Int(0), Float(0), Dec(types.Decimal128{}), Str(""), {M: map[string]string{}}, Int(0), Bool(false)},
		{Int(math.MinInt64), Float(math.Inf(-1)), Dec(types.Decimal128{Hi: math.MinInt64}), Str("\x00\xff"), {M: map[string]string{"": ""}}, Int(math.MaxInt64), Bool(true)},
		{NullDatum, NullDatum, NullDatum, NullDatum, NullDatum, NullDatum, NullDatum},
		{Int(42), Float(-3.25), Dec(types.Decimal128{Hi: 5, Lo: 7}), Str("héllo"), {M: map[string]string{"a": "b", "c": "d"}}, Int(-1), Bool(true)},
	}
	c := keyChunk(rows...)
	cols := []int{0, 1, 2, 3, 4, 5, 6}
	for i, r := range rows {
		k := EncodeKey(nil, c, cols, i)
		if d := EncodeDatums(nil, keyTypes, r); !bytes.Equal(k, d) {
			t.Fatalf("row %d: EncodeKey %x != EncodeDatums %x", i, k, d)
		}
		got, err := DecodeKey(k, keyTypes)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("row %d: decoded %+v, want %+v", i, got, r)
		}
	}
	// A subset of columns in another order.
	k := EncodeKey(nil, c, []int{3, 0}, 3)
	got, err := DecodeKey(k, []types.Type{types.StringType, types.BigIntType})
	if err != nil || got[0].S != "héllo" || got[1].I != 42 {
		t.Fatalf("subset: %+v %v", got, err)
	}
}

func TestKeyFloatCanonical(t *testing.T) {
	ts := []types.Type{types.DoubleType}
	neg := EncodeDatums(nil, ts, []Datum{Float(math.Copysign(0, -1))})
	pos := EncodeDatums(nil, ts, []Datum{Float(0)})
	if !bytes.Equal(neg, pos) {
		t.Fatalf("-0.0 %x != +0.0 %x", neg, pos)
	}
	n1 := EncodeDatums(nil, ts, []Datum{Float(math.NaN())})
	n2 := EncodeDatums(nil, ts, []Datum{Float(math.Float64frombits(0xFFF0000000000123))})
	if !bytes.Equal(n1, n2) {
		t.Fatalf("NaNs differ: %x %x", n1, n2)
	}
	d, err := DecodeKey(n2, ts)
	if err != nil || !math.IsNaN(d[0].F) {
		t.Fatalf("NaN decoded as %v, %v", d, err)
	}
}

// TestKeyOrder checks that fixed-width encodings sort like their values.
func TestKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ints := []int64{math.MinInt64, -1 << 40, -1, 0, 1, 1 << 40, math.MaxInt64}
	floats := []float64{math.Inf(-1), -1e300, -1, -1e-300, 0, 1e-300, 1, 1e300, math.Inf(1)}
	decs := []types.Decimal128{{Hi: math.MinInt64}, {Hi: -1, Lo: 0}, {Hi: -1, Lo: math.MaxUint64}, {}, {Lo: 1}, {Hi: 1}, {Hi: math.MaxInt64, Lo: math.MaxUint64}}
	for range 200 {
		ints = append(ints, int64(r.Uint64()))
		floats = append(floats, r.NormFloat64()*math.Pow(10, float64(r.IntN(40)-20)))
		decs = append(decs, types.Decimal128{Hi: int64(r.Uint64()), Lo: r.Uint64()})
	}
	check := func(name string, t_ types.Type, n int, less func(i, j int) bool, d func(i int) Datum) {
		for i := range n {
			for j := range n {
				a := EncodeDatums(nil, []types.Type{t_}, []Datum{d(i)})
				b := EncodeDatums(nil, []types.Type{t_}, []Datum{d(j)})
				if less(i, j) != (bytes.Compare(a, b) < 0) {
					t.Fatalf("%s: order of %v and %v not preserved", name, d(i), d(j))
				}
			}
		}
	}
	check("int", types.BigIntType, len(ints), func(i, j int) bool { return ints[i] < ints[j] }, func(i int) Datum { return Int(ints[i]) })
	check("float", types.DoubleType, len(floats), func(i, j int) bool { return floats[i] < floats[j] }, func(i int) Datum { return Float(floats[i]) })
	check("decimal", types.DecimalType(38, 0), len(decs), func(i, j int) bool { return decs[i].Big().Cmp(decs[j].Big()) < 0 }, func(i int) Datum { return Dec(decs[i]) })
	// NULL sorts first.
	null := EncodeDatums(nil, []types.Type{types.BigIntType}, []Datum{NullDatum})
	if bytes.Compare(null, EncodeDatums(nil, []types.Type{types.BigIntType}, []Datum{Int(math.MinInt64)})) >= 0 {
		t.Fatal("NULL does not sort first")
	}
}

// TestKeyInjective checks that different multi-column values never share an encoding (the
// length prefix keeps "a"+"bc" apart from "ab"+"c").
func TestKeyInjective(t *testing.T) {
	ts := []types.Type{types.StringType, types.StringType}
	seen := map[string][2]string{}
	parts := []string{"", "a", "b", "ab", "\x00", "\x01", "a\x00", "\x01a"}
	for _, x := range parts {
		for _, y := range parts {
			k := string(EncodeDatums(nil, ts, []Datum{Str(x), Str(y)}))
			if prev, ok := seen[k]; ok {
				t.Fatalf("(%q,%q) and (%q,%q) share key %x", x, y, prev[0], prev[1], k)
			}
			seen[k] = [2]string{x, y}
		}
	}
	ns := EncodeDatums(nil, ts, []Datum{NullDatum, Str("")})
	es := EncodeDatums(nil, ts, []Datum{Str(""), NullDatum})
	if bytes.Equal(ns, es) {
		t.Fatal("NULL and empty string collide")
	}
}

func TestDecodeKeyCorrupt(t *testing.T) {
	ts := []types.Type{types.BigIntType, types.StringType, types.MapStringType}
	good := EncodeDatums(nil, ts, []Datum{Int(1), Str("abc"), {M: map[string]string{"k": "v"}}})
	for n := range len(good) {
		if _, err := DecodeKey(good[:n], ts); !errors.Is(err, ErrCorruptKey) {
			t.Fatalf("truncated to %d: err %v", n, err)
		}
	}
	if _, err := DecodeKey(append(good, 0), ts); !errors.Is(err, ErrCorruptKey) {
		t.Fatalf("trailing byte: err %v", err)
	}
	if _, err := DecodeKey([]byte{7}, ts[:1]); !errors.Is(err, ErrCorruptKey) {
		t.Fatalf("bad flag: err %v", err)
	}
	huge := []byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if _, err := DecodeKey(huge, []types.Type{types.MapStringType}); !errors.Is(err, ErrCorruptKey) {
		t.Fatalf("huge map: err %v", err)
	}
}

func TestEncodeKeyNoAlloc(t *testing.T) {
	c := keyChunk([]Datum{Int(1), Float(2), Dec(types.Decimal128{}), Str("abc"), NullDatum, Int(3), Bool(true)})
	buf := make([]byte, 0, 128)
	cols := []int{0, 1, 2, 3, 5, 6}
	if n := testing.AllocsPerRun(100, func() { buf = EncodeKey(buf[:0], c, cols, 0) }); n != 0 {
		t.Fatalf("EncodeKey allocates %v times", n)
	}
}

func TestAppendDecoded(t *testing.T) {
	ts := []types.Type{types.BigIntType, types.StringType, types.DoubleType}
	c := New(ts, 2)
	c.AppendRow(Insert, []Datum{Int(-5), Str("x"), Float(1.5)})
	c.AppendRow(Insert, []Datum{NullDatum, Str(""), NullDatum})
	out := New(ts, 2)
	for i := 0; i < c.Len(); i++ {
		if err := AppendDecoded(out.Cols, EncodeKey(nil, c, []int{0, 1, 2}, i)); err != nil {
			t.Fatal(err)
		}
		out.Kinds = append(out.Kinds, Insert)
	}
	for i := 0; i < c.Len(); i++ {
		if got, want := out.FormatRow(i), c.FormatRow(i); got != want {
			t.Errorf("row %d: got %s, want %s", i, got, want)
		}
	}
	if err := AppendDecoded(out.Cols, []byte{1, 2}); err == nil {
		t.Error("truncated encoding decoded without error")
	}
}
