package types

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func randDec(r *rand.Rand) Decimal128 {
	switch r.IntN(4) {
	case 0:
		return DecimalFromInt64(r.Int64N(2000) - 1000)
	case 1:
		return DecimalFromInt64(int64(r.Uint64()))
	default:
		// Up to ~38 digits.
		b := new(big.Int)
		for k := r.IntN(39); k > 0; k-- {
			b.Mul(b, big.NewInt(10))
			b.Add(b, big.NewInt(r.Int64N(10)))
		}
		if r.IntN(2) == 0 {
			b.Neg(b)
		}
		d, _ := DecimalFromBig(b)
		return d
	}
}

func fits128(b *big.Int) bool { return b.BitLen() <= 127 }

func TestDecimalArithmeticAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		a, b := randDec(r), randDec(r)
		ab, bb := a.Big(), b.Big()
		if s, ok := a.Add(b); ok != fits128(new(big.Int).Add(ab, bb)) || ok && s.Big().Cmp(new(big.Int).Add(ab, bb)) != 0 {
			t.Fatalf("Add(%s, %s) = %s, %v", ab, bb, s.Big(), ok)
		}
		if s, ok := a.Sub(b); ok != fits128(new(big.Int).Sub(ab, bb)) || ok && s.Big().Cmp(new(big.Int).Sub(ab, bb)) != 0 {
			t.Fatalf("Sub(%s, %s) = %s, %v", ab, bb, s.Big(), ok)
		}
		want := new(big.Int).Mul(ab, bb)
		if p, ok := a.Mul(b); ok != fits128(want) || ok && p.Big().Cmp(want) != 0 {
			t.Fatalf("Mul(%s, %s) = %s, %v; want %s", ab, bb, p.Big(), ok, want)
		}
		if got, want := a.Cmp(b), ab.Cmp(bb); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", ab, bb, got, want)
		}
		sa, sb := r.IntN(20), r.IntN(20)
		wantCmp := new(big.Int).Mul(ab, bigPow10(sb)).Cmp(new(big.Int).Mul(bb, bigPow10(sa)))
		if got := a.CmpScaled(sa, b, sb); got != wantCmp {
			t.Fatalf("CmpScaled(%s/%d, %s/%d) = %d, want %d", ab, sa, bb, sb, got, wantCmp)
		}
		// Division with HALF_UP at scale s.
		if b.Sign() != 0 {
			s := r.IntN(12)
			q, ok := DecimalDiv(a, sa, b, sb, s)
			var wq *big.Int
			if s-sa+sb >= 0 {
				wq = halfUpDiv(new(big.Int).Mul(ab, bigPow10(s-sa+sb)), bb)
			} else {
				wq = halfUpDiv(ab, new(big.Int).Mul(bb, bigPow10(sa-sb-s)))
			}
			if ok != fits128(wq) || ok && q.Big().Cmp(wq) != 0 {
				t.Fatalf("Div(%s/%d, %s/%d, %d) = %s, %v; want %s", ab, sa, bb, sb, s, q.Big(), ok, wq)
			}
			if md, ok := DecimalMod(a, sa, b, sb); ok {
				sc := max(sa, sb)
				x := new(big.Int).Mul(ab, bigPow10(sc-sa))
				y := new(big.Int).Mul(bb, bigPow10(sc-sb))
				if w := new(big.Int).Rem(x, y); md.Big().Cmp(w) != 0 {
					t.Fatalf("Mod(%s/%d, %s/%d) = %s; want %s", ab, sa, bb, sb, md.Big(), w)
				}
			}
		}
		// Rescale down with each mode.
		k := r.IntN(40)
		for _, mode := range []RoundingMode{HalfUp, Down, Floor, Ceiling} {
			got, ok := a.Rescale(k, 0, mode)
			want := roundBig(ab, bigPow10(k), mode)
			if !ok || got.Big().Cmp(want) != 0 {
				t.Fatalf("Rescale(%s, %d, 0, %d) = %s, want %s", ab, k, mode, got.Big(), want)
			}
		}
		// Multiplication with rescale.
		s := r.IntN(10)
		p, ok := DecimalMul(a, sa, b, sb, s)
		var wp *big.Int
		if s >= sa+sb {
			wp = new(big.Int).Mul(want, bigPow10(s-sa-sb))
		} else {
			wp = halfUpDiv(want, bigPow10(sa+sb-s))
		}
		if ok != fits128(wp) || ok && p.Big().Cmp(wp) != 0 {
			t.Fatalf("DecimalMul(%s/%d, %s/%d, %d) = %s, %v; want %s", ab, sa, bb, sb, s, p.Big(), ok, wp)
		}
	}
}

func halfUpDiv(n, m *big.Int) *big.Int { return roundBig(n, m, HalfUp) }

func roundBig(n, m *big.Int, mode RoundingMode) *big.Int {
	d, _ := bigDivRound(n, m, mode)
	// Independent check of bigDivRound via big.Rat for HALF_UP.
	if mode == HalfUp {
		q := new(big.Rat).SetFrac(n, m)
		neg := q.Sign() < 0
		q.Abs(q)
		q.Add(q, big.NewRat(1, 2))
		f := new(big.Int).Quo(q.Num(), q.Denom())
		if neg {
			f.Neg(f)
		}
		return f
	}
	return d.Big()
}

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in   string
		str  string
		p, s int
	}{
		{"0.908", "0.908", 3, 3},
		{"123.45", "123.45", 5, 2},
		{"-1.50", "-1.50", 3, 2},
		{"0", "0", 1, 0},
		{"0.05", "0.05", 2, 2},
		{".5", "0.5", 1, 1},
		{"1e3", "1000", 4, 0},
		{"1.5E-2", "0.015", 3, 3},
		{"99999999999999999999999999999999999999", "99999999999999999999999999999999999999", 38, 0},
	}
	for _, c := range cases {
		d, p, s, err := ParseDecimal(c.in)
		if err != nil || d.String(s) != c.str || p != c.p || s != c.s {
			t.Errorf("ParseDecimal(%q) = %s (%d, %d), %v; want %s (%d, %d)", c.in, d.String(s), p, s, err, c.str, c.p, c.s)
		}
	}
	for _, bad := range []string{"", "-", ".", "1.2.3", "abc", "1e", "1x", "123456789012345678901234567890123456789"} {
		if _, _, _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded", bad)
		}
	}
}

func TestDecimalFloatConversions(t *testing.T) {
	cases := []struct {
		f     float64
		scale int
		want  string
		ok    bool
	}{
		{0.1, 2, "0.10", true},
		{2.675, 2, "2.68", true}, // shortest repr 2.675 -> HALF_UP, as BigDecimal.valueOf
		{-2.5, 0, "-3", true},
		{1e20, 0, "100000000000000000000", true},
		{1.23456789e-5, 8, "0.00001235", true},
		{math.NaN(), 2, "", false},
		{math.Inf(1), 2, "", false},
		{1e40, 0, "", false},
	}
	for _, c := range cases {
		d, ok := DecimalFromFloat64(c.f, c.scale)
		if ok != c.ok || ok && d.String(c.scale) != c.want {
			t.Errorf("DecimalFromFloat64(%v, %d) = %s, %v; want %s, %v", c.f, c.scale, d.String(c.scale), ok, c.want, c.ok)
		}
	}
	d, _, s, _ := ParseDecimal("123.456")
	if f := d.ToFloat64(s); f != 123.456 {
		t.Errorf("ToFloat64 = %v", f)
	}
	d, _, s, _ = ParseDecimal("12345678901234567890123.456")
	if f := d.ToFloat64(s); f != 12345678901234567890123.456 {
		t.Errorf("ToFloat64 = %v", f)
	}
}

func TestFitsPrecision(t *testing.T) {
	d := DecimalFromInt64(999)
	if !d.FitsPrecision(3) || d.FitsPrecision(2) || !d.Neg().FitsPrecision(3) {
		t.Error("FitsPrecision(999)")
	}
	if !DecimalPow10(38).Neg().FitsPrecision(39) || DecimalPow10(38).FitsPrecision(38) {
		t.Error("FitsPrecision(10^38)")
	}
}

func FuzzDecimalMul(f *testing.F) {
	f.Add(int64(3), uint64(7), int64(-1), uint64(5))
	f.Fuzz(func(t *testing.T, ah int64, al uint64, bh int64, bl uint64) {
		a, b := Decimal128{Hi: ah, Lo: al}, Decimal128{Hi: bh, Lo: bl}
		want := new(big.Int).Mul(a.Big(), b.Big())
		p, ok := a.Mul(b)
		if ok && p.Big().Cmp(want) != 0 {
			t.Fatalf("Mul(%s, %s) = %s want %s", a.Big(), b.Big(), p.Big(), want)
		}
		if !ok && fits128(want) && a.Big().BitLen() < 127 && b.Big().BitLen() < 127 {
			t.Fatalf("Mul(%s, %s) reported overflow for %s", a.Big(), b.Big(), want)
		}
	})
}
