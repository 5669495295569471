// Package types defines Floe's SQL data types and their physical representation.
//
// Every SQL type maps to one physical storage class (see Kind.Physical):
//
//	BOOLEAN                          int64 (0 or 1)
//	TINYINT, SMALLINT, INT, BIGINT   int64
//	FLOAT, DOUBLE                    float64
//	DECIMAL(p,s)                     Decimal128 (128-bit two's complement, unscaled by s)
//	CHAR, VARCHAR, STRING, BYTES     string (BYTES holds raw bytes in a Go string)
//	DATE                             int64 days since 1970-01-01
//	TIME(p)                          int64 microseconds since midnight
//	TIMESTAMP(p), TIMESTAMP_LTZ(p)   int64 microseconds since 1970-01-01 00:00:00 (UTC for LTZ,
//	                                 wall clock without zone for TIMESTAMP)
//	INTERVAL DAY TO SECOND           int64 microseconds
//	INTERVAL YEAR TO MONTH           int64 months
//	MAP<STRING,STRING>               map[string]string (only what STR_TO_MAP needs)
//
// Precision above 6 for TIME and TIMESTAMP is accepted and stored at microseconds.
package types

import (
	"fmt"
	"strings"
)

// Kind is a SQL type's family.
type Kind uint8

// The SQL type kinds. Unknown is the type of an untyped NULL literal before coercion.
const (
	Unknown Kind = iota
	Boolean
	TinyInt
	SmallInt
	Int
	BigInt
	Float
	Double
	Decimal
	Char
	Varchar
	Bytes
	Date
	Time
	Timestamp
	TimestampLTZ
	IntervalDayTime
	IntervalYearMonth
	Map
)

// Physical is the storage class of a kind inside a vector.
type Physical uint8

// Storage classes.
const (
	PhysInt64 Physical = iota
	PhysFloat64
	PhysDecimal
	PhysString
	PhysMap
)

// Physical returns how values of kind k are stored.
func (k Kind) Physical() Physical {
	switch k {
	case Float, Double:
		return PhysFloat64
	case Decimal:
		return PhysDecimal
	case Char, Varchar, Bytes:
		return PhysString
	case Map:
		return PhysMap
	default:
		return PhysInt64
	}
}

// MaxLength is the Length of VARCHAR(MAX), i.e. STRING, and of BYTES.
const MaxLength = 2147483647

// MaxDecimalPrecision is the largest DECIMAL precision (as Flink).
const MaxDecimalPrecision = 38

// Type is a SQL data type. The zero value is the unknown type.
type Type struct {
	Kind Kind
	// Precision: DECIMAL precision (1..38), fractional-second precision of TIME and TIMESTAMP
	// (0..9), leading precision of intervals.
	Precision int
	// Scale: DECIMAL scale.
	Scale int
	// Length: CHAR and VARCHAR length; MaxLength for STRING and BYTES.
	Length int
	// NotNull is true for NOT NULL types.
	NotNull bool
}

// Convenience constructors.
var (
	BooleanType   = Type{Kind: Boolean}
	TinyIntType   = Type{Kind: TinyInt}
	SmallIntType  = Type{Kind: SmallInt}
	IntType       = Type{Kind: Int}
	BigIntType    = Type{Kind: BigInt}
	FloatType     = Type{Kind: Float}
	DoubleType    = Type{Kind: Double}
	StringType    = Type{Kind: Varchar, Length: MaxLength}
	BytesType     = Type{Kind: Bytes, Length: MaxLength}
	DateType      = Type{Kind: Date}
	IntervalDT    = Type{Kind: IntervalDayTime, Precision: 2}
	IntervalYM    = Type{Kind: IntervalYearMonth, Precision: 2}
	MapStringType = Type{Kind: Map}
)

// DecimalType returns DECIMAL(p, s).
func DecimalType(p, s int) Type { return Type{Kind: Decimal, Precision: p, Scale: s} }

// TimestampType returns TIMESTAMP(p).
func TimestampType(p int) Type { return Type{Kind: Timestamp, Precision: p} }

// TimestampLTZType returns TIMESTAMP_LTZ(p).
func TimestampLTZType(p int) Type { return Type{Kind: TimestampLTZ, Precision: p} }

// TimeType returns TIME(p).
func TimeType(p int) Type { return Type{Kind: Time, Precision: p} }

// VarcharType returns VARCHAR(n).
func VarcharType(n int) Type { return Type{Kind: Varchar, Length: n} }

// CharType returns CHAR(n).
func CharType(n int) Type { return Type{Kind: Char, Length: n} }

// WithNotNull returns t with its NOT NULL flag set to notNull.
func (t Type) WithNotNull(notNull bool) Type { t.NotNull = notNull; return t }

// Nullable returns t without NOT NULL.
func (t Type) Nullable() Type { t.NotNull = false; return t }

// IsNumeric reports whether t is an exact or approximate number.
func (t Type) IsNumeric() bool {
	switch t.Kind {
	case TinyInt, SmallInt, Int, BigInt, Float, Double, Decimal:
		return true
	}
	return false
}

// IsInteger reports whether t is TINYINT..BIGINT.
func (t Type) IsInteger() bool { return t.Kind >= TinyInt && t.Kind <= BigInt }

// IsString reports whether t is CHAR or VARCHAR.
func (t Type) IsString() bool { return t.Kind == Char || t.Kind == Varchar }

// IsTimestamp reports whether t is TIMESTAMP or TIMESTAMP_LTZ.
func (t Type) IsTimestamp() bool { return t.Kind == Timestamp || t.Kind == TimestampLTZ }

// IsInterval reports whether t is an interval type.
func (t Type) IsInterval() bool { return t.Kind == IntervalDayTime || t.Kind == IntervalYearMonth }

// Equal reports whether two types are the same, ignoring nullability.
func (t Type) Equal(o Type) bool { t.NotNull, o.NotNull = false, false; return t == o }

// String renders the type in Flink's SQL syntax, e.g. "DECIMAL(23, 3) NOT NULL".
func (t Type) String() string {
	var s string
	switch t.Kind {
	case Unknown:
		s = "NULL"
	case Boolean:
		s = "BOOLEAN"
	case TinyInt:
		s = "TINYINT"
	case SmallInt:
		s = "SMALLINT"
	case Int:
		s = "INT"
	case BigInt:
		s = "BIGINT"
	case Float:
		s = "FLOAT"
	case Double:
		s = "DOUBLE"
	case Decimal:
		s = fmt.Sprintf("DECIMAL(%d, %d)", t.Precision, t.Scale)
	case Char:
		s = fmt.Sprintf("CHAR(%d)", t.Length)
	case Varchar:
		if t.Length == MaxLength || t.Length == 0 {
			s = "STRING"
		} else {
			s = fmt.Sprintf("VARCHAR(%d)", t.Length)
		}
	case Bytes:
		if t.Length == MaxLength || t.Length == 0 {
			s = "BYTES"
		} else {
			s = fmt.Sprintf("VARBINARY(%d)", t.Length)
		}
	case Date:
		s = "DATE"
	case Time:
		s = fmt.Sprintf("TIME(%d)", t.Precision)
	case Timestamp:
		s = fmt.Sprintf("TIMESTAMP(%d)", t.Precision)
	case TimestampLTZ:
		s = fmt.Sprintf("TIMESTAMP_LTZ(%d)", t.Precision)
	case IntervalDayTime:
		s = "INTERVAL DAY TO SECOND"
	case IntervalYearMonth:
		s = "INTERVAL YEAR TO MONTH"
	case Map:
		s = "MAP<STRING, STRING>"
	default:
		s = fmt.Sprintf("KIND(%d)", t.Kind)
	}
	if t.NotNull {
		s += " NOT NULL"
	}
	return s
}

// DuckDB renders the type in DuckDB's SQL syntax (used by tests and exports).
func (t Type) DuckDB() string {
	switch t.Kind {
	case Boolean:
		return "BOOLEAN"
	case TinyInt:
		return "TINYINT"
	case SmallInt:
		return "SMALLINT"
	case Int:
		return "INTEGER"
	case BigInt:
		return "BIGINT"
	case Float:
		return "FLOAT"
	case Double:
		return "DOUBLE"
	case Decimal:
		return fmt.Sprintf("DECIMAL(%d, %d)", t.Precision, t.Scale)
	case Char, Varchar:
		return "VARCHAR"
	case Bytes:
		return "BLOB"
	case Date:
		return "DATE"
	case Time:
		return "TIME"
	case Timestamp:
		return "TIMESTAMP"
	case TimestampLTZ:
		return "TIMESTAMPTZ"
	case IntervalDayTime, IntervalYearMonth:
		return "INTERVAL"
	case Map:
		return "MAP(VARCHAR, VARCHAR)"
	}
	return strings.ToUpper(t.String())
}
