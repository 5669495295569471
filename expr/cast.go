package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// castFn converts a vector of n rows.
type castFn func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error)

// NewCast builds CAST(arg AS t) (TRY_CAST when try is set), checking that the conversion is
// allowed. The result is NOT NULL only if arg is NOT NULL, try is not set and the conversion
// cannot overflow to NULL (conversions to DECIMAL can, as in Flink); t's own NOT NULL flag is
// ignored.
func NewCast(arg Expr, t types.Type, try bool) (*Cast, error) {
	from := arg.Type()
	if !CanCast(from, t) {
		return nil, fmt.Errorf("cannot cast %s to %s", from.Nullable(), t.Nullable())
	}
	notNull := from.NotNull && !try
	if t.Kind == types.Decimal && !decimalCastExact(from, t) {
		notNull = false
	}
	return &Cast{Arg: arg, T: t.WithNotNull(notNull), Try: try}, nil
}

// decimalCastExact reports whether every value of from fits DECIMAL t.
func decimalCastExact(from, t types.Type) bool {
	if from.Kind == types.Decimal {
		return t.Scale >= from.Scale && t.Precision-t.Scale >= from.Precision-from.Scale
	}
	if from.IsInteger() {
		d := integerAsDecimal(from)
		return t.Precision-t.Scale >= d.Precision
	}
	return false
}

// CanCast reports whether CAST(x AS to) is allowed for x of type from (Flink's cast matrix).
func CanCast(from, to types.Type) bool {
	f, t := from.Kind, to.Kind
	if f == types.Unknown || f == t {
		return true
	}
	num := func(k types.Kind) bool {
		return k == types.Boolean || types.Type{Kind: k}.IsNumeric()
	}
	str := func(k types.Kind) bool { return k == types.Char || k == types.Varchar }
	switch {
	case t == types.Unknown:
		return false
	case str(t):
		return true
	case num(f) && num(t):
		return true
	case str(f):
		switch t {
		case types.Bytes, types.Date, types.Time, types.Timestamp, types.TimestampLTZ:
			return true
		}
		return num(t)
	case f == types.Bytes:
		return false
	case f == types.Date:
		return t == types.Timestamp || t == types.TimestampLTZ
	case f == types.Time:
		return t == types.Timestamp
	case f == types.Timestamp || f == types.TimestampLTZ:
		return t == types.Date || t == types.Time || t == types.Timestamp || t == types.TimestampLTZ
	}
	return false
}

// CanImplicitCast reports whether a value of type from may be converted to type to without an
// explicit CAST (Flink's implicit conversions): integer widening, integer to DECIMAL/FLOAT/
// DOUBLE, DECIMAL to DECIMAL and to DOUBLE, FLOAT to DOUBLE, CHAR/VARCHAR to each other, DATE to
// TIMESTAMP, precision changes of TIME/TIMESTAMP, and an untyped NULL to anything.
func CanImplicitCast(from, to types.Type) bool {
	f, t := from.Kind, to.Kind
	switch {
	case f == types.Unknown:
		return true
	case from.Equal(to):
		return true
	case from.IsInteger() && to.IsInteger():
		return f <= t
	case from.IsInteger() && (t == types.Decimal || t == types.Float || t == types.Double):
		return true
	case f == types.Decimal && (t == types.Decimal || t == types.Double || t == types.Float):
		return true
	case f == types.Float && t == types.Double:
		return true
	case from.IsString() && to.IsString():
		return true
	case f == t:
		switch f {
		case types.Bytes, types.Time, types.Timestamp, types.TimestampLTZ, types.IntervalDayTime,
			types.IntervalYearMonth, types.Boolean, types.Date, types.Map:
			return true
		}
	case f == types.Date && (t == types.Timestamp || t == types.TimestampLTZ):
		return true
	}
	return false
}

// castError is the error of a failed conversion of one value.
func castError(t types.Type, d chunk.Datum, to types.Type, reason string) error {
	lit := (&Literal{Value: d, T: t}).String()
	if reason != "" {
		return fmt.Errorf("cannot cast %s to %s: %s", lit, to.Nullable(), reason)
	}
	return fmt.Errorf("cannot cast %s to %s", lit, to.Nullable())
}

// rowConv converts row i of in into row i of out. It returns a non-empty reason (or
// convFailed) when the value cannot be converted; it may call setNull on out itself for values
// that convert to NULL (DECIMAL overflow).
type rowConv func(ctx *Context, in, out *chunk.Vector, i, n int) (failed bool, reason string)

func perRow(from, to types.Type, try bool, conv rowConv) castFn {
	return func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(to, n)
		for i := 0; i < n; i++ {
			if v.IsNull(i) {
				setNull(out, i, n)
				continue
			}
			if failed, reason := conv(ctx, v, out, i, n); failed {
				if try {
					setNull(out, i, n)
					continue
				}
				return nil, castError(from, v.Get(i), to, reason)
			}
		}
		return out, nil
	}
}

func copyNulls(out, v *chunk.Vector, n int) {
	if v.Nulls != nil {
		out.Nulls = make([]bool, n)
		copy(out.Nulls, v.Nulls[:n])
	}
}

func intRange(k types.Kind) (lo, hi int64) {
	switch k {
	case types.TinyInt:
		return math.MinInt8, math.MaxInt8
	case types.SmallInt:
		return math.MinInt16, math.MaxInt16
	case types.Int:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// castFunc returns the conversion from one type to another.
func castFunc(from, to types.Type, try bool) (castFn, error) {
	if !CanCast(from, to) {
		return nil, fmt.Errorf("cannot cast %s to %s", from.Nullable(), to.Nullable())
	}
	f, t := from.Kind, to.Kind
	if f == types.Unknown {
		return func(_ *Context, _ *chunk.Vector, n int) (*chunk.Vector, error) { return nullVec(to, n), nil }, nil
	}
	isInt := func(k types.Kind) bool { return k == types.Boolean || (k >= types.TinyInt && k <= types.BigInt) }
	switch {
	case t == types.Char || t == types.Varchar:
		return castToString(from, to, try), nil
	case isInt(f) && isInt(t):
		lo, hi := intRange(t)
		if t == types.Boolean {
			return mapInt(to, func(x int64) int64 {
				if x != 0 {
					return 1
				}
				return 0
			}), nil
		}
		flo, fhi := intRange(f)
		if f == types.Boolean || (flo >= lo && fhi <= hi) {
			return retypeCast(to), nil
		}
		return perRow(from, to, try, func(_ *Context, in, out *chunk.Vector, i, _ int) (bool, string) {
			x := in.I64[i]
			if x < lo || x > hi {
				return true, "value out of range"
			}
			out.I64[i] = x
			return false, ""
		}), nil
	case isInt(f) && (t == types.Float || t == types.Double):
		return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			for i, x := range v.I64[:n] {
				out.F64[i] = toFloatKind(float64(x), t)
			}
			copyNulls(out, v, n)
			return out, nil
		}, nil
	case isInt(f) && t == types.Decimal:
		p, s := to.Precision, to.Scale
		mul := types.DecimalPow10(min(s, types.MaxDecimalPrecision))
		exact := decimalCastExact(from, to) && f != types.Boolean
		return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			if exact && s == 0 {
				for i, x := range v.I64[:n] {
					out.Dec[i] = types.DecimalFromInt64(x)
				}
				copyNulls(out, v, n)
				return out, nil
			}
			for i, x := range v.I64[:n] {
				d, ok := types.DecimalFromInt64(x).Mul(mul)
				if !ok || !d.FitsPrecision(p) {
					setNull(out, i, n)
					continue
				}
				out.Dec[i] = d
			}
			mergeNulls(out, []*chunk.Vector{v}, n)
			return out, nil
		}, nil
	case (f == types.Float || f == types.Double) && isInt(t):
		lo, hi := intRange(t)
		return perRow(from, to, try, func(_ *Context, in, out *chunk.Vector, i, _ int) (bool, string) {
			x := in.F64[i]
			if t == types.Boolean {
				out.I64[i] = b2i(x != 0)
				return false, ""
			}
			if math.IsNaN(x) {
				return true, "value out of range"
			}
			tx := math.Trunc(x)
			if tx < float64(lo) || tx >= -float64(lo) || tx > float64(hi) {
				return true, "value out of range"
			}
			out.I64[i] = int64(tx)
			return false, ""
		}), nil
	case (f == types.Float || f == types.Double) && (t == types.Float || t == types.Double):
		if t == types.Double || f == types.Float {
			return retypeCast(to), nil
		}
		return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			for i, x := range v.F64[:n] {
				out.F64[i] = float64(float32(x))
			}
			copyNulls(out, v, n)
			return out, nil
		}, nil
	case (f == types.Float || f == types.Double) && t == types.Decimal:
		return perRow(from, to, try, func(_ *Context, in, out *chunk.Vector, i, n int) (bool, string) {
			d, ok := types.DecimalFromFloat64(in.F64[i], to.Scale)
			if !ok || !d.FitsPrecision(to.Precision) {
				setNull(out, i, n)
				return false, ""
			}
			out.Dec[i] = d
			return false, ""
		}), nil
	case f == types.Decimal && t == types.Decimal:
		fs, ts, tp := from.Scale, to.Scale, to.Precision
		if fs == ts && tp-ts >= from.Precision-fs {
			return retypeCast(to), nil
		}
		return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			for i, x := range v.Dec[:n] {
				d, ok := x.Rescale(fs, ts, types.HalfUp)
				if !ok || !d.FitsPrecision(tp) {
					setNull(out, i, n)
					continue
				}
				out.Dec[i] = d
			}
			mergeNulls(out, []*chunk.Vector{v}, n)
			return out, nil
		}, nil
	case f == types.Decimal && isInt(t):
		lo, hi := intRange(t)
		fs := from.Scale
		return perRow(from, to, try, func(_ *Context, in, out *chunk.Vector, i, _ int) (bool, string) {
			x := in.Dec[i]
			if t == types.Boolean {
				out.I64[i] = b2i(x.Sign() != 0)
				return false, ""
			}
			d, _ := x.Rescale(fs, 0, types.Down)
			if !d.IsInt64() || d.Int64() < lo || d.Int64() > hi {
				return true, "value out of range"
			}
			out.I64[i] = d.Int64()
			return false, ""
		}), nil
	case f == types.Decimal && (t == types.Float || t == types.Double):
		fs := from.Scale
		return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			for i, x := range v.Dec[:n] {
				out.F64[i] = toFloatKind(x.ToFloat64(fs), t)
			}
			copyNulls(out, v, n)
			return out, nil
		}, nil
	case f == types.Char || f == types.Varchar:
		return castFromString(from, to, try)
	case f == types.Bytes && t == types.Bytes, f == types.Map && t == types.Map:
		return retypeCast(to), nil
	case f == types.Date && t == types.Date:
		return retypeCast(to), nil
	case f == types.Date && t == types.Timestamp:
		return mapInt(to, func(x int64) int64 { return x * microsPerDay }), nil
	case f == types.Date && t == types.TimestampLTZ:
		return func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(to, n)
			for i, x := range v.I64[:n] {
				out.I64[i] = wallToUTC(x*microsPerDay, ctx.Location)
			}
			copyNulls(out, v, n)
			return out, nil
		}, nil
	case f == types.Time && t == types.Time:
		return truncFraction(to, to.Precision), nil
	case f == types.Time && t == types.Timestamp:
		return truncFraction(to, to.Precision), nil
	case f == types.Timestamp || f == types.TimestampLTZ:
		return castFromTimestamp(from, to), nil
	case f == types.IntervalDayTime && t == types.IntervalDayTime,
		f == types.IntervalYearMonth && t == types.IntervalYearMonth:
		return retypeCast(to), nil
	}
	return nil, fmt.Errorf("cannot cast %s to %s", from.Nullable(), to.Nullable())
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func toFloatKind(f float64, k types.Kind) float64 {
	if k == types.Float {
		return float64(float32(f))
	}
	return f
}

const microsPerDay = 86400 * 1000000

func retypeCast(to types.Type) castFn {
	return func(_ *Context, v *chunk.Vector, _ int) (*chunk.Vector, error) { return retype(v, to), nil }
}

// mapInt applies an int64 function to every value.
func mapInt(to types.Type, f func(int64) int64) castFn {
	return func(_ *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(to, n)
		for i, x := range v.I64[:n] {
			out.I64[i] = f(x)
		}
		mergeNulls(out, []*chunk.Vector{v}, n)
		return out, nil
	}
}

// fractionUnit returns the microsecond step of a fractional-second precision.
func fractionUnit(p int) int64 {
	if p >= 6 {
		return 1
	}
	u := int64(1)
	for i := p; i < 6; i++ {
		u *= 10
	}
	return u
}

// truncFraction truncates microsecond values to precision p (toward negative infinity, as
// the fields of a LocalDateTime are truncated).
func truncFraction(to types.Type, p int) castFn {
	u := fractionUnit(p)
	if u == 1 {
		return retypeCast(to)
	}
	return mapInt(to, func(x int64) int64 { return x - floorMod(x, u) })
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

func floorDiv(a, b int64) int64 { return (a - floorMod(a, b)) / b }

func castFromTimestamp(from, to types.Type) castFn {
	ltzIn := from.Kind == types.TimestampLTZ
	u := fractionUnit(to.Precision)
	return func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(to, n)
		for i, x := range v.I64[:n] {
			if v.IsNull(i) {
				continue
			}
			wall := x
			if ltzIn {
				wall = utcToWall(x, ctx.Location)
			}
			switch to.Kind {
			case types.Date:
				out.I64[i] = floorDiv(wall, microsPerDay)
			case types.Time:
				t := floorMod(wall, microsPerDay)
				out.I64[i] = t - floorMod(t, u)
			case types.Timestamp:
				out.I64[i] = wall - floorMod(wall, u)
			case types.TimestampLTZ:
				r := x
				if !ltzIn {
					r = wallToUTC(x, ctx.Location)
				}
				out.I64[i] = r - floorMod(r, u)
			}
		}
		mergeNulls(out, []*chunk.Vector{v}, n)
		return out, nil
	}
}

// wallToUTC interprets wall-clock microseconds in loc and returns the UTC instant.
func wallToUTC(wall int64, loc *time.Location) int64 {
	if loc == time.UTC || loc == nil {
		return wall
	}
	t := time.UnixMicro(wall).UTC()
	l := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	return l.UnixMicro()
}

// utcToWall returns the wall-clock microseconds of an instant in loc.
func utcToWall(u int64, loc *time.Location) int64 {
	if loc == time.UTC || loc == nil {
		return u
	}
	_, off := time.UnixMicro(u).In(loc).Zone()
	return u + int64(off)*1000000
}

// FormatValue renders a value as CAST(x AS STRING) does in Flink: BOOLEAN as TRUE/FALSE,
// TIMESTAMP as 'yyyy-MM-dd HH:mm:ss' plus exactly the type's fractional digits, DOUBLE like
// Java's Double.toString, DECIMAL in plain notation with its scale, TIMESTAMP_LTZ in the session
// time zone of ctx. NULL renders as "NULL".
func FormatValue(ctx *Context, t types.Type, d chunk.Datum) string {
	if d.Null {
		return "NULL"
	}
	switch t.Kind {
	case types.Boolean:
		if d.I != 0 {
			return "TRUE"
		}
		return "FALSE"
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		return strconv.FormatInt(d.I, 10)
	case types.Char, types.Varchar, types.Bytes:
		return d.S
	case types.Time:
		return formatTime(d.I, t.Precision)
	case types.Timestamp:
		return chunk.FormatTimestamp(d.I, t.Precision)
	case types.TimestampLTZ:
		loc := time.UTC
		if ctx != nil && ctx.Location != nil {
			loc = ctx.Location
		}
		return chunk.FormatTimestamp(utcToWall(d.I, loc), t.Precision)
	}
	return chunk.FormatDatum(t, d)
}

func formatTime(micros int64, p int) string {
	s := chunk.FormatTimestamp(micros, p)
	return s[strings.IndexByte(s, ' ')+1:]
}

// fitLength applies a CHAR(n)/VARCHAR(n) length: truncate to n characters, pad CHAR with spaces.
func fitLength(s string, t types.Type) string {
	n := t.Length
	if n <= 0 || n == types.MaxLength {
		return s
	}
	if len(s) > n {
		// Truncate to n characters (runes).
		c := 0
		for i := range s {
			if c == n {
				s = s[:i]
				break
			}
			c++
		}
	}
	if t.Kind == types.Char {
		if c := utf8.RuneCountInString(s); c < n {
			s += strings.Repeat(" ", n-c)
		}
	}
	return s
}

func castToString(from, to types.Type, try bool) castFn {
	if from.IsString() || from.Kind == types.Bytes {
		noop := to.Length == types.MaxLength || to.Length <= 0 ||
			(to.Kind == types.Varchar && from.Length > 0 && from.Length <= to.Length) ||
			(to.Kind == types.Char && from.Kind == types.Char && from.Length == to.Length)
		if noop {
			return retypeCast(to)
		}
	}
	return func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(to, n)
		for i := 0; i < n; i++ {
			if v.IsNull(i) {
				setNull(out, i, n)
				continue
			}
			out.Str[i] = fitLength(FormatValue(ctx, from, v.Get(i)), to)
		}
		return out, nil
	}
}

func castFromString(from, to types.Type, try bool) (castFn, error) {
	parse := func(ctx *Context, s string) (chunk.Datum, bool) {
		return parseValue(ctx, strings.TrimFunc(s, unicode.IsSpace), to)
	}
	if to.Kind == types.Bytes {
		return retypeCast(to), nil
	}
	return func(ctx *Context, v *chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(to, n)
		for i := 0; i < n; i++ {
			if v.IsNull(i) {
				setNull(out, i, n)
				continue
			}
			d, ok := parse(ctx, v.Str[i])
			if !ok {
				if try {
					setNull(out, i, n)
					continue
				}
				return nil, fmt.Errorf("cannot cast '%s' to %s", strings.ReplaceAll(v.Str[i], "'", "''"), to.Nullable())
			}
			if d.Null {
				setNull(out, i, n)
				continue
			}
			switch to.Kind.Physical() {
			case types.PhysInt64:
				out.I64[i] = d.I
			case types.PhysFloat64:
				out.F64[i] = d.F
			case types.PhysDecimal:
				out.Dec[i] = d.D
			}
		}
		return out, nil
	}, nil
}

// parseValue parses trimmed text as a value of type t. A DECIMAL that does not fit gives a
// NULL datum (Flink's overflow behaviour); malformed text gives ok=false.
func parseValue(ctx *Context, s string, t types.Type) (chunk.Datum, bool) {
	switch t.Kind {
	case types.Boolean:
		switch strings.ToLower(s) {
		case "true", "t", "yes", "y", "1":
			return chunk.Bool(true), true
		case "false", "f", "no", "n", "0":
			return chunk.Bool(false), true
		}
		return chunk.Datum{}, false
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		v, ok := parseIntegral(s)
		lo, hi := intRange(t.Kind)
		if !ok || v < lo || v > hi {
			return chunk.Datum{}, false
		}
		return chunk.Int(v), true
	case types.Float, types.Double:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return chunk.Datum{}, false
			}
		}
		return chunk.Float(toFloatKind(f, t.Kind)), true
	case types.Decimal:
		d, _, sc, err := types.ParseDecimal(s)
		if err != nil {
			return chunk.Datum{}, false
		}
		r, ok := d.Rescale(sc, t.Scale, types.HalfUp)
		if !ok || !r.FitsPrecision(t.Precision) {
			return chunk.NullDatum, true
		}
		return chunk.Dec(r), true
	case types.Date:
		d, ok := parseDate(s)
		return chunk.Int(d), ok
	case types.Time:
		us, p, ok := parseTimeOfDay(s)
		if !ok {
			return chunk.Datum{}, false
		}
		_ = p
		u := fractionUnit(t.Precision)
		return chunk.Int(us - us%u), true
	case types.Timestamp, types.TimestampLTZ:
		us, _, err := ParseTimestamp(s)
		if err != nil {
			d, ok := parseDate(s)
			if !ok {
				return chunk.Datum{}, false
			}
			us = d * microsPerDay
		}
		if t.Kind == types.TimestampLTZ {
			us = wallToUTC(us, ctx.Location)
		}
		return chunk.Int(us - floorMod(us, fractionUnit(t.Precision))), true
	}
	return chunk.Datum{}, false
}

// parseIntegral parses an optionally signed integer, accepting and truncating a fractional
// part ("12.7" -> 12) as Flink's string-to-integer conversion does.
func parseIntegral(s string) (int64, bool) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot {
		for i := 0; i < len(frac); i++ {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
		}
		if intPart == "" || intPart == "-" || intPart == "+" {
			if frac == "" {
				return 0, false
			}
			return 0, true
		}
	}
	if len(intPart) > 1 && intPart[0] == '+' {
		intPart = intPart[1:]
	}
	for i := 0; i < len(intPart); i++ {
		if c := intPart[i]; (c < '0' || c > '9') && !(i == 0 && c == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(intPart, 10, 64)
	return v, err == nil
}

// parseDate parses yyyy-M-d into days since the epoch.
func parseDate(s string) (int64, bool) {
	parts := strings.Split(s, "-")
	neg := false
	if len(parts) == 4 && parts[0] == "" {
		neg, parts = true, parts[1:]
	}
	if len(parts) != 3 {
		return 0, false
	}
	var f [3]int
	for i, p := range parts {
		if p == "" || len(p) > 9 || (i > 0 && len(p) > 2) {
			return 0, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return 0, false
			}
			f[i] = f[i]*10 + int(c-'0')
		}
	}
	y := f[0]
	if neg {
		y = -y
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > daysIn(y, time.Month(f[1])) {
		return 0, false
	}
	return daysFromCivil(y, f[1], f[2]), true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func daysFromCivil(y, m, d int) int64 {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// parseTimeOfDay parses H:m[:s[.fraction]] into microseconds since midnight and the number of
// fraction digits given.
func parseTimeOfDay(s string) (int64, int, bool) {
	hms, frac, hasFrac := strings.Cut(s, ".")
	parts := strings.Split(hms, ":")
	if len(parts) < 2 || len(parts) > 3 || (hasFrac && len(parts) != 3) {
		return 0, 0, false
	}
	var f [3]int64
	for i, p := range parts {
		if p == "" || len(p) > 2 {
			return 0, 0, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return 0, 0, false
			}
			f[i] = f[i]*10 + int64(c-'0')
		}
	}
	if f[0] > 23 || f[1] > 59 || f[2] > 59 {
		return 0, 0, false
	}
	us := (f[0]*3600 + f[1]*60 + f[2]) * 1000000
	if hasFrac {
		if frac == "" || len(frac) > 9 {
			return 0, 0, false
		}
		var fr int64
		for i, c := range []byte(frac) {
			if c < '0' || c > '9' {
				return 0, 0, false
			}
			if i < 6 {
				fr = fr*10 + int64(c-'0')
			}
		}
		for i := len(frac); i < 6; i++ {
			fr *= 10
		}
		us += fr
		return us, len(frac), true
	}
	return us, 0, true
}

// ParseTimestamp parses 'yyyy-MM-dd HH:mm:ss[.fraction]' (also with a 'T' separator and
// without seconds) into wall-clock microseconds since the epoch. precision is the number of
// fraction digits given (0..9; digits beyond 6 are truncated).
func ParseTimestamp(text string) (micros int64, precision int, err error) {
	s := strings.TrimSpace(text)
	i := strings.IndexAny(s, " T")
	if i < 0 {
		return 0, 0, fmt.Errorf("invalid timestamp '%s' (expected yyyy-MM-dd HH:mm:ss[.fraction])", text)
	}
	days, ok := parseDate(s[:i])
	if !ok {
		return 0, 0, fmt.Errorf("invalid timestamp '%s' (expected yyyy-MM-dd HH:mm:ss[.fraction])", text)
	}
	us, p, ok := parseTimeOfDay(strings.TrimLeft(s[i+1:], " "))
	if !ok {
		return 0, 0, fmt.Errorf("invalid timestamp '%s' (expected yyyy-MM-dd HH:mm:ss[.fraction])", text)
	}
	return days*microsPerDay + us, p, nil
}
