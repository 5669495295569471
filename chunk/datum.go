package chunk

import (
	"github.com/floedb/floe/types"
)

// Datum is one value outside a vector: in state, keys, literals and tests. Which field holds
// the value is decided by the type it belongs to (see types.Kind.Physical).
type Datum struct {
	Null bool
	I    int64
	F    float64
	D    types.Decimal128
	S    string
	M    map[string]string
}

// NullDatum is SQL NULL.
var NullDatum = Datum{Null: true}

// Int returns an integer-class datum (also BOOLEAN, DATE, TIME, TIMESTAMP, INTERVAL).
func Int(i int64) Datum { return Datum{I: i} }

// Float returns a float datum.
func Float(f float64) Datum { return Datum{F: f} }

// Str returns a string datum.
func Str(s string) Datum { return Datum{S: s} }

// Bool returns a BOOLEAN datum.
func Bool(b bool) Datum {
	if b {
		return Datum{I: 1}
	}
	return Datum{}
}

// Dec returns a decimal datum.
func Dec(d types.Decimal128) Datum { return Datum{D: d} }
