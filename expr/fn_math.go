package expr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func init() {
	register(&Function{Name: "ABS", Deterministic: true, Check: checkNumeric1("ABS"), Make: makeAbs})
	for _, name := range []string{"ROUND", "TRUNCATE"} {
		mode := types.HalfUp
		if name == "TRUNCATE" {
			mode = types.Down
		}
		register(&Function{Name: name, Deterministic: true, Check: checkRoundTypes(name, nil),
			CheckArgs: func(args []Expr) ([]types.Type, types.Type, error) {
				ts := make([]types.Type, len(args))
				for i, a := range args {
					ts[i] = a.Type()
				}
				var digits *int64
				if len(args) == 2 {
					if args[1].Type().IsInteger() && isConstant(args[1]) {
						if d, err := evalConstant(args[1], DefaultContext()); err == nil && !d.Null {
							digits = &d.I
						}
					}
				}
				return checkRoundTypes(name, digits)(ts)
			},
			Make: func(p []types.Type, r types.Type, c []*chunk.Datum) (Kernel, error) {
				return makeRound(mode, p, r, c), nil
			},
		})
	}
	register(&Function{Name: "FLOOR", Deterministic: true, Check: checkFloorCeil("FLOOR"),
		Make: func(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
			return makeFloorCeil(types.Floor, p, r), nil
		}})
	register(&Function{Name: "CEIL", Deterministic: true, Check: checkFloorCeil("CEIL"),
		Make: func(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
			return makeFloorCeil(types.Ceiling, p, r), nil
		}},
		"CEILING")
	d := types.DoubleType
	unary := map[string]func(float64) float64{
		"SQRT": math.Sqrt, "EXP": math.Exp, "LN": math.Log, "LOG10": math.Log10, "LOG2": math.Log2,
		"SIN": math.Sin, "COS": math.Cos, "TAN": math.Tan, "ASIN": math.Asin, "ACOS": math.Acos,
		"ATAN": math.Atan, "SINH": math.Sinh, "COSH": math.Cosh, "TANH": math.Tanh,
		"DEGREES": func(x float64) float64 { return x * 180 / math.Pi },
		"RADIANS": func(x float64) float64 { return x * math.Pi / 180 },
		"COT":     func(x float64) float64 { return 1 / math.Tan(x) },
	}
	for name, f := range unary {
		f := f
		register(&Function{Name: name, Deterministic: true, Check: FixedSignature(name, d, d),
			Make: func(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) { return floatKernel1(f), nil }})
	}
	binary := map[string]func(float64, float64) float64{
		"POWER": math.Pow, "ATAN2": math.Atan2,
	}
	for name, f := range binary {
		f := f
		aliases := []string(nil)
		if name == "POWER" {
			aliases = []string{"POW"}
		}
		register(&Function{Name: name, Deterministic: true, Check: FixedSignature(name, d, d, d),
			Make: func(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) { return floatKernel2(f), nil }},
			aliases...)
	}
	register(&Function{Name: "LOG", Deterministic: true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			if len(args) == 1 {
				return FixedSignature("LOG", d, d)(args)
			}
			return FixedSignature("LOG", d, d, d)(args)
		},
		Make: func(p []types.Type, _ types.Type, _ []*chunk.Datum) (Kernel, error) {
			if len(p) == 1 {
				return floatKernel1(math.Log), nil
			}
			return floatKernel2(func(b, x float64) float64 { return math.Log(x) / math.Log(b) }), nil
		}})
	register(&Function{Name: "SIGN", Deterministic: true, Check: checkNumeric1("SIGN"), Make: makeSign})
	for name, v := range map[string]float64{"PI": math.Pi, "E": math.E} {
		v := v
		register(&Function{Name: name, Deterministic: true, Check: FixedSignature(name, d.WithNotNull(true)),
			Make: func(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
				return func(_ *Context, _ []*chunk.Vector, n int) (*chunk.Vector, error) {
					return broadcast(r, chunk.Float(v), n), nil
				}, nil
			}})
	}
	register(&Function{Name: "RAND", Deterministic: false, Check: checkRand("RAND", 0), Make: makeRand(false)})
	register(&Function{Name: "RAND_INTEGER", Deterministic: false, Check: checkRand("RAND_INTEGER", 1), Make: makeRand(true)})
	register(&Function{Name: "GREATEST", Deterministic: true, Check: checkCommonN("GREATEST", 1, -1),
		Make: func(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
			return makeExtreme(true, p, r), nil
		}})
	register(&Function{Name: "LEAST", Deterministic: true, Check: checkCommonN("LEAST", 1, -1),
		Make: func(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
			return makeExtreme(false, p, r), nil
		}})
	register(&Function{Name: "BIN", Deterministic: true, Check: FixedSignature("BIN", types.StringType, types.BigIntType),
		Make: func(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := newVec(r, n)
				for i, v := range args[0].I64[:n] {
					out.Str[i] = strconv.FormatUint(uint64(v), 2)
				}
				return out, nil
			}, nil
		}})
}

func checkNumeric1(name string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		if len(args) != 1 || !args[0].IsNumeric() {
			return nil, types.Type{}, fmt.Errorf("%s expects a numeric argument, got %s", name, argTypeList(args))
		}
		return args, args[0], nil
	}
}

func makeAbs(_ []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		switch r.Kind.Physical() {
		case types.PhysFloat64:
			for i, v := range args[0].F64[:n] {
				out.F64[i] = math.Abs(v)
			}
		case types.PhysDecimal:
			for i, v := range args[0].Dec[:n] {
				out.Dec[i] = v.Abs()
			}
		default:
			for i, v := range args[0].I64[:n] {
				if v < 0 {
					v = -v
				}
				out.I64[i] = v
			}
			wrapInts(r.Kind, out.I64)
		}
		return out, nil
	}, nil
}

// roundDecimalType is Flink's result type of ROUND/TRUNCATE(DECIMAL(p, s), r).
func roundDecimalType(p, s int, r int64) types.Type {
	switch {
	case r >= int64(s):
		return types.DecimalType(p, s)
	case r < 0:
		return types.DecimalType(min(types.MaxDecimalPrecision, 1+p-s), 0)
	}
	return types.DecimalType(min(types.MaxDecimalPrecision, 1+p-s+int(r)), int(r))
}

// checkRoundTypes checks ROUND/TRUNCATE(x[, d]); digits is the value of a literal d (nil when
// d is absent, 0 is assumed, or not a literal, in which case a DECIMAL keeps its type).
func checkRoundTypes(name string, digits *int64) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		if len(args) < 1 || len(args) > 2 || !args[0].IsNumeric() || (len(args) == 2 && !args[1].IsInteger() && args[1].Kind != types.Unknown) {
			return nil, types.Type{}, fmt.Errorf("%s expects (NUMERIC[, INT]), got %s", name, argTypeList(args))
		}
		x := args[0]
		params := []types.Type{x}
		if len(args) == 2 {
			params = append(params, types.IntType)
		}
		nn := allNotNull(args)
		if x.Kind == types.Float {
			x = types.DoubleType
			params[0] = x
		}
		if x.Kind == types.Decimal {
			r := int64(0)
			if len(args) == 2 {
				if digits == nil {
					return params, x.WithNotNull(nn), nil
				}
				r = *digits
			}
			return params, roundDecimalType(x.Precision, x.Scale, r).WithNotNull(nn), nil
		}
		return params, x.WithNotNull(nn), nil
	}
}

var int64Pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
	1e14, 1e15, 1e16, 1e17, 1e18}

// roundInt rounds x to a multiple of 10^-d (d < 0) with the mode.
func roundInt(x int64, d int64, mode types.RoundingMode) int64 {
	if d >= 0 {
		return x
	}
	if -d >= int64(len(int64Pow10)) {
		return 0
	}
	r, _ := types.DecimalFromInt64(x).Rescale(int(-d), 0, mode)
	v, _ := r.Mul(types.DecimalPow10(int(-d)))
	if !v.IsInt64() {
		return x
	}
	return v.Int64()
}

// roundFloat rounds f to d decimal digits as Java's BigDecimal.setScale(d, mode) on the
// shortest decimal representation of f.
func roundFloat(f float64, d int64, mode types.RoundingMode) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	if d > 300 {
		return f
	}
	if d < -300 {
		return 0
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	dec, _, sc, err := types.ParseDecimal(s)
	if err != nil {
		return f
	}
	if int64(sc) <= d {
		return f
	}
	r, ok := dec.Rescale(sc, int(d), mode)
	if !ok {
		return f
	}
	if d >= 0 {
		return r.ToFloat64(int(d))
	}
	v, _ := strconv.ParseFloat(r.String(0)+"e"+strconv.FormatInt(-d, 10), 64)
	return v
}

func makeRound(mode types.RoundingMode, p []types.Type, r types.Type, consts []*chunk.Datum) Kernel {
	x := p[0]
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		digits := func(i int) int64 {
			if len(args) < 2 {
				return 0
			}
			return args[1].I64[i]
		}
		for i := 0; i < n; i++ {
			switch x.Kind.Physical() {
			case types.PhysFloat64:
				out.F64[i] = roundFloat(args[0].F64[i], digits(i), mode)
			case types.PhysDecimal:
				d := digits(i)
				v := args[0].Dec[i]
				tmp := d
				if tmp > int64(x.Scale) {
					tmp = int64(x.Scale)
				}
				if tmp < -38 {
					tmp = -38
				}
				rv, ok := v.Rescale(x.Scale, int(tmp), mode)
				if ok {
					rv, ok = rv.Rescale(int(tmp), r.Scale, mode)
				}
				if !ok || !rv.FitsPrecision(r.Precision) {
					setNull(out, i, n)
					continue
				}
				out.Dec[i] = rv
			default:
				out.I64[i] = roundInt(args[0].I64[i], digits(i), mode)
			}
		}
		return out, nil
	}
}

func checkFloorCeil(name string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		if len(args) != 1 || !args[0].IsNumeric() {
			return nil, types.Type{}, fmt.Errorf("%s expects a numeric argument, got %s", name, argTypeList(args))
		}
		x := args[0]
		switch x.Kind {
		case types.Decimal:
			if x.Scale == 0 {
				return args, x, nil
			}
			return args, types.DecimalType(min(types.MaxDecimalPrecision, x.Precision-x.Scale+1), 0).WithNotNull(x.NotNull), nil
		case types.Float:
			return []types.Type{types.DoubleType}, types.DoubleType.WithNotNull(x.NotNull), nil
		}
		return args, x, nil
	}
}

func makeFloorCeil(mode types.RoundingMode, p []types.Type, r types.Type) Kernel {
	x := p[0]
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		switch x.Kind.Physical() {
		case types.PhysFloat64:
			f := math.Floor
			if mode == types.Ceiling {
				f = math.Ceil
			}
			for i, v := range args[0].F64[:n] {
				out.F64[i] = f(v)
			}
		case types.PhysDecimal:
			for i, v := range args[0].Dec[:n] {
				rv, ok := v.Rescale(x.Scale, 0, mode)
				if !ok || !rv.FitsPrecision(r.Precision) {
					setNull(out, i, n)
					continue
				}
				out.Dec[i] = rv
			}
		default:
			copy(out.I64, args[0].I64[:n])
		}
		return out, nil
	}
}

func floatKernel1(f func(float64) float64) Kernel {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.DoubleType, n)
		for i, v := range args[0].F64[:n] {
			out.F64[i] = f(v)
		}
		return out, nil
	}
}

func floatKernel2(f func(float64, float64) float64) Kernel {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.DoubleType, n)
		x, y := args[0].F64[:n], args[1].F64[:n]
		for i := range out.F64 {
			out.F64[i] = f(x[i], y[i])
		}
		return out, nil
	}
}

func makeSign(p []types.Type, r types.Type, _ []*chunk.Datum) (Kernel, error) {
	x := p[0]
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		switch x.Kind.Physical() {
		case types.PhysFloat64:
			for i, v := range args[0].F64[:n] {
				switch {
				case v > 0:
					out.F64[i] = 1
				case v < 0:
					out.F64[i] = -1
				default:
					out.F64[i] = v // 0, -0 or NaN
				}
			}
		case types.PhysDecimal:
			one := types.DecimalPow10(min(x.Scale, types.MaxDecimalPrecision))
			for i, v := range args[0].Dec[:n] {
				switch v.Sign() {
				case 1:
					out.Dec[i] = one
				case -1:
					out.Dec[i] = one.Neg()
				}
			}
		default:
			for i, v := range args[0].I64[:n] {
				switch {
				case v > 0:
					out.I64[i] = 1
				case v < 0:
					out.I64[i] = -1
				}
			}
		}
		return out, nil
	}, nil
}

// checkRand checks RAND([seed]) (bounded=0) and RAND_INTEGER([seed,] bound) (bounded=1).
func checkRand(name string, bounded int) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		if len(args) < bounded || len(args) > bounded+1 {
			return nil, types.Type{}, fmt.Errorf("%s expects %d or %d integer arguments, got %d", name, bounded, bounded+1, len(args))
		}
		params := make([]types.Type, len(args))
		for i, a := range args {
			if !a.IsInteger() && a.Kind != types.Unknown {
				return nil, types.Type{}, fmt.Errorf("%s expects integer arguments, got %s", name, argTypeList(args))
			}
			params[i] = types.BigIntType
		}
		if bounded == 1 {
			return params, types.IntType.WithNotNull(allNotNull(args)), nil
		}
		return params, types.DoubleType.WithNotNull(allNotNull(args)), nil
	}
}

// makeRand builds RAND/RAND_INTEGER. A constant seed gives a repeatable sequence per call site
// (as Flink); without one the generator is seeded randomly.
func makeRand(integer bool) func([]types.Type, types.Type, []*chunk.Datum) (Kernel, error) {
	return func(p []types.Type, r types.Type, consts []*chunk.Datum) (Kernel, error) {
		seeded := (integer && len(p) == 2) || (!integer && len(p) == 1)
		var rng *rand.Rand
		if seeded && consts[0] != nil && !consts[0].Null {
			s := uint64(consts[0].I)
			rng = rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
		} else {
			rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		}
		return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
			out := newVec(r, n)
			if !integer {
				for i := range out.F64 {
					out.F64[i] = rng.Float64()
				}
				return out, nil
			}
			b := args[len(args)-1]
			for i := 0; i < n; i++ {
				if b.IsNull(i) {
					continue
				}
				bound := b.I64[i]
				if bound <= 0 {
					return nil, fmt.Errorf("RAND_INTEGER bound must be positive, got %d", bound)
				}
				out.I64[i] = rng.Int64N(bound)
			}
			return out, nil
		}, nil
	}
}

// checkCommonN returns a Check that converts all arguments (between lo and hi of them, hi < 0:
// unbounded) to their common type, which is also the result type.
func checkCommonN(name string, lo, hi int) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			return nil, types.Type{}, fmt.Errorf("%s: wrong number of arguments (%d)", name, len(args))
		}
		t, err := CommonType(args...)
		if err != nil {
			return nil, types.Type{}, fmt.Errorf("%s: %v", name, err)
		}
		if t.Kind == types.Unknown {
			return nil, types.Type{}, fmt.Errorf("%s: cannot infer a type from untyped NULL arguments", name)
		}
		params := make([]types.Type, len(args))
		for i := range params {
			params[i] = t.Nullable()
		}
		return params, t, nil
	}
}

func makeExtreme(greatest bool, p []types.Type, r types.Type) Kernel {
	cmp := comparator(p[0], p[0])
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(r, n)
		for i := 0; i < n; i++ {
			best := 0
			for j := 1; j < len(args); j++ {
				c := cmp(args[j], i, args[best], i)
				if (greatest && c == 1) || (!greatest && c == -1) {
					best = j
				}
			}
			copySlot(out, i, args[best], i, n)
		}
		return out, nil
	}
}
