package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/floedb/floe/sql/ast"
)

// Error is a user-facing planning error at a position of the SQL source.
type Error struct {
	Pos ast.Pos
	Msg string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

func errorf(pos ast.Pos, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// atPos attaches pos to err unless it already carries a position.
func atPos(pos ast.Pos, err error) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	return &Error{Pos: pos, Msg: err.Error()}
}

// Render formats a planning error with the offending source line and a caret under the
// column, like the parser's errors. Errors without a position render as their message.
func Render(src string, err error) string {
	var pe *Error
	if !errors.As(err, &pe) || pe.Pos.Line == 0 {
		return err.Error()
	}
	lines := strings.Split(src, "\n")
	if pe.Pos.Line > len(lines) {
		return pe.Error()
	}
	line := strings.TrimRight(lines[pe.Pos.Line-1], "\r")
	caret := strings.Repeat(" ", max(pe.Pos.Col-1, 0)) + "^"
	return fmt.Sprintf("%s\n  %s\n  %s", pe.Error(), line, caret)
}
