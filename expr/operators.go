package expr

// Operators. The binder builds operator calls with NewCall using these canonical names:
//
//	arithmetic   +  -  *  /  %  (MOD is the function form of %)  NEG (unary minus)  ||
//	comparison   =  <>  <  <=  >  >=  IS DISTINCT FROM  IS NOT DISTINCT FROM
//	logic        AND  OR  NOT  IS TRUE  IS NOT TRUE  IS FALSE  IS NOT FALSE
//	null tests   IS NULL  IS NOT NULL
//	patterns     LIKE  NOT LIKE  (value, pattern[, escape])  SIMILAR TO
//	membership   IN  NOT IN  (value, item1, item2, ...)
//	map access   ITEM  (map, key)
//
// Arithmetic follows Flink's type rules: integer op integer gives the wider integer type and
// wraps on overflow like Java; integer division truncates toward zero and division (or MOD) by
// zero is the error "division by zero"; FLOAT/DOUBLE with anything gives DOUBLE; DECIMAL
// results use Flink's precision/scale derivation (LogicalTypeMerging) and a result that does
// not fit its precision is NULL, as in Flink. Rounding is HALF_UP.

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func init() {
	for _, op := range []string{"+", "-", "*", "/", "%"} {
		op := op
		aliases := []string(nil)
		if op == "%" {
			aliases = []string{"MOD"}
		}
		register(&Function{Name: op, Deterministic: true,
			Check: func(args []types.Type) ([]types.Type, types.Type, error) { return checkArith(op, args) },
			Make:  func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeArith(op, p, r, c) },
		}, aliases...)
	}
	register(&Function{Name: "NEG", Deterministic: true, Check: checkNeg, Make: makeNeg})
	register(&Function{Name: "||", Deterministic: true, Check: checkConcat, Make: makeConcat})
	for _, op := range []string{"=", "<>", "<", "<=", ">", ">="} {
		op := op
		register(&Function{Name: op, Deterministic: true,
			Check: checkCompare(op),
			Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) {
				return makeCompare(cmpOps[op], p, r, c)
			}})
	}
	for _, op := range []string{"IS DISTINCT FROM", "IS NOT DISTINCT FROM"} {
		op := op
		register(&Function{Name: op, Deterministic: true, NullSafe: true,
			Check: func(args []types.Type) ([]types.Type, types.Type, error) {
				p, r, err := checkCompare(op)(args)
				return p, r.WithNotNull(true), err
			},
			Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) {
				return makeDistinct(op == "IS DISTINCT FROM", p, r, c)
			}})
	}
	register(&Function{Name: "AND", Deterministic: true, NullSafe: true, Check: checkLogic("AND"), Make: makeLogic(true)})
	register(&Function{Name: "OR", Deterministic: true, NullSafe: true, Check: checkLogic("OR"), Make: makeLogic(false)})
	register(&Function{Name: "NOT", Deterministic: true, Check: checkNot, Make: makeNot})
	for _, op := range []string{"IS NULL", "IS NOT NULL", "IS TRUE", "IS NOT TRUE", "IS FALSE", "IS NOT FALSE"} {
		op := op
		register(&Function{Name: op, Deterministic: true, NullSafe: true,
			Check: func(args []types.Type) ([]types.Type, types.Type, error) { return checkIs(op, args) },
			Make:  func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeIs(op), nil },
		})
	}
	register(&Function{Name: "LIKE", Deterministic: true, Check: checkLike("LIKE"),
		Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeLike(false, c) }})
	register(&Function{Name: "NOT LIKE", Deterministic: true, Check: checkLike("NOT LIKE"),
		Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeLike(true, c) }})
	register(&Function{Name: "SIMILAR TO", Deterministic: true, Check: checkLike("SIMILAR TO"), Make: makeSimilar})
	register(&Function{Name: "IN", Deterministic: true, NullSafe: true, Check: checkIn("IN"),
		Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeIn(false, p, c), nil }})
	register(&Function{Name: "NOT IN", Deterministic: true, NullSafe: true, Check: checkIn("NOT IN"),
		Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) { return makeIn(true, p, c), nil }})
	register(&Function{Name: "ITEM", Deterministic: true, Check: checkItem, Make: makeItem})
}

// errDivZero is the error of an integer or DECIMAL division (or MOD) by zero.
var errDivZero = fmt.Errorf("division by zero")

// argTypeList renders argument types for messages: "(STRING, INT)".
func argTypeList(args []types.Type) string { return "(" + typeList(args) + ")" }

func allNotNull(args []types.Type) bool {
	for _, a := range args {
		if !a.NotNull {
			return false
		}
	}
	return true
}

// fillUnknown replaces untyped NULL arguments by the type of the first typed argument.
func fillUnknown(args []types.Type) ([]types.Type, bool) {
	out := append([]types.Type(nil), args...)
	var known *types.Type
	for i := range out {
		if out[i].Kind != types.Unknown {
			known = &out[i]
			break
		}
	}
	if known == nil {
		return out, false
	}
	for i := range out {
		if out[i].Kind == types.Unknown {
			out[i] = known.Nullable()
		}
	}
	return out, true
}

// adjustPrecisionScale caps a derived DECIMAL type at precision 38 as Flink does, keeping the
// integer digits and at least min(scale, 6) fractional digits.
func adjustPrecisionScale(p, s int) types.Type {
	if p <= types.MaxDecimalPrecision {
		return types.DecimalType(p, s)
	}
	digits := p - s
	minScale := min(s, 6)
	s = max(types.MaxDecimalPrecision-digits, minScale)
	return types.DecimalType(types.MaxDecimalPrecision, s)
}

// DecimalResultType returns the DECIMAL type of a op b for DECIMAL (or integer) operands, by
// Flink's rules: + and -: scale max(s1,s2), precision max(p1-s1,p2-s2)+scale+1; *: p1+p2,
// s1+s2; /: scale max(6, s1+p2+1), precision p1-s1+s2+scale; %: scale max(s1,s2), precision
// min(p1-s1,p2-s2)+scale; all capped at 38 (see adjustPrecisionScale).
func DecimalResultType(op string, a, b types.Type) types.Type {
	a, b = integerAsDecimal(a), integerAsDecimal(b)
	p1, s1, p2, s2 := a.Precision, a.Scale, b.Precision, b.Scale
	switch op {
	case "+", "-":
		s := max(s1, s2)
		return adjustPrecisionScale(max(p1-s1, p2-s2)+s+1, s)
	case "*":
		return adjustPrecisionScale(p1+p2, s1+s2)
	case "/":
		s := max(6, s1+p2+1)
		return adjustPrecisionScale(p1-s1+s2+s, s)
	default:
		s := max(s1, s2)
		return adjustPrecisionScale(min(p1-s1, p2-s2)+s, s)
	}
}

func checkArith(op string, in []types.Type) ([]types.Type, types.Type, error) {
	name := op
	if len(in) != 2 {
		return nil, types.Type{}, fmt.Errorf("%s expects 2 arguments, got %d", name, len(in))
	}
	args, ok := fillUnknown(in)
	if !ok {
		return nil, types.Type{}, fmt.Errorf("cannot apply %s to two untyped NULLs", name)
	}
	a, b := args[0], args[1]
	nn := allNotNull(in)
	bad := func() ([]types.Type, types.Type, error) {
		return nil, types.Type{}, fmt.Errorf("cannot apply %s to %s", name, argTypeList(in))
	}
	switch {
	case a.IsNumeric() && b.IsNumeric():
		switch {
		case a.Kind == types.Double || a.Kind == types.Float || b.Kind == types.Double || b.Kind == types.Float:
			d := types.DoubleType
			return []types.Type{d, d}, d.WithNotNull(nn), nil
		case a.IsInteger() && b.IsInteger():
			r := a
			if b.Kind > a.Kind {
				r = b
			}
			return []types.Type{a, b}, r.Nullable().WithNotNull(nn), nil
		}
		da, db := integerAsDecimal(a), integerAsDecimal(b)
		r := DecimalResultType(op, da, db)
		if op == "/" || op == "%" || r.Precision == types.MaxDecimalPrecision {
			// Division by a tiny divisor or a capped precision can overflow to NULL.
			nn = nn && r.Precision < types.MaxDecimalPrecision
		}
		return []types.Type{da, db}, r.WithNotNull(nn), nil
	case op == "+" || op == "-":
		if a.IsInterval() && b.IsInterval() && a.Kind == b.Kind {
			return []types.Type{a, b}, a.Nullable().WithNotNull(nn), nil
		}
		if isDateTime(a) && b.IsInterval() {
			return []types.Type{a, b}, a.Nullable().WithNotNull(nn), nil
		}
		if op == "+" && a.IsInterval() && isDateTime(b) {
			return []types.Type{a, b}, b.Nullable().WithNotNull(nn), nil
		}
	case op == "*":
		if a.IsInterval() && b.IsInteger() {
			return []types.Type{a, types.BigIntType}, a.Nullable().WithNotNull(nn), nil
		}
		if a.IsInteger() && b.IsInterval() {
			return []types.Type{types.BigIntType, b}, b.Nullable().WithNotNull(nn), nil
		}
	case op == "/":
		if a.IsInterval() && b.IsInteger() {
			return []types.Type{a, types.BigIntType}, a.Nullable().WithNotNull(nn), nil
		}
	}
	return bad()
}

func isDateTime(t types.Type) bool {
	switch t.Kind {
	case types.Date, types.Time, types.Timestamp, types.TimestampLTZ:
		return true
	}
	return false
}

// wrapInt truncates x to the width of an integer kind (Java's overflow behaviour).
func wrapInts(k types.Kind, o []int64) {
	switch k {
	case types.TinyInt:
		for i, x := range o {
			o[i] = int64(int8(x))
		}
	case types.SmallInt:
		for i, x := range o {
			o[i] = int64(int16(x))
		}
	case types.Int:
		for i, x := range o {
			o[i] = int64(int32(x))
		}
	}
}

func constAt(c []*chunk.Datum, i int) *chunk.Datum {
	if i < len(c) && c[i] != nil && !c[i].Null {
		return c[i]
	}
	return nil
}

func makeArith(op string, p []types.Type, r types.Type, consts []*chunk.Datum) (Kernel, error) {
	a, b := p[0], p[1]
	switch {
	case a.IsInterval() || b.IsInterval() || isDateTime(a):
		return makeTemporalArith(op, a, b, r), nil
	case r.Kind == types.Double:
		return makeFloatArith(op), nil
	case r.IsInteger():
		return makeIntArith(op, r.Kind, constAt(consts, 1)), nil
	case r.Kind == types.Decimal:
		return makeDecArith(op, a, b, r), nil
	}
	return nil, fmt.Errorf("cannot apply %s to %s", op, argTypeList(p))
}

func makeIntArith(op string, k types.Kind, cb *chunk.Datum) Kernel {
	rt := types.Type{Kind: k}
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(rt, n)
		o := out.I64
		x := args[0].I64[:n]
		y := args[1].I64[:n]
		switch op {
		case "+":
			if cb != nil {
				c := cb.I
				for i := range o {
					o[i] = x[i] + c
				}
			} else {
				for i := range o {
					o[i] = x[i] + y[i]
				}
			}
		case "-":
			for i := range o {
				o[i] = x[i] - y[i]
			}
		case "*":
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case "/", "%":
			if cb != nil && cb.I != 0 {
				c := cb.I
				if op == "/" {
					for i := range o {
						o[i] = x[i] / c
					}
				} else {
					for i := range o {
						o[i] = x[i] % c
					}
				}
				break
			}
			for i := range o {
				d := y[i]
				if d == 0 {
					if args[0].IsNull(i) || args[1].IsNull(i) {
						continue
					}
					return nil, errDivZero
				}
				if op == "/" {
					o[i] = x[i] / d
				} else {
					o[i] = x[i] % d
				}
			}
		}
		wrapInts(k, o)
		return out, nil
	}
}

func makeFloatArith(op string) Kernel {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.DoubleType, n)
		o, x, y := out.F64, args[0].F64[:n], args[1].F64[:n]
		switch op {
		case "+":
			for i := range o {
				o[i] = x[i] + y[i]
			}
		case "-":
			for i := range o {
				o[i] = x[i] - y[i]
			}
		case "*":
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case "/":
			for i := range o {
				o[i] = x[i] / y[i]
			}
		case "%":
			for i := range o {
				o[i] = math.Mod(x[i], y[i])
			}
		}
		return out, nil
	}
}

func makeDecArith(op string, a, b, r types.Type) Kernel {
	sa, sb, s, p := a.Scale, b.Scale, r.Scale, r.Precision
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		o, x, y := out.Dec, args[0].Dec[:n], args[1].Dec[:n]
		if op == "*" {
			for i := range o {
				v, ok := types.DecimalMul(x[i], sa, y[i], sb, s)
				if !ok || !v.FitsPrecision(p) {
					setNull(out, i, n)
					continue
				}
				o[i] = v
			}
			return out, nil
		}
		var ok bool
		for i := range o {
			var v types.Decimal128
			switch op {
			case "+", "-":
				if sa == sb && sa == s {
					if op == "+" {
						v, ok = x[i].Add(y[i])
					} else {
						v, ok = x[i].Sub(y[i])
					}
					break
				}
				ms := max(sa, sb)
				xv, ok1 := x[i].Rescale(sa, ms, types.HalfUp)
				yv, ok2 := y[i].Rescale(sb, ms, types.HalfUp)
				if op == "+" {
					v, ok = xv.Add(yv)
				} else {
					v, ok = xv.Sub(yv)
				}
				ok = ok && ok1 && ok2
				if ok && ms != s {
					v, ok = v.Rescale(ms, s, types.HalfUp)
				}
			case "*":
				v, ok = types.DecimalMul(x[i], sa, y[i], sb, s)
			case "/":
				if y[i].Sign() == 0 {
					if args[0].IsNull(i) || args[1].IsNull(i) {
						continue
					}
					return nil, errDivZero
				}
				v, ok = types.DecimalDiv(x[i], sa, y[i], sb, s)
			case "%":
				if y[i].Sign() == 0 {
					if args[0].IsNull(i) || args[1].IsNull(i) {
						continue
					}
					return nil, errDivZero
				}
				v, ok = types.DecimalMod(x[i], sa, y[i], sb)
				if ok {
					v, ok = v.Rescale(max(sa, sb), s, types.HalfUp)
				}
			}
			if !ok || !v.FitsPrecision(p) {
				setNull(out, i, n)
				continue
			}
			o[i] = v
		}
		return out, nil
	}
}

// addMonths adds months to wall-clock microseconds, clamping the day to the target month's
// length (2020-01-31 + 1 month = 2020-02-29).
func addMonths(wall, months int64) int64 {
	days := floorDiv(wall, microsPerDay)
	tod := wall - days*microsPerDay
	t := time.Unix(days*86400, 0).UTC()
	y, m, d := t.Year(), int64(t.Month())-1+months, t.Day()
	y += int(floorDiv(m, 12))
	mon := time.Month(floorMod(m, 12) + 1)
	if dim := daysIn(y, mon); d > dim {
		d = dim
	}
	return daysFromCivil(y, int(mon), d)*microsPerDay + tod
}

func makeTemporalArith(op string, a, b, r types.Type) Kernel {
	return func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		o, x, y := out.I64, args[0].I64[:n], args[1].I64[:n]
		switch {
		case op == "*" && a.IsInterval():
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case op == "*":
			for i := range o {
				o[i] = x[i] * y[i]
			}
		case op == "/":
			for i := range o {
				if y[i] == 0 {
					if args[0].IsNull(i) || args[1].IsNull(i) {
						continue
					}
					return nil, errDivZero
				}
				o[i] = x[i] / y[i]
			}
		case a.IsInterval() && b.IsInterval():
			for i := range o {
				if op == "+" {
					o[i] = x[i] + y[i]
				} else {
					o[i] = x[i] - y[i]
				}
			}
		default:
			tv, iv, it := x, y, b
			if a.IsInterval() {
				tv, iv, it = y, x, a
			}
			sign := int64(1)
			if op == "-" {
				sign = -1
			}
			for i := range o {
				o[i] = addInterval(ctx, r, tv[i], it, sign*iv[i])
			}
		}
		return out, nil
	}
}

// addInterval adds an interval value to a DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ value.
func addInterval(ctx *Context, t types.Type, v int64, it types.Type, iv int64) int64 {
	switch t.Kind {
	case types.Date:
		if it.Kind == types.IntervalYearMonth {
			return floorDiv(addMonths(v*microsPerDay, iv), microsPerDay)
		}
		return floorDiv(v*microsPerDay+iv, microsPerDay)
	case types.Time:
		if it.Kind == types.IntervalYearMonth {
			return v
		}
		return floorMod(v+iv, microsPerDay)
	case types.TimestampLTZ:
		if it.Kind == types.IntervalYearMonth {
			return wallToUTC(addMonths(utcToWall(v, ctx.Location), iv), ctx.Location)
		}
		return v + iv
	}
	if it.Kind == types.IntervalYearMonth {
		return addMonths(v, iv)
	}
	return v + iv
}

func checkNeg(in []types.Type) ([]types.Type, types.Type, error) {
	if len(in) != 1 {
		return nil, types.Type{}, fmt.Errorf("unary - expects 1 argument, got %d", len(in))
	}
	a := in[0]
	if !a.IsNumeric() && !a.IsInterval() {
		return nil, types.Type{}, fmt.Errorf("cannot apply unary - to %s", a.Nullable())
	}
	return []types.Type{a}, a, nil
}

func makeNeg(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		x := args[0]
		switch r.Kind.Physical() {
		case types.PhysFloat64:
			for i, v := range x.F64[:n] {
				out.F64[i] = -v
			}
		case types.PhysDecimal:
			for i, v := range x.Dec[:n] {
				out.Dec[i] = v.Neg()
			}
		default:
			for i, v := range x.I64[:n] {
				out.I64[i] = -v
			}
			wrapInts(r.Kind, out.I64)
		}
		return out, nil
	}, nil
}

func checkConcat(in []types.Type) ([]types.Type, types.Type, error) {
	if len(in) != 2 {
		return nil, types.Type{}, fmt.Errorf("|| expects 2 arguments, got %d", len(in))
	}
	args, ok := fillUnknown(in)
	if !ok {
		args = []types.Type{types.StringType, types.StringType}
	}
	a, b := args[0], args[1]
	nn := allNotNull(in)
	switch {
	case a.IsString() && b.IsString():
		n := a.Length + b.Length
		if a.Length == types.MaxLength || b.Length == types.MaxLength || n > types.MaxLength || n < 0 {
			n = types.MaxLength
		}
		if a.Kind == types.Char && b.Kind == types.Char {
			return []types.Type{a, b}, types.CharType(n).WithNotNull(nn), nil
		}
		return []types.Type{a, b}, types.VarcharType(n).WithNotNull(nn), nil
	case a.Kind == types.Bytes && b.Kind == types.Bytes:
		return []types.Type{a, b}, types.BytesType.WithNotNull(nn), nil
	}
	return nil, types.Type{}, fmt.Errorf("cannot apply || to %s", argTypeList(in))
}

func makeConcat(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		x, y := args[0].Str[:n], args[1].Str[:n]
		for i := range out.Str {
			out.Str[i] = x[i] + y[i]
		}
		return out, nil
	}, nil
}

// cmpOp is a comparison operator.
type cmpOp uint8

const (
	cmpEQ cmpOp = iota
	cmpNE
	cmpLT
	cmpLE
	cmpGT
	cmpGE
)

var cmpOps = map[string]cmpOp{"=": cmpEQ, "<>": cmpNE, "<": cmpLT, "<=": cmpLE, ">": cmpGT, ">=": cmpGE}

// flip returns the operator with swapped operands (a < b == b > a).
func (op cmpOp) flip() cmpOp {
	switch op {
	case cmpLT:
		return cmpGT
	case cmpLE:
		return cmpGE
	case cmpGT:
		return cmpLT
	case cmpGE:
		return cmpLE
	}
	return op
}

// test applies the operator to a three-way comparison result.
func (op cmpOp) test(c int) bool {
	switch op {
	case cmpEQ:
		return c == 0
	case cmpNE:
		return c != 0
	case cmpLT:
		return c < 0
	case cmpLE:
		return c <= 0
	case cmpGT:
		return c > 0
	}
	return c >= 0
}

// ComparableTypes returns the types both operands of a comparison are converted to, or a
// user-facing error if they cannot be compared. Numbers compare exactly (integers with DECIMAL
// as DECIMAL, anything with FLOAT/DOUBLE as DOUBLE); strings compare bytewise; a string compared
// with a DATE/TIME/TIMESTAMP is converted to that type; DATE with TIMESTAMP compares as TIMESTAMP.
func ComparableTypes(a, b types.Type) (types.Type, types.Type, error) {
	if a.Kind == types.Unknown {
		a = b.Nullable()
	}
	if b.Kind == types.Unknown {
		b = a.Nullable()
	}
	bad := fmt.Errorf("cannot compare %s with %s", a.Nullable(), b.Nullable())
	switch {
	case a.Kind == types.Unknown:
		return types.BooleanType, types.BooleanType, nil
	case a.IsNumeric() && b.IsNumeric():
		switch {
		case a.Kind == types.Double || a.Kind == types.Float || b.Kind == types.Double || b.Kind == types.Float:
			return types.DoubleType, types.DoubleType, nil
		case a.IsInteger() && b.IsInteger():
			return a, b, nil
		}
		return integerAsDecimal(a), integerAsDecimal(b), nil
	case a.IsString() && b.IsString():
		return a, b, nil
	case a.IsString() && isDateTime(b):
		return b, b, nil
	case b.IsString() && isDateTime(a):
		return a, a, nil
	case a.Kind == types.Date && b.Kind == types.Timestamp:
		return b, b, nil
	case b.Kind == types.Date && a.Kind == types.Timestamp:
		return a, a, nil
	case a.Kind == b.Kind:
		if a.Kind == types.Map {
			return types.Type{}, types.Type{}, bad
		}
		return a, b, nil
	}
	return types.Type{}, types.Type{}, bad
}

func checkCompare(op string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(in []types.Type) ([]types.Type, types.Type, error) {
		if len(in) != 2 {
			return nil, types.Type{}, fmt.Errorf("%s expects 2 arguments, got %d", op, len(in))
		}
		a, b, err := ComparableTypes(in[0], in[1])
		if err != nil {
			return nil, types.Type{}, err
		}
		return []types.Type{a, b}, types.BooleanType.WithNotNull(allNotNull(in)), nil
	}
}

// comparator returns a three-way comparison of row i of a with row j of b for the given
// operand types (as returned by ComparableTypes).
func comparator(a, b types.Type) func(x *chunk.Vector, i int, y *chunk.Vector, j int) int {
	switch a.Kind.Physical() {
	case types.PhysFloat64:
		return func(x *chunk.Vector, i int, y *chunk.Vector, j int) int { return cmpFloat(x.F64[i], y.F64[j]) }
	case types.PhysDecimal:
		sa, sb := a.Scale, b.Scale
		return func(x *chunk.Vector, i int, y *chunk.Vector, j int) int {
			return x.Dec[i].CmpScaled(sa, y.Dec[j], sb)
		}
	case types.PhysString:
		ta, tb := a.Kind == types.Char, b.Kind == types.Char
		return func(x *chunk.Vector, i int, y *chunk.Vector, j int) int {
			s, t := x.Str[i], y.Str[j]
			if ta {
				s = strings.TrimRight(s, " ")
			}
			if tb {
				t = strings.TrimRight(t, " ")
			}
			return strings.Compare(s, t)
		}
	}
	return func(x *chunk.Vector, i int, y *chunk.Vector, j int) int {
		u, v := x.I64[i], y.I64[j]
		switch {
		case u < v:
			return -1
		case u > v:
			return 1
		}
		return 0
	}
}

func cmpFloat(u, v float64) int {
	switch {
	case u < v:
		return -1
	case u > v:
		return 1
	case u == v:
		return 0
	}
	// NaN: Java's primitive comparisons are all false except <>; treat as unordered.
	return 2
}

func makeCompare(op cmpOp, p []types.Type, r types.Type, consts []*chunk.Datum) (Kernel, error) {
	a, b := p[0], p[1]
	rt := types.BooleanType
	phys := a.Kind.Physical()
	ca, cb := constAt(consts, 0), constAt(consts, 1)
	switch {
	case phys == types.PhysInt64 && b.Kind.Physical() == types.PhysInt64:
		return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(rt, n)
			switch {
			case cb != nil:
				cmpVCInt(op, args[0].I64[:n], cb.I, out.I64)
			case ca != nil:
				cmpVCInt(op.flip(), args[1].I64[:n], ca.I, out.I64)
			default:
				cmpVVInt(op, args[0].I64[:n], args[1].I64[:n], out.I64)
			}
			return out, nil
		}, nil
	case phys == types.PhysFloat64:
		return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(rt, n)
			switch {
			case cb != nil:
				cmpVCFloat(op, args[0].F64[:n], cb.F, out.I64)
			case ca != nil:
				cmpVCFloat(op.flip(), args[1].F64[:n], ca.F, out.I64)
			default:
				cmpVVFloat(op, args[0].F64[:n], args[1].F64[:n], out.I64)
			}
			return out, nil
		}, nil
	case phys == types.PhysString && a.Kind != types.Char && b.Kind != types.Char && (op == cmpEQ || op == cmpNE):
		eq := op == cmpEQ
		return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(rt, n)
			x, y := args[0].Str[:n], args[1].Str[:n]
			for i := range out.I64 {
				out.I64[i] = b2i((x[i] == y[i]) == eq)
			}
			return out, nil
		}, nil
	}
	cmp := comparator(a, b)
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(rt, n)
		x, y := args[0], args[1]
		for i := range out.I64 {
			c := cmp(x, i, y, i)
			if c == 2 { // unordered (NaN)
				out.I64[i] = b2i(op == cmpNE)
				continue
			}
			out.I64[i] = b2i(op.test(c))
		}
		return out, nil
	}, nil
}

func makeDistinct(distinct bool, p []types.Type, _ types.Type, _ []*chunk.Datum) (Kernel, error) {
	cmp := comparator(p[0], p[1])
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.BooleanType.WithNotNull(true), n)
		x, y := args[0], args[1]
		for i := range out.I64 {
			xn, yn := x.IsNull(i), y.IsNull(i)
			var same bool
			switch {
			case xn || yn:
				same = xn && yn
			default:
				same = cmp(x, i, y, i) == 0
			}
			out.I64[i] = b2i(same != distinct)
		}
		return out, nil
	}, nil
}

func checkLogic(op string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(in []types.Type) ([]types.Type, types.Type, error) {
		if len(in) != 2 {
			return nil, types.Type{}, fmt.Errorf("%s expects 2 arguments, got %d", op, len(in))
		}
		for _, t := range in {
			if t.Kind != types.Boolean && t.Kind != types.Unknown {
				return nil, types.Type{}, fmt.Errorf("%s expects BOOLEAN operands, got %s", op, argTypeList(in))
			}
		}
		b := types.BooleanType
		return []types.Type{b, b}, b.WithNotNull(allNotNull(in)), nil
	}
}

// makeLogic is the row-wise AND/OR kernel (Compile uses a short-circuiting evaluator instead;
// this kernel serves other callers of Make).
func makeLogic(and bool) func([]types.Type, types.Type, []*chunk.Datum) (Kernel, error) {
	return func(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
		e := &logicEval{and: and, t: r}
		return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
			if args[0].Nulls == nil {
				return e.combineFull(args[0], args[1], n), nil
			}
			l := &chunk.Chunk{Kinds: make([]chunk.RowKind, n), Cols: []*chunk.Vector{args[0], args[1]}}
			e.l, e.r = &colEval{idx: 0}, &colEval{idx: 1}
			return e.Eval(l)
		}, nil
	}
}

func checkNot(in []types.Type) ([]types.Type, types.Type, error) {
	if len(in) != 1 || (in[0].Kind != types.Boolean && in[0].Kind != types.Unknown) {
		return nil, types.Type{}, fmt.Errorf("NOT expects a BOOLEAN operand, got %s", argTypeList(in))
	}
	return []types.Type{types.BooleanType}, types.BooleanType.WithNotNull(in[0].NotNull), nil
}

func makeNot(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		for i, v := range args[0].I64[:n] {
			out.I64[i] = 1 - v
		}
		return out, nil
	}, nil
}

func checkIs(op string, in []types.Type) ([]types.Type, types.Type, error) {
	if len(in) != 1 {
		return nil, types.Type{}, fmt.Errorf("%s expects 1 argument, got %d", op, len(in))
	}
	t := in[0]
	if op != "IS NULL" && op != "IS NOT NULL" {
		if t.Kind != types.Boolean && t.Kind != types.Unknown {
			return nil, types.Type{}, fmt.Errorf("%s expects a BOOLEAN operand, got %s", op, t.Nullable())
		}
		t = types.BooleanType
	}
	if t.Kind == types.Unknown {
		t = types.BooleanType
	}
	return []types.Type{t}, types.BooleanType.WithNotNull(true), nil
}

func makeIs(op string) Kernel {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.BooleanType.WithNotNull(true), n)
		x := args[0]
		for i := range out.I64 {
			null := x.IsNull(i)
			var r bool
			switch op {
			case "IS NULL":
				r = null
			case "IS NOT NULL":
				r = !null
			case "IS TRUE":
				r = !null && x.I64[i] != 0
			case "IS NOT TRUE":
				r = null || x.I64[i] == 0
			case "IS FALSE":
				r = !null && x.I64[i] == 0
			case "IS NOT FALSE":
				r = null || x.I64[i] != 0
			}
			out.I64[i] = b2i(r)
		}
		return out, nil
	}
}

func checkItem(in []types.Type) ([]types.Type, types.Type, error) {
	if len(in) != 2 || in[0].Kind != types.Map || (!in[1].IsString() && in[1].Kind != types.Unknown) {
		return nil, types.Type{}, fmt.Errorf("map subscript expects (MAP<STRING, STRING>, STRING), got %s", argTypeList(in))
	}
	return []types.Type{in[0], types.StringType}, types.StringType, nil
}

func makeItem(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		m, k := args[0], args[1]
		for i := 0; i < n; i++ {
			if m.IsNull(i) || k.IsNull(i) {
				continue
			}
			v, ok := m.Maps[i][k.Str[i]]
			if !ok {
				setNull(out, i, n)
				continue
			}
			out.Str[i] = v
		}
		return out, nil
	}, nil
}
