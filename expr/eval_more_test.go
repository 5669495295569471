package expr

import (
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func TestCasts(t *testing.T) {
	c := func(from Expr, to types.Type, try bool) func(t *testing.T) Expr {
		return func(t *testing.T) Expr {
			e, err := NewCast(from, to, try)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
	}
	n := func(s string) Expr { l, _ := NumberLiteral(s); return l }
	dbl := func(f float64) Expr { return &Literal{Value: chunk.Float(f), T: types.DoubleType} }
	ts, _ := TimestampLiteral("2020-04-15 08:05:00.123456")
	date, _ := DateLiteral("2020-02-29")
	runEval := tRun
	runEval(t, []tCase{
		{"int to bigint", c(n("5"), types.BigIntType, false), "5", "BIGINT NOT NULL"},
		{"bigint to int overflow", c(n("3000000000"), types.IntType, false), "error: cannot cast 3000000000 to INT: value out of range", ""},
		{"try bigint to int overflow", c(n("3000000000"), types.IntType, true), "NULL", "INT"},
		{"double to int truncates", c(dbl(-2.9), types.IntType, false), "-2", ""},
		{"double to int out of range", c(dbl(1e20), types.BigIntType, false), "error: cannot cast 1.0E20 to BIGINT: value out of range", ""},
		{"int to decimal", c(n("5"), types.DecimalType(5, 2), false), "5.00", "DECIMAL(5, 2)"},
		{"int to decimal overflow null", c(n("5000"), types.DecimalType(5, 2), false), "NULL", ""},
		{"decimal rescale halfup", c(n("2.345"), types.DecimalType(5, 2), false), "2.35", ""},
		{"negative decimal halfup", c(&Literal{Value: chunk.Dec(types.DecimalFromInt64(-2345)), T: types.DecimalType(4, 3)}, types.DecimalType(5, 2), false), "-2.35", ""},
		{"decimal to int truncates", c(n("-7.9"), types.IntType, false), "-7", ""},
		{"decimal to double", c(n("0.1"), types.DoubleType, false), "0.1", ""},
		{"double to decimal", c(dbl(2.675), types.DecimalType(10, 2), false), "2.68", ""},
		{"bool to string", c(BoolLiteral(true), types.StringType, false), "TRUE", "STRING NOT NULL"},
		{"double to string", c(dbl(1e10), types.StringType, false), "1.0E10", ""},
		{"double to string small", c(dbl(12.5), types.StringType, false), "12.5", ""},
		{"decimal to string", c(n("1.50"), types.StringType, false), "1.50", ""},
		{"timestamp to string", c(ts, types.StringType, false), "2020-04-15 08:05:00.123456", ""},
		{"timestamp(3) to string", c(c(ts, types.TimestampType(3), false)(t), types.StringType, false), "2020-04-15 08:05:00.123", ""},
		{"timestamp(0) to string", c(c(ts, types.TimestampType(0), false)(t), types.StringType, false), "2020-04-15 08:05:00", ""},
		{"date to string", c(date, types.StringType, false), "2020-02-29", ""},
		{"varchar truncates", c(tStr("abcdef"), types.VarcharType(3), false), "abc", "VARCHAR(3) NOT NULL"},
		{"char pads", c(tStr("ab"), types.CharType(4), false), "ab  ", "CHAR(4) NOT NULL"},
		{"string to int", c(tStr(" 42 "), types.IntType, false), "42", ""},
		{"string to int fraction", c(tStr("42.9"), types.IntType, false), "42", ""},
		{"string to int invalid", c(tStr("abc"), types.IntType, false), "error: cannot cast 'abc' to INT", ""},
		{"try string to int invalid", c(tStr("abc"), types.IntType, true), "NULL", "INT"},
		{"string to double", c(tStr("1.5e3"), types.DoubleType, false), "1500.0", ""},
		{"string to decimal", c(tStr("12.345"), types.DecimalType(10, 2), false), "12.35", ""},
		{"string to bool", c(tStr("true"), types.BooleanType, false), "TRUE", ""},
		{"string to bool invalid", c(tStr("maybe"), types.BooleanType, false), "error: cannot cast 'maybe' to BOOLEAN", ""},
		{"string to date", c(tStr("2020-1-5"), types.DateType, false), "2020-01-05", ""},
		{"string to bad date", c(tStr("2020-02-30"), types.DateType, false), "error: cannot cast '2020-02-30' to DATE", ""},
		{"string to timestamp", c(tStr("2020-04-15T08:05:00.5"), types.TimestampType(3), false), "2020-04-15 08:05:00.500", ""},
		{"string date to timestamp", c(tStr("2020-04-15"), types.TimestampType(0), false), "2020-04-15 00:00:00", ""},
		{"string to time", c(tStr("08:05:07"), types.TimeType(0), false), "08:05:07", ""},
		{"timestamp to date", c(ts, types.DateType, false), "2020-04-15", ""},
		{"date to timestamp", c(date, types.TimestampType(3), false), "2020-02-29 00:00:00.000", ""},
		{"timestamp to time", c(ts, types.TimeType(3), false), "08:05:00.123", ""},
		{"bool to int", c(BoolLiteral(true), types.IntType, false), "1", ""},
		{"int to bool", c(n("0"), types.BooleanType, false), "FALSE", ""},
		{"null to int", c(tNull, types.IntType, false), "NULL", "INT"},
		{"interval to string", c(tIntervalLit(t, "1 02:03:04.5", "DAY", "SECOND"), types.StringType, false), "+1 02:03:04.500", ""},
	})
	if CanCast(types.BigIntType, types.TimestampType(3)) {
		t.Error("BIGINT -> TIMESTAMP allowed")
	}
	if _, err := NewCast(&ColumnRef{T: types.BigIntType}, types.TimestampType(3), false); err == nil || err.Error() != "cannot cast BIGINT to TIMESTAMP(3)" {
		t.Errorf("BIGINT -> TIMESTAMP: %v", err)
	}
	if CanCast(types.DateType, types.IntType) || !CanCast(types.StringType, types.DecimalType(5, 2)) {
		t.Error("CanCast matrix")
	}
	if CanImplicitCast(types.BigIntType, types.IntType) || !CanImplicitCast(types.IntType, types.DecimalType(5, 2)) ||
		CanImplicitCast(types.StringType, types.IntType) || !CanImplicitCast(types.DateType, types.TimestampType(3)) {
		t.Error("CanImplicitCast")
	}
}

func tIntervalLit(t *testing.T, v, from, to string) *Literal {
	t.Helper()
	l, err := IntervalLiteral(v, from, to, false)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestTimestampLTZCasts(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata")
	}
	ctx := &Context{Location: loc, Now: time.Now}
	ts, _ := TimestampLiteral("2020-04-15 08:00:00")
	toLTZ, _ := NewCast(ts, types.TimestampLTZType(3), false)
	d, err := EvalRow(toLTZ, ctx, nil, nil)
	if err != nil || time.UnixMicro(d.I).UTC().Format(time.DateTime) != "2020-04-15 00:00:00" {
		t.Fatalf("TIMESTAMP -> LTZ = %v, %v", time.UnixMicro(d.I).UTC(), err)
	}
	back, _ := NewCast(toLTZ, types.TimestampType(3), false)
	d, _ = EvalRow(back, ctx, nil, nil)
	if chunk.FormatTimestamp(d.I, 0) != "2020-04-15 08:00:00" {
		t.Errorf("LTZ -> TIMESTAMP = %s", chunk.FormatTimestamp(d.I, 0))
	}
	s, _ := NewCast(toLTZ, types.StringType, false)
	d, _ = EvalRow(s, ctx, nil, nil)
	if d.S != "2020-04-15 08:00:00.000" {
		t.Errorf("LTZ -> STRING = %s", d.S)
	}
}

func TestCaseProtectsDivision(t *testing.T) {
	x := &ColumnRef{Index: 0, T: types.IntType, Name: "x"}
	zero := IntLiteral(0)
	ten := IntLiteral(10)
	isZero := tCall(t, "=", x, zero)
	c, err := NewCase([]When{{Cond: isZero, Result: NullLiteral(types.Type{})}}, tCall(t, "/", ten, x))
	if err != nil {
		t.Fatal(err)
	}
	if c.String() != "CASE WHEN (x = 0) THEN NULL ELSE (10 / x) END" || c.T.String() != "INT" {
		t.Errorf("case: %s %s", c, c.T)
	}
	in := chunk.New([]types.Type{types.IntType}, 8)
	for _, v := range []chunk.Datum{chunk.Int(0), chunk.Int(5), chunk.NullDatum, chunk.Int(3), chunk.Int(0), chunk.Int(-2), chunk.Int(1), chunk.Int(10)} {
		in.AppendRow(chunk.Insert, []chunk.Datum{v})
	}
	got := evalFmt(t, c, in)
	if got != "NULL,2,NULL,3,NULL,-5,10,1" {
		t.Errorf("CASE = %s", got)
	}
	// Sparse subset: only one row reaches the division.
	sparse := chunk.New([]types.Type{types.IntType}, 8)
	for i := 0; i < 8; i++ {
		v := int64(0)
		if i == 6 {
			v = 5
		}
		sparse.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(v)})
	}
	if got := evalFmt(t, c, sparse); got != "NULL,NULL,NULL,NULL,NULL,NULL,2,NULL" {
		t.Errorf("sparse CASE = %s", got)
	}
	// AND short-circuit: x <> 0 AND 10 / x > 1.
	and := tCall(t, "AND", tCall(t, "<>", x, zero), tCall(t, ">", tCall(t, "/", ten, x), IntLiteral(1)))
	if got := evalFmt(t, and, in); got != "FALSE,TRUE,NULL,TRUE,FALSE,FALSE,TRUE,FALSE" {
		t.Errorf("AND = %s", got)
	}
	if got := evalFmt(t, and, sparse); got != "FALSE,FALSE,FALSE,FALSE,FALSE,FALSE,TRUE,FALSE" {
		t.Errorf("sparse AND = %s", got)
	}
	// OR: x = 0 OR 10 / x > 1.
	or := tCall(t, "OR", isZero, tCall(t, ">", tCall(t, "/", ten, x), IntLiteral(1)))
	if got := evalFmt(t, or, in); got != "TRUE,TRUE,NULL,TRUE,TRUE,FALSE,TRUE,FALSE" {
		t.Errorf("OR = %s", got)
	}
	// IF and COALESCE are lazy too.
	iff := tCall(t, "IF", isZero, IntLiteral(-1), tCall(t, "/", ten, x))
	if got := evalFmt(t, iff, in); got != "-1,2,NULL,3,-1,-5,10,1" {
		t.Errorf("IF = %s", got)
	}
	// Unprotected division raises.
	ev, _ := Compile(tCall(t, "/", ten, x), nil)
	if _, err := ev.Eval(in); err == nil || err.Error() != "division by zero" {
		t.Errorf("unprotected: %v", err)
	}
}

func evalFmt(t *testing.T, e Expr, in *chunk.Chunk) string {
	t.Helper()
	ev, err := Compile(e, tCtx())
	if err != nil {
		t.Fatal(err)
	}
	v, err := ev.Eval(in)
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	if v.Len() != in.Len() {
		t.Fatalf("%s: %d values for %d rows", e, v.Len(), in.Len())
	}
	parts := make([]string, in.Len())
	for i := range parts {
		parts[i] = FormatValue(tCtx(), e.Type(), v.Get(i))
	}
	return strings.Join(parts, ",")
}

func TestNullMaskMerge(t *testing.T) {
	a := &ColumnRef{Index: 0, T: types.BigIntType}
	b := &ColumnRef{Index: 1, T: types.BigIntType}
	in := chunk.New([]types.Type{types.BigIntType, types.BigIntType}, 4)
	in.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(1), chunk.Int(2)})
	in.AppendRow(chunk.Insert, []chunk.Datum{chunk.NullDatum, chunk.Int(2)})
	in.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(3), chunk.NullDatum})
	if got := evalFmt(t, tCall(t, "+", a, b), in); got != "3,NULL,NULL" {
		t.Errorf("a+b = %s", got)
	}
	// Division whose NULL rows hold a zero divisor does not fail.
	if got := evalFmt(t, tCall(t, "/", a, b), in); got != "0,NULL,NULL" {
		t.Errorf("a/b = %s", got)
	}
	// Inputs were not modified.
	if in.Cols[0].Nulls[0] || !in.Cols[0].Nulls[1] || in.Cols[0].Nulls[2] {
		t.Error("input mask modified")
	}
}

func TestMathFunctions(t *testing.T) {
	f := func(name string, args ...string) func(t *testing.T) Expr {
		return func(t *testing.T) Expr {
			es := make([]Expr, len(args))
			for i, a := range args {
				es[i] = tLit(t, a)
			}
			return tCall(t, name, es...)
		}
	}
	tRun(t, []tCase{
		{"mod", f("MOD", "10", "3"), "1", "INT NOT NULL"},
		{"abs int", func(t *testing.T) Expr { return tCall(t, "ABS", NullLiteral(types.IntType)) }, "NULL", "INT"},
		{"abs decimal", func(t *testing.T) Expr { return tCall(t, "ABS", tCall(t, "NEG", tNum(t, "1.5"))) }, "1.5", "DECIMAL(2, 1) NOT NULL"},
		{"round decimal", f("ROUND", "2.345", "2"), "2.35", "DECIMAL(4, 2) NOT NULL"},
		{"round decimal 0", f("ROUND", "2.5"), "3", "DECIMAL(2, 0) NOT NULL"},
		{"round decimal neg digits", func(t *testing.T) Expr { return tCall(t, "ROUND", tNum(t, "1250.5"), tCall(t, "NEG", IntLiteral(2))) }, "1300", "DECIMAL(5, 0) NOT NULL"},
		{"round negative halfup", func(t *testing.T) Expr { return tCall(t, "ROUND", tCall(t, "NEG", tNum(t, "2.5"))) }, "-3", ""},
		{"round double", f("ROUND", "2.675e0", "2"), "2.68", "DOUBLE NOT NULL"},
		{"round int", func(t *testing.T) Expr { return tCall(t, "ROUND", IntLiteral(1250), tCall(t, "NEG", IntLiteral(2))) }, "1300", "INT NOT NULL"},
		{"truncate", f("TRUNCATE", "2.679", "2"), "2.67", "DECIMAL(4, 2) NOT NULL"},
		{"truncate double", f("TRUNCATE", "-2.679e0", "1"), "-2.6", ""},
		{"floor decimal", func(t *testing.T) Expr { return tCall(t, "FLOOR", tCall(t, "NEG", tNum(t, "2.5"))) }, "-3", "DECIMAL(2, 0) NOT NULL"},
		{"ceil decimal", f("CEIL", "2.1"), "3", ""},
		{"ceiling double", f("CEILING", "2.1e0"), "3.0", "DOUBLE NOT NULL"},
		{"floor int", f("FLOOR", "7"), "7", "INT NOT NULL"},
		{"power", f("POWER", "2", "10"), "1024.0", "DOUBLE NOT NULL"},
		{"sqrt", f("SQRT", "16"), "4.0", ""},
		{"ln", f("LN", "1"), "0.0", ""},
		{"log10", f("LOG10", "1000"), "3.0", ""},
		{"log2", f("LOG2", "8"), "3.0", ""},
		{"log base", f("LOG", "2", "8"), "3.0", ""},
		{"exp", f("EXP", "0"), "1.0", ""},
		{"sign", func(t *testing.T) Expr { return tCall(t, "SIGN", tCall(t, "NEG", tNum(t, "2.50"))) }, "-1.00", "DECIMAL(3, 2) NOT NULL"},
		{"sign int", f("SIGN", "5"), "1", ""},
		{"pi", f("PI"), "3.141592653589793", "DOUBLE NOT NULL"},
		{"greatest", f("GREATEST", "1", "5.5", "3"), "5.5", "DECIMAL(11, 1) NOT NULL"},
		{"least", f("LEAST", "'b'", "'a'", "'c'"), "a", "CHAR(1) NOT NULL"},
		{"greatest null", f("GREATEST", "1", "NULL"), "NULL", "INT"},
		{"bin", f("BIN", "5"), "101", "STRING NOT NULL"},
		{"coalesce", f("COALESCE", "NULL", "2", "3"), "2", "INT NOT NULL"},
		{"coalesce all null", func(t *testing.T) Expr {
			return tCall(t, "COALESCE", NullLiteral(types.IntType), NullLiteral(types.IntType))
		}, "NULL", "INT"},
		{"ifnull", f("IFNULL", "NULL", "'x'"), "x", "CHAR(1) NOT NULL"},
		{"nullif equal", f("NULLIF", "1", "1"), "NULL", "INT"},
		{"nullif different", f("NULLIF", "1", "2"), "1", "INT"},
		{"if true", f("IF", "TRUE", "1", "2.5"), "1.0", "DECIMAL(11, 1) NOT NULL"},
		{"if null cond", f("IF", "NULL", "1", "2"), "2", ""},
	})
	// RAND with a seed repeats; RAND_INTEGER stays in range.
	seed := IntLiteral(42)
	r1, _ := EvalRow(tCall(t, "RAND", seed), nil, nil, nil)
	r2, _ := EvalRow(tCall(t, "RAND", seed), nil, nil, nil)
	if r1.F != r2.F || r1.F < 0 || r1.F >= 1 {
		t.Errorf("RAND(42) = %v, %v", r1.F, r2.F)
	}
	ri, _ := EvalRow(tCall(t, "RAND_INTEGER", IntLiteral(10)), nil, nil, nil)
	if ri.I < 0 || ri.I >= 10 {
		t.Errorf("RAND_INTEGER(10) = %d", ri.I)
	}
	if fn, _ := LookupFunction("RAND"); fn.Deterministic {
		t.Error("RAND deterministic")
	}
}

func TestIntervalArithmetic(t *testing.T) {
	ts, _ := TimestampLiteral("2020-01-31 10:00:00")
	month := tIntervalLit(t, "1", "MONTH", "")
	tRun(t, []tCase{
		{"ts + month clamps", func(t *testing.T) Expr { return tCall(t, "+", ts, month) }, "2020-02-29 10:00:00", "TIMESTAMP(0) NOT NULL"},
		{"ts - year to month", func(t *testing.T) Expr {
			return tCall(t, "-", ts, tIntervalLit(t, "1-2", "YEAR", "MONTH"))
		}, "2018-11-30 10:00:00", ""},
		{"ts + day to second", func(t *testing.T) Expr {
			return tCall(t, "+", ts, tIntervalLit(t, "1 02:03:04", "DAY", "SECOND"))
		}, "2020-02-01 12:03:04", ""},
		{"interval + ts", func(t *testing.T) Expr { return tCall(t, "+", tIntervalLit(t, "5", "SECONDS", ""), ts) }, "2020-01-31 10:00:05", ""},
		{"date + day", func(t *testing.T) Expr {
			d, _ := DateLiteral("2020-12-31")
			return tCall(t, "+", d, tIntervalLit(t, "1", "DAY", ""))
		}, "2021-01-01", "DATE NOT NULL"},
		{"date - month", func(t *testing.T) Expr {
			d, _ := DateLiteral("2020-03-31")
			return tCall(t, "-", d, month)
		}, "2020-02-29", ""},
		{"interval * int", func(t *testing.T) Expr { return tCall(t, "*", tIntervalLit(t, "2", "HOUR", ""), IntLiteral(3)) }, "+0 06:00:00.000", ""},
	})
}

func TestLiterals(t *testing.T) {
	for _, c := range []struct{ in, typ, str string }{
		{"1", "INT NOT NULL", "1"},
		{"2147483648", "BIGINT NOT NULL", "2147483648"},
		{"99999999999999999999", "DECIMAL(20, 0) NOT NULL", "99999999999999999999"},
		{"0.908", "DECIMAL(3, 3) NOT NULL", "0.908"},
		{"1.50", "DECIMAL(3, 2) NOT NULL", "1.50"},
		{"1e3", "DOUBLE NOT NULL", "1000.0E0"},
		{"1.5E-7", "DOUBLE NOT NULL", "1.5E-7"},
	} {
		l, err := NumberLiteral(c.in)
		if err != nil || l.T.String() != c.typ || l.String() != c.str {
			t.Errorf("NumberLiteral(%s) = %v %v, %v", c.in, l, l.T, err)
		}
	}
	if l := StringLiteral("héllo"); l.T.String() != "CHAR(5) NOT NULL" || l.String() != "'héllo'" {
		t.Errorf("StringLiteral: %s %s", l, l.T)
	}
	if l := StringLiteral("it's"); l.String() != "'it''s'" {
		t.Errorf("quote: %s", l)
	}
	ts, err := TimestampLiteral("2020-04-15 08:05:00.123")
	if err != nil || ts.T.String() != "TIMESTAMP(3) NOT NULL" || ts.String() != "TIMESTAMP '2020-04-15 08:05:00.123'" {
		t.Errorf("TimestampLiteral: %v %v %v", ts, ts.T, err)
	}
	if _, err := TimestampLiteral("2020-13-01 00:00:00"); err == nil {
		t.Error("bad timestamp accepted")
	}
	us, p, err := ParseTimestamp("2020-04-15T08:05:00.123456789")
	if err != nil || p != 9 || chunk.FormatTimestamp(us, 6) != "2020-04-15 08:05:00.123456" {
		t.Errorf("ParseTimestamp: %d %d %v", us, p, err)
	}
	d, err := DateLiteral("2020-04-15")
	if err != nil || d.String() != "DATE '2020-04-15'" {
		t.Errorf("DateLiteral: %v %v", d, err)
	}
	tm, err := TimeLiteral("08:05:00.5")
	if err != nil || tm.T.String() != "TIME(1) NOT NULL" || tm.String() != "TIME '08:05:00.5'" {
		t.Errorf("TimeLiteral: %v %v %v", tm, tm.T, err)
	}
	for _, c := range []struct {
		v, from, to string
		neg         bool
		micros      int64
		str         string
	}{
		{"10", "SECOND", "", false, 10e6, "INTERVAL '10' SECOND"},
		{"5", "MINUTES", "", false, 300e6, "INTERVAL '5' MINUTE"},
		{"2", "HOUR", "", true, -7200e6, "INTERVAL '-2' HOUR"},
		{"1 02:03:04.5", "DAY", "SECOND", false, 93784500000, "INTERVAL '93784.5' SECOND"},
		{"1:30", "HOUR", "MINUTE", false, 5400e6, "INTERVAL '90' MINUTE"},
		{"1:30.25", "MINUTE", "SECOND", false, 90250000, "INTERVAL '90.25' SECOND"},
		{"-3", "DAY", "", false, -3 * 86400e6, "INTERVAL '-3' DAY"},
		{"1-2", "YEAR", "MONTH", false, 14, "INTERVAL '14' MONTH"},
		{"2", "YEAR", "", false, 24, "INTERVAL '2' YEAR"},
	} {
		l, err := IntervalLiteral(c.v, c.from, c.to, c.neg)
		if err != nil || l.Value.I != c.micros || l.String() != c.str {
			t.Errorf("IntervalLiteral(%q %s %s) = %v (%v), %v", c.v, c.from, c.to, l, l.Value.I, err)
		}
	}
	if _, err := IntervalLiteral("1:75", "HOUR", "MINUTE", false); err == nil {
		t.Error("bad interval accepted")
	}
	if _, err := IntervalLiteral("abc", "SECOND", "", false); err == nil ||
		err.Error() != "invalid INTERVAL literal 'abc' for SECOND (expected 'seconds[.fraction]')" {
		t.Errorf("interval error: %v", err)
	}
}

func TestCommonTypeAndCoerce(t *testing.T) {
	for _, c := range []struct {
		in   []types.Type
		want string
	}{
		{[]types.Type{types.IntType.WithNotNull(true), types.BigIntType.WithNotNull(true)}, "BIGINT NOT NULL"},
		{[]types.Type{types.IntType, types.DecimalType(5, 2)}, "DECIMAL(12, 2)"},
		{[]types.Type{types.DecimalType(5, 2), types.DoubleType}, "DOUBLE"},
		{[]types.Type{types.CharType(3), types.CharType(5)}, "VARCHAR(5)"},
		{[]types.Type{types.CharType(4), types.CharType(4)}, "CHAR(4)"},
		{[]types.Type{types.CharType(3), types.StringType}, "STRING"},
		{[]types.Type{types.DateType, types.TimestampType(3)}, "TIMESTAMP(3)"},
		{[]types.Type{{}, types.IntType.WithNotNull(true)}, "INT"},
	} {
		got, err := CommonType(c.in...)
		if err != nil || got.String() != c.want {
			t.Errorf("CommonType(%v) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	if _, err := CommonType(types.IntType, types.StringType); err == nil || err.Error() != "incompatible types: INT, STRING" {
		t.Errorf("CommonType(INT, STRING): %v", err)
	}
	if _, err := CommonType(types.TimestampType(3), types.TimestampLTZType(3)); err == nil {
		t.Error("TIMESTAMP/LTZ common type")
	}
	e, err := Coerce(&ColumnRef{T: types.IntType.WithNotNull(true), Name: "a"}, types.BigIntType)
	if err != nil || e.String() != "CAST(a AS BIGINT)" || !e.Type().NotNull {
		t.Errorf("Coerce: %v %v", e, err)
	}
	if _, err := Coerce(&ColumnRef{T: types.StringType}, types.IntType); err == nil ||
		err.Error() != "cannot implicitly convert STRING to INT" {
		t.Errorf("Coerce string->int: %v", err)
	}
	if e, err := Coerce(NullLiteral(types.Type{}), types.DateType); err != nil || e.String() != "NULL" || e.Type().String() != "DATE" {
		t.Errorf("Coerce NULL: %v %v", e, err)
	}
	if _, err := NewCall("NO_SUCH_FN", nil); err == nil || err.Error() != "unknown function NO_SUCH_FN" {
		t.Errorf("unknown: %v", err)
	}
	if _, err := NewCall("+", []Expr{tStr("a"), IntLiteral(1)}); err == nil || err.Error() != "cannot apply + to (CHAR(1), INT)" {
		t.Errorf("'a' + 1: %v", err)
	}
}

func TestFoldAndString(t *testing.T) {
	price := &ColumnRef{Index: 2, T: types.BigIntType, Name: "price"}
	e := tCall(t, "*", price, tNum(t, "0.908"))
	if e.String() != "(CAST(price AS DECIMAL(19, 0)) * 0.908)" {
		t.Errorf("String = %s", e)
	}
	if s := (&ColumnRef{Index: 3}).String(); s != "$3" {
		t.Errorf("ColumnRef = %s", s)
	}
	c := tCall(t, "+", tCall(t, "*", IntLiteral(2), IntLiteral(3)), price)
	f, err := Fold(c, nil)
	if err != nil || f.String() != "(6 + price)" {
		t.Errorf("Fold = %v, %v", f, err)
	}
	// Folding keeps failing sub-expressions for run time.
	div := tCall(t, "/", IntLiteral(1), IntLiteral(0))
	f, _ = Fold(div, nil)
	if f.String() != "(1 / 0)" {
		t.Errorf("Fold(1/0) = %s", f)
	}
	cs, _ := NewCase([]When{{Cond: BoolLiteral(false), Result: div}}, IntLiteral(7))
	f, _ = Fold(cs, nil)
	if l, ok := f.(*Literal); !ok || l.Value.I != 7 {
		t.Errorf("Fold(CASE) = %s", f)
	}
	// Non-deterministic calls are not folded.
	r := tCall(t, "RAND")
	if f, _ := Fold(r, nil); f != r {
		t.Errorf("RAND folded")
	}
	strs := map[string]Expr{
		"(a IS NULL)":                tCall(t, "IS NULL", &ColumnRef{T: types.IntType, Name: "a"}),
		"NOT (a = 1)":                tCall(t, "NOT", tCall(t, "=", &ColumnRef{T: types.IntType, Name: "a"}, IntLiteral(1))),
		"(a IN (1, 2))":              tCall(t, "IN", &ColumnRef{T: types.IntType, Name: "a"}, IntLiteral(1), IntLiteral(2)),
		"(s LIKE 'a%')":              tCall(t, "LIKE", &ColumnRef{T: types.StringType, Name: "s"}, tStr("a%")),
		"-a":                         tCall(t, "NEG", &ColumnRef{T: types.IntType, Name: "a"}),
		"(a % 3)":                    tCall(t, "MOD", &ColumnRef{T: types.IntType, Name: "a"}, IntLiteral(3)),
		"TRY_CAST('1' AS INT)":       &Cast{Arg: tStr("1"), T: types.IntType, Try: true},
		"(ts + INTERVAL '5' SECOND)": tCall(t, "+", &ColumnRef{T: types.TimestampType(3), Name: "ts"}, tIntervalLit(t, "5", "SECOND", "")),
	}
	for want, e := range strs {
		if e.String() != want {
			t.Errorf("String = %s, want %s", e, want)
		}
	}
}

func BenchmarkFilterMod(b *testing.B) {
	auction := &ColumnRef{Index: 0, T: types.BigIntType.WithNotNull(true), Name: "auction"}
	e, err := NewCall("=", []Expr{mustCall(b, "MOD", auction, IntLiteral(123)), IntLiteral(0)})
	if err != nil {
		b.Fatal(err)
	}
	benchExpr(b, e, func(i int) chunk.Datum { return chunk.Int(int64(i * 7)) }, types.BigIntType.WithNotNull(true))
}

func BenchmarkDecimalProjection(b *testing.B) {
	price := &ColumnRef{Index: 0, T: types.BigIntType.WithNotNull(true), Name: "price"}
	l, _ := NumberLiteral("0.908")
	m := mustCall(b, "*", price, l)
	e, err := NewCast(m, types.DecimalType(23, 3), false)
	if err != nil {
		b.Fatal(err)
	}
	benchExpr(b, e, func(i int) chunk.Datum { return chunk.Int(int64(1000 + i)) }, types.BigIntType.WithNotNull(true))
}

func mustCall(b *testing.B, name string, args ...Expr) Expr {
	e, err := NewCall(name, args)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func benchExpr(b *testing.B, e Expr, gen func(int) chunk.Datum, t types.Type) {
	in := chunk.New([]types.Type{t}, 1024)
	for i := 0; i < 1024; i++ {
		in.AppendRow(chunk.Insert, []chunk.Datum{gen(i)})
	}
	ev, err := Compile(e, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ev.Eval(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1024/b.Elapsed().Seconds()/1e6, "Mrows/s")
}
