package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// NumberLiteral types an unsigned numeric literal as Flink does: an integer is INT if it fits,
// else BIGINT, else DECIMAL(p, 0); a number with a decimal point is DECIMAL(p, s) exactly as
// written (0.908 is DECIMAL(3, 3)); a number with an exponent is DOUBLE. All are NOT NULL.
func NumberLiteral(text string) (*Literal, error) {
	if strings.ContainsAny(text, "eE") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("invalid numeric literal %s", text)
		}
		return &Literal{Value: chunk.Float(f), T: types.DoubleType.WithNotNull(true)}, nil
	}
	if !strings.Contains(text, ".") {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil && text != "" && text[0] != '+' {
			// A leading '-' comes from the binder folding unary minus into the literal.
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return &Literal{Value: chunk.Int(v), T: types.IntType.WithNotNull(true)}, nil
			}
			return &Literal{Value: chunk.Int(v), T: types.BigIntType.WithNotNull(true)}, nil
		}
	}
	d, p, s, err := types.ParseDecimal(text)
	if err != nil {
		return nil, fmt.Errorf("invalid numeric literal %s: %v", text, err)
	}
	return &Literal{Value: chunk.Dec(d), T: types.DecimalType(p, s).WithNotNull(true)}, nil
}

// IntLiteral returns an INT (or BIGINT when v does not fit) NOT NULL literal.
func IntLiteral(v int64) *Literal {
	t := types.IntType
	if v < math.MinInt32 || v > math.MaxInt32 {
		t = types.BigIntType
	}
	return &Literal{Value: chunk.Int(v), T: t.WithNotNull(true)}
}

// StringLiteral returns a CHAR(n) NOT NULL literal, n being the number of characters (Flink
// types string literals as CHAR).
func StringLiteral(s string) *Literal {
	return &Literal{Value: chunk.Str(s), T: types.CharType(utf8.RuneCountInString(s)).WithNotNull(true)}
}

// BoolLiteral returns TRUE or FALSE (BOOLEAN NOT NULL).
func BoolLiteral(b bool) *Literal {
	return &Literal{Value: chunk.Bool(b), T: types.BooleanType.WithNotNull(true)}
}

// NullLiteral returns a NULL of type t (pass the zero Type for an untyped NULL).
func NullLiteral(t types.Type) *Literal {
	return &Literal{Value: chunk.NullDatum, T: t.Nullable()}
}

// DateLiteral parses DATE 'yyyy-MM-dd'.
func DateLiteral(text string) (*Literal, error) {
	d, ok := parseDate(strings.TrimSpace(text))
	if !ok {
		return nil, fmt.Errorf("invalid DATE literal '%s' (expected yyyy-MM-dd)", text)
	}
	return &Literal{Value: chunk.Int(d), T: types.DateType.WithNotNull(true)}, nil
}

// TimeLiteral parses TIME 'HH:mm:ss[.fraction]'; the precision is the number of fraction digits.
func TimeLiteral(text string) (*Literal, error) {
	us, p, ok := parseTimeOfDay(strings.TrimSpace(text))
	if !ok {
		return nil, fmt.Errorf("invalid TIME literal '%s' (expected HH:mm:ss[.fraction])", text)
	}
	return &Literal{Value: chunk.Int(us), T: types.TimeType(p).WithNotNull(true)}, nil
}

// TimestampLiteral parses TIMESTAMP 'yyyy-MM-dd HH:mm:ss[.fraction]'; the precision is the
// number of fraction digits given (TIMESTAMP '2020-04-15 08:05:00.123' is TIMESTAMP(3)).
func TimestampLiteral(text string) (*Literal, error) {
	us, p, err := ParseTimestamp(text)
	if err != nil {
		return nil, fmt.Errorf("invalid TIMESTAMP literal '%s' (expected yyyy-MM-dd HH:mm:ss[.fraction])", text)
	}
	return &Literal{Value: chunk.Int(us), T: types.TimestampType(p).WithNotNull(true)}, nil
}

// normUnit upper-cases a time unit and drops a plural S.
func normUnit(u string) string {
	u = strings.ToUpper(strings.TrimSpace(u))
	if len(u) > 1 && strings.HasSuffix(u, "S") {
		u = u[:len(u)-1]
	}
	return u
}

// IntervalLiteral parses INTERVAL [-]'value' from [TO to]: YEAR, MONTH, YEAR TO MONTH ('1-2')
// give INTERVAL YEAR TO MONTH (months); DAY, HOUR, MINUTE, SECOND, DAY TO HOUR ('1 02'),
// DAY TO MINUTE ('1 02:03'), DAY TO SECOND ('1 02:03:04.5'), HOUR TO MINUTE ('2:30'),
// HOUR TO SECOND ('2:30:15'), MINUTE TO SECOND ('1:30.25') give INTERVAL DAY TO SECOND
// (microseconds). Unit names may be plural. value may carry its own sign.
func IntervalLiteral(value string, from, to string, negative bool) (*Literal, error) {
	f, t := normUnit(from), normUnit(to)
	qual := f
	if t != "" {
		qual += " TO " + t
	}
	bad := func(format string) (*Literal, error) {
		return nil, fmt.Errorf("invalid INTERVAL literal '%s' for %s (expected '%s')", value, qual, format)
	}
	s := strings.TrimSpace(value)
	if strings.HasPrefix(s, "-") {
		negative = !negative
		s = s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	sign := int64(1)
	if negative {
		sign = -1
	}
	// fields splits s on the separators and parses each as a non-negative integer, the last
	// one optionally with a fraction (returned in microseconds) when frac is set.
	fields := func(seps string, count int, frac bool) ([]int64, int64, bool) {
		parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
		if len(parts) != count || strings.Count(s, " ")+strings.Count(s, ":")+strings.Count(s, "-") != count-1 {
			return nil, 0, false
		}
		out := make([]int64, count)
		var micros int64
		for i, p := range parts {
			if i == count-1 && frac {
				ip, fp, has := strings.Cut(p, ".")
				if has {
					if fp == "" || len(fp) > 9 || !allDigits(fp) {
						return nil, 0, false
					}
					for len(fp) < 6 {
						fp += "0"
					}
					micros, _ = strconv.ParseInt(fp[:6], 10, 64)
				}
				p = ip
			}
			if p == "" || !allDigits(p) || len(p) > 18 {
				return nil, 0, false
			}
			out[i], _ = strconv.ParseInt(p, 10, 64)
		}
		return out, micros, true
	}
	ym := func(months int64) (*Literal, error) {
		return &Literal{Value: chunk.Int(sign * months), T: types.IntervalYM.WithNotNull(true)}, nil
	}
	dt := func(us int64) (*Literal, error) {
		return &Literal{Value: chunk.Int(sign * us), T: types.IntervalDT.WithNotNull(true)}, nil
	}
	const sec, min, hour = int64(1e6), int64(60e6), int64(3600e6)
	switch qual {
	case "YEAR":
		if v, _, ok := fields("", 1, false); ok {
			return ym(v[0] * 12)
		}
		return bad("years")
	case "MONTH":
		if v, _, ok := fields("", 1, false); ok {
			return ym(v[0])
		}
		return bad("months")
	case "YEAR TO MONTH":
		if v, _, ok := fields("-", 2, false); ok && v[1] < 12 {
			return ym(v[0]*12 + v[1])
		}
		return bad("years-months")
	case "DAY":
		if v, _, ok := fields("", 1, false); ok {
			return dt(v[0] * microsPerDay)
		}
		return bad("days")
	case "HOUR":
		if v, _, ok := fields("", 1, false); ok {
			return dt(v[0] * hour)
		}
		return bad("hours")
	case "MINUTE":
		if v, _, ok := fields("", 1, false); ok {
			return dt(v[0] * min)
		}
		return bad("minutes")
	case "SECOND":
		if v, us, ok := fields("", 1, true); ok {
			return dt(v[0]*sec + us)
		}
		return bad("seconds[.fraction]")
	case "DAY TO HOUR":
		if v, _, ok := fields(" ", 2, false); ok && v[1] < 24 {
			return dt(v[0]*microsPerDay + v[1]*hour)
		}
		return bad("days hours")
	case "DAY TO MINUTE":
		if v, _, ok := fields(" :", 3, false); ok && v[1] < 24 && v[2] < 60 {
			return dt(v[0]*microsPerDay + v[1]*hour + v[2]*min)
		}
		return bad("days hours:minutes")
	case "DAY TO SECOND":
		if v, us, ok := fields(" :", 4, true); ok && v[1] < 24 && v[2] < 60 && v[3] < 60 {
			return dt(v[0]*microsPerDay + v[1]*hour + v[2]*min + v[3]*sec + us)
		}
		return bad("days hours:minutes:seconds[.fraction]")
	case "HOUR TO MINUTE":
		if v, _, ok := fields(":", 2, false); ok && v[1] < 60 {
			return dt(v[0]*hour + v[1]*min)
		}
		return bad("hours:minutes")
	case "HOUR TO SECOND":
		if v, us, ok := fields(":", 3, true); ok && v[1] < 60 && v[2] < 60 {
			return dt(v[0]*hour + v[1]*min + v[2]*sec + us)
		}
		return bad("hours:minutes:seconds[.fraction]")
	case "MINUTE TO SECOND":
		if v, us, ok := fields(":", 2, true); ok && v[1] < 60 {
			return dt(v[0]*min + v[1]*sec + us)
		}
		return bad("minutes:seconds[.fraction]")
	}
	return nil, fmt.Errorf("unsupported interval qualifier %s", qual)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
