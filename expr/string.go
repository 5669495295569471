package expr

import (
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// String renders the column's name, or $index when it has none.
func (e *ColumnRef) String() string {
	if e.Name != "" {
		return e.Name
	}
	return "$" + strconv.Itoa(e.Index)
}

// String renders the literal in SQL syntax: 'abc', 1.5, TRUE, DATE '2020-01-01',
// TIMESTAMP '2020-04-15 08:05:00.123', INTERVAL '5' SECOND, NULL.
func (e *Literal) String() string {
	d, t := e.Value, e.T
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
	case types.Float, types.Double:
		s := chunk.FormatJavaDouble(d.F, 64)
		if !strings.ContainsAny(s, "EN") {
			// Keep the DOUBLE type visible: 1.5 would read back as a DECIMAL.
			s += "E0"
		}
		return s
	case types.Decimal:
		return d.D.String(t.Scale)
	case types.Char, types.Varchar:
		return quote(d.S)
	case types.Bytes:
		return "X'" + hex.EncodeToString([]byte(d.S)) + "'"
	case types.Date:
		return "DATE '" + chunk.FormatDate(d.I) + "'"
	case types.Time:
		return "TIME '" + formatTime(d.I, t.Precision) + "'"
	case types.Timestamp:
		return "TIMESTAMP '" + chunk.FormatTimestamp(d.I, t.Precision) + "'"
	case types.TimestampLTZ:
		return "TO_TIMESTAMP_LTZ(" + strconv.FormatInt(d.I, 10) + ", 6)"
	case types.IntervalDayTime:
		return formatIntervalDT(d.I)
	case types.IntervalYearMonth:
		if d.I%12 == 0 {
			return "INTERVAL '" + strconv.FormatInt(d.I/12, 10) + "' YEAR"
		}
		return "INTERVAL '" + strconv.FormatInt(d.I, 10) + "' MONTH"
	case types.Map:
		keys := make([]string, 0, len(d.M))
		for k := range d.M {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, 2*len(keys))
		for _, k := range keys {
			parts = append(parts, quote(k), quote(d.M[k]))
		}
		return "MAP[" + strings.Join(parts, ", ") + "]"
	}
	return chunk.FormatDatum(t, d)
}

func formatIntervalDT(us int64) string {
	units := []struct {
		name string
		size int64
	}{{"DAY", microsPerDay}, {"HOUR", 3600e6}, {"MINUTE", 60e6}, {"SECOND", 1e6}}
	for _, u := range units {
		if us%u.size == 0 {
			return "INTERVAL '" + strconv.FormatInt(us/u.size, 10) + "' " + u.name
		}
	}
	sign := ""
	if us < 0 {
		sign, us = "-", -us
	}
	frac := strings.TrimRight(strconv.FormatInt(1e6+us%1e6, 10)[1:], "0")
	return "INTERVAL '" + sign + strconv.FormatInt(us/1e6, 10) + "." + frac + "' SECOND"
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// infixOps are rendered as (a op b).
var infixOps = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "%": true, "||": true,
	"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
	"AND": true, "OR": true, "IS DISTINCT FROM": true, "IS NOT DISTINCT FROM": true,
	"SIMILAR TO": true,
}

// String renders the call: operators infix in parentheses ((price * 0.908)), postfix tests
// ((x IS NULL)), functions as NAME(args).
func (e *Call) String() string {
	name := "?"
	if e.Fn != nil {
		name = e.Fn.Name
	}
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	switch {
	case infixOps[name] && len(args) == 2:
		return "(" + args[0] + " " + name + " " + args[1] + ")"
	case name == "NEG" && len(args) == 1:
		return "-" + args[0]
	case name == "NOT" && len(args) == 1:
		return "NOT " + args[0]
	case strings.HasPrefix(name, "IS ") && len(args) == 1:
		return "(" + args[0] + " " + name + ")"
	case (name == "LIKE" || name == "NOT LIKE") && len(args) >= 2:
		s := "(" + args[0] + " " + name + " " + args[1]
		if len(args) == 3 {
			s += " ESCAPE " + args[2]
		}
		return s + ")"
	case (name == "IN" || name == "NOT IN") && len(args) >= 1:
		return "(" + args[0] + " " + name + " (" + strings.Join(args[1:], ", ") + "))"
	case name == "ITEM" && len(args) == 2:
		return args[0] + "[" + args[1] + "]"
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

// String renders CAST(x AS T) or TRY_CAST(x AS T).
func (e *Cast) String() string {
	f := "CAST("
	if e.Try {
		f = "TRY_CAST("
	}
	return f + e.Arg.String() + " AS " + e.T.Nullable().String() + ")"
}

// String renders CASE WHEN c THEN r ... [ELSE e] END.
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Result.String())
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + e.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}
