package textval

import (
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/floedb/floe/types"
)

func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ParseDate parses yyyy-MM-dd into days since the epoch.
func ParseDate(s string) (int64, error) {
	d, ok := parseDate(s)
	if !ok {
		return 0, fmt.Errorf("'%s' is not a date (yyyy-MM-dd)", s)
	}
	return d, nil
}

func parseDate(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400, true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParseTime parses HH:mm[:ss[.fffffffff]] into microseconds since midnight (extra digits
// beyond microseconds are truncated).
func ParseTime(s string) (int64, error) {
	t, ok := parseTime(s)
	if !ok {
		return 0, fmt.Errorf("'%s' is not a time (HH:mm:ss[.fff])", s)
	}
	return t, nil
}

func parseTime(s string) (int64, bool) {
	if len(s) < 5 || s[2] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[:2])
	m, ok2 := digits(s[3:5])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, false
	}
	sec, frac := 0, int64(0)
	rest := s[5:]
	if rest != "" {
		if len(rest) < 3 || rest[0] != ':' {
			return 0, false
		}
		var ok bool
		if sec, ok = digits(rest[1:3]); !ok || sec > 59 {
			return 0, false
		}
		rest = rest[3:]
		if rest != "" {
			if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
				return 0, false
			}
			f, ok := digits(rest[1:])
			if !ok {
				return 0, false
			}
			for n := len(rest) - 1; n < 9; n++ {
				f *= 10
			}
			frac = int64(f) / 1000
		}
	}
	return (int64(h)*3600+int64(m)*60+int64(sec))*1e6 + frac, true
}

// ParseTimestamp parses "yyyy-MM-dd HH:mm:ss[.fffffffff]" or the ISO form with 'T' into
// microseconds since the epoch. A trailing 'Z' is accepted when ltz is set (TIMESTAMP_LTZ,
// whose values are UTC instants).
func ParseTimestamp(s string, ltz bool) (int64, error) {
	v := s
	if ltz {
		v = strings.TrimSuffix(v, "Z")
	}
	if len(v) >= 16 && (v[10] == ' ' || v[10] == 'T') {
		if d, ok := parseDate(v[:10]); ok {
			if t, ok := parseTime(v[11:]); ok {
				return d*86400e6 + t, nil
			}
		}
	}
	if ltz {
		return 0, fmt.Errorf("'%s' is not a timestamp (yyyy-MM-dd HH:mm:ss[.fff][Z])", s)
	}
	return 0, fmt.Errorf("'%s' is not a timestamp (yyyy-MM-dd HH:mm:ss[.fff])", s)
}

// ParseDecimal parses a decimal number in plain or exponent notation ("-12.5", "1.25e3") into
// an unscaled value of DECIMAL(precision, scale), rounding half up as Flink does. A value with
// more integer digits than precision - scale is an error.
func ParseDecimal(s string, precision, scale int) (types.Decimal128, error) {
	bad := func() (types.Decimal128, error) {
		return types.Decimal128{}, fmt.Errorf("'%s' is not a number", s)
	}
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	exp := 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e := t[i+1:]
		eneg := false
		if e != "" && (e[0] == '-' || e[0] == '+') {
			eneg = e[0] == '-'
			e = e[1:]
		}
		if len(e) > 4 {
			return bad()
		}
		n, ok := digits(e)
		if !ok {
			return bad()
		}
		if eneg {
			n = -n
		}
		exp = n
		t = t[:i]
	}
	intPart, fracPart, _ := strings.Cut(t, ".")
	if intPart == "" && fracPart == "" {
		return bad()
	}
	if (intPart != "" && !allDigits(intPart)) || (fracPart != "" && !allDigits(fracPart)) {
		return bad()
	}
	// value = digits · 10^(exp - len(fracPart)); we want unscaled = value · 10^scale.
	mant := strings.TrimLeft(intPart+fracPart, "0")
	shift := exp - len(fracPart) + scale
	b := new(big.Int)
	if mant != "" {
		b.SetString(mant, 10)
	}
	if shift >= 0 {
		if shift > 80 && b.Sign() != 0 {
			return types.Decimal128{}, fmt.Errorf("'%s' does not fit DECIMAL(%d, %d)", s, precision, scale)
		}
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		if -shift > 80 {
			b.SetInt64(0)
		} else {
			q, r := new(big.Int).QuoRem(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil), new(big.Int))
			// Round half up: compare 2·r with the divisor.
			div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)
			if r.Lsh(r, 1).Cmp(div) >= 0 {
				q.Add(q, big.NewInt(1))
			}
			b = q
		}
	}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision)), nil)
	if b.Cmp(limit) >= 0 {
		return types.Decimal128{}, fmt.Errorf("'%s' does not fit DECIMAL(%d, %d)", s, precision, scale)
	}
	if neg {
		b.Neg(b)
	}
	d, _ := types.DecimalFromBig(b)
	return d, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AppendTimestamp appends micros as "yyyy-MM-dd HH:mm:ss" plus precision (0..6) fraction
// digits.
func AppendTimestamp(b []byte, micros int64, precision int) []byte {
	days := micros / 86400e6
	rem := micros % 86400e6
	if rem < 0 {
		days--
		rem += 86400e6
	}
	b = AppendDate(b, days)
	b = append(b, ' ')
	return AppendTime(b, rem, precision)
}

// AppendDate appends days since the epoch as yyyy-MM-dd.
func AppendDate(b []byte, days int64) []byte {
	return time.Unix(days*86400, 0).UTC().AppendFormat(b, "2006-01-02")
}

// AppendTime appends microseconds since midnight as HH:mm:ss plus precision (0..6) fraction
// digits.
func AppendTime(b []byte, micros int64, precision int) []byte {
	secs := micros / 1e6
	b = append2(b, secs/3600)
	b = append(b, ':')
	b = append2(b, secs/60%60)
	b = append(b, ':')
	b = append2(b, secs%60)
	precision = min(max(precision, 0), 6)
	if precision > 0 {
		b = append(b, '.')
		f := micros % 1e6
		for i, div := 0, int64(100000); i < precision; i, div = i+1, div/10 {
			b = append(b, byte('0'+f/div%10))
		}
	}
	return b
}

func append2(b []byte, v int64) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, everything else (including non-ASCII)
// written as is.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript readers; escape them.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
