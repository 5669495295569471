package expr

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// ---- harness shared by the fn_*_test.go files ----

// ta is one argument of a test call: a type, a value and whether it is a literal.
type ta struct {
	t   types.Type
	d   chunk.Datum
	lit bool
}

func aStr(s string) ta                      { return ta{t: types.StringType, d: chunk.Str(s)} }
func aInt(v int64) ta                       { return ta{t: types.IntType, d: chunk.Int(v)} }
func aBig(v int64) ta                       { return ta{t: types.BigIntType, d: chunk.Int(v)} }
func aDbl(v float64) ta                     { return ta{t: types.DoubleType, d: chunk.Float(v)} }
func aNull(t types.Type) ta                 { return ta{t: t, d: chunk.NullDatum} }
func aTyped(t types.Type, d chunk.Datum) ta { return ta{t: t, d: d} }

// lit marks an argument as a literal (the kernel sees it in consts).
func lit(a ta) ta { a.lit = true; return a }

// aTS is a TIMESTAMP(3) given as "yyyy-MM-dd HH:mm:ss[.fff]".
func aTS(s string) ta {
	v, ok := tfParseDefault(s)
	if !ok {
		panic("bad test timestamp " + s)
	}
	return ta{t: types.TimestampType(3), d: chunk.Int(v)}
}

// aLTZ is a TIMESTAMP_LTZ(3) given as its UTC wall clock.
func aLTZ(utc string) ta {
	a := aTS(utc)
	a.t = types.TimestampLTZType(3)
	return a
}

// aDate is a DATE given as yyyy-MM-dd.
func aDate(s string) ta {
	a := aTS(s)
	return ta{t: types.DateType, d: chunk.Int(a.d.I / tfMicrosPerDay)}
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func utcCtx() *Context { return &Context{Location: time.UTC, Now: time.Now} }

// prepare checks and makes a call of a registered function.
func prepare(name string, args []ta) (*Function, Kernel, []types.Type, types.Type, error) {
	f, ok := LookupFunction(name)
	if !ok {
		return nil, nil, nil, types.Type{}, fmt.Errorf("no function %s", name)
	}
	ts := make([]types.Type, len(args))
	consts := make([]*chunk.Datum, len(args))
	for i, a := range args {
		ts[i] = a.t
		if a.lit {
			d := a.d
			consts[i] = &d
		}
	}
	params, result, err := f.Check(ts)
	if err != nil {
		return nil, nil, nil, types.Type{}, err
	}
	k, err := f.Make(params, result, consts)
	if err != nil {
		return nil, nil, nil, types.Type{}, err
	}
	return f, k, params, result, nil
}

// evalRows runs a call over rows (rows[r][i] is argument i of row r) as the expression core
// does: for functions that are not NullSafe, the argument null masks are merged into the
// result.
func evalRows(ctx *Context, name string, args []ta, rows [][]chunk.Datum) ([]string, types.Type, error) {
	f, k, params, result, err := prepare(name, args)
	if err != nil {
		return nil, types.Type{}, err
	}
	n := len(rows)
	vecs := make([]*chunk.Vector, len(args))
	for i := range args {
		vecs[i] = chunk.NewVector(params[i], n)
		for r := 0; r < n; r++ {
			vecs[i].Append(rows[r][i])
		}
	}
	out, err := k(ctx, vecs, n)
	if err != nil {
		return nil, result, err
	}
	if out.Len() != n {
		return nil, result, fmt.Errorf("kernel returned %d values for %d rows", out.Len(), n)
	}
	if !out.Type.Equal(result) {
		return nil, result, fmt.Errorf("kernel returned %s, Check said %s", out.Type, result)
	}
	if !f.NullSafe {
		for _, v := range vecs {
			for r := 0; r < n; r++ {
				if v.IsNull(r) {
					out.SetNull(r)
				}
			}
		}
	}
	res := make([]string, n)
	for r := 0; r < n; r++ {
		res[r] = out.Format(r)
	}
	return res, result, nil
}

// eval1 evaluates one row.
func eval1(ctx *Context, name string, args ...ta) (string, error) {
	row := make([]chunk.Datum, len(args))
	for i, a := range args {
		row[i] = a.d
	}
	out, _, err := evalRows(ctx, name, args, [][]chunk.Datum{row})
	if err != nil {
		return "", err
	}
	return out[0], nil
}

// fcase is one table-driven case: name(args) = want, evaluated alone and in a chunk where a
// row with all non-literal arguments NULL sits between two copies (that row must give NULL).
type fcase struct {
	name string
	args []ta
	want string
}

func c(name, want string, args ...ta) fcase { return fcase{name: name, args: args, want: want} }

func runCases(t *testing.T, ctx *Context, cases []fcase) {
	t.Helper()
	for _, tc := range cases {
		label := tc.name + "(" + fmtArgs(tc.args) + ")"
		got, err := eval1(ctx, tc.name, tc.args...)
		if err != nil {
			t.Errorf("%s: %v", label, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", label, got, tc.want)
		}
		nonLit := false
		row, nullRow := make([]chunk.Datum, len(tc.args)), make([]chunk.Datum, len(tc.args))
		for i, a := range tc.args {
			row[i], nullRow[i] = a.d, a.d
			if !a.lit {
				nullRow[i] = chunk.NullDatum
				nonLit = true
			}
		}
		if !nonLit {
			continue
		}
		out, _, err := evalRows(ctx, tc.name, tc.args, [][]chunk.Datum{row, nullRow, row})
		if err != nil {
			t.Errorf("%s with a NULL row: %v", label, err)
			continue
		}
		wantNull := "null"
		if out[0] != tc.want || out[1] != wantNull || out[2] != tc.want {
			t.Errorf("%s over [row, NULL row, row] = %q, want [%q %q %q]", label, out, tc.want, wantNull, tc.want)
		}
	}
}

func fmtArgs(args []ta) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = chunk.FormatDatum(a.t, a.d)
		if a.t.IsString() && !a.d.Null {
			parts[i] = "'" + parts[i] + "'"
		}
		if a.lit {
			parts[i] = "lit " + parts[i]
		}
	}
	return strings.Join(parts, ", ")
}

// wantErr asserts that checking or making the call fails with a message containing sub.
func wantErr(t *testing.T, name string, sub string, args ...ta) {
	t.Helper()
	_, _, _, _, err := prepare(name, args)
	if err == nil || !strings.Contains(err.Error(), sub) {
		t.Errorf("%s(%s): error %v, want one containing %q", name, fmtArgs(args), err, sub)
	}
}

// ---- string functions ----

func TestStringFunctions(t *testing.T) {
	runCases(t, utcCtx(), []fcase{
		c("UPPER", "HELLO WORLD ß", aStr("Hello World ß")),
		c("LOWER", "hello wörld", aStr("HeLLo WÖRLD")),
		c("LOWER", "", aStr("")),
		c("INITCAP", "Hello World", aStr("hello WORLD")),
		c("INITCAP", "Ab1c D-Ef", aStr("aB1C d-eF")),
		c("REVERSE", "cba", aStr("abc")),
		c("REVERSE", "界世a", aStr("a世界")),
		c("CHAR_LENGTH", "5", aStr("héllo")),
		c("CHARACTER_LENGTH", "0", aStr("")),

		// Flink: SUBSTRING('Hello', 2, 3) = 'ell'; start 0 acts as 1; negative start counts
		// from the end; a negative length gives NULL.
		c("SUBSTRING", "ell", aStr("Hello"), aInt(2), aInt(3)),
		c("SUBSTRING", "ello", aStr("Hello"), aInt(2)),
		c("SUBSTRING", "He", aStr("Hello"), aInt(0), aInt(2)),
		c("SUBSTRING", "lo", aStr("Hello"), aInt(-2)),
		c("SUBSTRING", "l", aStr("Hello"), aInt(-2), aInt(1)),
		c("SUBSTRING", "", aStr("Hello"), aInt(-6)),
		c("SUBSTRING", "", aStr("Hello"), aInt(6)),
		c("SUBSTRING", "Hello", aStr("Hello"), aInt(1), aInt(100)),
		c("SUBSTRING", "null", aStr("Hello"), aInt(1), aInt(-1)),
		c("SUBSTR", "界b", aStr("a世界b"), aInt(3), aInt(5)),

		c("CONCAT", "abc", aStr("a"), aStr("b"), aStr("c")),
		c("CONCAT", "x", aStr("x")),
		c("CONCAT_WS", "a-b-c", aStr("-"), aStr("a"), aStr("b"), aStr("c")),
		c("CONCAT_WS", "a", lit(aStr("-")), lit(aStr("a"))),
		c("CONCAT_WS", "", lit(aStr("-")), lit(aNull(types.StringType))),
		c("CONCAT_WS", "a-c", lit(aStr("-")), lit(aStr("a")), lit(aNull(types.StringType)), lit(aStr("c"))),
		c("CONCAT_WS", "null", lit(aNull(types.StringType)), lit(aStr("a"))),

		c("TRIM", "abc", lit(aStr("BOTH")), lit(aStr(" ")), aStr("  abc  ")),
		c("TRIM", "abc  ", lit(aStr("LEADING")), lit(aStr(" ")), aStr("  abc  ")),
		c("TRIM", "  abc", lit(aStr("TRAILING")), lit(aStr(" ")), aStr("  abc  ")),
		c("TRIM", "c", lit(aStr("BOTH")), aStr("ab"), aStr("abcba")),
		c("LTRIM", "This is a test String. ", aStr(" This is a test String. ")),
		c("RTRIM", " This is a test String.", aStr(" This is a test String. ")),
		c("LTRIM", "yx", aStr("xxyx"), aStr("x")),
		c("BTRIM", "abc", aStr("  abc ")),

		c("REPLACE", "hello flink", aStr("hello world"), aStr("world"), aStr("flink")),
		c("REPLACE", "ababab", aStr("ababab"), aStr("abab"), aStr("abab")),
		c("REPLACE", "xaxbx", aStr("ab"), aStr(""), aStr("x")),

		// Flink: SPLIT_INDEX is 0-based; out of range gives NULL.
		c("SPLIT_INDEX", "b", aStr("a,b,c"), lit(aStr(",")), lit(aInt(1))),
		c("SPLIT_INDEX", "c", aStr("a,b,c"), aStr(","), aInt(2)),
		c("SPLIT_INDEX", "null", aStr("a,b,c"), aStr(","), aInt(3)),
		c("SPLIT_INDEX", "null", aStr("a,b,c"), aStr(","), aInt(-1)),
		c("SPLIT_INDEX", "", aStr("a,,c"), aStr(","), aInt(1)),
		c("SPLIT_INDEX", "", aStr("a,b,"), aStr(","), aInt(2)),
		c("SPLIT_INDEX", "null", aStr(""), aStr(","), aInt(0)),
		c("SPLIT_INDEX", "abc", aStr("abc"), aStr(","), aInt(0)),
		c("SPLIT_INDEX", "c", aStr("a::b::c"), aStr("::"), aInt(2)),
		c("SPLIT_INDEX", "b", aStr("a b"), aStr(""), aInt(1)),
		c("SPLIT_INDEX", "item", aStr("https://www.nexmark.com/item/1?x=y"), lit(aStr("/")), lit(aInt(3))),

		// Flink: LPAD('hi', 4, '??') = '??hi', LPAD('hi', 1, '??') = 'h'.
		c("LPAD", "??hi", aStr("hi"), aInt(4), aStr("??")),
		c("LPAD", "h", aStr("hi"), aInt(1), aStr("??")),
		c("LPAD", "abahi", aStr("hi"), aInt(5), aStr("ab")),
		c("RPAD", "hi??", aStr("hi"), aInt(4), aStr("??")),
		c("RPAD", "h", aStr("hi"), aInt(1), aStr("??")),
		c("RPAD", "hiaba", aStr("hi"), aInt(5), aStr("ab")),
		c("LPAD", "", aStr("hi"), aInt(0), aStr("?")),
		c("LPAD", "null", aStr("hi"), aInt(-1), aStr("?")),
		c("RPAD", "null", aStr("hi"), aInt(3), aStr("")),

		c("POSITION", "2", aStr("b"), aStr("abc")),
		c("POSITION", "0", aStr("z"), aStr("abc")),
		c("POSITION", "3", aStr("界"), aStr("a世界")),
		c("LOCATE", "4", aStr("a"), aStr("abca"), aInt(2)),
		c("LOCATE", "1", aStr("a"), aStr("abca")),
		c("LOCATE", "0", aStr("a"), aStr("abca"), aInt(5)),
		c("INSTR", "3", aStr("abcabc"), aStr("c")),
		c("INSTR", "6", aStr("abcabc"), aStr("c"), aInt(1), aInt(2)),
		c("INSTR", "6", aStr("abcabc"), aStr("c"), aInt(-1)),
		c("INSTR", "3", aStr("abcabc"), aStr("c"), aInt(-1), aInt(2)),
		c("INSTR", "0", aStr("abcabc"), aStr("c"), aInt(0)),

		c("REPEAT", "JavaJavaJava", aStr("Java"), aInt(3)),
		c("REPEAT", "", aStr("Java"), aInt(-1)),
		c("LEFT", "He", aStr("Hello"), aInt(2)),
		c("LEFT", "", aStr("Hello"), aInt(-2)),
		c("LEFT", "Hello", aStr("Hello"), aInt(20)),
		c("RIGHT", "lo", aStr("Hello"), aInt(2)),
		c("RIGHT", "界", aStr("a世界"), aInt(1)),
		c("ASCII", "97", aStr("abc")),
		c("ASCII", "0", aStr("")),
		c("CHR", "a", aInt(97)),
		c("CHR", "a", aInt(353)),
		c("CHR", "", aInt(-1)),
		c("CHR", "é", aInt(233)),

		c("TO_BASE64", "aGVsbG8gd29ybGQ=", aStr("hello world")),
		c("FROM_BASE64", "hello world", aStr("aGVsbG8gd29ybGQ=")),
		c("FROM_BASE64", "hello world", aStr("aGVsbG8gd29ybGQ")),
		c("FROM_BASE64", "null", aStr("!!!")),

		c("COUNT_CHAR", "3", aStr("abcabcxc"), lit(aStr("c"))),
		c("COUNT_CHAR", "0", aStr("xyz"), lit(aStr("c"))),
		c("COUNT_CHAR", "2", aStr("aXbX"), aStr("X")),
		c("COUNT_CHAR", "0", aStr("aXbX"), aStr("")),

		c("STR_TO_MAP", "{a=1, b=2}", aStr("a=1,b=2")),
		c("STR_TO_MAP", "{a=1, b=2}", aStr("a:1;b:2"), lit(aStr(";")), lit(aStr(":"))),
		c("STR_TO_MAP", "{a=1, b=2}", aStr("a:1;b:2"), aStr(";"), aStr(":")),
		c("STR_TO_MAP", "{a=1, b=2=3, c=}", aStr("a=1,b=2=3,c"), aStr(","), aStr("=")),
		c("STR_TO_MAP", "{a=1, b=2}", aStr("a=1|b=2"), lit(aStr(`\|`)), lit(aStr("="))),
		c("STR_TO_MAP", "{a=1, b=2}", aStr("a=1.b=2"), lit(aStr(`\.`)), lit(aStr("="))),
		c("STR_TO_MAP", "{}", aStr("")),
		c("STR_TO_MAP", "{a=1}", aStr("a=1,,")),

		// Flink: REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2) = 'bar'; without an index
		// the whole match (group 0).
		c("REGEXP_EXTRACT", "bar", aStr("foothebar"), lit(aStr("foo(.*?)(bar)")), lit(aInt(2))),
		c("REGEXP_EXTRACT", "the", aStr("foothebar"), aStr("foo(.*?)(bar)"), aInt(1)),
		c("REGEXP_EXTRACT", "foothebar", aStr("foothebar"), lit(aStr("foo(.*?)(bar)"))),
		c("REGEXP_EXTRACT", "null", aStr("foothebar"), lit(aStr("xyz(.*)"))),
		c("REGEXP_EXTRACT", "null", aStr("foothebar"), lit(aStr("foo(.*?)(bar)")), lit(aInt(3))),
		c("REGEXP_EXTRACT", "null", aStr("ab"), lit(aStr("a(x)?b")), lit(aInt(1))),
		c("REGEXP_EXTRACT", "null", aStr("abc"), aStr("(unclosed"), aInt(1)),
		c("REGEXP_EXTRACT", "123", aStr("https://x.com/a?channel_id=123&z=1"),
			lit(aStr("(&|^|\\?)channel_id=([^&]*)")), lit(aInt(2))),
		c("REGEXP_EXTRACT", "100", aStr("100-200"), lit(aStr(`(\d+)-(\d+)`)), lit(aInt(1))),
		c("REGEXP_EXTRACT", "abc", aStr("12abc34"), lit(aStr(`\p{Alpha}+`))),
		c("REGEXP_EXTRACT", "aaa", aStr("aaab"), lit(aStr(`a*+`))),

		// Flink's REGEXP_REPLACE inserts the replacement literally.
		c("REGEXP_REPLACE", "fXXbXX", aStr("foobar"), lit(aStr("oo|ar")), aStr("XX")),
		c("REGEXP_REPLACE", "f$1bar", aStr("foobar"), lit(aStr("(oo)")), aStr("$1")),
		c("REGEXP_REPLACE", "2 apples", aStr("12 apples"), aStr(`^\d`), aStr("")),
		c("REGEXP_REPLACE", "null", aStr("x"), aStr("(?<=a)b"), aStr("")),

		c("REGEXP", "true", aStr("foobar"), lit(aStr("o+b"))),
		c("REGEXP", "false", aStr("foobar"), aStr("^bar")),
		c("REGEXP", "false", aStr("foobar"), aStr("")),
		c("REGEXP", "false", aStr("foobar"), aStr("[unclosed")),
		c("REGEXP", "true", aStr("FOO"), lit(aStr("(?i)foo"))),
	})
}

func TestStringNotNullTypes(t *testing.T) {
	f, _ := LookupFunction("UPPER")
	_, r, err := f.Check([]types.Type{types.VarcharType(10).WithNotNull(true)})
	if err != nil || r != types.StringType.WithNotNull(true) {
		t.Errorf("UPPER(VARCHAR(10) NOT NULL) = %v, %v; want STRING NOT NULL", r, err)
	}
	f, _ = LookupFunction("SPLIT_INDEX")
	_, r, _ = f.Check([]types.Type{types.StringType.WithNotNull(true), types.StringType.WithNotNull(true), types.IntType.WithNotNull(true)})
	if r.NotNull {
		t.Errorf("SPLIT_INDEX can return NULL but Check said %v", r)
	}
	f, _ = LookupFunction("CONCAT_WS")
	_, r, _ = f.Check([]types.Type{types.StringType.WithNotNull(true), types.StringType})
	if !r.NotNull {
		t.Errorf("CONCAT_WS with a NOT NULL separator is NOT NULL, Check said %v", r)
	}
	f, _ = LookupFunction("CHAR_LENGTH")
	params, r, _ := f.Check([]types.Type{{Kind: types.Unknown}})
	if params[0] != types.StringType || r != types.IntType {
		t.Errorf("CHAR_LENGTH(NULL): params %v result %v", params, r)
	}
}

func TestStringErrors(t *testing.T) {
	wantErr(t, "UPPER", "UPPER expects (STRING), got (INT)", aInt(1))
	wantErr(t, "SUBSTRING", "SUBSTRING expects (STRING, INT[, INT]), got (STRING)", aStr("x"))
	wantErr(t, "CONCAT", "CONCAT expects (STRING, ...)")
	wantErr(t, "TRIM", "unknown trim mode", lit(aStr("MIDDLE")), aStr(" "), aStr("x"))
	wantErr(t, "TRIM", "must be the literal", aStr("BOTH"), aStr(" "), aStr("x"))
	wantErr(t, "REGEXP_EXTRACT", `invalid regular expression "(ab"`, aStr("x"), lit(aStr("(ab")))
	wantErr(t, "REGEXP_EXTRACT", "look-ahead", aStr("x"), lit(aStr("a(?=b)")))
	wantErr(t, "REGEXP_REPLACE", "back-references", aStr("x"), lit(aStr(`(a)\1`)), aStr(""))
	wantErr(t, "REGEXP", "nested character classes", aStr("x"), lit(aStr(`[a-z[0-9]]`)))
	wantErr(t, "STR_TO_MAP", "got 2 arguments", aStr("x"), aStr(","))
	wantErr(t, "UUID", "UUID expects ()", aStr("x"))

	// Runtime errors are user-facing.
	if _, err := eval1(utcCtx(), "INSTR", aStr("abc"), aStr("b"), aInt(1), aInt(0)); err == nil ||
		!strings.Contains(err.Error(), "occurrence argument must be positive") {
		t.Errorf("INSTR with nth 0: %v", err)
	}
	if _, err := eval1(utcCtx(), "REPEAT", aStr("abc"), aInt(1<<40)); err == nil ||
		!strings.Contains(err.Error(), "exceeds the limit") {
		t.Errorf("huge REPEAT: %v", err)
	}
}

func TestJavaRegexTranslation(t *testing.T) {
	for _, tc := range []struct{ java, re2 string }{
		{`\d+`, `\d+`},
		{`\p{Lower}+`, `[a-z]+`},
		{`[\p{Upper}_]`, `[A-Z_]`},
		{`\P{Digit}`, `[^0-9]`},
		{`a++b*+`, `a+b*`},
		{`(?>ab)`, `(?:ab)`},
		{`(?<name>x)`, `(?P<name>x)`},
		{`\u00e9`, `\x{00e9}`},
		{`\011`, `\x{9}`},
		{`\Qa.b\E+`, `a\.b+`},
		{`[]a]`, `[\]a]`},
		{`x\Z`, `x\z`},
		{`(?u)a`, `a`},
	} {
		got, err := sfTranslateJavaRegex(tc.java)
		if err != nil || got != tc.re2 {
			t.Errorf("translate %q = %q, %v; want %q", tc.java, got, err, tc.re2)
		}
	}
	if got := sfRequiredLiteral(`(&|^)channel_id=([^&]*)`); got != "channel_id=" {
		t.Errorf("required literal = %q", got)
	}
	if got := sfRequiredLiteral(`(?i)abc`); got != "" {
		t.Errorf("case-folded literal must not be required, got %q", got)
	}
}

func TestUUID(t *testing.T) {
	out, r, err := evalRows(utcCtx(), "UUID", nil, [][]chunk.Datum{{}, {}, {}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.NotNull {
		t.Errorf("UUID type %v, want NOT NULL", r)
	}
	f, _ := LookupFunction("UUID")
	if f.Deterministic {
		t.Error("UUID must not be deterministic")
	}
	seen := map[string]bool{}
	for _, u := range out {
		if len(u) != 36 || u[14] != '4' || !strings.ContainsRune("89ab", rune(u[19])) || strings.Count(u, "-") != 4 {
			t.Errorf("malformed UUID %q", u)
		}
		seen[u] = true
	}
	if len(seen) != 3 {
		t.Errorf("UUIDs repeat: %v", out)
	}
}

// TestKernelsDoNotModifyArgs runs every string kernel over shared input and checks that the
// input vectors are unchanged.
func TestKernelsDoNotModifyArgs(t *testing.T) {
	in := []string{"Hello", "wörld", ""}
	vec := &chunk.Vector{Type: types.StringType, Str: append([]string(nil), in...)}
	for _, name := range []string{"UPPER", "LOWER", "INITCAP", "REVERSE", "TO_BASE64", "MD5"} {
		_, k, _, _, err := prepare(name, []ta{aStr("")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k(utcCtx(), []*chunk.Vector{vec}, 3); err != nil {
			t.Fatal(err)
		}
		for i := range in {
			if vec.Str[i] != in[i] {
				t.Fatalf("%s modified its argument: %q", name, vec.Str)
			}
		}
	}
}

// ---- benchmarks ----

func benchStrings(n int, f func(i int) string) *chunk.Vector {
	v := &chunk.Vector{Type: types.StringType, Str: make([]string, n)}
	for i := range v.Str {
		v.Str[i] = f(i)
	}
	return v
}

func constVec(t types.Type, d chunk.Datum, n int) *chunk.Vector {
	v := chunk.NewVector(t, n)
	for i := 0; i < n; i++ {
		v.Append(d)
	}
	return v
}

func benchKernel(b *testing.B, name string, args []ta, vecs []*chunk.Vector) {
	_, k, _, _, err := prepare(name, args)
	if err != nil {
		b.Fatal(err)
	}
	ctx := utcCtx()
	n := vecs[0].Len()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := k(ctx, vecs, n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}

func nexmarkURL(i int) string {
	if i%3 == 0 {
		return fmt.Sprintf("https://www.nexmark.com/abc/def%d/item.htm?query=1&channel_id=%d", i, i*7)
	}
	return fmt.Sprintf("https://www.nexmark.com/xyz/uvw%d/item.htm?query=1", i)
}

func BenchmarkSplitIndex(b *testing.B) {
	urls := benchStrings(1024, nexmarkURL)
	args := []ta{aStr(""), lit(aStr("/")), lit(aInt(3))}
	benchKernel(b, "SPLIT_INDEX", args, []*chunk.Vector{urls,
		constVec(types.StringType, chunk.Str("/"), 1024), constVec(types.IntType, chunk.Int(3), 1024)})
}

func BenchmarkRegexpExtract(b *testing.B) {
	urls := benchStrings(1024, nexmarkURL)
	re := `(&|^)channel_id=([^&]*)`
	args := []ta{aStr(""), lit(aStr(re)), lit(aInt(2))}
	benchKernel(b, "REGEXP_EXTRACT", args, []*chunk.Vector{urls,
		constVec(types.StringType, chunk.Str(re), 1024), constVec(types.IntType, chunk.Int(2), 1024)})
}

func BenchmarkLower(b *testing.B) {
	words := benchStrings(1024, func(i int) string { return fmt.Sprintf("Channel-%d", i%50) })
	benchKernel(b, "LOWER", []ta{aStr("")}, []*chunk.Vector{words})
}

func BenchmarkCountChar(b *testing.B) {
	extra := benchStrings(1024, func(i int) string { return strings.Repeat("abcdefghij", 10+i%5) })
	benchKernel(b, "COUNT_CHAR", []ta{aStr(""), lit(aStr("c"))}, []*chunk.Vector{extra,
		constVec(types.StringType, chunk.Str("c"), 1024)})
}

func TestStringExtremeArguments(t *testing.T) {
	runCases(t, utcCtx(), []fcase{
		c("SUBSTRING", "", aStr("abc"), aBig(math.MinInt64), aBig(math.MaxInt64)),
		c("SUBSTRING", "", aStr("abc"), aBig(math.MaxInt64), aBig(math.MaxInt64)),
		c("INSTR", "0", aStr("abc"), aStr("b"), aBig(math.MinInt64)),
		c("LOCATE", "0", aStr("b"), aStr("abc"), aBig(math.MaxInt64)),
		c("LEFT", "abc", aStr("abc"), aBig(math.MaxInt64)),
		c("RIGHT", "", aStr("abc"), aBig(math.MinInt64)),
		c("SPLIT_INDEX", "null", aStr("a,b"), aStr(","), aBig(math.MaxInt64)),
		c("CHR", "ÿ", aBig(math.MaxInt64)),
	})
	if _, err := eval1(utcCtx(), "LPAD", aStr("a"), aBig(math.MaxInt64), aStr("x")); err == nil ||
		!strings.Contains(err.Error(), "LPAD: length 9223372036854775807 exceeds the limit") {
		t.Errorf("huge LPAD: %v", err)
	}
}
