package expr

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

func checkLike(op string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(in []types.Type) ([]types.Type, types.Type, error) {
		maxArgs := 3
		if op == "SIMILAR TO" {
			maxArgs = 2
		}
		if len(in) < 2 || len(in) > maxArgs {
			return nil, types.Type{}, fmt.Errorf("%s expects (STRING, STRING%s), got %s", op,
				map[bool]string{true: "[, STRING]", false: ""}[maxArgs == 3], argTypeList(in))
		}
		params := make([]types.Type, len(in))
		for i, t := range in {
			switch {
			case t.IsString():
				params[i] = t
			case t.Kind == types.Unknown:
				params[i] = types.StringType
			default:
				return nil, types.Type{}, fmt.Errorf("%s expects string operands, got %s", op, argTypeList(in))
			}
		}
		return params, types.BooleanType.WithNotNull(allNotNull(in)), nil
	}
}

// likeKind selects a LIKE fast path.
type likeKind uint8

const (
	likeGeneral likeKind = iota
	likeExact
	likePrefix
	likeSuffix
	likeContains
	likeAll
)

type likeTok struct {
	r    rune
	kind uint8 // 0 literal, 1 '_', 2 '%'
}

type likePattern struct {
	kind likeKind
	lit  string
	toks []likeTok
}

// compileLike parses a LIKE pattern with an optional escape character (escape < 0: none).
func compileLike(pattern string, escape rune) (*likePattern, error) {
	var toks []likeTok
	for i := 0; i < len(pattern); {
		r, sz := utf8.DecodeRuneInString(pattern[i:])
		i += sz
		switch {
		case escape >= 0 && r == escape:
			if i >= len(pattern) {
				return nil, fmt.Errorf("invalid LIKE pattern '%s': escape character at the end", pattern)
			}
			n, sz2 := utf8.DecodeRuneInString(pattern[i:])
			if n != '%' && n != '_' && n != escape {
				return nil, fmt.Errorf("invalid LIKE pattern '%s': invalid escape sequence", pattern)
			}
			i += sz2
			toks = append(toks, likeTok{r: n})
		case r == '%':
			if len(toks) == 0 || toks[len(toks)-1].kind != 2 {
				toks = append(toks, likeTok{kind: 2})
			}
		case r == '_':
			toks = append(toks, likeTok{kind: 1})
		default:
			toks = append(toks, likeTok{r: r})
		}
	}
	p := &likePattern{toks: toks}
	// Fast paths: literal runs with % only at the ends.
	var b strings.Builder
	lead, trail, inner := false, false, false
	for i, t := range toks {
		switch t.kind {
		case 1:
			inner = true
		case 2:
			if i == 0 {
				lead = true
			} else if i == len(toks)-1 {
				trail = true
			} else {
				inner = true
			}
		default:
			b.WriteRune(t.r)
		}
	}
	if !inner {
		p.lit = b.String()
		switch {
		case len(toks) == 1 && lead:
			p.kind = likeAll
		case lead && trail:
			p.kind = likeContains
		case lead:
			p.kind = likeSuffix
		case trail:
			p.kind = likePrefix
		default:
			p.kind = likeExact
		}
	}
	return p, nil
}

func (p *likePattern) match(s string) bool {
	switch p.kind {
	case likeExact:
		return s == p.lit
	case likePrefix:
		return strings.HasPrefix(s, p.lit)
	case likeSuffix:
		return strings.HasSuffix(s, p.lit)
	case likeContains:
		return strings.Contains(s, p.lit)
	case likeAll:
		return true
	}
	toks := p.toks
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		r, sz := utf8.DecodeRuneInString(s[si:])
		if pi < len(toks) && (toks[pi].kind == 1 || (toks[pi].kind == 0 && toks[pi].r == r)) {
			si += sz
			pi++
			continue
		}
		if pi < len(toks) && toks[pi].kind == 2 {
			starP, starS = pi, si
			pi++
			continue
		}
		if starP >= 0 {
			_, sz := utf8.DecodeRuneInString(s[starS:])
			starS += sz
			si, pi = starS, starP+1
			continue
		}
		return false
	}
	for pi < len(toks) && toks[pi].kind == 2 {
		pi++
	}
	return pi == len(toks)
}

func escapeRune(esc string) (rune, error) {
	if utf8.RuneCountInString(esc) != 1 {
		return 0, fmt.Errorf("invalid escape character '%s': must be a single character", esc)
	}
	r, _ := utf8.DecodeRuneInString(esc)
	return r, nil
}

// makeLike builds LIKE / NOT LIKE. LIKE has no default escape character (SQL standard); give
// one with ESCAPE. A constant pattern is compiled once.
func makeLike(negate bool, consts []*chunk.Datum) (Kernel, error) {
	var fixed *likePattern
	esc := rune(-1)
	constEsc := len(consts) < 3 || consts[2] != nil
	if len(consts) == 3 && consts[2] != nil && !consts[2].Null {
		r, err := escapeRune(consts[2].S)
		if err != nil {
			return nil, err
		}
		esc = r
	}
	if c := consts[1]; c != nil && !c.Null && constEsc {
		p, err := compileLike(c.S, esc)
		if err != nil {
			return nil, err
		}
		fixed = p
	}
	var lastPat string
	var lastEsc rune
	var last *likePattern
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.BooleanType, n)
		x := args[0].Str[:n]
		if fixed != nil {
			for i, s := range x {
				out.I64[i] = b2i(fixed.match(s) != negate)
			}
			return out, nil
		}
		for i, s := range x {
			if args[1].IsNull(i) || (len(args) == 3 && args[2].IsNull(i)) || args[0].IsNull(i) {
				continue
			}
			e := rune(-1)
			if len(args) == 3 {
				r, err := escapeRune(args[2].Str[i])
				if err != nil {
					return nil, err
				}
				e = r
			}
			pat := args[1].Str[i]
			if last == nil || pat != lastPat || e != lastEsc {
				p, err := compileLike(pat, e)
				if err != nil {
					return nil, err
				}
				last, lastPat, lastEsc = p, pat, e
			}
			out.I64[i] = b2i(last.match(s) != negate)
		}
		return out, nil
	}, nil
}

// similarToRegexp translates a SQL SIMILAR TO pattern to an anchored Go regular expression.
func similarToRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^(?s:")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		case '.', '^', '$', '\\':
			b.WriteString(regexp.QuoteMeta(string(r)))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(")$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("invalid SIMILAR TO pattern '%s'", pattern)
	}
	return re, nil
}

func makeSimilar(_ []types.Type, _ types.Type, consts []*chunk.Datum) (Kernel, error) {
	var fixed *regexp.Regexp
	if c := consts[1]; c != nil && !c.Null {
		re, err := similarToRegexp(c.S)
		if err != nil {
			return nil, err
		}
		fixed = re
	}
	var lastPat string
	var last *regexp.Regexp
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.BooleanType, n)
		for i, s := range args[0].Str[:n] {
			re := fixed
			if re == nil {
				if args[0].IsNull(i) || args[1].IsNull(i) {
					continue
				}
				pat := args[1].Str[i]
				if last == nil || pat != lastPat {
					r, err := similarToRegexp(pat)
					if err != nil {
						return nil, err
					}
					last, lastPat = r, pat
				}
				re = last
			}
			out.I64[i] = b2i(re.MatchString(s))
		}
		return out, nil
	}, nil
}

func checkIn(op string) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(in []types.Type) ([]types.Type, types.Type, error) {
		if len(in) < 2 {
			return nil, types.Type{}, fmt.Errorf("%s expects a value and at least one list item", op)
		}
		t := in[0].Nullable()
		for _, it := range in[1:] {
			if r, ok := common2(t, it); ok {
				t = r
				continue
			}
			if isDateTime(t) && it.IsString() {
				continue
			}
			if _, _, err := ComparableTypes(t, it); err == nil && t.IsNumeric() {
				continue
			}
			return nil, types.Type{}, fmt.Errorf("%s: cannot compare %s with list item of type %s", op, in[0].Nullable(), it.Nullable())
		}
		if t.Kind == types.Unknown {
			t = types.BooleanType
		}
		params := make([]types.Type, len(in))
		for i := range params {
			params[i] = t
		}
		return params, types.BooleanType.WithNotNull(allNotNull(in)), nil
	}
}

// inKey normalizes a value for set membership: CHAR values drop trailing spaces.
func inKeyString(s string, char bool) string {
	if char {
		return strings.TrimRight(s, " ")
	}
	return s
}

// makeIn implements SQL three-valued IN / NOT IN: NULL value gives NULL; a match gives TRUE
// (NOT IN: FALSE); no match gives NULL if any list item is NULL, else FALSE (NOT IN: TRUE).
func makeIn(negate bool, p []types.Type, consts []*chunk.Datum) Kernel {
	t := p[0]
	char := t.Kind == types.Char
	allConst := true
	for _, c := range consts[1:] {
		if c == nil {
			allConst = false
		}
	}
	// Set path for constant lists.
	var ints map[int64]struct{}
	var floats map[float64]struct{}
	var decs map[types.Decimal128]struct{}
	var strs map[string]struct{}
	listNull := false
	if allConst {
		switch t.Kind.Physical() {
		case types.PhysInt64:
			ints = map[int64]struct{}{}
		case types.PhysFloat64:
			floats = map[float64]struct{}{}
		case types.PhysDecimal:
			decs = map[types.Decimal128]struct{}{}
		case types.PhysString:
			strs = map[string]struct{}{}
		default:
			allConst = false
		}
		for _, c := range consts[1:] {
			if c == nil {
				continue
			}
			switch {
			case c.Null:
				listNull = true
			case ints != nil:
				ints[c.I] = struct{}{}
			case floats != nil:
				if !math.IsNaN(c.F) {
					floats[c.F] = struct{}{}
				}
			case decs != nil:
				decs[c.D] = struct{}{}
			case strs != nil:
				strs[inKeyString(c.S, char)] = struct{}{}
			}
		}
	}
	cmp := comparator(t, t)
	return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
		out := newVec(types.BooleanType, n)
		x := args[0]
		for i := 0; i < n; i++ {
			if x.IsNull(i) {
				setNull(out, i, n)
				continue
			}
			found, sawNull := false, listNull
			if allConst {
				switch {
				case ints != nil:
					_, found = ints[x.I64[i]]
				case floats != nil:
					_, found = floats[x.F64[i]]
				case decs != nil:
					_, found = decs[x.Dec[i]]
				default:
					_, found = strs[inKeyString(x.Str[i], char)]
				}
			} else {
				for _, it := range args[1:] {
					if it.IsNull(i) {
						sawNull = true
						continue
					}
					if cmp(x, i, it, i) == 0 {
						found = true
						break
					}
				}
			}
			switch {
			case found:
				out.I64[i] = b2i(!negate)
			case sawNull:
				setNull(out, i, n)
			default:
				out.I64[i] = b2i(negate)
			}
		}
		return out, nil
	}
}
