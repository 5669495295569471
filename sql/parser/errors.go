package parser

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/sql/ast"
)

// Error is a syntax error. Error() renders the message with its position, the offending source
// line and a caret under the column:
//
//	line 3:14: expected ')' but found 'FROM'
//	  SELECT a, b FROM t WHERE (x = 1 FROM y
//	                                  ^
type Error struct {
	Pos ast.Pos
	Msg string
	// SourceLine is the text of the source line Pos is on (without the newline).
	SourceLine string
}

func newError(src string, p ast.Pos, msg string) *Error {
	e := &Error{Pos: p, Msg: msg}
	if p.Offset >= 0 && p.Offset <= len(src) {
		start := strings.LastIndexByte(src[:p.Offset], '\n') + 1
		end := strings.IndexByte(src[p.Offset:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += p.Offset
		}
		e.SourceLine = strings.TrimRight(src[start:end], "\r")
	}
	return e
}

// Error renders the error with the source line and a caret.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	if e.Pos.Line > 0 {
		b.WriteString("\n  ")
		b.WriteString(e.SourceLine)
		b.WriteString("\n  ")
		n := 0
		for _, r := range e.SourceLine {
			if n >= e.Pos.Col-1 {
				break
			}
			if r == '\t' {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
			n++
		}
		for ; n < e.Pos.Col-1; n++ {
			b.WriteByte(' ')
		}
		b.WriteByte('^')
	}
	return b.String()
}
