package datagen

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/connector/internal/textval"
	"github.com/floedb/floe/types"
)

func spec() connector.Spec {
	return connector.Spec{
		{Key: "rows-per-second", Type: connector.Int, Default: "10000", Doc: "Rows per second over all splits; the source follows the wall clock at this rate."},
		{Key: "number-of-rows", Type: connector.Int, Doc: "Total number of rows; the source is bounded when set. Unset means unbounded unless a field is a sequence."},
		{Key: "seed", Type: connector.Int, Doc: "Seed of the random values (Floe extension): the same seed, options and parallelism give the same rows. Random temporal values are still relative to the current time. Unset means a different seed every run."},
		{Key: "fields.#.kind", Type: connector.Enum, Enum: []string{"random", "sequence"}, Doc: "Generator of the field: 'random' (default) or 'sequence'. A sequence bounds the source: it ends when any sequence is exhausted."},
		{Key: "fields.#.start", Type: connector.String, Doc: "First value of a sequence (an integer); required for a sequence."},
		{Key: "fields.#.end", Type: connector.String, Doc: "Last value of a sequence (an integer, inclusive); required for a sequence."},
		{Key: "fields.#.min", Type: connector.String, Doc: "Smallest random value of a numeric field; defaults to the type's minimum."},
		{Key: "fields.#.max", Type: connector.String, Doc: "Largest random value of a numeric field; defaults to the type's maximum."},
		{Key: "fields.#.max-past", Type: connector.Duration, Doc: "Random DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ values lie between the current time minus max-past and the current time; default 0."},
		{Key: "fields.#.length", Type: connector.Int, Doc: "Length of random CHAR, VARCHAR, STRING and BYTES values; default 100 (or the declared length when shorter). Strings are lowercase hexadecimal, as in Flink."},
		{Key: "fields.#.var-len", Type: connector.Bool, Doc: "Random strings and bytes get a length uniform between 1 and 'length'."},
		{Key: "fields.#.null-rate", Type: connector.Float, Doc: "Fraction of NULL values, between 0 and 1; default 0."},
	}
}

type kind uint8

const (
	kindRandom kind = iota
	kindSequence
)

// field is the validated generator of one column.
type field struct {
	name string
	typ  types.Type
	kind kind
	// sequence: [start, end]
	start, end int64
	// random integers (and DATE days): [minI, maxI]; floats: [minF, maxF]; decimals: [minD, maxD]
	minI, maxI int64
	minF, maxF float64
	minD, maxD *big.Int
	length     int
	varLen     bool
	maxPast    time.Duration
	nullRate   float64
}

func optErr(key, format string, args ...any) error {
	return &connector.OptionError{Key: key, Msg: fmt.Sprintf(format, args...)}
}

var fieldOptions = []string{"kind", "start", "end", "min", "max", "max-past", "length", "var-len", "null-rate"}

func intRange(t types.Type) (int64, int64, bool) {
	switch t.Kind {
	case types.TinyInt:
		return math.MinInt8, math.MaxInt8, true
	case types.SmallInt:
		return math.MinInt16, math.MaxInt16, true
	case types.Int:
		return math.MinInt32, math.MaxInt32, true
	case types.BigInt:
		return math.MinInt64, math.MaxInt64, true
	}
	return 0, 0, false
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// parseFields validates the per-field options against the columns.
func parseFields(table string, cols []connector.Column, o connector.Options) ([]*field, error) {
	byName := map[string]*field{}
	fields := make([]*field, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		f := &field{name: c.Name, typ: c.Type}
		fields[i], byName[c.Name], names[i] = f, f, c.Name
	}
	set := map[string]map[string]string{}
	for _, key := range o.WithPrefix("fields.") {
		rest := strings.TrimPrefix(key, "fields.")
		dot := strings.LastIndexByte(rest, '.')
		if dot < 0 {
			return nil, optErr(key, "unknown option")
		}
		name, opt := rest[:dot], rest[dot+1:]
		if _, ok := byName[name]; !ok {
			msg := fmt.Sprintf("table '%s' has no column '%s' (columns: %s)", table, name, strings.Join(names, ", "))
			for _, n := range names {
				if strings.EqualFold(n, name) {
					msg = fmt.Sprintf("table '%s' has no column '%s' (did you mean '%s'? field names are case-sensitive)", table, name, n)
				}
			}
			return nil, optErr(key, "%s", msg)
		}
		if set[name] == nil {
			set[name] = map[string]string{}
		}
		set[name][opt] = o.String(key)
	}
	for _, f := range fields {
		if err := f.configure(set[f.name]); err != nil {
			return nil, err
		}
	}
	return fields, nil
}

func (f *field) key(opt string) string { return "fields." + f.name + "." + opt }

func (f *field) configure(opts map[string]string) error {
	has := func(opt string) bool { _, ok := opts[opt]; return ok }
	t := f.typ
	if strings.EqualFold(opts["kind"], "sequence") {
		f.kind = kindSequence
	}
	if v, ok := opts["null-rate"]; ok {
		r, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !(r >= 0 && r <= 1) {
			return optErr(f.key("null-rate"), "%s is not between 0 and 1", v)
		}
		f.nullRate = r
	}
	if f.kind == kindSequence {
		for _, opt := range []string{"min", "max", "max-past", "length", "var-len"} {
			if has(opt) {
				return optErr(f.key(opt), "applies only to random fields, and field '%s' is a sequence", f.name)
			}
		}
		switch {
		case t.IsInteger(), t.Kind == types.Float, t.Kind == types.Double, t.Kind == types.Decimal, t.IsString():
		default:
			return optErr(f.key("kind"), "a sequence cannot generate %s values (only numbers and strings)", t)
		}
		if !has("start") || !has("end") {
			missing := "start"
			if has("start") {
				missing = "end"
			}
			return optErr(f.key(missing), "required for the sequence field '%s'", f.name)
		}
		var err error
		if f.start, err = f.seqBound("start", opts["start"]); err != nil {
			return err
		}
		if f.end, err = f.seqBound("end", opts["end"]); err != nil {
			return err
		}
		if f.start > f.end {
			return optErr(f.key("start"), "%d is after the end %d", f.start, f.end)
		}
		return nil
	}
	for _, opt := range []string{"start", "end"} {
		if has(opt) {
			return optErr(f.key(opt), "applies only to sequence fields, and field '%s' is random (set 'fields.%s.kind' = 'sequence')", f.name, f.name)
		}
	}
	numeric := t.IsNumeric()
	temporal := t.Kind == types.Date || t.Kind == types.Time || t.IsTimestamp()
	stringy := t.IsString() || t.Kind == types.Bytes
	for _, c := range []struct {
		opt string
		ok  bool
		of  string
	}{{"min", numeric, "numeric"}, {"max", numeric, "numeric"}, {"max-past", temporal, "DATE, TIME and TIMESTAMP"}, {"length", stringy, "string and bytes"}, {"var-len", stringy, "string and bytes"}} {
		if has(c.opt) && !c.ok {
			return optErr(f.key(c.opt), "applies only to %s fields, and field '%s' is %s", c.of, f.name, t)
		}
	}
	switch {
	case t.Kind == types.Boolean:
	case t.IsInteger():
		lo, hi, _ := intRange(t)
		f.minI, f.maxI = lo, hi
		for _, b := range []struct {
			opt string
			dst *int64
		}{{"min", &f.minI}, {"max", &f.maxI}} {
			if v, ok := opts[b.opt]; ok {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil || n < lo || n > hi {
					return optErr(f.key(b.opt), "'%s' is not a %s value", v, t)
				}
				*b.dst = n
			}
		}
		if f.minI > f.maxI {
			return optErr(f.key("min"), "%d is greater than the max %d", f.minI, f.maxI)
		}
	case t.Kind == types.Float || t.Kind == types.Double:
		f.minF, f.maxF = -math.MaxFloat64, math.MaxFloat64
		if t.Kind == types.Float {
			f.minF, f.maxF = -math.MaxFloat32, math.MaxFloat32
		}
		for _, b := range []struct {
			opt string
			dst *float64
		}{{"min", &f.minF}, {"max", &f.maxF}} {
			if v, ok := opts[b.opt]; ok {
				x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return optErr(f.key(b.opt), "'%s' is not a finite number", v)
				}
				*b.dst = x
			}
		}
		if f.minF > f.maxF {
			return optErr(f.key("min"), "%g is greater than the max %g", f.minF, f.maxF)
		}
	case t.Kind == types.Decimal:
		lim := new(big.Int).Sub(pow10(t.Precision), big.NewInt(1))
		f.minD, f.maxD = new(big.Int).Neg(lim), lim
		for _, b := range []struct {
			opt string
			dst **big.Int
		}{{"min", &f.minD}, {"max", &f.maxD}} {
			if v, ok := opts[b.opt]; ok {
				d, err := textval.ParseDecimal(v, t.Precision, t.Scale)
				if err != nil {
					return optErr(f.key(b.opt), "%v", err)
				}
				*b.dst = d.Big()
			}
		}
		if f.minD.Cmp(f.maxD) > 0 {
			return optErr(f.key("min"), "%s is greater than the max %s", opts["min"], opts["max"])
		}
	case stringy:
		declared := t.Length
		if declared <= 0 {
			declared = types.MaxLength
		}
		f.length = min(100, declared)
		if t.Kind == types.Char {
			f.length = declared
		}
		if v, ok := opts["length"]; ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			switch {
			case n < 0 || n > 1<<20:
				return optErr(f.key("length"), "%d is not between 0 and 1048576", n)
			case t.Kind == types.Char && int(n) != declared:
				return optErr(f.key("length"), "%d differs from the length %d of the fixed-length type %s", n, declared, t)
			case int(n) > declared:
				return optErr(f.key("length"), "%d is longer than the length %d of the type %s", n, declared, t)
			}
			f.length = int(n)
		}
		if v, ok := opts["var-len"]; ok {
			f.varLen, _ = strconv.ParseBool(strings.TrimSpace(v))
			if f.varLen && t.Kind == types.Char {
				return optErr(f.key("var-len"), "does not apply to the fixed-length type %s", t)
			}
		}
	case temporal:
		if v, ok := opts["max-past"]; ok {
			d, _ := connector.ParseDuration(v)
			f.maxPast = d
		}
	default:
		return fmt.Errorf("datagen cannot generate column '%s' of type %s", f.name, t)
	}
	return nil
}

func (f *field) seqBound(opt, v string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, optErr(f.key(opt), "'%s' is not an integer", v)
	}
	if lo, hi, ok := intRange(f.typ); ok && (n < lo || n > hi) {
		return 0, optErr(f.key(opt), "%d is out of the range of %s", n, f.typ)
	}
	if f.typ.Kind == types.Decimal {
		if _, err := textval.ParseDecimal(v, f.typ.Precision, f.typ.Scale); err != nil {
			return 0, optErr(f.key(opt), "%v", err)
		}
	}
	return n, nil
}
