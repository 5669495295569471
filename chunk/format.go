package chunk

import (
	"encoding/hex"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/types"
)

// FormatDatum renders a value the way Flink's print connector does (Java's toString of the
// external type): NULL as "null", TIMESTAMP like LocalDateTime ("2020-04-15T08:05:00.123"),
// DOUBLE like Double.toString, DECIMAL in plain notation with its scale.
func FormatDatum(t types.Type, d Datum) string {
	if d.Null {
		return "null"
	}
	switch t.Kind {
	case types.Boolean:
		if d.I != 0 {
			return "true"
		}
		return "false"
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		return strconv.FormatInt(d.I, 10)
	case types.Float:
		return FormatJavaDouble(float64(float32(d.F)), 32)
	case types.Double:
		return FormatJavaDouble(d.F, 64)
	case types.Decimal:
		return d.D.String(t.Scale)
	case types.Char, types.Varchar:
		return d.S
	case types.Bytes:
		return "x'" + hex.EncodeToString([]byte(d.S)) + "'"
	case types.Date:
		return FormatDate(d.I)
	case types.Time:
		return FormatJavaTime(d.I)
	case types.Timestamp:
		return FormatJavaLocalDateTime(d.I)
	case types.TimestampLTZ:
		return FormatJavaLocalDateTime(d.I) + "Z"
	case types.IntervalDayTime:
		return FormatIntervalDayTime(d.I)
	case types.IntervalYearMonth:
		sign := "+"
		m := d.I
		if m < 0 {
			sign, m = "-", -m
		}
		return sign + strconv.FormatInt(m/12, 10) + "-" + pad(m%12, 2)
	case types.Map:
		keys := make([]string, 0, len(d.M))
		for k := range d.M {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + "=" + d.M[k])
		}
		b.WriteByte('}')
		return b.String()
	}
	return "?"
}

func pad(v int64, n int) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// FormatDate renders days since the epoch as yyyy-MM-dd.
func FormatDate(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format("2006-01-02")
}

// fraction renders microseconds as Java's LocalTime does: omitted when zero, otherwise in
// groups of three digits.
func fraction(micros int64) string {
	if micros == 0 {
		return ""
	}
	if micros%1000 == 0 {
		return "." + pad(micros/1000, 3)
	}
	return "." + pad(micros, 6)
}

// FormatJavaTime renders microseconds since midnight like java.time.LocalTime.toString.
func FormatJavaTime(micros int64) string {
	secs := micros / 1e6
	frac := micros % 1e6
	s := pad(secs/3600, 2) + ":" + pad(secs/60%60, 2)
	if secs%60 != 0 || frac != 0 {
		s += ":" + pad(secs%60, 2) + fraction(frac)
	}
	return s
}

// FormatJavaLocalDateTime renders epoch microseconds like java.time.LocalDateTime.toString.
func FormatJavaLocalDateTime(micros int64) string {
	days := floorDiv(micros, 86400e6)
	rem := micros - days*86400e6
	return FormatDate(days) + "T" + FormatJavaTime(rem)
}

// FormatTimestamp renders epoch microseconds as "yyyy-MM-dd HH:mm:ss[.fff]" with exactly
// precision fractional digits (precision 0..6), Flink's SQL text form.
func FormatTimestamp(micros int64, precision int) string {
	days := floorDiv(micros, 86400e6)
	rem := micros - days*86400e6
	secs := rem / 1e6
	s := FormatDate(days) + " " + pad(secs/3600, 2) + ":" + pad(secs/60%60, 2) + ":" + pad(secs%60, 2)
	if precision > 6 {
		precision = 6
	}
	if precision > 0 {
		f := pad(rem%1e6, 6)
		s += "." + f[:precision]
	}
	return s
}

// FormatIntervalDayTime renders microseconds as Flink does: "+1 02:03:04.000".
func FormatIntervalDayTime(micros int64) string {
	sign := "+"
	if micros < 0 {
		sign, micros = "-", -micros
	}
	ms := micros / 1000
	return sign + strconv.FormatInt(ms/86400000, 10) + " " + pad(ms/3600000%24, 2) + ":" +
		pad(ms/60000%60, 2) + ":" + pad(ms/1000%60, 2) + "." + pad(ms%1000, 3)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// FormatJavaDouble renders f like Java's Double.toString (bits=64) or Float.toString (bits=32):
// plain notation for 1e-3 <= |f| < 1e7, otherwise computerized scientific notation ("1.0E10").
func FormatJavaDouble(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits) // e.g. 1E+10, 1.5E-05
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
