package agg

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/types"
)

// Aggregate function names, as Call.Name holds them.
const (
	Count      = "COUNT"
	Sum        = "SUM"
	Avg        = "AVG"
	Min        = "MIN"
	Max        = "MAX"
	FirstValue = "FIRST_VALUE"
	LastValue  = "LAST_VALUE"
)

// Resolve checks an aggregate call's argument types and returns its result type, as Flink
// derives it:
//
//	COUNT(*), COUNT(x, ...)           BIGINT NOT NULL
//	SUM(TINYINT..BIGINT, FLOAT, DOUBLE) the argument type
//	SUM(DECIMAL(p, s))                DECIMAL(38, s)
//	AVG(TINYINT..BIGINT, FLOAT, DOUBLE) the argument type (integer AVG truncates toward zero)
//	AVG(DECIMAL(p, s))                DECIMAL(38, max(s, 6))
//	MIN, MAX, FIRST_VALUE, LAST_VALUE the argument type
//
// Every result except COUNT's is nullable. name is matched case-insensitively.
func Resolve(name string, distinct bool, args []types.Type) (types.Type, error) {
	name = strings.ToUpper(name)
	switch name {
	case Count:
		for _, a := range args {
			if a.Kind == types.Map && distinct {
				return types.Type{}, fmt.Errorf("cannot apply COUNT(DISTINCT) to %s: MAP values are not comparable", a)
			}
		}
		return types.BigIntType.WithNotNull(true), nil
	case Sum, Avg:
		if len(args) != 1 {
			return types.Type{}, fmt.Errorf("%s takes exactly one argument, got %d", name, len(args))
		}
		a := args[0]
		if !a.IsNumeric() {
			return types.Type{}, fmt.Errorf("cannot apply '%s' to arguments of type '%s(<%s>)'; supported form: '%s(<NUMERIC>)'", name, name, a.Nullable(), name)
		}
		if a.Kind == types.Decimal {
			s := a.Scale
			if name == Avg {
				s = max(s, 6)
			}
			return types.DecimalType(types.MaxDecimalPrecision, s), nil
		}
		return a.Nullable(), nil
	case Min, Max, FirstValue, LastValue:
		if len(args) != 1 {
			return types.Type{}, fmt.Errorf("%s takes exactly one argument, got %d", name, len(args))
		}
		a := args[0]
		switch a.Kind {
		case types.Unknown:
			return types.Type{}, fmt.Errorf("cannot apply '%s' to an untyped NULL; cast it to a type first", name)
		case types.Map:
			if name == Min || name == Max {
				return types.Type{}, fmt.Errorf("cannot apply '%s' to %s: MAP values are not comparable", name, a.Nullable())
			}
		}
		return a.Nullable(), nil
	}
	return types.Type{}, fmt.Errorf("unknown aggregate function %s", name)
}
