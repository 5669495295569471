package filesystem

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector/internal/textval"
	"github.com/floedb/floe/types"
)

// supported reports whether the formats can hold values of type t (MAP only in JSON).
func supported(t types.Type, format string) bool {
	switch t.Kind {
	case types.Unknown, types.IntervalDayTime, types.IntervalYearMonth:
		return false
	case types.Map:
		return format == "json"
	}
	return true
}

func intBounds(k types.Kind) (int64, int64) {
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

// parseText converts the text form of a value (a CSV field, a JSON string or number) to a
// datum of type t.
func parseText(t types.Type, s string) (chunk.Datum, error) {
	switch t.Kind {
	case types.Boolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return chunk.Bool(true), nil
		case "false":
			return chunk.Bool(false), nil
		}
		return chunk.Datum{}, fmt.Errorf("'%s' is not a BOOLEAN", s)
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		lo, hi := intBounds(t.Kind)
		if err != nil || n < lo || n > hi {
			return chunk.Datum{}, fmt.Errorf("'%s' is not a %s", s, t)
		}
		return chunk.Int(n), nil
	case types.Float, types.Double:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return chunk.Datum{}, fmt.Errorf("'%s' is not a %s", s, t)
			}
		}
		if t.Kind == types.Float {
			f = float64(float32(f))
		}
		return chunk.Float(f), nil
	case types.Decimal:
		d, err := textval.ParseDecimal(s, t.Precision, t.Scale)
		if err != nil {
			return chunk.Datum{}, err
		}
		return chunk.Dec(d), nil
	case types.Char, types.Varchar:
		return chunk.Str(s), nil
	case types.Bytes:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return chunk.Datum{}, fmt.Errorf("'%s' is not base64", s)
		}
		return chunk.Str(string(b)), nil
	case types.Date:
		d, err := textval.ParseDate(s)
		return chunk.Int(d), err
	case types.Time:
		us, err := textval.ParseTime(s)
		return chunk.Int(us), err
	case types.Timestamp, types.TimestampLTZ:
		us, err := textval.ParseTimestamp(s, t.Kind == types.TimestampLTZ)
		return chunk.Int(us), err
	}
	return chunk.Datum{}, fmt.Errorf("type %s is not supported", t)
}

// appendText appends the text form of a non-null value of type t. iso selects the ISO-8601
// timestamp form ('T' separator) instead of the SQL form.
func appendText(b []byte, t types.Type, d chunk.Datum, iso bool) []byte {
	switch t.Kind {
	case types.Boolean:
		return strconv.AppendBool(b, d.I != 0)
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		return strconv.AppendInt(b, d.I, 10)
	case types.Float:
		return appendFloat(b, d.F, 32)
	case types.Double:
		return appendFloat(b, d.F, 64)
	case types.Decimal:
		return append(b, d.D.String(t.Scale)...)
	case types.Char, types.Varchar:
		return append(b, d.S...)
	case types.Bytes:
		return base64.StdEncoding.AppendEncode(b, []byte(d.S))
	case types.Date:
		return textval.AppendDate(b, d.I)
	case types.Time:
		return textval.AppendTime(b, d.I, t.Precision)
	case types.Timestamp, types.TimestampLTZ:
		start := len(b)
		b = textval.AppendTimestamp(b, d.I, t.Precision)
		if iso {
			b[start+10] = 'T'
		}
		if t.Kind == types.TimestampLTZ {
			b = append(b, 'Z')
		}
		return b
	}
	return b
}

// appendFloat writes the shortest text that reads back as the same value, in plain notation
// for 1e-6 <= |f| < 1e21 and exponent notation otherwise (as JavaScript and encoding/json);
// NaN and infinities as NaN, Infinity, -Infinity.
func appendFloat(b []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, bitSize)
	if format == 'e' {
		// Clean up e-09 to e-9.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
