package expr

import (
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// --- helpers ---

func tNum(t *testing.T, s string) Expr {
	t.Helper()
	l, err := NumberLiteral(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func tStr(s string) Expr { return StringLiteral(s) }

var tNull = NullLiteral(types.Type{})

func tCall(t *testing.T, name string, args ...Expr) Expr {
	t.Helper()
	e, err := NewCall(name, args)
	if err != nil {
		t.Fatalf("NewCall(%s): %v", name, err)
	}
	return e
}

func tCast(t *testing.T, e Expr, ty types.Type) Expr {
	t.Helper()
	c, err := NewCast(e, ty, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func tCtx() *Context {
	return &Context{Location: time.UTC, Now: func() time.Time { return time.Unix(0, 0) }}
}

// columnize replaces every literal of e by a column reference, returning the new tree and the
// one-row input that holds the literal values.
func tColumnize(e Expr, row *[]chunk.Datum, ts *[]types.Type) Expr {
	switch x := e.(type) {
	case *Literal:
		*row = append(*row, x.Value)
		*ts = append(*ts, x.T)
		return &ColumnRef{Index: len(*row) - 1, T: x.T}
	case *Call:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = tColumnize(a, row, ts)
		}
		return &Call{Fn: x.Fn, Args: args, T: x.T}
	case *Cast:
		return &Cast{Arg: tColumnize(x.Arg, row, ts), T: x.T, Try: x.Try}
	case *Case:
		c := &Case{T: x.T}
		for _, w := range x.Whens {
			c.Whens = append(c.Whens, When{Cond: tColumnize(w.Cond, row, ts), Result: tColumnize(w.Result, row, ts)})
		}
		if x.Else != nil {
			c.Else = tColumnize(x.Else, row, ts)
		}
		return c
	}
	return e
}

// evalBoth evaluates e as constants and with all literals turned into columns, and requires
// both to agree. It returns the formatted value (FormatValue) or "error: ...".
func tEval(t *testing.T, e Expr) string {
	t.Helper()
	ctx := tCtx()
	render := func(d chunk.Datum, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return FormatValue(ctx, e.Type(), d)
	}
	a := render(EvalRow(e, ctx, nil, nil))
	var row []chunk.Datum
	var ts []types.Type
	ce := tColumnize(e, &row, &ts)
	b := render(EvalRow(ce, ctx, row, ts))
	if a != b {
		t.Fatalf("%s: constant evaluation %q != column evaluation %q", e, a, b)
	}
	return a
}

type tCase struct {
	name string
	e    func(t *testing.T) Expr
	want string
	typ  string // expected result type, optional
}

func tRun(t *testing.T, cases []tCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := c.e(t)
			if got := tEval(t, e); got != c.want {
				t.Errorf("%s = %q, want %q", e, got, c.want)
			}
			if c.typ != "" && e.Type().String() != c.typ {
				t.Errorf("%s: type %s, want %s", e, e.Type(), c.typ)
			}
		})
	}
}

func tBin(name, a, b string) func(t *testing.T) Expr {
	return func(t *testing.T) Expr { return tCall(t, name, tLit(t, a), tLit(t, b)) }
}

// lit parses a tiny literal syntax for tests: NULL, TRUE/FALSE, 'str', DATE'..', TS'..', numbers.
func tLit(t *testing.T, s string) Expr {
	t.Helper()
	switch {
	case s == "NULL":
		return tNull
	case s == "TRUE" || s == "FALSE":
		return BoolLiteral(s == "TRUE")
	case strings.HasPrefix(s, "'"):
		return tStr(strings.Trim(s, "'"))
	case strings.HasPrefix(s, "DATE'"):
		l, err := DateLiteral(strings.Trim(s[4:], "'"))
		if err != nil {
			t.Fatal(err)
		}
		return l
	case strings.HasPrefix(s, "TS'"):
		l, err := TimestampLiteral(strings.Trim(s[2:], "'"))
		if err != nil {
			t.Fatal(err)
		}
		return l
	case strings.HasPrefix(s, "INT:"):
		return &Literal{Value: chunk.Int(0), T: types.IntType} // replaced below
	}
	return tNum(t, s)
}

// --- tests ---

func TestArithmetic(t *testing.T) {
	tRun(t, []tCase{
		{"int+int", tBin("+", "1", "2"), "3", "INT NOT NULL"},
		{"int+bigint", tBin("+", "1", "3000000000"), "3000000001", "BIGINT NOT NULL"},
		{"int overflow wraps", tBin("+", "2147483647", "1"), "-2147483648", "INT NOT NULL"},
		{"int div truncates", tBin("/", "7", "2"), "3", "INT NOT NULL"},
		{"neg int div", func(t *testing.T) Expr { return tCall(t, "/", tCall(t, "NEG", tNum(t, "7")), tNum(t, "2")) }, "-3", ""},
		{"int mod", tBin("%", "7", "3"), "1", "INT NOT NULL"},
		{"neg mod", func(t *testing.T) Expr { return tCall(t, "MOD", tCall(t, "NEG", tNum(t, "7")), tNum(t, "3")) }, "-1", ""},
		{"div by zero", tBin("/", "7", "0"), "error: division by zero", ""},
		{"mod by zero", tBin("%", "7", "0"), "error: division by zero", ""},
		{"decimal div by zero", tBin("/", "7.5", "0"), "error: division by zero", ""},
		{"null propagation", tBin("+", "1", "NULL"), "NULL", "INT"},
		{"null div zero", tBin("/", "NULL", "0"), "NULL", "INT"},
		{"double", tBin("*", "1.5e0", "2"), "3.0", "DOUBLE NOT NULL"},
		{"double div zero", tBin("/", "1e0", "0"), "Infinity", "DOUBLE NOT NULL"},
		{"decimal plus", tBin("+", "1.25", "10.5"), "11.75", "DECIMAL(5, 2) NOT NULL"},
		{"decimal minus int", tBin("-", "1.25", "10"), "-8.75", "DECIMAL(13, 2) NOT NULL"},
		{"decimal times", tBin("*", "1.25", "0.908"), "1.13500", "DECIMAL(6, 5) NOT NULL"},
		{"bigint times decimal", tBin("*", "3000000000", "0.908"), "2724000000.000", "DECIMAL(22, 3) NOT NULL"},
		{"decimal divide", tBin("/", "1.00", "3"), "0.3333333333333", "DECIMAL(14, 13) NOT NULL"},
		{"decimal divide halfup 6", func(t *testing.T) Expr { return tCall(t, "/", tNum(t, "2.00"), tNum(t, "3.0")) }, "0.666667", "DECIMAL(8, 6) NOT NULL"},
		{"decimal divide halfup", tBin("/", "2.00", "3"), "0.6666666666667", "DECIMAL(14, 13) NOT NULL"},
		{"int divide decimal", tBin("/", "10", "4.0"), "2.500000", "DECIMAL(17, 6) NOT NULL"},
		{"decimal mod", tBin("%", "7.5", "2"), "1.5", "DECIMAL(2, 1) NOT NULL"},
		{"decimal overflow null", tBin("*", "99999999999999999999.9", "99999999999999999999.9"), "NULL", "DECIMAL(38, 2)"},
		{"decimal with double", tBin("+", "1.5", "1e0"), "2.5", "DOUBLE NOT NULL"},
		{"neg decimal", func(t *testing.T) Expr { return tCall(t, "NEG", tNum(t, "1.50")) }, "-1.50", "DECIMAL(3, 2) NOT NULL"},
		{"concat", tBin("||", "'ab'", "'cd'"), "abcd", "CHAR(4) NOT NULL"},
		{"concat null", tBin("||", "'ab'", "NULL"), "NULL", ""},
	})
}

func TestDecimalResultTypes(t *testing.T) {
	cases := []struct {
		op   string
		a, b types.Type
		want string
	}{
		{"+", types.DecimalType(10, 2), types.DecimalType(5, 4), "DECIMAL(13, 4)"},
		{"*", types.DecimalType(20, 2), types.DecimalType(20, 2), "DECIMAL(38, 4)"},
		{"*", types.DecimalType(38, 10), types.DecimalType(38, 10), "DECIMAL(38, 6)"},
		{"/", types.DecimalType(10, 2), types.DecimalType(5, 1), "DECIMAL(17, 8)"},
		{"/", types.DecimalType(38, 10), types.DecimalType(38, 10), "DECIMAL(38, 6)"},
		{"+", types.BigIntType, types.DecimalType(3, 3), "DECIMAL(23, 3)"},
		{"%", types.DecimalType(10, 2), types.IntType, "DECIMAL(10, 2)"},
	}
	for _, c := range cases {
		if got := DecimalResultType(c.op, c.a, c.b).String(); got != c.want {
			t.Errorf("%s %s %s = %s, want %s", c.a, c.op, c.b, got, c.want)
		}
	}
}

func TestComparisons(t *testing.T) {
	tRun(t, []tCase{
		{"int lt", tBin("<", "1", "2"), "TRUE", "BOOLEAN NOT NULL"},
		{"int ge", tBin(">=", "1", "2"), "FALSE", ""},
		{"decimal vs bigint exact", tBin("=", "9007199254740993", "9007199254740993.0"), "TRUE", ""},
		{"decimal vs bigint exact ne", tBin("<", "9007199254740992", "9007199254740992.5"), "TRUE", ""},
		{"decimal scales", tBin("=", "1.50", "1.5"), "TRUE", ""},
		{"double vs int", tBin(">", "1.5e0", "1"), "TRUE", ""},
		{"string bytewise", tBin("<", "'B'", "'a'"), "TRUE", ""},
		{"string ne", tBin("<>", "'a'", "'b'"), "TRUE", ""},
		{"char ignores trailing spaces", func(t *testing.T) Expr {
			return tCall(t, "=", tStr("ab  "), &Literal{Value: chunk.Str("ab"), T: types.StringType})
		}, "TRUE", ""},
		{"null cmp", tBin("=", "1", "NULL"), "NULL", "BOOLEAN"},
		{"date vs string literal", tBin("=", "DATE'2020-01-02'", "'2020-01-02'"), "TRUE", ""},
		{"ts vs string literal", tBin("<", "TS'2020-01-02 00:00:00'", "'2020-01-02 00:00:01'"), "TRUE", ""},
		{"date vs ts", tBin("=", "DATE'2020-01-02'", "TS'2020-01-02 00:00:00'"), "TRUE", ""},
		{"distinct tNull null", tBin("IS DISTINCT FROM", "NULL", "NULL"), "FALSE", ""},
		{"distinct 1 null", tBin("IS DISTINCT FROM", "1", "NULL"), "TRUE", "BOOLEAN NOT NULL"},
		{"not distinct 1 1", tBin("IS NOT DISTINCT FROM", "1", "1.0"), "TRUE", ""},
	})
	if _, err := NewCall("=", []Expr{&ColumnRef{T: types.TimestampType(3)}, &ColumnRef{Index: 1, T: types.TimestampLTZType(3)}}); err == nil ||
		err.Error() != "cannot compare TIMESTAMP(3) with TIMESTAMP_LTZ(3)" {
		t.Errorf("TIMESTAMP vs LTZ: %v", err)
	}
	if _, err := NewCall("=", []Expr{&ColumnRef{T: types.IntType}, tStr("a")}); err == nil {
		t.Error("INT = 'a' accepted")
	}
	if _, err := NewCall("=", []Expr{&ColumnRef{T: types.StringType}, &ColumnRef{Index: 1, T: types.DateType}}); err == nil {
		t.Error("string column = DATE accepted")
	}
}

func TestThreeValuedLogic(t *testing.T) {
	vals := []string{"TRUE", "FALSE", "NULL"}
	and := map[[2]string]string{
		{"TRUE", "TRUE"}: "TRUE", {"TRUE", "FALSE"}: "FALSE", {"TRUE", "NULL"}: "NULL",
		{"FALSE", "TRUE"}: "FALSE", {"FALSE", "FALSE"}: "FALSE", {"FALSE", "NULL"}: "FALSE",
		{"NULL", "TRUE"}: "NULL", {"NULL", "FALSE"}: "FALSE", {"NULL", "NULL"}: "NULL",
	}
	or := map[[2]string]string{
		{"TRUE", "TRUE"}: "TRUE", {"TRUE", "FALSE"}: "TRUE", {"TRUE", "NULL"}: "TRUE",
		{"FALSE", "TRUE"}: "TRUE", {"FALSE", "FALSE"}: "FALSE", {"FALSE", "NULL"}: "NULL",
		{"NULL", "TRUE"}: "TRUE", {"NULL", "FALSE"}: "NULL", {"NULL", "NULL"}: "NULL",
	}
	for _, a := range vals {
		for _, b := range vals {
			if got := tEval(t, tCall(t, "AND", tLit(t, a), tLit(t, b))); got != and[[2]string{a, b}] {
				t.Errorf("%s AND %s = %s", a, b, got)
			}
			if got := tEval(t, tCall(t, "OR", tLit(t, a), tLit(t, b))); got != or[[2]string{a, b}] {
				t.Errorf("%s OR %s = %s", a, b, got)
			}
		}
	}
	not := map[string]string{"TRUE": "FALSE", "FALSE": "TRUE", "NULL": "NULL"}
	is := map[string][6]string{ // IS NULL, IS NOT NULL, IS TRUE, IS NOT TRUE, IS FALSE, IS NOT FALSE
		"TRUE":  {"FALSE", "TRUE", "TRUE", "FALSE", "FALSE", "TRUE"},
		"FALSE": {"FALSE", "TRUE", "FALSE", "TRUE", "TRUE", "FALSE"},
		"NULL":  {"TRUE", "FALSE", "FALSE", "TRUE", "FALSE", "TRUE"},
	}
	ops := []string{"IS NULL", "IS NOT NULL", "IS TRUE", "IS NOT TRUE", "IS FALSE", "IS NOT FALSE"}
	for _, a := range vals {
		if got := tEval(t, tCall(t, "NOT", tLit(t, a))); got != not[a] {
			t.Errorf("NOT %s = %s", a, got)
		}
		for k, op := range ops {
			e := tCall(t, op, tLit(t, a))
			if got := tEval(t, e); got != is[a][k] {
				t.Errorf("%s %s = %s, want %s", a, op, got, is[a][k])
			}
			if !e.Type().NotNull {
				t.Errorf("%s is nullable", e)
			}
		}
	}
}

func TestIn(t *testing.T) {
	in := func(name string, args ...string) func(t *testing.T) Expr {
		return func(t *testing.T) Expr {
			es := make([]Expr, len(args))
			for i, a := range args {
				es[i] = tLit(t, a)
			}
			return tCall(t, name, es...)
		}
	}
	tRun(t, []tCase{
		{"match", in("IN", "1", "3", "1"), "TRUE", "BOOLEAN NOT NULL"},
		{"no match", in("IN", "2", "3", "1"), "FALSE", ""},
		{"no match with null", in("IN", "2", "1", "NULL"), "NULL", "BOOLEAN"},
		{"match with null", in("IN", "1", "1", "NULL"), "TRUE", ""},
		{"null value", in("IN", "NULL", "1"), "NULL", ""},
		{"not in match", in("NOT IN", "1", "1", "2"), "FALSE", ""},
		{"not in no match", in("NOT IN", "5", "1", "2"), "TRUE", ""},
		{"not in with null", in("NOT IN", "5", "1", "NULL"), "NULL", ""},
		{"decimal", in("IN", "1.5", "1", "1.50"), "TRUE", ""},
		{"strings char", in("IN", "'b'", "'a'", "'bcd'", "'b'"), "TRUE", ""},
		{"strings none", in("IN", "'x'", "'a'", "'bcd'"), "FALSE", ""},
	})
}

func TestLike(t *testing.T) {
	cases := []struct {
		s, p string
		want bool
	}{
		{"hello", "hello", true}, {"hello", "he%", true}, {"hello", "%llo", true}, {"hello", "%ell%", true},
		{"hello", "h_llo", true}, {"hello", "h%o", true}, {"hello", "h%x", false}, {"hello", "%", true},
		{"", "%", true}, {"", "_", false}, {"héllo", "h_llo", true}, {"abcabc", "%b_a%", true},
		{"aXbXc", "a%b%c", true}, {"abc", "a%b%c%d", false}, {"hello", "HELLO", false},
	}
	for _, c := range cases {
		for _, neg := range []bool{false, true} {
			name := "LIKE"
			if neg {
				name = "NOT LIKE"
			}
			got := tEval(t, tCall(t, name, tStr(c.s), tStr(c.p)))
			want := map[bool]string{true: "TRUE", false: "FALSE"}[c.want != neg]
			if got != want {
				t.Errorf("'%s' %s '%s' = %s", c.s, name, c.p, got)
			}
		}
	}
	if got := tEval(t, tCall(t, "LIKE", tStr("50%"), tStr("50!%"), tStr("!"))); got != "TRUE" {
		t.Errorf("escape: %s", got)
	}
	if got := tEval(t, tCall(t, "LIKE", tStr("50x"), tStr("50!%"), tStr("!"))); got != "FALSE" {
		t.Errorf("escape: %s", got)
	}
	if got := tEval(t, tCall(t, "LIKE", tStr("a"), tNull)); got != "NULL" {
		t.Errorf("null pattern: %s", got)
	}
	if _, err := Compile(tCall(t, "LIKE", &ColumnRef{T: types.StringType}, tStr("a!"), tStr("!")), nil); err == nil {
		t.Error("bad escape accepted")
	}
	if got := tEval(t, tCall(t, "SIMILAR TO", tStr("abc"), tStr("(a|x)%"))); got != "TRUE" {
		t.Errorf("similar: %s", got)
	}
	if got := tEval(t, tCall(t, "SIMILAR TO", tStr("a.c"), tStr("a.c"))); got != "TRUE" {
		t.Errorf("similar dot: %s", got)
	}
	if got := tEval(t, tCall(t, "SIMILAR TO", tStr("abc"), tStr("a.c"))); got != "FALSE" {
		t.Errorf("similar dot literal: %s", got)
	}
}

func TestItem(t *testing.T) {
	m := &Literal{Value: chunk.Datum{M: map[string]string{"k": "v"}}, T: types.MapStringType}
	if got := tEval(t, tCall(t, "ITEM", m, tStr("k"))); got != "v" {
		t.Errorf("m['k'] = %s", got)
	}
	if got := tEval(t, tCall(t, "ITEM", m, tStr("x"))); got != "NULL" {
		t.Errorf("m['x'] = %s", got)
	}
}
