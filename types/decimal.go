package types

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Decimal128 is an unscaled 128-bit two's-complement integer; the scale lives in the Type.
// DECIMAL(p, s) value v is Decimal(v * 10^s).
type Decimal128 struct {
	Hi int64
	Lo uint64
}

// DecimalFromInt64 returns the unscaled decimal for v.
func DecimalFromInt64(v int64) Decimal128 {
	hi := int64(0)
	if v < 0 {
		hi = -1
	}
	return Decimal128{Hi: hi, Lo: uint64(v)}
}

// IsInt64 reports whether d fits in an int64.
func (d Decimal128) IsInt64() bool {
	return (d.Hi == 0 && int64(d.Lo) >= 0) || (d.Hi == -1 && int64(d.Lo) < 0)
}

// Int64 returns the low 64 bits as a signed integer (exact when IsInt64).
func (d Decimal128) Int64() int64 { return int64(d.Lo) }

// Sign returns -1, 0 or 1.
func (d Decimal128) Sign() int {
	switch {
	case d.Hi < 0:
		return -1
	case d.Hi == 0 && d.Lo == 0:
		return 0
	}
	return 1
}

// Big returns d as a big.Int.
func (d Decimal128) Big() *big.Int {
	b := new(big.Int).SetInt64(d.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(d.Lo))
}

// DecimalFromBig converts b to a Decimal; ok is false if b does not fit in 128 bits.
func DecimalFromBig(b *big.Int) (d Decimal128, ok bool) {
	if b.BitLen() > 127 {
		return Decimal128{}, false
	}
	lo := new(big.Int).And(b, maxU64)
	hi := new(big.Int).Rsh(b, 64)
	return Decimal128{Hi: hi.Int64(), Lo: lo.Uint64()}, true
}

var maxU64 = new(big.Int).SetUint64(^uint64(0))

// String renders d with scale fractional digits, e.g. (12345, 3) -> "12.345".
func (d Decimal128) String(scale int) string {
	var s string
	neg := d.Sign() < 0
	if d.IsInt64() {
		v := d.Int64()
		if neg {
			s = strconv.FormatUint(uint64(-v), 10)
		} else {
			s = strconv.FormatInt(v, 10)
		}
	} else {
		b := d.Big()
		s = b.Abs(b).String()
	}
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// RoundingMode selects how digits dropped by Rescale are rounded.
type RoundingMode uint8

// Rounding modes.
const (
	// HalfUp rounds to nearest, ties away from zero (Java's RoundingMode.HALF_UP, Flink's default).
	HalfUp RoundingMode = iota
	// Down truncates toward zero.
	Down
	// Floor rounds toward negative infinity.
	Floor
	// Ceiling rounds toward positive infinity.
	Ceiling
)

// pow10 holds 10^0 .. 10^38 as unsigned 128-bit values (a static lookup table).
var pow10 = func() [39]u128 {
	var t [39]u128
	t[0] = u128{lo: 1}
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1].mul64(10)
	}
	return t
}()

// DecimalPow10 returns 10^n as an unscaled decimal for 0 <= n <= 38.
func DecimalPow10(n int) Decimal128 { return pow10[n].dec() }

// u128 is an unsigned 128-bit integer used for magnitudes.
type u128 struct{ hi, lo uint64 }

func (a u128) dec() Decimal128 { return Decimal128{Hi: int64(a.hi), Lo: a.lo} }

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// mul64 multiplies by a small factor; the caller guarantees no overflow (table construction).
func (a u128) mul64(m uint64) u128 {
	h, l := bits.Mul64(a.lo, m)
	return u128{hi: h + a.hi*m, lo: l}
}

// mul returns a*b and whether it fits in 127 bits.
func (a u128) mul(b u128) (u128, bool) {
	if a.hi != 0 && b.hi != 0 {
		return u128{}, false
	}
	if a.hi != 0 {
		a, b = b, a
	}
	// a.hi == 0
	h, l := bits.Mul64(a.lo, b.lo)
	h2, l2 := bits.Mul64(a.lo, b.hi)
	if h2 != 0 {
		return u128{}, false
	}
	hi, carry := bits.Add64(h, l2, 0)
	if carry != 0 || hi>>63 != 0 {
		return u128{}, false
	}
	return u128{hi: hi, lo: l}, true
}

func (a u128) add(b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c2 := bits.Add64(a.hi, b.hi, c)
	return u128{hi: hi, lo: lo}, c2 == 0 && hi>>63 == 0
}

// divRem64 divides by a non-zero 64-bit divisor.
func (a u128) divRem64(d uint64) (u128, uint64) {
	qh := a.hi / d
	r := a.hi % d
	ql, r := bits.Div64(r, a.lo, d)
	return u128{hi: qh, lo: ql}, r
}

func (a u128) big() *big.Int {
	b := new(big.Int).SetUint64(a.hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(a.lo))
}

// abs returns the magnitude of d and whether d is negative. The magnitude of the most negative
// value (-2^127) is returned as 2^127, which every caller treats as overflow.
func (d Decimal128) abs() (u128, bool) {
	if d.Hi >= 0 {
		return u128{hi: uint64(d.Hi), lo: d.Lo}, false
	}
	lo, b := bits.Sub64(0, d.Lo, 0)
	hi, _ := bits.Sub64(0, uint64(d.Hi), b)
	return u128{hi: hi, lo: lo}, true
}

// fromAbs builds a decimal from a magnitude below 2^127 and a sign.
func fromAbs(a u128, neg bool) Decimal128 {
	d := a.dec()
	if neg {
		d = d.Neg()
	}
	return d
}

// Neg returns -d (two's complement; -(-2^127) wraps, which no valid DECIMAL(38) reaches).
func (d Decimal128) Neg() Decimal128 {
	lo, b := bits.Sub64(0, d.Lo, 0)
	hi, _ := bits.Sub64(0, uint64(d.Hi), b)
	return Decimal128{Hi: int64(hi), Lo: lo}
}

// Abs returns |d|.
func (d Decimal128) Abs() Decimal128 {
	if d.Hi < 0 {
		return d.Neg()
	}
	return d
}

// Add returns d+o; ok is false on 128-bit overflow.
func (d Decimal128) Add(o Decimal128) (r Decimal128, ok bool) {
	lo, c := bits.Add64(d.Lo, o.Lo, 0)
	hi := d.Hi + o.Hi + int64(c)
	r = Decimal128{Hi: hi, Lo: lo}
	if (d.Hi < 0) == (o.Hi < 0) && (hi < 0) != (d.Hi < 0) {
		return r, false
	}
	return r, true
}

// Sub returns d-o; ok is false on 128-bit overflow.
func (d Decimal128) Sub(o Decimal128) (r Decimal128, ok bool) {
	lo, b := bits.Sub64(d.Lo, o.Lo, 0)
	hi := d.Hi - o.Hi - int64(b)
	r = Decimal128{Hi: hi, Lo: lo}
	if (d.Hi < 0) != (o.Hi < 0) && (hi < 0) != (d.Hi < 0) {
		return r, false
	}
	return r, true
}

// Mul returns d*o; ok is false when the product does not fit in 127 bits plus sign.
func (d Decimal128) Mul(o Decimal128) (Decimal128, bool) {
	if d.IsInt64() && o.IsInt64() {
		a, b := d.Int64(), o.Int64()
		hi, lo := bits.Mul64(uint64(a), uint64(b))
		// Signed correction of the unsigned high word.
		h := int64(hi)
		if a < 0 {
			h -= b
		}
		if b < 0 {
			h -= a
		}
		return Decimal128{Hi: h, Lo: lo}, true
	}
	x, nx := d.abs()
	y, ny := o.abs()
	p, ok := x.mul(y)
	if !ok {
		return Decimal128{}, false
	}
	return fromAbs(p, nx != ny), true
}

// Cmp compares d and o as integers: -1, 0 or 1.
func (d Decimal128) Cmp(o Decimal128) int {
	switch {
	case d.Hi < o.Hi:
		return -1
	case d.Hi > o.Hi:
		return 1
	case d.Lo < o.Lo:
		return -1
	case d.Lo > o.Lo:
		return 1
	}
	return 0
}

// CmpScaled compares d (scale ds) with o (scale os) exactly.
func (d Decimal128) CmpScaled(ds int, o Decimal128, os int) int {
	if ds == os {
		return d.Cmp(o)
	}
	if sd, so := d.Sign(), o.Sign(); sd != so {
		if sd < so {
			return -1
		}
		return 1
	}
	if ds < os {
		if up, ok := d.Rescale(ds, os, HalfUp); ok {
			return up.Cmp(o)
		}
	} else if up, ok := o.Rescale(os, ds, HalfUp); ok {
		return d.Cmp(up)
	}
	a, b := d.Big(), o.Big()
	if ds < os {
		a.Mul(a, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(os-ds)), nil))
	} else {
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(ds-os)), nil))
	}
	return a.Cmp(b)
}

// FitsPrecision reports whether |d| < 10^p, i.e. d has at most p digits.
func (d Decimal128) FitsPrecision(p int) bool {
	if p >= len(pow10) {
		return true
	}
	a, _ := d.abs()
	if a.hi>>63 != 0 {
		return false
	}
	return a.cmp(pow10[p]) < 0
}

// roundQuotient adjusts a truncated magnitude quotient q with remainder r of a division by
// divisor d, according to mode, for a value whose sign is neg. half reports r*2 >= d.
func roundQuotient(q u128, rNonZero, half, neg bool, mode RoundingMode) (u128, bool) {
	inc := false
	switch mode {
	case HalfUp:
		inc = half
	case Floor:
		inc = neg && rNonZero
	case Ceiling:
		inc = !neg && rNonZero
	}
	if inc {
		return q.add(u128{lo: 1})
	}
	return q, true
}

// Rescale changes the scale of d from `from` to `to`, multiplying (exact) or dividing (rounded
// with mode). ok is false when the result does not fit in 128 bits.
func (d Decimal128) Rescale(from, to int, mode RoundingMode) (Decimal128, bool) {
	switch {
	case from == to:
		return d, true
	case to > from:
		diff := to - from
		if diff >= len(pow10) {
			if d.Sign() == 0 {
				return d, true
			}
			return Decimal128{}, false
		}
		return d.Mul(pow10[diff].dec())
	}
	diff := from - to
	a, neg := d.abs()
	if diff >= len(pow10) {
		// |d| < 2^127 < 10^39: the quotient is 0, rounded per mode.
		q, _ := roundQuotient(u128{}, !a.isZero(), false, neg, mode)
		return fromAbs(q, neg), true
	}
	p := pow10[diff]
	if p.hi == 0 {
		q, r := a.divRem64(p.lo)
		q, ok := roundQuotient(q, r != 0, r >= p.lo-r, neg, mode)
		return fromAbs(q, neg), ok
	}
	return bigDivRound(d.Big(), p.big(), mode)
}

// bigDivRound computes n/m rounded per mode with big integers.
func bigDivRound(n, m *big.Int, mode RoundingMode) (Decimal128, bool) {
	neg := (n.Sign() < 0) != (m.Sign() < 0)
	an, am := new(big.Int).Abs(n), new(big.Int).Abs(m)
	q, r := new(big.Int).QuoRem(an, am, new(big.Int))
	inc := false
	if r.Sign() != 0 {
		switch mode {
		case HalfUp:
			inc = new(big.Int).Lsh(r, 1).Cmp(am) >= 0
		case Floor:
			inc = neg
		case Ceiling:
			inc = !neg
		}
	}
	if inc {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return DecimalFromBig(q)
}

// DecimalMul multiplies a (scale sa) by b (scale sb) giving a result with scale s, rounding
// HALF_UP when s < sa+sb. ok is false if the result does not fit in 128 bits.
func DecimalMul(a Decimal128, sa int, b Decimal128, sb int, s int) (Decimal128, bool) {
	if p, ok := a.Mul(b); ok {
		return p.Rescale(sa+sb, s, HalfUp)
	}
	n := new(big.Int).Mul(a.Big(), b.Big())
	if s >= sa+sb {
		n.Mul(n, bigPow10(s-sa-sb))
		return DecimalFromBig(n)
	}
	return bigDivRound(n, bigPow10(sa+sb-s), HalfUp)
}

// DecimalDiv divides a (scale sa) by b (scale sb) giving a result with scale s, rounded
// HALF_UP. ok is false if b is zero or the result does not fit in 128 bits.
func DecimalDiv(a Decimal128, sa int, b Decimal128, sb int, s int) (Decimal128, bool) {
	if b.Sign() == 0 {
		return Decimal128{}, false
	}
	// result = a * 10^(s - sa + sb) / b
	shift := s - sa + sb
	if shift >= 0 && shift < len(pow10) {
		if n, ok := a.Mul(pow10[shift].dec()); ok {
			x, nx := n.abs()
			y, ny := b.abs()
			if y.hi == 0 && x.hi>>63 == 0 {
				q, r := x.divRem64(y.lo)
				q, ok := roundQuotient(q, r != 0, r >= y.lo-r, nx != ny, HalfUp)
				return fromAbs(q, nx != ny), ok
			}
		}
	}
	n, m := a.Big(), b.Big()
	if shift >= 0 {
		n.Mul(n, bigPow10(shift))
	} else {
		m.Mul(m, bigPow10(-shift))
	}
	return bigDivRound(n, m, HalfUp)
}

// DecimalMod returns the remainder of a (scale sa) divided by b (scale sb) at scale s =
// max(sa, sb), with the sign of a (Java's BigDecimal.remainder). ok is false if b is zero.
func DecimalMod(a Decimal128, sa int, b Decimal128, sb int) (Decimal128, bool) {
	if b.Sign() == 0 {
		return Decimal128{}, false
	}
	s := max(sa, sb)
	x, ok1 := a.Rescale(sa, s, HalfUp)
	y, ok2 := b.Rescale(sb, s, HalfUp)
	if ok1 && ok2 {
		xa, nx := x.abs()
		ya, _ := y.abs()
		if ya.hi == 0 {
			// Two-step 128/64 remainder.
			_, r := xa.divRem64(ya.lo)
			return fromAbs(u128{lo: r}, nx), true
		}
		r := new(big.Int).Rem(x.Big(), y.Big())
		return DecimalFromBig(r)
	}
	n, m := a.Big(), b.Big()
	if sa < s {
		n.Mul(n, bigPow10(s-sa))
	}
	if sb < s {
		m.Mul(m, bigPow10(s-sb))
	}
	return DecimalFromBig(new(big.Int).Rem(n, m))
}

func bigPow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// ParseDecimal parses a decimal number in plain or scientific notation ("-12.340", "1.5E3",
// ".5"), surrounding whitespace not allowed. It returns the unscaled value, the precision (number
// of significant digits, at least 1 and at least scale+1 when the integer part is zero, as
// Calcite types literals) and the scale (digits after the point, 0 if negative exponents would
// make it negative). It fails on malformed text or more than 38 significant digits.
func ParseDecimal(s string) (d Decimal128, precision, scale int, err error) {
	orig := s
	bad := func() (Decimal128, int, int, error) {
		return Decimal128{}, 0, 0, fmt.Errorf("invalid decimal %q", orig)
	}
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, perr := strconv.Atoi(s[i+1:])
		if perr != nil || e > 1000 || e < -1000 {
			return bad()
		}
		exp = e
		s = s[:i]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || (hasDot && strings.ContainsAny(frac, ".")) {
		return bad()
	}
	digits := make([]byte, 0, len(intPart)+len(frac))
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return bad()
			}
			digits = append(digits, c)
		}
	}
	scale = len(frac) - exp
	// Strip leading zeros for the significant digit count.
	k := 0
	for k < len(digits)-1 && digits[k] == '0' {
		k++
	}
	digits = digits[k:]
	if scale < 0 {
		for ; scale < 0; scale++ {
			digits = append(digits, '0')
		}
	}
	if len(digits) > MaxDecimalPrecision {
		// Trailing fractional zeros beyond 38 digits are still representable with less scale,
		// but Flink rejects such literals too.
		return Decimal128{}, 0, 0, fmt.Errorf("decimal %q has more than %d digits", orig, MaxDecimalPrecision)
	}
	var a u128
	for _, c := range digits {
		a = a.mul64(10)
		a, _ = a.add(u128{lo: uint64(c - '0')})
	}
	precision = len(digits)
	if digits[0] == '0' && len(digits) == 1 {
		precision = 1
	}
	if precision < scale {
		precision = scale
	}
	if precision == 0 {
		precision = 1
	}
	return fromAbs(a, neg), precision, scale, nil
}

// ToFloat64 converts d with the given scale to the nearest float64.
func (d Decimal128) ToFloat64(scale int) float64 {
	if d.IsInt64() {
		v := d.Int64()
		if v > -(1<<53) && v < 1<<53 && scale >= 0 && scale <= 22 {
			// Both operands are exact, so one division rounds correctly.
			return float64(v) / float64pow10[scale]
		}
	}
	f, _ := strconv.ParseFloat(d.String(scale), 64)
	return f
}

var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// DecimalFromFloat64 converts f to a decimal with the given scale, as Java's
// BigDecimal.valueOf(f).setScale(scale, HALF_UP) does (starting from the shortest decimal
// representation of f). ok is false for NaN, infinities and values beyond 128 bits.
func DecimalFromFloat64(f float64, scale int) (Decimal128, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal128{}, false
	}
	var buf [40]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // e.g. -1.2345e+06
	neg := false
	if b[0] == '-' {
		neg = true
		b = b[1:]
	}
	e := bytesIndexByte(b, 'e')
	mant, expb := b[:e], b[e+1:]
	exp := 0
	esign := 1
	for i, c := range expb {
		switch {
		case i == 0 && c == '-':
			esign = -1
		case i == 0 && c == '+':
		default:
			exp = exp*10 + int(c-'0')
		}
	}
	exp *= esign
	var a u128
	nd := 0
	for _, c := range mant {
		if c == '.' {
			continue
		}
		a = a.mul64(10)
		a, _ = a.add(u128{lo: uint64(c - '0')})
		nd++
	}
	// value = a * 10^(exp - (nd-1)); current scale of a is (nd-1) - exp.
	cur := nd - 1 - exp
	return fromAbs(a, neg).Rescale(cur, scale, HalfUp)
}

func bytesIndexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
