package expr

// Date and time built-ins: DATE_FORMAT, EXTRACT and its shorthands (YEAR, HOUR, ...),
// FLOOR/CEIL to a unit, TO_TIMESTAMP, TO_DATE, TO_TIMESTAMP_LTZ, FROM_UNIXTIME, UNIX_TIMESTAMP,
// TIMESTAMPADD, TIMESTAMPDIFF, CONVERT_TZ and the clock functions (CURRENT_TIMESTAMP, PROCTIME...).
//
// A TIMESTAMP is a wall clock without zone, used as is. A TIMESTAMP_LTZ is an instant; functions
// that look at its calendar fields see it in the session time zone (Context.Location). A DATE
// is midnight of its day.

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// tfUnit is a time unit named in EXTRACT, FLOOR/CEIL, TIMESTAMPADD and TIMESTAMPDIFF.
type tfUnit uint8

const (
	tuNone tfUnit = iota
	tuMicrosecond
	tuMillisecond
	tuSecond
	tuMinute
	tuHour
	tuDay
	tuWeek
	tuMonth
	tuQuarter
	tuYear
	tuDecade
	tuCentury
	tuMillennium
	tuDOY
	tuDOW
	tuISODOW
	tuISOYear
	tuEpoch
)

var tfUnitNames = map[string]tfUnit{
	"MICROSECOND": tuMicrosecond, "MILLISECOND": tuMillisecond, "SECOND": tuSecond,
	"MINUTE": tuMinute, "HOUR": tuHour, "DAY": tuDay, "WEEK": tuWeek, "MONTH": tuMonth,
	"QUARTER": tuQuarter, "YEAR": tuYear, "DECADE": tuDecade, "CENTURY": tuCentury,
	"MILLENNIUM": tuMillennium, "DOY": tuDOY, "DOW": tuDOW, "ISODOW": tuISODOW,
	"ISOYEAR": tuISOYear, "EPOCH": tuEpoch,
	"FRAC_SECOND": tuMicrosecond, "DAYOFYEAR": tuDOY, "DAYOFWEEK": tuDOW,
}

// tfUnitMicros is the fixed length of the sub-month units.
var tfUnitMicros = map[tfUnit]int64{
	tuMicrosecond: 1, tuMillisecond: 1000, tuSecond: tfMicrosPerSecond, tuMinute: tfMicrosPerMinute,
	tuHour: tfMicrosPerHour, tuDay: tfMicrosPerDay, tuWeek: 7 * tfMicrosPerDay,
}

// tfUnitArg reads the unit literal of argument i; allowed lists the units the function accepts.
func tfUnitArg(fn string, consts []*chunk.Datum, i int, allowed ...tfUnit) (tfUnit, error) {
	s, ok := sfConstStr(consts, i)
	if !ok {
		return tuNone, fmt.Errorf("%s: the time unit must be a literal such as 'DAY'", fn)
	}
	name := strings.ToUpper(strings.TrimSpace(s))
	name = strings.TrimPrefix(name, "SQL_TSI_")
	u := tfUnitNames[name]
	for _, a := range allowed {
		if u == a && u != tuNone {
			return u, nil
		}
	}
	names := make([]string, len(allowed))
	for k, a := range allowed {
		names[k] = tfUnitName(a)
	}
	return tuNone, fmt.Errorf("%s: unsupported time unit %q (want one of %s)", fn, s, strings.Join(names, ", "))
}

func tfUnitName(u tfUnit) string {
	for _, n := range []string{"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK",
		"MONTH", "QUARTER", "YEAR", "DECADE", "CENTURY", "MILLENNIUM", "DOY", "DOW", "ISODOW", "ISOYEAR", "EPOCH"} {
		if tfUnitNames[n] == u {
			return n
		}
	}
	return "?"
}

// tfLoc returns the session time zone.
func tfLoc(ctx *Context) *time.Location {
	if ctx == nil || ctx.Location == nil {
		return time.UTC
	}
	return ctx.Location
}

// tfNow returns the context's clock reading.
func tfNow(ctx *Context) time.Time {
	if ctx == nil || ctx.Now == nil {
		return time.Now()
	}
	return ctx.Now()
}

// tfToLocal converts a value of kind k (TIMESTAMP, TIMESTAMP_LTZ, DATE, TIME) to wall-clock
// microseconds.
func tfToLocal(k types.Kind, v int64, z *tfZone, loc *time.Location) int64 {
	switch k {
	case types.TimestampLTZ:
		return z.local(loc, v)
	case types.Date:
		return v * tfMicrosPerDay
	}
	return v
}

// tfISOWeek returns the ISO-8601 week number and week-based year of a day.
func tfISOWeek(days int64) (week, year int64) {
	wd := tfWeekdayOf(days) // 0 = Sunday
	iso := (wd+6)%7 + 1     // 1 = Monday .. 7 = Sunday
	thursday := days - (iso - 1) + 3
	year, _, _ = tfCivil(thursday)
	return (thursday-tfDays(year, 1, 1))/7 + 1, year
}

// tfExtract returns field u of wall-clock microseconds local.
func tfExtract(u tfUnit, local int64) int64 {
	days := tfFloorDiv(local, tfMicrosPerDay)
	tod := local - days*tfMicrosPerDay
	switch u {
	case tuMicrosecond:
		return tod % tfMicrosPerMinute
	case tuMillisecond:
		return tod % tfMicrosPerMinute / 1000
	case tuSecond:
		return tod / tfMicrosPerSecond % 60
	case tuMinute:
		return tod / tfMicrosPerMinute % 60
	case tuHour:
		return tod / tfMicrosPerHour
	case tuEpoch:
		return tfFloorDiv(local, tfMicrosPerSecond)
	case tuDOW:
		return tfWeekdayOf(days) + 1
	case tuISODOW:
		return (tfWeekdayOf(days)+6)%7 + 1
	case tuWeek:
		w, _ := tfISOWeek(days)
		return w
	case tuISOYear:
		_, y := tfISOWeek(days)
		return y
	}
	y, m, d := tfCivil(days)
	switch u {
	case tuDay:
		return d
	case tuMonth:
		return m
	case tuQuarter:
		return (m + 2) / 3
	case tuYear:
		return y
	case tuDOY:
		return days - tfDays(y, 1, 1) + 1
	case tuDecade:
		return tfFloorDiv(y, 10)
	case tuCentury:
		if y > 0 {
			return (y + 99) / 100
		}
		return (y - 99) / 100
	case tuMillennium:
		if y > 0 {
			return (y + 999) / 1000
		}
		return (y - 999) / 1000
	}
	return 0
}

// tfExtractInterval returns field u of an interval: microseconds (DAY TO SECOND) or months
// (YEAR TO MONTH). Like Calcite, the fields keep the interval's sign.
func tfExtractInterval(u tfUnit, v int64, yearMonth bool) int64 {
	if yearMonth {
		switch u {
		case tuYear:
			return v / 12
		case tuMonth:
			return v % 12
		case tuQuarter:
			return v % 12 / 3
		}
		return 0
	}
	switch u {
	case tuDay:
		return v / tfMicrosPerDay
	case tuHour:
		return v / tfMicrosPerHour % 24
	case tuMinute:
		return v / tfMicrosPerMinute % 60
	case tuSecond:
		return v / tfMicrosPerSecond % 60
	case tuMillisecond:
		return v / 1000 % 60000
	case tuMicrosecond:
		return v % tfMicrosPerMinute
	case tuEpoch:
		return v / tfMicrosPerSecond
	}
	return 0
}

var tfDateUnits = []tfUnit{tuYear, tuQuarter, tuMonth, tuWeek, tuDay, tuDOY, tuDOW, tuISODOW, tuISOYear,
	tuDecade, tuCentury, tuMillennium, tuEpoch}
var tfTimeUnits = []tfUnit{tuHour, tuMinute, tuSecond, tuMillisecond, tuMicrosecond, tuEpoch}

// tfExtractKernel computes EXTRACT(u FROM args[arg]).
func tfExtractKernel(u tfUnit, kind types.Kind, arg int, result types.Type) Kernel {
	z := &tfZone{}
	return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		in := args[arg].I64[:n]
		out := make([]int64, n)
		loc := tfLoc(ctx)
		switch {
		case kind == types.Timestamp && u == tuHour:
			for i, v := range in {
				out[i] = tfFloorMod(v, tfMicrosPerDay) / tfMicrosPerHour
			}
		case kind == types.TimestampLTZ && u == tuEpoch:
			for i, v := range in {
				out[i] = tfFloorDiv(v, tfMicrosPerSecond)
			}
		case kind == types.IntervalDayTime || kind == types.IntervalYearMonth:
			for i, v := range in {
				out[i] = tfExtractInterval(u, v, kind == types.IntervalYearMonth)
			}
		case kind == types.Date && u == tuEpoch:
			for i, v := range in {
				out[i] = v * 86400
			}
		default:
			for i, v := range in {
				out[i] = tfExtract(u, tfToLocal(kind, v, z, loc))
			}
		}
		return sfIntVec(result, out, nil), nil
	}
}

// tfExtractAllowed checks that unit u applies to a value of kind k.
func tfExtractAllowed(fn string, u tfUnit, k types.Kind) error {
	ok := false
	switch k {
	case types.Date:
		for _, d := range tfDateUnits {
			ok = ok || d == u
		}
	case types.Time:
		for _, d := range tfTimeUnits {
			ok = ok || d == u
		}
	case types.IntervalYearMonth:
		ok = u == tuYear || u == tuMonth || u == tuQuarter
	case types.IntervalDayTime:
		ok = u == tuDay || u == tuEpoch
		for _, d := range tfTimeUnits {
			ok = ok || d == u
		}
	default:
		ok = true
	}
	if !ok {
		return fmt.Errorf("%s: cannot extract %s from %s", fn, tfUnitName(u), types.Type{Kind: k})
	}
	return nil
}

// tfRegisterExtract1 registers a one-argument shorthand such as YEAR(ts) or HOUR(ts).
func tfRegisterExtract1(name string, u tfUnit, cls sfClass, sig string) {
	register(&Function{
		Name:          name,
		Deterministic: true,
		Check:         sfSimple(name+" expects "+sig, types.BigIntType, 1, false, cls),
		Make: func(params []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			if err := tfExtractAllowed(name, u, params[0].Kind); err != nil {
				return nil, err
			}
			return tfExtractKernel(u, params[0].Kind, 0, result), nil
		},
	})
}

// tfFloor rounds wall-clock microseconds down (or up, when ceil) to a multiple of unit u.
// Weeks start on Sunday, as in Flink.
func tfFloor(u tfUnit, local int64, ceil bool) int64 {
	if w, ok := tfUnitMicros[u]; ok && u != tuWeek {
		f := tfFloorDiv(local, w) * w
		if ceil && f != local {
			f += w
		}
		return f
	}
	days := tfFloorDiv(local, tfMicrosPerDay)
	y, m, _ := tfCivil(days)
	var fd int64 // floored day
	var next func(int64) int64
	switch u {
	case tuWeek:
		fd = days - tfWeekdayOf(days)
		next = func(d int64) int64 { return d + 7 }
	case tuMonth:
		fd = tfDays(y, m, 1)
		next = func(int64) int64 { return tfDays(y, m+1, 1) }
	case tuQuarter:
		q := (m-1)/3*3 + 1
		fd = tfDays(y, q, 1)
		next = func(int64) int64 { return tfDays(y, q+3, 1) }
	case tuYear:
		fd = tfDays(y, 1, 1)
		next = func(int64) int64 { return tfDays(y+1, 1, 1) }
	case tuDecade:
		dy := tfFloorDiv(y, 10) * 10
		fd = tfDays(dy, 1, 1)
		next = func(int64) int64 { return tfDays(dy+10, 1, 1) }
	case tuCentury:
		cy := tfFloorDiv(y-1, 100)*100 + 1
		fd = tfDays(cy, 1, 1)
		next = func(int64) int64 { return tfDays(cy+100, 1, 1) }
	case tuMillennium:
		my := tfFloorDiv(y-1, 1000)*1000 + 1
		fd = tfDays(my, 1, 1)
		next = func(int64) int64 { return tfDays(my+1000, 1, 1) }
	default:
		return local
	}
	f := fd * tfMicrosPerDay
	if ceil && f != local {
		f = next(fd) * tfMicrosPerDay
	}
	return f
}

// tfAddMonths adds k months to a day, clamping the day of month to the target month's end.
func tfAddMonths(days, k int64) int64 {
	y, m, d := tfCivil(days)
	m += k
	y += tfFloorDiv(m-1, 12)
	m = tfFloorMod(m-1, 12) + 1
	if last := tfDaysInMonth(y, m); d > last {
		d = last
	}
	return tfDays(y, m, d)
}

// tfAddMonthsLocal adds k months to wall-clock microseconds, keeping the time of day.
func tfAddMonthsLocal(local, k int64) int64 {
	days := tfFloorDiv(local, tfMicrosPerDay)
	return tfAddMonths(days, k)*tfMicrosPerDay + (local - days*tfMicrosPerDay)
}

// tfSubtractMonthsDays is Flink's DateTimeUtils.subtractMonths on days.
func tfSubtractMonthsDays(d0, d1 int64) int64 {
	if d0 < d1 {
		return -tfSubtractMonthsDays(d1, d0)
	}
	m := (d0 - d1) / 31
	for {
		if tfAddMonths(d1, m) >= d0 {
			return m
		}
		if tfAddMonths(d1, m+1) > d0 {
			return m
		}
		m++
	}
}

// tfSubtractMonths is Flink's DateTimeUtils.subtractMonths on timestamps: whole months from t1
// to t0.
func tfSubtractMonths(t0, t1 int64) int64 {
	ms0 := tfFloorMod(t0, tfMicrosPerDay)
	d0 := tfFloorDiv(t0-ms0, tfMicrosPerDay)
	ms1 := tfFloorMod(t1, tfMicrosPerDay)
	d1 := tfFloorDiv(t1-ms1, tfMicrosPerDay)
	x := tfSubtractMonthsDays(d0, d1)
	if tfAddMonths(d1, x) == d0 && ms0 < ms1 {
		x--
	}
	return x
}

// tfPatternArg returns the compiled pattern of row i: the precompiled constant, or a cached
// compilation of the row's value (nil when invalid).
func tfPatternArg(fn string, consts []*chunk.Datum, i int, mode tfMode, def string, needZoneFree bool) (func(args []*chunk.Vector, row int) *tfPattern, error) {
	check := func(p *tfPattern) error {
		if needZoneFree && p.hasZone {
			return fmt.Errorf("pattern letters Z and X need a time zone, which a TIMESTAMP does not have")
		}
		return nil
	}
	var src string
	isConst := false
	if i < 0 || i >= len(consts) {
		src, isConst = def, true
	} else if s, ok := sfConstStr(consts, i); ok {
		src, isConst = s, true
	}
	if isConst {
		p, err := tfCompile(src, mode)
		if err == nil {
			err = check(p)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		return func([]*chunk.Vector, int) *tfPattern { return p }, nil
	}
	cache := map[string]*tfPattern{}
	return func(args []*chunk.Vector, row int) *tfPattern {
		s := args[i].Str[row]
		if p, ok := cache[s]; ok {
			return p
		}
		if len(cache) >= 64 {
			clear(cache)
		}
		p, err := tfCompile(s, mode)
		if err == nil && check(p) != nil {
			p = nil
		}
		if err != nil {
			p = nil
		}
		cache[s] = p
		return p
	}, nil
}

// tfFormatter formats many values with one pattern, reusing the previous result while the
// value stays inside the same bucket of the pattern's granularity (consecutive event times
// usually do), so most rows cost no allocation.
type tfFormatter struct {
	buf     []byte
	p       *tfPattern
	bucket  int64
	last    string
	hasLast bool
}

func (f *tfFormatter) format(p *tfPattern, local int64, offsetSec int) string {
	if p.gran > 0 {
		b := tfFloorDiv(local, p.gran)
		if f.hasLast && f.p == p && b == f.bucket {
			return f.last
		}
		f.bucket = b
	}
	f.buf = p.appendFormat(f.buf[:0], local, offsetSec)
	s := string(f.buf)
	f.p, f.last, f.hasLast = p, s, p.gran > 0
	return s
}

const tfDefaultFormat = "yyyy-MM-dd HH:mm:ss"

// tfMinMillis and tfMaxMillis bound TO_TIMESTAMP_LTZ (years 0000..9999), as Flink.
const (
	tfMinMillis = int64(-62167219200000)
	tfMaxMillis = int64(253402300799999)
)

// tfDecimalTrunc returns the integer part of a decimal of the given scale.
func tfDecimalTrunc(d types.Decimal128, scale int) (int64, bool) {
	b := d.Big()
	if scale > 0 {
		b.Quo(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	}
	if !b.IsInt64() {
		return 0, false
	}
	return b.Int64(), true
}

// tfNumToMillis converts row i of a numeric vector to epoch milliseconds for
// TO_TIMESTAMP_LTZ(v, precision).
func tfNumToMillis(v *chunk.Vector, i int, precision int64) (int64, bool) {
	switch v.Type.Kind {
	case types.Float, types.Double:
		f := v.F64[i]
		if precision == 0 {
			f *= 1000
		}
		if math.IsNaN(f) || f < float64(tfMinMillis) || f > float64(tfMaxMillis) {
			return 0, false
		}
		return int64(f), true
	case types.Decimal:
		x, ok := tfDecimalTrunc(v.Dec[i], v.Type.Scale)
		if !ok {
			return 0, false
		}
		if precision == 0 {
			if x < tfMinMillis/1000 || x > tfMaxMillis/1000 {
				return 0, false
			}
			x *= 1000
		}
		return x, true
	}
	x := v.I64[i]
	if precision == 0 {
		if x < tfMinMillis/1000 || x > tfMaxMillis/1000 {
			return 0, false
		}
		x *= 1000
	}
	return x, true
}

// tfParseDateLenient is Flink's DateTimeUtils.parseDate(String): "y[-m[-d]]" (each part may be
// padded with spaces) before the first space; NULL (false) for an invalid date.
func tfParseDateLenient(s string) (int64, bool) {
	if k := strings.IndexByte(s, ' '); k > 0 {
		s = s[:k]
	}
	num := func(p string) (int64, bool) {
		p = strings.TrimSpace(p)
		v, next, ok := tfDigits(p, 0, 1, 9)
		return v, ok && next == len(p)
	}
	parts := strings.SplitN(s, "-", 3)
	vals := [3]int64{0, 1, 1}
	for k, p := range parts {
		v, ok := num(p)
		if !ok {
			return 0, false
		}
		vals[k] = v
	}
	y, m, d := vals[0], vals[1], vals[2]
	if y > 9999 || m < 1 || m > 12 || d < 1 || d > tfDaysInMonth(y, m) {
		return 0, false
	}
	return tfDays(y, m, d), true
}

// tfClockFn registers a zero-argument clock function.
func tfClockFn(name string, t types.Type, f func(now time.Time, loc *time.Location) int64, aliases ...string) {
	register(&Function{
		Name:          name,
		Deterministic: false,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			if len(args) != 0 {
				return nil, types.Type{}, sfSigError(name+" expects ()", args)
			}
			return nil, t.WithNotNull(true), nil
		},
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(ctx *Context, _ []*chunk.Vector, n int) (*chunk.Vector, error) {
				v := f(tfNow(ctx), tfLoc(ctx))
				out := make([]int64, n)
				for i := range out {
					out[i] = v
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	}, aliases...)
}

// tfWallMicros returns the wall-clock microseconds of now in loc.
func tfWallMicros(now time.Time, loc *time.Location) int64 {
	_, off := now.In(loc).Zone()
	return now.UnixMicro() + int64(off)*tfMicrosPerSecond
}

func init() {
	register(&Function{
		Name:          "DATE_FORMAT",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("DATE_FORMAT expects (TIMESTAMP, STRING) or (STRING, STRING)", types.StringType, 2, false,
			sfTSDateStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			kind := params[0].Kind
			fromString := params[0].IsString()
			mode := tfDTF
			if fromString {
				mode = tfSDF
			}
			pattern, err := tfPatternArg("DATE_FORMAT", consts, 1, mode, "", !fromString)
			if err != nil {
				return nil, err
			}
			var parseFmt *tfPattern
			if fromString {
				if parseFmt, err = tfCompile(tfDefaultFormat, tfSDF); err != nil {
					return nil, err
				}
			}
			z := &tfZone{}
			f := &tfFormatter{}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				loc := tfLoc(ctx)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					p := pattern(args, i)
					if p == nil {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					var local int64
					if fromString {
						l, _, _, ok := parseFmt.parse(args[0].Str[i])
						if !ok {
							nulls = sfSetNull(nulls, n, i)
							continue
						}
						local = l
					} else {
						local = tfToLocal(kind, args[0].I64[i], z, loc)
					}
					out[i] = f.format(p, local, 0)
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	tfRegisterExtract1("YEAR", tuYear, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("QUARTER", tuQuarter, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("MONTH", tuMonth, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("WEEK", tuWeek, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("DAYOFYEAR", tuDOY, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("DAYOFMONTH", tuDay, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("DAYOFWEEK", tuDOW, sfTSDate, "(TIMESTAMP or DATE)")
	tfRegisterExtract1("HOUR", tuHour, sfTimeOfDay, "(TIMESTAMP or TIME)")
	tfRegisterExtract1("MINUTE", tuMinute, sfTimeOfDay, "(TIMESTAMP or TIME)")
	tfRegisterExtract1("SECOND", tuSecond, sfTimeOfDay, "(TIMESTAMP or TIME)")

	register(&Function{
		Name:          "EXTRACT",
		Deterministic: true,
		Check: sfSimple("EXTRACT expects (unit, TIMESTAMP, DATE, TIME or INTERVAL)", types.BigIntType, 2, false,
			sfStr, sfTemporalAll),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			u, err := tfUnitArg("EXTRACT", consts, 0, tuYear, tuQuarter, tuMonth, tuWeek, tuDay, tuDOY, tuDOW,
				tuISODOW, tuISOYear, tuHour, tuMinute, tuSecond, tuMillisecond, tuMicrosecond, tuEpoch,
				tuDecade, tuCentury, tuMillennium)
			if err != nil {
				return nil, err
			}
			if err := tfExtractAllowed("EXTRACT", u, params[1].Kind); err != nil {
				return nil, err
			}
			return tfExtractKernel(u, params[1].Kind, 1, result), nil
		},
	})

	for _, ceil := range []bool{false, true} {
		name := "FLOOR_TIME"
		if ceil {
			name = "CEIL_TIME"
		}
		register(&Function{
			Name:          name,
			Deterministic: true,
			Check: func(args []types.Type) ([]types.Type, types.Type, error) {
				params, err := sfCheckArgs(name+" expects (TIMESTAMP or DATE, unit)", args, 2, false, sfTSDate, sfStr)
				if err != nil {
					return nil, types.Type{}, err
				}
				return params, sfResult(params[0], params, false), nil
			},
			Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
				kind := params[0].Kind
				allowed := []tfUnit{tuMillisecond, tuSecond, tuMinute, tuHour, tuDay, tuWeek, tuMonth, tuQuarter,
					tuYear, tuDecade, tuCentury, tuMillennium}
				if kind == types.Date {
					allowed = allowed[4:]
				}
				u, err := tfUnitArg(name, consts, 1, allowed...)
				if err != nil {
					return nil, err
				}
				z := &tfZone{}
				return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
					in := args[0].I64[:n]
					out := make([]int64, n)
					loc := tfLoc(ctx)
					for i, v := range in {
						switch kind {
						case types.Date:
							out[i] = tfFloor(u, v*tfMicrosPerDay, ceil) / tfMicrosPerDay
						case types.TimestampLTZ:
							if u <= tuMinute {
								out[i] = tfFloor(u, v, ceil) // zone offsets are whole minutes
							} else {
								out[i] = tfInstant(loc, tfFloor(u, z.local(loc, v), ceil))
							}
						default:
							out[i] = tfFloor(u, v, ceil)
						}
					}
					return sfIntVec(result, out, nil), nil
				}, nil
			},
		})
	}

	register(&Function{
		Name:          "TO_TIMESTAMP",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("TO_TIMESTAMP expects (STRING[, STRING])", types.TimestampType(3), 1, false, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			withFmt := len(params) == 2
			var pattern func([]*chunk.Vector, int) *tfPattern
			if withFmt {
				var err error
				if pattern, err = tfPatternArg("TO_TIMESTAMP", consts, 1, tfDTF, "", false); err != nil {
					return nil, err
				}
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]int64, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					s := args[0].Str[i]
					var v int64
					ok := false
					if withFmt {
						if p := pattern(args, i); p != nil {
							v, _, _, ok = p.parse(s)
						}
					}
					if !ok {
						// Flink falls back to the default form ('1999-9-10 05:20:10', '1999-9-10').
						v, ok = tfParseDefault(s)
					}
					if !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = tfFloorDiv(v, 1000) * 1000
				}
				return sfIntVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "TO_DATE",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("TO_DATE expects (STRING[, STRING])", types.DateType, 1, false, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			withFmt := len(params) == 2
			var pattern func([]*chunk.Vector, int) *tfPattern
			if withFmt {
				var err error
				if pattern, err = tfPatternArg("TO_DATE", consts, 1, tfSDF, "", false); err != nil {
					return nil, err
				}
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]int64, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					s := args[0].Str[i]
					var d int64
					ok := false
					if withFmt {
						if p := pattern(args, i); p != nil {
							var local int64
							var off int
							var hasOff bool
							if local, off, hasOff, ok = p.parse(s); ok {
								if hasOff {
									local -= int64(off) * tfMicrosPerSecond
								}
								d = tfFloorDiv(local, tfMicrosPerDay)
							}
						}
					} else {
						d, ok = tfParseDateLenient(s)
					}
					if !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = d
				}
				return sfIntVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "TO_TIMESTAMP_LTZ",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("TO_TIMESTAMP_LTZ expects (NUMERIC[, INT precision 0 or 3])", types.TimestampLTZType(3), 1, false,
			sfNum, sfInt),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			constPrec, isConst := int64(3), true
			if len(params) == 2 {
				constPrec, isConst = sfConstInt(consts, 1)
				if isConst && constPrec != 0 && constPrec != 3 {
					return nil, fmt.Errorf("TO_TIMESTAMP_LTZ: unsupported precision %d (want 0 for seconds or 3 for milliseconds)", constPrec)
				}
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]int64, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					prec := constPrec
					if !isConst {
						prec = args[1].I64[i]
						if prec != 0 && prec != 3 {
							return nil, fmt.Errorf("TO_TIMESTAMP_LTZ: unsupported precision %d (want 0 for seconds or 3 for milliseconds)", prec)
						}
					}
					ms, ok := tfNumToMillis(args[0], i, prec)
					if !ok || ms < tfMinMillis || ms > tfMaxMillis {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = ms * 1000
				}
				return sfIntVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "FROM_UNIXTIME",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("FROM_UNIXTIME expects (BIGINT[, STRING])", types.StringType, 1, false, sfInt, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			fi := 1
			if len(params) == 1 {
				fi = -1
			}
			pattern, err := tfPatternArg("FROM_UNIXTIME", consts, fi, tfSDF, tfDefaultFormat, false)
			if err != nil {
				return nil, err
			}
			z := &tfZone{}
			f := &tfFormatter{}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				loc := tfLoc(ctx)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					p := pattern(args, i)
					sec := args[0].I64[i]
					if p == nil || sec > math.MaxInt64/tfMicrosPerSecond || sec < math.MinInt64/tfMicrosPerSecond {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					instant := sec * tfMicrosPerSecond
					off := z.offsetAt(loc, instant)
					out[i] = f.format(p, instant+off*tfMicrosPerSecond, int(off))
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "UNIX_TIMESTAMP",
		Deterministic: false,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			params, err := sfCheckArgs("UNIX_TIMESTAMP expects ([STRING[, STRING]])", args, 0, false, sfStr, sfStr)
			if err != nil {
				return nil, types.Type{}, err
			}
			return params, sfResult(types.BigIntType, params, false), nil
		},
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			if len(params) == 0 {
				return func(ctx *Context, _ []*chunk.Vector, n int) (*chunk.Vector, error) {
					v := tfNow(ctx).Unix()
					out := make([]int64, n)
					for i := range out {
						out[i] = v
					}
					return sfIntVec(result, out, nil), nil
				}, nil
			}
			fi := 1
			if len(params) == 1 {
				fi = -1
			}
			pattern, err := tfPatternArg("UNIX_TIMESTAMP", consts, fi, tfSDF, tfDefaultFormat, false)
			if err != nil {
				return nil, err
			}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				loc := tfLoc(ctx)
				for i := 0; i < n; i++ {
					if sfAnyNullAt(args, i) {
						continue
					}
					// Flink returns Long.MIN_VALUE for text it cannot parse.
					out[i] = math.MinInt64
					p := pattern(args, i)
					if p == nil {
						continue
					}
					local, off, hasOff, ok := p.parse(args[0].Str[i])
					if !ok {
						continue
					}
					instant := local - int64(off)*tfMicrosPerSecond
					if !hasOff {
						instant = tfInstant(loc, local)
					}
					out[i] = tfFloorDiv(instant, tfMicrosPerSecond)
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "TIMESTAMPADD",
		Deterministic: true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			params, err := sfCheckArgs("TIMESTAMPADD expects (unit, INT, TIMESTAMP or DATE)", args, 3, false,
				sfStr, sfInt, sfTSDate)
			if err != nil {
				return nil, types.Type{}, err
			}
			return params, sfResult(params[2], params, false), nil
		},
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			kind := params[2].Kind
			u, err := tfUnitArg("TIMESTAMPADD", consts, 0, tuMicrosecond, tuMillisecond, tuSecond, tuMinute, tuHour,
				tuDay, tuWeek, tuMonth, tuQuarter, tuYear)
			if err != nil {
				return nil, err
			}
			if kind == types.Date && u < tuDay {
				return nil, fmt.Errorf("TIMESTAMPADD: cannot add %s to a DATE; cast it to TIMESTAMP first", tfUnitName(u))
			}
			months := map[tfUnit]int64{tuMonth: 1, tuQuarter: 3, tuYear: 12}[u]
			step := tfUnitMicros[u]
			z := &tfZone{}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				k, ts := args[1].I64, args[2].I64
				out := make([]int64, n)
				loc := tfLoc(ctx)
				for i := 0; i < n; i++ {
					v := ts[i]
					switch {
					case kind == types.Date && months != 0:
						out[i] = tfAddMonths(v, k[i]*months)
					case kind == types.Date:
						out[i] = v + k[i]*step/tfMicrosPerDay
					case months == 0:
						out[i] = v + k[i]*step
					case kind == types.TimestampLTZ:
						out[i] = tfInstant(loc, tfAddMonthsLocal(z.local(loc, v), k[i]*months))
					default:
						out[i] = tfAddMonthsLocal(v, k[i]*months)
					}
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "TIMESTAMPDIFF",
		Deterministic: true,
		Check: sfSimple("TIMESTAMPDIFF expects (unit, TIMESTAMP or DATE, TIMESTAMP or DATE)", types.IntType, 3, false,
			sfStr, sfTSDate, sfTSDate),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			u, err := tfUnitArg("TIMESTAMPDIFF", consts, 0, tuMicrosecond, tuMillisecond, tuSecond, tuMinute, tuHour,
				tuDay, tuWeek, tuMonth, tuQuarter, tuYear)
			if err != nil {
				return nil, err
			}
			ka, kb := params[1].Kind, params[2].Kind
			months := map[tfUnit]int64{tuMonth: 1, tuQuarter: 3, tuYear: 12}[u]
			step := tfUnitMicros[u]
			bothInstants := ka == types.TimestampLTZ && kb == types.TimestampLTZ
			z := &tfZone{}
			return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				as, bs := args[1].I64, args[2].I64
				out := make([]int64, n)
				loc := tfLoc(ctx)
				for i := 0; i < n; i++ {
					a, b := as[i], bs[i]
					if months == 0 && bothInstants {
						out[i] = (b - a) / step
						continue
					}
					a, b = tfToLocal(ka, a, z, loc), tfToLocal(kb, b, z, loc)
					if months == 0 {
						out[i] = (b - a) / step
					} else {
						out[i] = tfSubtractMonths(b, a) / months
					}
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "CONVERT_TZ",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("CONVERT_TZ expects (STRING, STRING, STRING)", types.StringType, 3, false,
			sfStr, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			for _, k := range []int{1, 2} {
				if id, ok := sfConstStr(consts, k); ok {
					if _, err := tfLoadZone(id); err != nil {
						return nil, fmt.Errorf("CONVERT_TZ: %w", err)
					}
				}
			}
			pattern, err := tfCompile(tfDefaultFormat, tfSDF)
			if err != nil {
				return nil, err
			}
			zones := &tfZoneCache{}
			z := &tfZone{}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				var buf []byte
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					from, to := zones.get(args[1].Str[i]), zones.get(args[2].Str[i])
					local, _, _, ok := pattern.parse(args[0].Str[i])
					if from == nil || to == nil || !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					instant := tfInstant(from, local)
					buf = pattern.appendFormat(buf[:0], z.local(to, instant), 0)
					out[i] = string(buf)
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	tfClockFn("CURRENT_TIMESTAMP", types.TimestampLTZType(3), func(now time.Time, _ *time.Location) int64 {
		return now.UnixMilli() * 1000
	}, "NOW")
	tfClockFn("CURRENT_ROW_TIMESTAMP", types.TimestampLTZType(3), func(now time.Time, _ *time.Location) int64 {
		return now.UnixMilli() * 1000
	})
	tfClockFn("PROCTIME", types.TimestampLTZType(3), func(now time.Time, _ *time.Location) int64 {
		return now.UnixMilli() * 1000
	})
	tfClockFn("LOCALTIMESTAMP", types.TimestampType(3), func(now time.Time, loc *time.Location) int64 {
		return tfFloorDiv(tfWallMicros(now, loc), 1000) * 1000
	})
	tfClockFn("CURRENT_DATE", types.DateType, func(now time.Time, loc *time.Location) int64 {
		return tfFloorDiv(tfWallMicros(now, loc), tfMicrosPerDay)
	})
	tfClockFn("CURRENT_TIME", types.TimeType(0), func(now time.Time, loc *time.Location) int64 {
		w := tfWallMicros(now, loc)
		return tfFloorMod(w, tfMicrosPerDay) / tfMicrosPerSecond * tfMicrosPerSecond
	}, "LOCALTIME")
}
