package expr

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/types"
)

// integerAsDecimal returns the DECIMAL type that holds every value of an integer type:
// TINYINT DECIMAL(3,0), SMALLINT (5,0), INT (10,0), BIGINT (19,0). Other types are returned
// unchanged.
func integerAsDecimal(t types.Type) types.Type {
	var p int
	switch t.Kind {
	case types.TinyInt:
		p = 3
	case types.SmallInt:
		p = 5
	case types.Int:
		p = 10
	case types.BigInt:
		p = 19
	default:
		return t
	}
	return types.DecimalType(p, 0).WithNotNull(t.NotNull)
}

// CommonType returns the least restrictive type of ts (for CASE branches, COALESCE, IN lists,
// UNION and comparisons), following Calcite/Flink: integers widen; integer with DECIMAL gives a
// DECIMAL keeping all integer digits and the largest scale; anything with FLOAT/DOUBLE gives
// DOUBLE; CHAR with CHAR gives CHAR of the longest length, with VARCHAR a VARCHAR of the longest
// length; DATE with TIMESTAMP gives TIMESTAMP; TIME/TIMESTAMP take the largest precision; an
// untyped NULL adopts the other types. The result is NOT NULL only if all inputs are.
func CommonType(ts ...types.Type) (types.Type, error) {
	var acc types.Type
	notNull := len(ts) > 0
	for i, t := range ts {
		notNull = notNull && t.NotNull && t.Kind != types.Unknown
		if i == 0 {
			acc = t
			continue
		}
		r, ok := common2(acc, t)
		if !ok {
			return types.Type{}, fmt.Errorf("incompatible types: %s", typeList(ts))
		}
		acc = r
	}
	return acc.WithNotNull(notNull), nil
}

func typeList(ts []types.Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Nullable().String()
	}
	return strings.Join(parts, ", ")
}

func common2(a, b types.Type) (types.Type, bool) {
	a, b = a.Nullable(), b.Nullable()
	switch {
	case a.Kind == types.Unknown:
		return b, true
	case b.Kind == types.Unknown:
		return a, true
	case a.Equal(b):
		return a, true
	case a.IsNumeric() && b.IsNumeric():
		return commonNumeric(a, b), true
	case a.IsString() && b.IsString():
		n := max(a.Length, b.Length)
		if a.Kind == types.Char && b.Kind == types.Char && a.Length == b.Length {
			return types.CharType(n), true
		}
		// CHARs of different lengths unite to VARCHAR, as in Flink's type system
		// (shouldConvertRaggedUnionTypesToVarying): CASE ... THEN 'a' ELSE 'abc' is not padded.
		return types.VarcharType(n), true
	case a.Kind == b.Kind:
		switch a.Kind {
		case types.Time, types.Timestamp, types.TimestampLTZ:
			a.Precision = max(a.Precision, b.Precision)
			return a, true
		case types.Bytes:
			a.Length = max(a.Length, b.Length)
			return a, true
		case types.IntervalDayTime, types.IntervalYearMonth:
			a.Precision = max(a.Precision, b.Precision)
			return a, true
		}
		return a, true
	case a.Kind == types.Date && b.IsTimestamp():
		return b, true
	case b.Kind == types.Date && a.IsTimestamp():
		return a, true
	}
	return types.Type{}, false
}

func commonNumeric(a, b types.Type) types.Type {
	switch {
	case a.Kind == types.Double || b.Kind == types.Double:
		return types.DoubleType
	case a.Kind == types.Float || b.Kind == types.Float:
		if a.Kind == types.Decimal || b.Kind == types.Decimal {
			return types.DoubleType
		}
		return types.FloatType
	case a.IsInteger() && b.IsInteger():
		if a.Kind >= b.Kind {
			return a
		}
		return b
	}
	da, db := integerAsDecimal(a), integerAsDecimal(b)
	scale := max(da.Scale, db.Scale)
	intDigits := max(da.Precision-da.Scale, db.Precision-db.Scale)
	p := intDigits + scale
	if p > types.MaxDecimalPrecision {
		p = types.MaxDecimalPrecision
		scale = max(0, p-intDigits)
	}
	return types.DecimalType(p, scale)
}

// Coerce converts e to type t, inserting the implicit cast Flink would (see CanImplicitCast).
// An untyped NULL literal becomes a typed NULL literal, and a string literal may become a DATE,
// TIME or TIMESTAMP (as when compared with one). t's NOT NULL flag is ignored: the result keeps
// e's nullability.
func Coerce(e Expr, t types.Type) (Expr, error) {
	from := e.Type()
	if from.Equal(t) {
		return e, nil
	}
	target := t.WithNotNull(from.NotNull)
	if lit, ok := e.(*Literal); ok {
		if from.Kind == types.Unknown || lit.Value.Null && CanCast(from, t) {
			return &Literal{Value: lit.Value, T: t.Nullable()}, nil
		}
		if from.IsString() {
			switch t.Kind {
			case types.Date, types.Time, types.Timestamp, types.TimestampLTZ:
				return &Cast{Arg: e, T: target}, nil
			}
		}
	}
	if !CanImplicitCast(from, t) {
		return nil, fmt.Errorf("cannot implicitly convert %s to %s", from.Nullable(), t.Nullable())
	}
	if t.Kind == types.Decimal && !decimalCastExact(from, t) {
		target.NotNull = false
	}
	return &Cast{Arg: e, T: target}, nil
}

// NewCall resolves the built-in function name, checks the argument types, inserts implicit
// casts to the parameter types and returns the typed call. Nothing is folded. Errors are
// user-facing without a position: "unknown function FOO", "MOD expects ...".
func NewCall(name string, args []Expr) (Expr, error) {
	fn, ok := LookupFunction(name)
	if !ok {
		return nil, fmt.Errorf("unknown function %s", strings.ToUpper(name))
	}
	return NewCallFn(fn, args)
}

// NewCallFn is NewCall for an already resolved function.
func NewCallFn(fn *Function, args []Expr) (*Call, error) {
	ts := make([]types.Type, len(args))
	for i, a := range args {
		if a == nil {
			return nil, fmt.Errorf("%s: missing argument %d", fn.Name, i+1)
		}
		ts[i] = a.Type()
	}
	var params []types.Type
	var result types.Type
	var err error
	if fn.CheckArgs != nil {
		params, result, err = fn.CheckArgs(args)
	} else {
		params, result, err = fn.Check(ts)
	}
	if err != nil {
		return nil, err
	}
	if len(params) != len(args) {
		return nil, fmt.Errorf("%s: internal error: %d parameter types for %d arguments", fn.Name, len(params), len(args))
	}
	cargs := make([]Expr, len(args))
	for i, a := range args {
		c, err := Coerce(a, params[i])
		if err != nil {
			return nil, fmt.Errorf("%s: argument %d: %v", fn.Name, i+1, err)
		}
		cargs[i] = c
	}
	return &Call{Fn: fn, Args: cargs, T: result}, nil
}

// NewCase builds a searched CASE: conditions must be BOOLEAN, the branch results are coerced to
// their common type. els may be nil (ELSE NULL).
func NewCase(whens []When, els Expr) (*Case, error) {
	if len(whens) == 0 {
		return nil, fmt.Errorf("CASE needs at least one WHEN")
	}
	ts := make([]types.Type, 0, len(whens)+1)
	out := make([]When, len(whens))
	for i, w := range whens {
		ct := w.Cond.Type()
		if ct.Kind != types.Boolean && ct.Kind != types.Unknown {
			return nil, fmt.Errorf("CASE WHEN condition must be BOOLEAN, got %s", ct.Nullable())
		}
		cond, err := Coerce(w.Cond, types.BooleanType)
		if err != nil {
			return nil, err
		}
		out[i].Cond = cond
		ts = append(ts, w.Result.Type())
	}
	if els != nil {
		ts = append(ts, els.Type())
	} else {
		ts = append(ts, types.Type{})
	}
	t, err := CommonType(ts...)
	if err != nil {
		return nil, fmt.Errorf("CASE branches have %v", err)
	}
	if t.Kind == types.Unknown {
		return nil, fmt.Errorf("CASE needs at least one branch that is not an untyped NULL")
	}
	for i, w := range whens {
		r, err := Coerce(w.Result, t)
		if err != nil {
			return nil, err
		}
		out[i].Result = r
	}
	var e Expr
	if els != nil {
		if e, err = Coerce(els, t); err != nil {
			return nil, err
		}
	}
	return &Case{Whens: out, Else: e, T: t}, nil
}
