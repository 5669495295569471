package exectest

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// SplitList splits s at top-level commas (not inside parentheses or single quotes) and trims
// the parts. An empty or blank s gives no parts.
func SplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var parts []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(parts, strings.TrimSpace(s[start:]))
}

// ParseTypes parses a comma-separated list of SQL types, e.g. "STRING, DECIMAL(10, 2)".
func ParseTypes(s string) ([]types.Type, error) {
	var ts []types.Type
	for _, p := range SplitList(s) {
		t, err := ParseType(p)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// ParseType parses one SQL type in Flink's syntax, with an optional NOT NULL: BOOLEAN,
// TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p, s), CHAR(n), VARCHAR(n), STRING,
// BYTES, DATE, TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p).
func ParseType(s string) (types.Type, error) {
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	notNull := false
	if rest, ok := strings.CutSuffix(s, " NOT NULL"); ok {
		s, notNull = strings.TrimSpace(rest), true
	}
	name, params := s, []int(nil)
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return types.Type{}, fmt.Errorf("invalid type %q", orig)
		}
		name = strings.TrimSpace(s[:i])
		for _, p := range strings.Split(s[i+1:len(s)-1], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return types.Type{}, fmt.Errorf("invalid type %q: bad parameter %q", orig, p)
			}
			params = append(params, n)
		}
	}
	param := func(i, def int) int {
		if i < len(params) {
			return params[i]
		}
		return def
	}
	var t types.Type
	switch name {
	case "BOOLEAN":
		t = types.BooleanType
	case "TINYINT":
		t = types.TinyIntType
	case "SMALLINT":
		t = types.SmallIntType
	case "INT", "INTEGER":
		t = types.IntType
	case "BIGINT":
		t = types.BigIntType
	case "FLOAT":
		t = types.FloatType
	case "DOUBLE":
		t = types.DoubleType
	case "DECIMAL":
		t = types.DecimalType(param(0, 10), param(1, 0))
	case "CHAR":
		t = types.CharType(param(0, 1))
	case "VARCHAR":
		t = types.VarcharType(param(0, 1))
	case "STRING":
		t = types.StringType
	case "BYTES":
		t = types.BytesType
	case "DATE":
		t = types.DateType
	case "TIME":
		t = types.TimeType(param(0, 0))
	case "TIMESTAMP":
		t = types.TimestampType(param(0, 6))
	case "TIMESTAMP_LTZ":
		t = types.TimestampLTZType(param(0, 6))
	default:
		return types.Type{}, fmt.Errorf("unknown type %q", orig)
	}
	return t.WithNotNull(notNull), nil
}

// timestampLayouts are the accepted timestamp forms, tried in order.
var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02",
}

// ParseTimestamp parses "2020-04-15 08:05:00.000" (seconds and fraction optional, 'T'
// accepted, a trailing 'Z' ignored) as microseconds since the epoch, reading the wall clock
// as UTC.
func ParseTimestamp(s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "Z")
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixMicro(), nil
		}
	}
	return 0, fmt.Errorf("invalid timestamp %q (want yyyy-MM-dd HH:mm[:ss[.fff]])", s)
}

// ParseValue parses one value of type t as the print connector renders it; "null" is NULL.
// Strings may be single-quoted to hold commas or the word null.
func ParseValue(t types.Type, s string) (chunk.Datum, error) {
	s = strings.TrimSpace(s)
	if s == "null" {
		return chunk.NullDatum, nil
	}
	bad := func(err error) (chunk.Datum, error) {
		return chunk.Datum{}, fmt.Errorf("invalid %s value %q: %v", t, s, err)
	}
	switch t.Kind {
	case types.Boolean:
		switch strings.ToLower(s) {
		case "true":
			return chunk.Bool(true), nil
		case "false":
			return chunk.Bool(false), nil
		}
		return bad(fmt.Errorf("want true or false"))
	case types.TinyInt, types.SmallInt, types.Int, types.BigInt:
		bits := map[types.Kind]int{types.TinyInt: 8, types.SmallInt: 16, types.Int: 32, types.BigInt: 64}[t.Kind]
		v, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return bad(err)
		}
		return chunk.Int(v), nil
	case types.Float, types.Double:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad(err)
		}
		if t.Kind == types.Float {
			v = float64(float32(v))
		}
		return chunk.Float(v), nil
	case types.Decimal:
		d, _, scale, err := types.ParseDecimal(s)
		if err != nil {
			return bad(err)
		}
		d, ok := d.Rescale(scale, t.Scale, types.HalfUp)
		if !ok || !d.FitsPrecision(t.Precision) {
			return bad(fmt.Errorf("out of range"))
		}
		return chunk.Dec(d), nil
	case types.Char, types.Varchar:
		if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
			s = s[1 : len(s)-1]
		}
		return chunk.Str(s), nil
	case types.Bytes:
		h, ok := strings.CutPrefix(s, "x'")
		if !ok || !strings.HasSuffix(h, "'") {
			return bad(fmt.Errorf("want x'hex'"))
		}
		b, err := hex.DecodeString(h[:len(h)-1])
		if err != nil {
			return bad(err)
		}
		return chunk.Str(string(b)), nil
	case types.Date:
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return bad(err)
		}
		return chunk.Int(d.Unix() / 86400), nil
	case types.Time:
		for _, l := range []string{"15:04:05.999999999", "15:04"} {
			if d, err := time.Parse(l, s); err == nil {
				return chunk.Int(int64(d.Hour())*3600e6 + int64(d.Minute())*60e6 + int64(d.Second())*1e6 + int64(d.Nanosecond())/1000), nil
			}
		}
		return bad(fmt.Errorf("want HH:mm[:ss[.fff]]"))
	case types.Timestamp, types.TimestampLTZ:
		v, err := ParseTimestamp(s)
		if err != nil {
			return bad(err)
		}
		return chunk.Int(v), nil
	}
	return chunk.Datum{}, fmt.Errorf("values of type %s cannot be written in test rows", t)
}

// ParseRow parses a row in print form, "+I[a, 1, null]", with the given column types.
func ParseRow(ts []types.Type, s string) (chunk.RowKind, []chunk.Datum, error) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || s[2] != '[' || s[len(s)-1] != ']' {
		return 0, nil, fmt.Errorf("invalid row %q (want e.g. +I[a, 1])", s)
	}
	kind, err := chunk.ParseRowKind(s[:2])
	if err != nil {
		return 0, nil, fmt.Errorf("invalid row %q: %w", s, err)
	}
	fields := SplitList(s[3 : len(s)-1])
	if len(fields) != len(ts) {
		return 0, nil, fmt.Errorf("row %q has %d values, want %d", s, len(fields), len(ts))
	}
	row := make([]chunk.Datum, len(ts))
	for i, f := range fields {
		if row[i], err = ParseValue(ts[i], f); err != nil {
			return 0, nil, fmt.Errorf("row %q: column %d: %w", s, i, err)
		}
	}
	return kind, row, nil
}

// ParseChunk parses rows in print form into one chunk. Blank lines and lines starting with #
// are skipped.
func ParseChunk(ts []types.Type, rows []string) (*chunk.Chunk, error) {
	c := chunk.New(ts, len(rows))
	for _, r := range rows {
		if r = strings.TrimSpace(r); r == "" || strings.HasPrefix(r, "#") {
			continue
		}
		kind, row, err := ParseRow(ts, r)
		if err != nil {
			return nil, err
		}
		c.AppendRow(kind, row)
	}
	return c, nil
}
