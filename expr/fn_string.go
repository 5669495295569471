package expr

// String built-ins (UPPER, SUBSTRING, CONCAT, TRIM, LPAD, SPLIT_INDEX, STR_TO_MAP, the REGEXP
// family...) and the small signature and kernel helpers shared by fn_string.go, fn_time.go,
// fn_json.go and fn_hash.go. Helper names start with "sf" to stay apart from the expression
// core's helpers in the same package.
//
// Semantics follow Flink's runtime (SqlFunctionUtils, BinaryStringDataUtil): positions are
// 1-based and count characters (Unicode code points here, UTF-16 units in Flink, which differ
// only outside the Basic Multilingual Plane).

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// sfMaxResultBytes bounds strings built by REPEAT, LPAD and RPAD so that a bad argument cannot
// exhaust memory.
const sfMaxResultBytes = 64 << 20

// sfClass is a class of argument types a built-in accepts.
type sfClass uint8

const (
	sfStr         sfClass = iota // CHAR, VARCHAR
	sfStrBytes                   // CHAR, VARCHAR, BYTES
	sfInt                        // TINYINT .. BIGINT
	sfNum                        // any numeric type
	sfTS                         // TIMESTAMP, TIMESTAMP_LTZ
	sfTSDate                     // TIMESTAMP, TIMESTAMP_LTZ, DATE
	sfTSDateStr                  // TIMESTAMP, TIMESTAMP_LTZ, DATE, CHAR, VARCHAR
	sfTimeOfDay                  // TIME, TIMESTAMP, TIMESTAMP_LTZ
	sfTemporalAll                // DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, INTERVAL
)

// accepts reports whether t belongs to the class. The type of an untyped NULL always does.
func (c sfClass) accepts(t types.Type) bool {
	if t.Kind == types.Unknown {
		return true
	}
	switch c {
	case sfStr:
		return t.IsString()
	case sfStrBytes:
		return t.IsString() || t.Kind == types.Bytes
	case sfInt:
		return t.IsInteger()
	case sfNum:
		return t.IsNumeric()
	case sfTS:
		return t.IsTimestamp()
	case sfTSDate:
		return t.IsTimestamp() || t.Kind == types.Date
	case sfTSDateStr:
		return t.IsTimestamp() || t.Kind == types.Date || t.IsString()
	case sfTimeOfDay:
		return t.IsTimestamp() || t.Kind == types.Time
	case sfTemporalAll:
		return t.IsTimestamp() || t.Kind == types.Date || t.Kind == types.Time || t.IsInterval()
	}
	return false
}

// nullType is the parameter type an untyped NULL argument is cast to.
func (c sfClass) nullType() types.Type {
	switch c {
	case sfStr, sfStrBytes, sfTSDateStr:
		return types.StringType
	case sfInt:
		return types.IntType
	case sfNum:
		return types.BigIntType
	case sfTS, sfTSDate, sfTimeOfDay, sfTemporalAll:
		return types.TimestampType(3)
	}
	return types.StringType
}

// sfCheckArgs validates args against classes: the first min arguments are required, the rest
// of cls are optional; when variadic is set, the last class repeats without limit. sig is the
// expected-signature phrase used in errors, e.g. "SUBSTRING expects (STRING, INT[, INT])".
// It returns the parameter types: the argument types themselves (all classes are physically
// compatible with what the kernels read), with untyped NULLs given a concrete type.
func sfCheckArgs(sig string, args []types.Type, min int, variadic bool, cls ...sfClass) ([]types.Type, error) {
	if len(args) < min || (!variadic && len(args) > len(cls)) {
		return nil, sfSigError(sig, args)
	}
	params := make([]types.Type, len(args))
	for i, t := range args {
		c := cls[len(cls)-1]
		if i < len(cls) {
			c = cls[i]
		}
		if !c.accepts(t) {
			return nil, sfSigError(sig, args)
		}
		if t.Kind == types.Unknown {
			t = c.nullType()
		}
		params[i] = t
	}
	return params, nil
}

func sfSigError(sig string, args []types.Type) error {
	parts := make([]string, len(args))
	for i, t := range args {
		parts[i] = t.Nullable().String()
	}
	return fmt.Errorf("%s, got (%s)", sig, strings.Join(parts, ", "))
}

// sfResult returns t, NOT NULL when no argument can be NULL and the function itself never
// returns NULL for non-NULL arguments (mayBeNull false).
func sfResult(t types.Type, args []types.Type, mayBeNull bool) types.Type {
	notNull := !mayBeNull
	for _, a := range args {
		if !a.NotNull {
			notNull = false
		}
	}
	return t.WithNotNull(notNull)
}

// sfSimple builds a Check for a function with a fixed result type that is NULL only when an
// argument is.
func sfSimple(sig string, result types.Type, min int, variadic bool, cls ...sfClass) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		params, err := sfCheckArgs(sig, args, min, variadic, cls...)
		if err != nil {
			return nil, types.Type{}, err
		}
		return params, sfResult(result, params, false), nil
	}
}

// sfNullable is like sfSimple for functions that may return NULL for non-NULL arguments.
func sfNullable(sig string, result types.Type, min int, variadic bool, cls ...sfClass) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		params, err := sfCheckArgs(sig, args, min, variadic, cls...)
		if err != nil {
			return nil, types.Type{}, err
		}
		return params, sfResult(result, params, true), nil
	}
}

// sfNullMask returns a fresh mask with the rows where any argument is NULL, or nil when no
// argument has NULLs. NullSafe kernels start their result mask from it.
func sfNullMask(args []*chunk.Vector, n int) []bool {
	var m []bool
	for _, a := range args {
		if a.Nulls == nil {
			continue
		}
		if m == nil {
			m = make([]bool, n)
		}
		for i, null := range a.Nulls[:n] {
			if null {
				m[i] = true
			}
		}
	}
	return m
}

// sfSetNull marks row i of a result mask, allocating the mask on first use.
func sfSetNull(m []bool, n, i int) []bool {
	if m == nil {
		m = make([]bool, n)
	}
	m[i] = true
	return m
}

// sfConstStr returns the value of constant argument i when it is a non-NULL literal.
func sfConstStr(consts []*chunk.Datum, i int) (string, bool) {
	if i < len(consts) && consts[i] != nil && !consts[i].Null {
		return consts[i].S, true
	}
	return "", false
}

// sfConstInt returns the value of constant argument i when it is a non-NULL literal.
func sfConstInt(consts []*chunk.Datum, i int) (int64, bool) {
	if i < len(consts) && consts[i] != nil && !consts[i].Null {
		return consts[i].I, true
	}
	return 0, false
}

// sfIsConst reports whether argument i is a literal (NULL or not).
func sfIsConst(consts []*chunk.Datum, i int) bool {
	return i < len(consts) && consts[i] != nil
}

// sfStrVec wraps computed strings (and an optional null mask) as a result vector.
func sfStrVec(t types.Type, s []string, nulls []bool) *chunk.Vector {
	return &chunk.Vector{Type: t, Str: s, Nulls: nulls}
}

// sfIntVec wraps computed integers (and an optional null mask) as a result vector.
func sfIntVec(t types.Type, v []int64, nulls []bool) *chunk.Vector {
	return &chunk.Vector{Type: t, I64: v, Nulls: nulls}
}

// strFn1 defines a NULL-in-NULL-out function of one string returning a string.
func strFn1(name string, f func(string) string) *Function {
	return &Function{
		Name:          name,
		Deterministic: true,
		Check:         sfSimple(name+" expects (STRING)", types.StringType, 1, false, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				in := args[0].Str[:n]
				out := make([]string, n)
				for i, s := range in {
					out[i] = f(s)
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	}
}

// strFnInt1 defines a NULL-in-NULL-out function of one string returning an integer.
func strFnInt1(name string, rt types.Type, f func(string) int64) *Function {
	return &Function{
		Name:          name,
		Deterministic: true,
		Check:         sfSimple(name+" expects (STRING)", rt, 1, false, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				in := args[0].Str[:n]
				out := make([]int64, n)
				for i, s := range in {
					out[i] = f(s)
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	}
}

// sfIsASCII reports whether s has only single-byte characters, so byte and character
// positions coincide.
func sfIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sfByteOffset returns the byte offset of character k (0-based) of s; len(s) when k is at or
// past the end.
func sfByteOffset(s string, k int) int {
	if k <= 0 {
		return 0
	}
	c := 0
	for i := range s {
		if c == k {
			return i
		}
		c++
	}
	return len(s)
}

// sfSubstring implements Flink's SUBSTRING(s, pos, length) (BinaryStringDataUtil.substringSQL)
// for length >= 0: pos > 0 counts from 1, pos < 0 from the end, pos 0 is the start.
func sfSubstring(s string, pos, length int64) string {
	if s == "" {
		return ""
	}
	ascii := sfIsASCII(s)
	num := int64(len(s))
	if !ascii {
		num = int64(utf8.RuneCountInString(s))
	}
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
		if start >= num {
			return ""
		}
	case pos < 0:
		start = num + pos
		if start < 0 {
			return ""
		}
	}
	end := num
	if num-start >= length {
		end = start + length
	}
	if ascii {
		return s[start:end]
	}
	b := sfByteOffset(s, int(start))
	e := b + sfByteOffset(s[b:], int(end-start))
	return s[b:e]
}

// sfPad implements Flink's LPAD/RPAD for length > 0 and a non-empty pad: the result has
// exactly length characters; a longer s is cut to its first length characters.
func sfPad(s string, length int, pad string, left bool) string {
	sr := []rune(s)
	pr := []rune(pad)
	out := make([]rune, length)
	if left {
		p := length - len(sr)
		if p < 0 {
			p = 0
		}
		for i := 0; i < p; i++ {
			out[i] = pr[i%len(pr)]
		}
		copy(out[p:], sr)
	} else {
		k := copy(out, sr)
		for i := k; i < length; i++ {
			out[i] = pr[(i-k)%len(pr)]
		}
	}
	return string(out)
}

// sfInitcap implements Flink's INITCAP (Calcite's SqlFunctions.initcap): words are runs of ASCII
// letters and digits; their first letter is upper-cased and the rest lower-cased.
func sfInitcap(s string) string {
	b := []byte(s)
	start := true
	for i, c := range b {
		isDigit := c >= '0' && c <= '9'
		isUpper := c >= 'A' && c <= 'Z'
		isLower := c >= 'a' && c <= 'z'
		if start {
			if isDigit || isUpper {
				start = false
			} else if isLower {
				start = false
				b[i] = c - 32
			}
		} else {
			if isUpper {
				b[i] = c + 32
			} else if !isDigit && !isLower {
				start = true
			}
		}
	}
	return string(b)
}

// sfTrim removes characters of set from the chosen ends of s (a set of characters, as SQL's
// TRIM(... chars FROM s)).
func sfTrim(s, set string, leading, trailing bool) string {
	if set == " " {
		if leading {
			s = strings.TrimLeft(s, " ")
		}
		if trailing {
			s = strings.TrimRight(s, " ")
		}
		return s
	}
	if leading {
		s = strings.TrimLeft(s, set)
	}
	if trailing {
		s = strings.TrimRight(s, set)
	}
	return s
}

// sfIndexRunes returns the 1-based character position of the first occurrence of sub in s at
// or after character position from (1-based), or 0.
func sfIndexRunes(s, sub string, from int64) int64 {
	if from < 1 {
		return 0
	}
	b := 0
	if from > 1 {
		b = sfByteOffset(s, int(from-1))
		if b == len(s) && int64(utf8.RuneCountInString(s)) < from-1 {
			return 0
		}
	}
	k := strings.Index(s[b:], sub)
	if k < 0 {
		return 0
	}
	return from + int64(utf8.RuneCountInString(s[b:b+k]))
}

// sfInstr implements Flink's INSTR(s, sub, start, nth).
func sfInstr(s, sub string, start, nth int64) int64 {
	switch {
	case start == 0:
		return 0
	case start > 0:
		var idx int64
		from := start
		for i := int64(0); i < nth; i++ {
			idx = sfIndexRunes(s, sub, from)
			if idx == 0 {
				return 0
			}
			from = idx + 1
		}
		return idx
	case start == math.MinInt64:
		return 0
	default:
		pos := sfInstr(sfReverse(s), sfReverse(sub), -start, nth)
		if pos == 0 {
			return 0
		}
		return int64(utf8.RuneCountInString(s)) + 2 - pos - int64(utf8.RuneCountInString(sub))
	}
}

func sfReverse(s string) string {
	if sfIsASCII(s) {
		b := make([]byte, len(s))
		for i := 0; i < len(s); i++ {
			b[len(s)-1-i] = s[i]
		}
		return string(b)
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// sfLeft returns the first n characters of s ("" for n <= 0).
func sfLeft(s string, n int64) string {
	if n <= 0 {
		return ""
	}
	if n >= int64(len(s)) {
		return s
	}
	return s[:sfByteOffset(s, int(n))]
}

// sfRight returns the last n characters of s ("" for n <= 0).
func sfRight(s string, n int64) string {
	if n <= 0 {
		return ""
	}
	num := int64(utf8.RuneCountInString(s))
	if n >= num {
		return s
	}
	return s[sfByteOffset(s, int(num-n)):]
}

// sfChr implements Flink's CHR: the character whose code is n modulo 256; "" for n < 0.
func sfChr(n int64) string {
	if n < 0 {
		return ""
	}
	return string(rune(n & 0xFF))
}

// sfSplitIndex implements Flink's SPLIT_INDEX (StringUtils.splitByWholeSeparatorPreserveAllTokens
// then index): NULL (ok false) for an empty s, a negative or too large index. An empty separator
// splits at every whitespace character.
func sfSplitIndex(s, sep string, idx int64) (string, bool) {
	if idx < 0 || s == "" {
		return "", false
	}
	if sep == "" {
		return sfSplitSpaceIndex(s, idx)
	}
	if len(sep) == 1 {
		c := sep[0]
		for ; idx > 0; idx-- {
			k := strings.IndexByte(s, c)
			if k < 0 {
				return "", false
			}
			s = s[k+1:]
		}
		if k := strings.IndexByte(s, c); k >= 0 {
			return s[:k], true
		}
		return s, true
	}
	for ; idx > 0; idx-- {
		k := strings.Index(s, sep)
		if k < 0 {
			return "", false
		}
		s = s[k+len(sep):]
	}
	if k := strings.Index(s, sep); k >= 0 {
		return s[:k], true
	}
	return s, true
}

func sfSplitSpaceIndex(s string, idx int64) (string, bool) {
	start := 0
	for i, r := range s {
		if unicode.IsSpace(r) {
			if idx == 0 {
				return s[start:i], true
			}
			idx--
			start = i + utf8.RuneLen(r)
		}
	}
	if idx == 0 {
		return s[start:], true
	}
	return "", false
}

// sfJavaSplit splits s like Java's String.split(regex): trailing empty strings are removed.
// A nil re means the literal separator lit.
func sfJavaSplit(s string, re *regexp.Regexp, lit string, limit int) []string {
	var parts []string
	if re == nil {
		parts = strings.SplitN(s, lit, limit)
	} else {
		parts = re.Split(s, limit)
	}
	if limit < 0 {
		for len(parts) > 1 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		if len(parts) == 1 && parts[0] == "" && s != "" {
			parts = parts[:0]
		}
	}
	return parts
}

// sfDelimiter compiles a Java-regex delimiter for STR_TO_MAP; plain delimiters need no regexp.
func sfDelimiter(fn, d string) (*regexp.Regexp, error) {
	if !strings.ContainsAny(d, `\.[]{}()*+?^$|`) {
		return nil, nil
	}
	re, err := sfCompileJavaRegex(d)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid delimiter %q: %w", fn, d, err)
	}
	return re, nil
}

// sfStrToMap implements Flink's STR_TO_MAP. Keys without a key-value delimiter map to "" (a
// MAP<STRING, STRING> value here cannot hold NULL).
func sfStrToMap(s string, pairRe *regexp.Regexp, pair string, kvRe *regexp.Regexp, kv string) map[string]string {
	m := map[string]string{}
	if s == "" {
		return m
	}
	for _, p := range sfJavaSplit(s, pairRe, pair, -1) {
		parts := sfJavaSplit(p, kvRe, kv, 2)
		if len(parts) < 2 {
			m[p] = ""
		} else {
			m[parts[0]] = parts[1]
		}
	}
	return m
}

// sfFromBase64 decodes standard base64 with or without padding (as Java's basic decoder).
func sfFromBase64(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return "", false
		}
	}
	return string(b), true
}

// sfUUIDs returns n random (version 4) UUIDs in canonical text form.
func sfUUIDs(n int) ([]string, error) {
	raw := make([]byte, 16*n)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("UUID: cannot read random bytes: %w", err)
	}
	out := make([]string, n)
	var buf [36]byte
	for i := 0; i < n; i++ {
		u := raw[16*i : 16*i+16]
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		hex.Encode(buf[0:8], u[0:4])
		buf[8] = '-'
		hex.Encode(buf[9:13], u[4:6])
		buf[13] = '-'
		hex.Encode(buf[14:18], u[6:8])
		buf[18] = '-'
		hex.Encode(buf[19:23], u[8:10])
		buf[23] = '-'
		hex.Encode(buf[24:36], u[10:16])
		out[i] = string(buf[:])
	}
	return out, nil
}

// sfCountChar counts the occurrences of c in s (non-overlapping when c has several characters;
// 0 for an empty c).
func sfCountChar(s, c string) int64 {
	if c == "" {
		return 0
	}
	return int64(strings.Count(s, c))
}

func init() {
	register(strFn1("UPPER", strings.ToUpper))
	register(strFn1("LOWER", strings.ToLower))
	register(strFn1("INITCAP", sfInitcap))
	register(strFn1("REVERSE", sfReverse))
	register(strFn1("TO_BASE64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }))
	register(strFnInt1("CHAR_LENGTH", types.IntType, func(s string) int64 { return int64(utf8.RuneCountInString(s)) }),
		"CHARACTER_LENGTH")
	register(strFnInt1("ASCII", types.IntType, func(s string) int64 {
		if s == "" {
			return 0
		}
		return int64(s[0])
	}))

	register(&Function{
		Name:          "SUBSTRING",
		Deterministic: true,
		NullSafe:      true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			params, err := sfCheckArgs("SUBSTRING expects (STRING, INT[, INT])", args, 2, false, sfStr, sfInt, sfInt)
			if err != nil {
				return nil, types.Type{}, err
			}
			// A negative length gives NULL.
			return params, sfResult(types.StringType, params, len(params) == 3), nil
		},
		Make: func(params []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			withLen := len(params) == 3
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				str, pos := args[0].Str, args[1].I64
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					length := int64(1<<63 - 1)
					if withLen {
						length = args[2].I64[i]
						if length < 0 {
							nulls = sfSetNull(nulls, n, i)
							continue
						}
					}
					out[i] = sfSubstring(str[i], pos[i], length)
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	}, "SUBSTR")

	register(&Function{
		Name:          "CONCAT",
		Deterministic: true,
		Check:         sfSimple("CONCAT expects (STRING, ...)", types.StringType, 1, true, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]string, n)
				var buf []byte
				for i := 0; i < n; i++ {
					buf = buf[:0]
					for _, a := range args {
						buf = append(buf, a.Str[i]...)
					}
					out[i] = string(buf)
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "CONCAT_WS",
		Deterministic: true,
		NullSafe:      true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			params, err := sfCheckArgs("CONCAT_WS expects (STRING, STRING, ...)", args, 2, true, sfStr, sfStr)
			if err != nil {
				return nil, types.Type{}, err
			}
			// NULL only when the separator is.
			return params, types.StringType.WithNotNull(params[0].NotNull), nil
		},
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]string, n)
				var nulls []bool
				var buf []byte
				sep := args[0]
				for i := 0; i < n; i++ {
					if sep.IsNull(i) {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					buf = buf[:0]
					first := true
					for _, a := range args[1:] {
						if a.IsNull(i) {
							continue
						}
						if !first {
							buf = append(buf, sep.Str[i]...)
						}
						first = false
						buf = append(buf, a.Str[i]...)
					}
					out[i] = string(buf)
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "TRIM",
		Deterministic: true,
		Check: sfSimple("TRIM expects (mode 'BOTH'|'LEADING'|'TRAILING', STRING, STRING)",
			types.StringType, 3, false, sfStr, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			mode, ok := sfConstStr(consts, 0)
			if !ok {
				return nil, fmt.Errorf("TRIM: the trim mode must be the literal BOTH, LEADING or TRAILING")
			}
			var leading, trailing bool
			switch strings.ToUpper(mode) {
			case "BOTH":
				leading, trailing = true, true
			case "LEADING":
				leading = true
			case "TRAILING":
				trailing = true
			default:
				return nil, fmt.Errorf("TRIM: unknown trim mode %q (want BOTH, LEADING or TRAILING)", mode)
			}
			return sfTrimKernel(result, 1, 2, leading, trailing), nil
		},
	})
	sfRegisterTrim1("LTRIM", true, false)
	sfRegisterTrim1("RTRIM", false, true)
	sfRegisterTrim1("BTRIM", true, true)

	register(&Function{
		Name:          "REPLACE",
		Deterministic: true,
		Check:         sfSimple("REPLACE expects (STRING, STRING, STRING)", types.StringType, 3, false, sfStr, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]string, n)
				s, from, to := args[0].Str, args[1].Str, args[2].Str
				for i := 0; i < n; i++ {
					out[i] = strings.ReplaceAll(s[i], from[i], to[i])
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "SPLIT_INDEX",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("SPLIT_INDEX expects (STRING, STRING, INT)", types.StringType, 3, false,
			sfStr, sfStr, sfInt),
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				s, sep, idx := args[0].Str, args[1].Str, args[2].I64
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					v, ok := sfSplitIndex(s[i], sep[i], idx[i])
					if !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = v
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	sfRegisterPad("LPAD", true)
	sfRegisterPad("RPAD", false)

	register(&Function{
		Name:          "POSITION",
		Deterministic: true,
		Check:         sfSimple("POSITION expects (STRING IN STRING)", types.IntType, 2, false, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				sub, s := args[0].Str, args[1].Str
				for i := 0; i < n; i++ {
					out[i] = sfIndexRunes(s[i], sub[i], 1)
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "LOCATE",
		Deterministic: true,
		Check:         sfSimple("LOCATE expects (STRING, STRING[, INT])", types.IntType, 2, false, sfStr, sfStr, sfInt),
		Make: func(params []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				sub, s := args[0].Str, args[1].Str
				for i := 0; i < n; i++ {
					from := int64(1)
					if len(args) == 3 {
						from = args[2].I64[i]
					}
					out[i] = sfIndexRunes(s[i], sub[i], from)
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "INSTR",
		Deterministic: true,
		Check: sfSimple("INSTR expects (STRING, STRING[, INT[, INT]])", types.IntType, 2, false,
			sfStr, sfStr, sfInt, sfInt),
		Make: func(params []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				s, sub := args[0].Str, args[1].Str
				for i := 0; i < n; i++ {
					start, nth := int64(1), int64(1)
					if len(args) > 2 {
						start = args[2].I64[i]
					}
					if len(args) > 3 {
						nth = args[3].I64[i]
						if nth <= 0 && !sfAnyNullAt(args, i) {
							return nil, fmt.Errorf("INSTR: the occurrence argument must be positive, got %d", nth)
						}
					}
					out[i] = sfInstr(s[i], sub[i], start, nth)
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "REPEAT",
		Deterministic: true,
		Check:         sfSimple("REPEAT expects (STRING, INT)", types.StringType, 2, false, sfStr, sfInt),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]string, n)
				s, k := args[0].Str, args[1].I64
				for i := 0; i < n; i++ {
					if k[i] <= 0 || s[i] == "" {
						continue
					}
					if k[i] > sfMaxResultBytes/int64(len(s[i])) {
						if sfAnyNullAt(args, i) {
							continue
						}
						return nil, fmt.Errorf("REPEAT: result of %d × %d bytes exceeds the limit of %d bytes",
							k[i], len(s[i]), sfMaxResultBytes)
					}
					out[i] = strings.Repeat(s[i], int(k[i]))
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	})

	for _, left := range []bool{true, false} {
		name, f := "LEFT", sfLeft
		if !left {
			name, f = "RIGHT", sfRight
		}
		register(&Function{
			Name:          name,
			Deterministic: true,
			Check:         sfSimple(name+" expects (STRING, INT)", types.StringType, 2, false, sfStr, sfInt),
			Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
				return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
					out := make([]string, n)
					s, k := args[0].Str, args[1].I64
					for i := 0; i < n; i++ {
						out[i] = f(s[i], k[i])
					}
					return sfStrVec(result, out, nil), nil
				}, nil
			},
		})
	}

	register(&Function{
		Name:          "CHR",
		Deterministic: true,
		Check:         sfSimple("CHR expects (INT)", types.StringType, 1, false, sfInt),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]string, n)
				for i, v := range args[0].I64[:n] {
					out[i] = sfChr(v)
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "STR_TO_MAP",
		Deterministic: true,
		Check: sfSimple("STR_TO_MAP expects (STRING[, STRING, STRING])", types.MapStringType, 1, false,
			sfStr, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			if len(params) == 2 {
				return nil, fmt.Errorf("STR_TO_MAP expects (STRING) or (STRING, STRING, STRING), got 2 arguments")
			}
			pair, kv := ",", "="
			var pairRe, kvRe *regexp.Regexp
			constDelims := true
			if len(params) == 3 {
				p, ok1 := sfConstStr(consts, 1)
				k, ok2 := sfConstStr(consts, 2)
				constDelims = ok1 && ok2
				if constDelims {
					var err error
					pair, kv = p, k
					if pairRe, err = sfDelimiter("STR_TO_MAP", pair); err != nil {
						return nil, err
					}
					if kvRe, err = sfDelimiter("STR_TO_MAP", kv); err != nil {
						return nil, err
					}
				}
			}
			cache := sfRegexCache{}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]map[string]string, n)
				var nulls []bool
				for i := 0; i < n; i++ {
					if sfAnyNullAt(args, i) {
						continue
					}
					pRe, kRe, p, k := pairRe, kvRe, pair, kv
					if !constDelims {
						p, k = args[1].Str[i], args[2].Str[i]
						var err1, err2 error
						pRe, err1 = cache.delimiter(p)
						kRe, err2 = cache.delimiter(k)
						if err1 != nil || err2 != nil {
							nulls = sfSetNull(nulls, n, i)
							continue
						}
					}
					out[i] = sfStrToMap(args[0].Str[i], pRe, p, kRe, k)
				}
				return &chunk.Vector{Type: result, Maps: out, Nulls: nulls}, nil
			}, nil
		},
	})

	register(&Function{
		Name:          "FROM_BASE64",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("FROM_BASE64 expects (STRING)", types.StringType, 1, false, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				for i, s := range args[0].Str[:n] {
					if nulls != nil && nulls[i] {
						continue
					}
					v, ok := sfFromBase64(s)
					if !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = v
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "UUID",
		Deterministic: false,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			if len(args) != 0 {
				return nil, types.Type{}, sfSigError("UUID expects ()", args)
			}
			return nil, types.StringType.WithNotNull(true), nil
		},
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, _ []*chunk.Vector, n int) (*chunk.Vector, error) {
				out, err := sfUUIDs(n)
				if err != nil {
					return nil, err
				}
				return sfStrVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "COUNT_CHAR",
		Deterministic: true,
		Check:         sfSimple("COUNT_CHAR expects (STRING, STRING)", types.BigIntType, 2, false, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			c, isConst := sfConstStr(consts, 1)
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				s := args[0].Str[:n]
				if isConst {
					for i, v := range s {
						out[i] = sfCountChar(v, c)
					}
				} else {
					for i, v := range s {
						out[i] = sfCountChar(v, args[1].Str[i])
					}
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})
}

// sfAnyNullAt reports whether any argument is NULL at row i.
func sfAnyNullAt(args []*chunk.Vector, i int) bool {
	for _, a := range args {
		if a.IsNull(i) {
			return true
		}
	}
	return false
}

// sfTrimKernel trims args[s] of the characters in args[set].
func sfTrimKernel(result types.Type, set, s int, leading, trailing bool) Kernel {
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := make([]string, n)
		for i := 0; i < n; i++ {
			chars := " "
			if set >= 0 {
				chars = args[set].Str[i]
			}
			out[i] = sfTrim(args[s].Str[i], chars, leading, trailing)
		}
		return sfStrVec(result, out, nil), nil
	}
}

// sfRegisterTrim1 registers LTRIM/RTRIM/BTRIM(s[, chars]); chars defaults to a space.
func sfRegisterTrim1(name string, leading, trailing bool) {
	register(&Function{
		Name:          name,
		Deterministic: true,
		Check:         sfSimple(name+" expects (STRING[, STRING])", types.StringType, 1, false, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			set := -1
			if len(params) == 2 {
				set = 1
			}
			return sfTrimKernel(result, set, 0, leading, trailing), nil
		},
	})
}

// sfRegisterPad registers LPAD/RPAD(s, length, pad): NULL for a negative length or an empty
// pad.
func sfRegisterPad(name string, left bool) {
	register(&Function{
		Name:          name,
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable(name+" expects (STRING, INT, STRING)", types.StringType, 3, false, sfStr, sfInt, sfStr),
		Make: func(_ []types.Type, result types.Type, _ []*chunk.Datum) (Kernel, error) {
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				s, l, p := args[0].Str, args[1].I64, args[2].Str
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					switch {
					case l[i] < 0 || p[i] == "":
						nulls = sfSetNull(nulls, n, i)
					case l[i] == 0:
					case l[i] > sfMaxResultBytes/4:
						return nil, fmt.Errorf("%s: length %d exceeds the limit of %d characters", name, l[i], sfMaxResultBytes/4)
					default:
						out[i] = sfPad(s[i], int(l[i]), p[i], left)
					}
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})
}

// ---- Regular expressions ----

// sfPosixClasses maps Java's \p{Name} ASCII classes to RE2 class contents.
var sfPosixClasses = map[string]string{
	"Lower":  `a-z`,
	"Upper":  `A-Z`,
	"ASCII":  `\x00-\x7F`,
	"Alpha":  `a-zA-Z`,
	"Digit":  `0-9`,
	"Alnum":  `a-zA-Z0-9`,
	"Punct":  `!-/:-@\[-\x60{-~`,
	"Graph":  `!-~`,
	"Print":  ` -~`,
	"Blank":  ` \t`,
	"Cntrl":  `\x00-\x1F\x7F`,
	"XDigit": `0-9a-fA-F`,
	"Space":  ` \t\n\x0B\f\r`,

	"javaLowerCase":  `\p{Ll}`,
	"javaUpperCase":  `\p{Lu}`,
	"javaWhitespace": `\s\x1C-\x1F`,
	"IsAlphabetic":   `\p{L}\p{Nl}`,
	"IsDigit":        `\p{Nd}`,
	"IsLetter":       `\p{L}`,
	"IsUppercase":    `\p{Lu}`,
	"IsLowercase":    `\p{Ll}`,
	"IsWhite_Space":  `\s\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`,
	"IsPunctuation":  `\p{P}`,
}

// sfTranslateJavaRegex rewrites a java.util.regex pattern into Go's RE2 syntax. Constructs RE2
// cannot express (look-around, back-references, nested character classes, class intersection)
// are reported as errors rather than silently changing the meaning; possessive quantifiers and
// atomic groups become their ordinary forms, which match the same strings for the patterns
// seen in practice.
func sfTranslateJavaRegex(p string) (string, error) {
	var b strings.Builder
	inClass := false
	afterQuant := false // the previous token was a quantifier (so '+' makes it possessive)
	for i := 0; i < len(p); i++ {
		c := p[i]
		quant := false
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			e := p[i]
			switch {
			case e == 'p' || e == 'P':
				name := ""
				if i+1 < len(p) && p[i+1] == '{' {
					end := strings.IndexByte(p[i+1:], '}')
					if end < 0 {
						return "", fmt.Errorf("unclosed \\%c{ character property", e)
					}
					name = p[i+2 : i+1+end]
					i += 1 + end
				} else if i+1 < len(p) {
					name = p[i+1 : i+2]
					i++
				}
				if body, ok := sfPosixClasses[name]; ok {
					switch {
					case !inClass && e == 'p':
						b.WriteString("[" + body + "]")
					case !inClass:
						b.WriteString("[^" + body + "]")
					case e == 'p':
						b.WriteString(body)
					default:
						return "", fmt.Errorf("negated property \\P{%s} inside a character class is not supported", name)
					}
				} else {
					name = strings.TrimPrefix(name, "Is")
					name = strings.TrimPrefix(name, "In")
					b.WriteString(`\` + string(e) + "{" + name + "}")
				}
			case e >= '1' && e <= '9' && !inClass:
				return "", fmt.Errorf("back-references (\\%c) are not supported", e)
			case e == 'k' && !inClass:
				return "", fmt.Errorf("named back-references (\\k) are not supported")
			case e == 'G':
				return "", fmt.Errorf("\\G is not supported")
			case e == 'Z':
				b.WriteString(`\z`)
			case e == 'e':
				b.WriteString(`\x1B`)
			case e == 'a':
				b.WriteString(`\x07`)
			case e == 'h':
				body := ` \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`
				if inClass {
					b.WriteString(body)
				} else {
					b.WriteString("[" + body + "]")
				}
			case e == 'u':
				if i+4 >= len(p) {
					return "", fmt.Errorf("incomplete \\u escape")
				}
				b.WriteString(`\x{` + p[i+1:i+5] + `}`)
				i += 4
			case e == '0':
				j := i + 1
				for j < len(p) && j < i+4 && p[j] >= '0' && p[j] <= '7' {
					j++
				}
				if j == i+1 {
					return "", fmt.Errorf("illegal octal escape \\0")
				}
				var v int
				for _, d := range p[i+1 : j] {
					v = v*8 + int(d-'0')
				}
				fmt.Fprintf(&b, `\x{%X}`, v)
				i = j - 1
			case e == 'c':
				if i+1 >= len(p) {
					return "", fmt.Errorf("incomplete \\c escape")
				}
				fmt.Fprintf(&b, `\x{%X}`, p[i+1]^64)
				i++
			case e == 'Q':
				end := strings.Index(p[i+1:], `\E`)
				lit := p[i+1:]
				if end >= 0 {
					lit = p[i+1 : i+1+end]
					i += 1 + end + 1
				} else {
					i = len(p)
				}
				b.WriteString(regexp.QuoteMeta(lit))
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case inClass:
			switch {
			case c == '[':
				return "", fmt.Errorf("nested character classes are not supported")
			case c == '&' && i+1 < len(p) && p[i+1] == '&':
				return "", fmt.Errorf("character class intersection (&&) is not supported")
			case c == ']':
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is a literal in both dialects.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '(' && strings.HasPrefix(p[i:], "(?"):
			rest := p[i+2:]
			switch {
			case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"),
				strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
				return "", fmt.Errorf("look-ahead and look-behind are not supported")
			case strings.HasPrefix(rest, ">"):
				b.WriteString("(?:")
				i += 2
			case strings.HasPrefix(rest, "<"):
				b.WriteString("(?P<")
				i += 2
			default:
				// Inline flags: RE2 knows i, m, s, U; Java's u and d do not change matching of
				// UTF-8 text here, x (comments) is not supported.
				j := i + 2
				b.WriteString("(?")
				for j < len(p) && p[j] != ')' && p[j] != ':' {
					switch p[j] {
					case 'i', 'm', 's', 'U', '-':
						b.WriteByte(p[j])
					case 'u', 'd':
					case 'x':
						return "", fmt.Errorf("the comments flag (?x) is not supported")
					default:
						return "", fmt.Errorf("unknown inline flag %q", p[j])
					}
					j++
				}
				if b.String()[b.Len()-2:] == "(?" && j < len(p) && p[j] == ')' {
					// Only flags RE2 ignores: drop the empty group.
					s := b.String()[:b.Len()-2]
					b.Reset()
					b.WriteString(s)
					i = j
					continue
				}
				i = j - 1
			}
		case c == '*' || c == '?' || c == '}':
			quant = true
			b.WriteByte(c)
		case c == '+':
			if afterQuant {
				// Possessive quantifier: drop the '+'.
				afterQuant = false
				continue
			}
			quant = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
		afterQuant = quant
	}
	return b.String(), nil
}

// sfCompileJavaRegex compiles a Java regular expression.
func sfCompileJavaRegex(p string) (*regexp.Regexp, error) {
	t, err := sfTranslateJavaRegex(p)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(t)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: %s", se.Code, se.Expr)
		}
		return nil, err
	}
	return re, nil
}

// sfRegex is a compiled pattern with a literal every match must contain, used to skip the
// regexp engine for rows that cannot match.
type sfRegex struct {
	re  *regexp.Regexp
	lit string
}

func sfNewRegex(p string) (*sfRegex, error) {
	re, err := sfCompileJavaRegex(p)
	if err != nil {
		return nil, err
	}
	return &sfRegex{re: re, lit: sfRequiredLiteral(re.String())}, nil
}

// mayMatch is false when s lacks the required literal.
func (r *sfRegex) mayMatch(s string) bool {
	return r.lit == "" || strings.Contains(s, r.lit)
}

// sfRequiredLiteral returns the longest case-sensitive literal that appears at the top level of
// the pattern's concatenation, hence in every match ("" when there is none).
func sfRequiredLiteral(p string) string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	for re.Op == syntax.OpCapture && len(re.Sub) == 1 {
		re = re.Sub[0]
	}
	lit := func(r *syntax.Regexp) string {
		if r.Op == syntax.OpLiteral && r.Flags&syntax.FoldCase == 0 {
			return string(r.Rune)
		}
		return ""
	}
	if re.Op != syntax.OpConcat {
		return lit(re)
	}
	best := ""
	for _, s := range re.Sub {
		for s.Op == syntax.OpCapture && len(s.Sub) == 1 {
			s = s.Sub[0]
		}
		if l := lit(s); len(l) > len(best) {
			best = l
		}
	}
	return best
}

// sfRegexCache keeps the patterns of one kernel whose regular expression is not a literal.
// Kernels are used by one goroutine at a time (see Evaluator), so no locking is needed.
type sfRegexCache struct {
	m map[string]*sfRegex
	d map[string]*regexp.Regexp
}

const sfRegexCacheMax = 64

// get returns the compiled pattern, or nil when it is invalid (Flink then returns NULL or
// FALSE).
func (c *sfRegexCache) get(p string) *sfRegex {
	if r, ok := c.m[p]; ok {
		return r
	}
	if c.m == nil || len(c.m) >= sfRegexCacheMax {
		c.m = map[string]*sfRegex{}
	}
	r, err := sfNewRegex(p)
	if err != nil {
		r = nil
	}
	c.m[p] = r
	return r
}

// delimiter returns the compiled STR_TO_MAP delimiter (nil for a plain one).
func (c *sfRegexCache) delimiter(d string) (*regexp.Regexp, error) {
	if r, ok := c.d[d]; ok {
		return r, nil
	}
	if c.d == nil || len(c.d) >= sfRegexCacheMax {
		c.d = map[string]*regexp.Regexp{}
	}
	r, err := sfDelimiter("STR_TO_MAP", d)
	if err != nil {
		return nil, err
	}
	c.d[d] = r
	return r, nil
}

// sfRegexArg returns a function giving the pattern of row i: the precompiled constant, or a
// cached compilation of the row's value. A constant invalid pattern is a user error.
func sfRegexArg(fn string, consts []*chunk.Datum, i int) (func(args []*chunk.Vector, row int) *sfRegex, error) {
	if p, ok := sfConstStr(consts, i); ok {
		r, err := sfNewRegex(p)
		if err != nil {
			return nil, fmt.Errorf("%s: invalid regular expression %q: %w", fn, p, err)
		}
		return func([]*chunk.Vector, int) *sfRegex { return r }, nil
	}
	cache := &sfRegexCache{}
	return func(args []*chunk.Vector, row int) *sfRegex { return cache.get(args[i].Str[row]) }, nil
}

func init() {
	register(&Function{
		Name:          "REGEXP_EXTRACT",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("REGEXP_EXTRACT expects (STRING, STRING[, INT])", types.StringType, 2, false,
			sfStr, sfStr, sfInt),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			pattern, err := sfRegexArg("REGEXP_EXTRACT", consts, 1)
			if err != nil {
				return nil, err
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				s := args[0].Str
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					// Flink's default group is 0, the whole match.
					group := int64(0)
					if len(args) == 3 {
						group = args[2].I64[i]
					}
					r := pattern(args, i)
					if r == nil || group < 0 || group > int64(r.re.NumSubexp()) || !r.mayMatch(s[i]) {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					m := r.re.FindStringSubmatchIndex(s[i])
					if m == nil || m[2*group] < 0 {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = s[i][m[2*group]:m[2*group+1]]
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "REGEXP_REPLACE",
		Deterministic: true,
		NullSafe:      true,
		Check: sfNullable("REGEXP_REPLACE expects (STRING, STRING, STRING)", types.StringType, 3, false,
			sfStr, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			pattern, err := sfRegexArg("REGEXP_REPLACE", consts, 1)
			if err != nil {
				return nil, err
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				s, repl := args[0].Str, args[2].Str
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					r := pattern(args, i)
					switch {
					case r == nil:
						nulls = sfSetNull(nulls, n, i)
					case !r.mayMatch(s[i]):
						out[i] = s[i]
					default:
						// Flink quotes the replacement: it is inserted literally.
						out[i] = r.re.ReplaceAllLiteralString(s[i], repl[i])
					}
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "REGEXP",
		Deterministic: true,
		Check:         sfSimple("REGEXP expects (STRING, STRING)", types.BooleanType, 2, false, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			if p, ok := sfConstStr(consts, 1); ok && p == "" {
				// Flink: an empty pattern matches nothing.
				return func(_ *Context, _ []*chunk.Vector, n int) (*chunk.Vector, error) {
					return sfIntVec(result, make([]int64, n), nil), nil
				}, nil
			}
			pattern, err := sfRegexArg("REGEXP", consts, 1)
			if err != nil {
				return nil, err
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				s, ps := args[0].Str, args[1].Str
				for i := 0; i < n; i++ {
					if ps[i] == "" || sfAnyNullAt(args, i) {
						continue
					}
					if r := pattern(args, i); r != nil && r.mayMatch(s[i]) && r.re.MatchString(s[i]) {
						out[i] = 1
					}
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})
}
