package expr

// JSON_VALUE, JSON_EXISTS and PARSE_URL.
//
// JSON paths support the subset Flink users write in practice: an optional "lax"/"strict"
// mode, the root "$", members ".name", "['name']" or "[\"name\"]", and array elements "[n]".
// JSON_VALUE returns a scalar as text (strings unquoted, numbers as written, true/false) and
// NULL for a missing item, an object, an array, a JSON null or invalid JSON (Flink's default
// NULL ON EMPTY / NULL ON ERROR). JSON_EXISTS is FALSE for invalid JSON (FALSE ON ERROR).

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// jfStep is one step of a JSON path.
type jfStep struct {
	key     string
	index   int
	isIndex bool
}

// jfParsePath parses a JSON path.
func jfParsePath(p string) ([]jfStep, error) {
	s := strings.TrimSpace(p)
	for _, mode := range []string{"lax", "strict"} {
		if len(s) > len(mode) && strings.EqualFold(s[:len(mode)], mode) && (s[len(mode)] == ' ' || s[len(mode)] == '\t') {
			s = strings.TrimSpace(s[len(mode):])
			break
		}
	}
	if s == "" || s[0] != '$' {
		return nil, fmt.Errorf("JSON path %q must start with $", p)
	}
	var steps []jfStep
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			j := i + 1
			if j < len(s) && s[j] == '"' {
				end := strings.IndexByte(s[j+1:], '"')
				if end < 0 {
					return nil, fmt.Errorf("JSON path %q: unterminated quoted member name", p)
				}
				steps = append(steps, jfStep{key: s[j+1 : j+1+end]})
				i = j + 2 + end
				continue
			}
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			name := s[i+1 : j]
			if name == "" {
				return nil, fmt.Errorf("JSON path %q: empty member name at offset %d", p, i)
			}
			if name == "*" {
				return nil, fmt.Errorf("JSON path %q: wildcards are not supported", p)
			}
			steps = append(steps, jfStep{key: name})
			i = j
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("JSON path %q: unterminated [", p)
			}
			inner := strings.TrimSpace(s[i+1 : i+end])
			switch {
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				steps = append(steps, jfStep{key: inner[1 : len(inner)-1]})
			case inner == "*":
				return nil, fmt.Errorf("JSON path %q: wildcards are not supported", p)
			default:
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("JSON path %q: invalid array index %q", p, inner)
				}
				steps = append(steps, jfStep{index: n, isIndex: true})
			}
			i += end + 1
		default:
			return nil, fmt.Errorf("JSON path %q: unexpected %q at offset %d", p, s[i], i)
		}
	}
	return steps, nil
}

// jfLookup parses doc and follows the path. found is false when the item is missing; valid is
// false for invalid JSON.
func jfLookup(doc string, steps []jfStep) (v any, found, valid bool) {
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, false, false
	}
	if strings.Trim(doc[d.InputOffset():], " \t\r\n") != "" {
		return nil, false, false // trailing data
	}
	for _, st := range steps {
		if st.isIndex {
			a, ok := v.([]any)
			if !ok || st.index >= len(a) {
				return nil, false, true
			}
			v = a[st.index]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false, true
		}
		if v, ok = m[st.key]; !ok {
			return nil, false, true
		}
	}
	return v, true, true
}

// jfScalarText renders a JSON scalar; ok is false for null, objects and arrays.
func jfScalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// jfPathArg returns the parsed path of row i (nil with ok false when invalid).
func jfPathArg(fn string, consts []*chunk.Datum, i int) (func(args []*chunk.Vector, row int) ([]jfStep, bool), error) {
	if p, ok := sfConstStr(consts, i); ok {
		steps, err := jfParsePath(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		return func([]*chunk.Vector, int) ([]jfStep, bool) { return steps, true }, nil
	}
	cache := map[string][]jfStep{}
	return func(args []*chunk.Vector, row int) ([]jfStep, bool) {
		p := args[i].Str[row]
		if steps, ok := cache[p]; ok {
			return steps, steps != nil
		}
		if len(cache) >= 64 {
			clear(cache)
		}
		steps, err := jfParsePath(p)
		if err != nil {
			steps = nil
		} else if steps == nil {
			steps = []jfStep{}
		}
		cache[p] = steps
		return steps, steps != nil
	}, nil
}

// jfURL holds the parts of a URL as java.net.URL reports them (raw, not percent-decoded).
type jfURL struct {
	protocol, host, path, query, ref, authority, userInfo string
	hasQuery, hasRef, hasAuthority, hasUserInfo           bool
}

// jfProtocols are the schemes java.net.URL has handlers for; others are malformed.
var jfProtocols = map[string]bool{"http": true, "https": true, "ftp": true, "file": true, "jar": true, "mailto": true}

// jfParseURL splits a URL like java.net.URL; ok is false where Java throws
// MalformedURLException.
func jfParseURL(s string) (u jfURL, ok bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return u, false
	}
	for k := 0; k < colon; k++ {
		c := s[k]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (k == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return u, false
		}
	}
	u.protocol = strings.ToLower(s[:colon])
	if !jfProtocols[u.protocol] {
		return u, false
	}
	rest := s[colon+1:]
	if k := strings.IndexByte(rest, '#'); k >= 0 {
		u.ref, u.hasRef = rest[k+1:], true
		rest = rest[:k]
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		end := strings.IndexAny(rest, "/?")
		if end < 0 {
			end = len(rest)
		}
		u.authority, u.hasAuthority = rest[:end], true
		rest = rest[end:]
		host := u.authority
		if at := strings.IndexByte(host, '@'); at >= 0 {
			if at != strings.LastIndexByte(host, '@') {
				return u, false
			}
			u.userInfo, u.hasUserInfo = host[:at], true
			host = host[at+1:]
		}
		portAt := strings.LastIndexByte(host, ':')
		if strings.HasPrefix(host, "[") {
			close := strings.IndexByte(host, ']')
			if close < 0 {
				return u, false
			}
			if portAt < close {
				portAt = -1
			}
		}
		if portAt >= 0 {
			port := host[portAt+1:]
			for k := 0; k < len(port); k++ {
				if port[k] < '0' || port[k] > '9' {
					return u, false
				}
			}
			host = host[:portAt]
		}
		u.host = host
	}
	if k := strings.IndexByte(rest, '?'); k >= 0 {
		u.query, u.hasQuery = rest[k+1:], true
		rest = rest[:k]
	}
	u.path = rest
	return u, true
}

// part returns a URL part by Flink's name (case-sensitive, as Flink); ok false means NULL.
func (u *jfURL) part(name string) (string, bool) {
	switch name {
	case "HOST":
		return u.host, true
	case "PATH":
		return u.path, true
	case "QUERY":
		return u.query, u.hasQuery
	case "REF":
		return u.ref, u.hasRef
	case "PROTOCOL":
		return u.protocol, true
	case "FILE":
		if u.hasQuery {
			return u.path + "?" + u.query, true
		}
		return u.path, true
	case "AUTHORITY":
		return u.authority, u.hasAuthority
	case "USERINFO":
		return u.userInfo, u.hasUserInfo
	}
	return "", false
}

// jfQueryParam returns the value of the first key=value pair of a query (Flink matches
// "(&|^)key=([^&]*)").
func jfQueryParam(query, key string) (string, bool) {
	for query != "" {
		pair := query
		if k := strings.IndexByte(query, '&'); k >= 0 {
			pair, query = query[:k], query[k+1:]
		} else {
			query = ""
		}
		if len(pair) > len(key) && pair[len(key)] == '=' && strings.HasPrefix(pair, key) {
			return pair[len(key)+1:], true
		}
	}
	return "", false
}

var jfParts = map[string]bool{"HOST": true, "PATH": true, "QUERY": true, "REF": true, "PROTOCOL": true,
	"FILE": true, "AUTHORITY": true, "USERINFO": true}

func init() {
	register(&Function{
		Name:          "JSON_VALUE",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("JSON_VALUE expects (STRING, STRING)", types.StringType, 2, false, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			path, err := jfPathArg("JSON_VALUE", consts, 1)
			if err != nil {
				return nil, err
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					text, ok := "", false
					if steps, valid := path(args, i); valid {
						if v, found, _ := jfLookup(args[0].Str[i], steps); found {
							text, ok = jfScalarText(v)
						}
					}
					if !ok {
						nulls = sfSetNull(nulls, n, i)
						continue
					}
					out[i] = text
				}
				return sfStrVec(result, out, nulls), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "JSON_EXISTS",
		Deterministic: true,
		Check:         sfSimple("JSON_EXISTS expects (STRING, STRING)", types.BooleanType, 2, false, sfStr, sfStr),
		Make: func(_ []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			path, err := jfPathArg("JSON_EXISTS", consts, 1)
			if err != nil {
				return nil, err
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				out := make([]int64, n)
				for i := 0; i < n; i++ {
					if sfAnyNullAt(args, i) {
						continue
					}
					if steps, valid := path(args, i); valid {
						if _, found, _ := jfLookup(args[0].Str[i], steps); found {
							out[i] = 1
						}
					}
				}
				return sfIntVec(result, out, nil), nil
			}, nil
		},
	})

	register(&Function{
		Name:          "PARSE_URL",
		Deterministic: true,
		NullSafe:      true,
		Check:         sfNullable("PARSE_URL expects (STRING, STRING[, STRING])", types.StringType, 2, false, sfStr, sfStr, sfStr),
		Make: func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error) {
			if part, ok := sfConstStr(consts, 1); ok && !jfParts[part] {
				return nil, fmt.Errorf("PARSE_URL: unknown part %q (want HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY or USERINFO)", part)
			}
			withKey := len(params) == 3
			// Consecutive rows often repeat a URL; remember the last parse.
			var lastURL string
			var last jfURL
			lastOK, have := false, false
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				nulls := sfNullMask(args, n)
				out := make([]string, n)
				for i := 0; i < n; i++ {
					if nulls != nil && nulls[i] {
						continue
					}
					s := args[0].Str[i]
					if !have || s != lastURL {
						last, lastOK = jfParseURL(s)
						lastURL, have = s, true
					}
					v, ok := "", false
					part := args[1].Str[i]
					if lastOK {
						if withKey {
							if part == "QUERY" && last.hasQuery {
								v, ok = jfQueryParam(last.query, args[2].Str[i])
							}
						} else {
							v, ok = last.part(part)
						}
					}
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
}
