package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/floedb/floe/sql/ast"
)

type tokKind uint8

const (
	tEOF       tokKind = iota
	tIdent             // unquoted word (identifier or keyword); Val is the text as written
	tQIdent            // `quoted identifier`; Val is the unquoted name
	tString            // 'string'; Val is the unescaped value
	tBinString         // X'hex'; Val is the hex digits
	tInteger           // 42
	tDecimal           // 1.5, .5, 1.
	tApprox            // 1e10, 1.5E-3
	tOp                // punctuation and operators; Val is the operator
	tHintStart         // /*+
	tHintEnd           // */ closing a hint
)

type token struct {
	kind tokKind
	val  string
	pos  ast.Pos
	end  int // byte offset just after the token
}

type lexer struct {
	src     string
	off     int
	line    int
	col     int
	inHint  bool
	hintPos ast.Pos
	err     *Error
	toks    []token
}

// lex splits src into tokens, skipping white space and comments.
func lex(src string) ([]token, error) {
	lx := &lexer{src: src, line: 1, col: 1}
	for {
		lx.skipSpace()
		if lx.err != nil {
			return nil, lx.err
		}
		if lx.off >= len(src) {
			break
		}
		if err := lx.next(); err != nil {
			return nil, err
		}
	}
	if lx.inHint {
		return nil, lx.errAt(lx.hintPos, "unterminated hint: missing */")
	}
	// The EOF token sits right after the last token, so that errors point at the end of the
	// statement rather than at trailing blank lines.
	eof := token{kind: tEOF, pos: ast.Pos{Line: 1, Col: 1}}
	if n := len(lx.toks); n > 0 {
		eof.pos = posAfter(src, lx.toks[n-1])
		eof.end = lx.toks[n-1].end
	}
	lx.toks = append(lx.toks, eof)
	return lx.toks, nil
}

// posAfter computes the position just after token t.
func posAfter(src string, t token) ast.Pos {
	p := t.pos
	for _, r := range src[p.Offset:t.end] {
		if r == '\n' {
			p.Line++
			p.Col = 1
		} else {
			p.Col++
		}
	}
	p.Offset = t.end
	return p
}

func (lx *lexer) pos() ast.Pos { return ast.Pos{Line: lx.line, Col: lx.col, Offset: lx.off} }

// advance moves n bytes forward, keeping line and column up to date.
func (lx *lexer) advance(n int) {
	end := lx.off + n
	if end > len(lx.src) {
		end = len(lx.src)
	}
	for lx.off < end {
		c := lx.src[lx.off]
		if c == '\n' {
			lx.line++
			lx.col = 1
		} else if c&0xC0 != 0x80 {
			lx.col++
		}
		lx.off++
	}
}

func (lx *lexer) peekByte(k int) byte {
	if lx.off+k < len(lx.src) {
		return lx.src[lx.off+k]
	}
	return 0
}

func (lx *lexer) errAt(p ast.Pos, msg string) *Error {
	return newError(lx.src, p, msg)
}

func (lx *lexer) skipSpace() {
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.advance(1)
		case c == '-' && lx.peekByte(1) == '-':
			i := strings.IndexByte(lx.src[lx.off:], '\n')
			if i < 0 {
				i = len(lx.src) - lx.off
			}
			lx.advance(i)
		case c == '/' && lx.peekByte(1) == '*' && lx.peekByte(2) != '+':
			start := lx.pos()
			i := strings.Index(lx.src[lx.off+2:], "*/")
			if i < 0 {
				lx.err = lx.errAt(start, "unterminated comment: missing */")
				return
			}
			lx.advance(i + 4)
		default:
			return
		}
	}
}

func (lx *lexer) emit(kind tokKind, val string, start ast.Pos) {
	lx.toks = append(lx.toks, token{kind: kind, val: val, pos: start, end: lx.off})
}

func isIdentStart(r rune) bool {
	return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && unicode.IsLetter(r))
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || (r >= '0' && r <= '9') || r == '$' || (r >= 0x80 && unicode.IsDigit(r))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

var ops2 = []string{"<>", "!=", "<=", ">=", "||", "=>"}

const ops1 = "()[],;.*+-/%=<>?:{}"

func (lx *lexer) next() error {
	start := lx.pos()
	c := lx.src[lx.off]
	switch {
	case c == '/' && lx.peekByte(1) == '*' && lx.peekByte(2) == '+':
		if lx.inHint {
			return lx.errAt(start, "nested hint")
		}
		lx.inHint = true
		lx.hintPos = start
		lx.advance(3)
		lx.emit(tHintStart, "/*+", start)
		return nil
	case lx.inHint && c == '*' && lx.peekByte(1) == '/':
		lx.inHint = false
		lx.advance(2)
		lx.emit(tHintEnd, "*/", start)
		return nil
	case (c == 'x' || c == 'X') && lx.peekByte(1) == '\'':
		lx.advance(1)
		s, err := lx.quoted('\'', start, "unterminated binary string literal")
		if err != nil {
			return err
		}
		for i := 0; i < len(s); i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
				return lx.errAt(start, "invalid hexadecimal digit in binary string literal")
			}
		}
		if len(s)%2 != 0 {
			return lx.errAt(start, "binary string literal must have an even number of hexadecimal digits")
		}
		lx.emit(tBinString, s, start)
		return nil
	case c == '\'':
		s, err := lx.quoted('\'', start, "unterminated string literal")
		if err != nil {
			return err
		}
		lx.emit(tString, s, start)
		return nil
	case c == '`':
		s, err := lx.quoted('`', start, "unterminated quoted identifier")
		if err != nil {
			return err
		}
		if s == "" {
			return lx.errAt(start, "zero-length quoted identifier")
		}
		lx.emit(tQIdent, s, start)
		return nil
	case c == '"':
		return lx.errAt(start, `unexpected character '"' (quote identifiers with backticks and strings with single quotes)`)
	case isDigit(c) || (c == '.' && isDigit(lx.peekByte(1))):
		return lx.number(start)
	}
	r, size := utf8.DecodeRuneInString(lx.src[lx.off:])
	if isIdentStart(r) {
		end := lx.off + size
		for end < len(lx.src) {
			r2, s2 := utf8.DecodeRuneInString(lx.src[end:])
			if !isIdentPart(r2) {
				break
			}
			end += s2
		}
		val := lx.src[lx.off:end]
		lx.advance(end - lx.off)
		lx.emit(tIdent, val, start)
		return nil
	}
	for _, op := range ops2 {
		if strings.HasPrefix(lx.src[lx.off:], op) {
			lx.advance(2)
			lx.emit(tOp, op, start)
			return nil
		}
	}
	if strings.IndexByte(ops1, c) >= 0 {
		lx.advance(1)
		lx.emit(tOp, string(c), start)
		return nil
	}
	if r == utf8.RuneError && size <= 1 {
		return lx.errAt(start, "invalid UTF-8 in input")
	}
	return lx.errAt(start, "unexpected character '"+string(r)+"'")
}

// quoted reads a literal delimited by q (the current byte), where a doubled q escapes it.
func (lx *lexer) quoted(q byte, start ast.Pos, unterminated string) (string, error) {
	i := lx.off + 1
	var b strings.Builder
	for {
		j := strings.IndexByte(lx.src[i:], q)
		if j < 0 {
			return "", lx.errAt(start, unterminated)
		}
		b.WriteString(lx.src[i : i+j])
		i += j + 1
		if i < len(lx.src) && lx.src[i] == q {
			b.WriteByte(q)
			i++
			continue
		}
		break
	}
	lx.advance(i - lx.off)
	return b.String(), nil
}

func (lx *lexer) number(start ast.Pos) error {
	s := lx.src
	i := lx.off
	kind := tInteger
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		kind = tDecimal
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			kind = tApprox
			i = j
		}
	}
	val := s[lx.off:i]
	if r, _ := utf8.DecodeRuneInString(s[i:]); i < len(s) && isIdentPart(r) {
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isIdentPart(r) {
				break
			}
			j += size
		}
		return lx.errAt(start, "invalid number '"+s[lx.off:j]+"'")
	}
	lx.advance(i - lx.off)
	lx.emit(kind, val, start)
	return nil
}
