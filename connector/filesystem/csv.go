package filesystem

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// csvOptions are the csv.* options.
type csvOptions struct {
	delim         byte
	quote         byte // 0: quoting disabled
	nullLiteral   string
	hasNull       bool
	allowComments bool
	// blankIsRecord: an empty line is a record of one empty field (a NULL in a one-column
	// table) instead of being skipped.
	blankIsRecord bool
}

// csvReader reads RFC 4180 records: fields separated by delim, optionally enclosed in quote
// characters (a doubled quote inside stands for one), quoted fields may span lines.
type csvReader struct {
	r      *bufio.Reader
	o      csvOptions
	line   int   // line number of the last line read
	off    int64 // bytes read (the offset of the next line)
	fields []string
	quoted []bool
	field  []byte
}

// errRecord is a malformed record; the caller adds the position.
type errRecord struct{ msg string }

func (e *errRecord) Error() string { return e.msg }

func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		buf := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = c.r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	if len(line) == 0 && err != nil {
		return nil, err
	}
	c.line++
	c.off += int64(len(line))
	return line, nil
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// next reads one record; it returns io.EOF at the end. The first line of the record is
// c.line - (lines spanned - 1); startLine reports it.
func (c *csvReader) next() (startLine int, err error) {
	var line []byte
	for {
		raw, err := c.readLine()
		if err != nil {
			return 0, err
		}
		line = trimEOL(raw)
		if (len(line) == 0 && !c.o.blankIsRecord) || (len(line) > 0 && c.o.allowComments && line[0] == '#') {
			continue
		}
		break
	}
	startLine = c.line
	c.fields, c.quoted = c.fields[:0], c.quoted[:0]
	i := 0
	for {
		c.field = c.field[:0]
		quoted := c.o.quote != 0 && i < len(line) && line[i] == c.o.quote
		if !quoted {
			j := bytes.IndexByte(line[i:], c.o.delim)
			if j < 0 {
				c.fields = append(c.fields, string(line[i:]))
				c.quoted = append(c.quoted, false)
				return startLine, nil
			}
			c.fields = append(c.fields, string(line[i:i+j]))
			c.quoted = append(c.quoted, false)
			i += j + 1
			continue
		}
		i++ // opening quote
		for {
			j := bytes.IndexByte(line[i:], c.o.quote)
			if j < 0 {
				// The field goes on on the next line.
				c.field = append(c.field, line[i:]...)
				c.field = append(c.field, '\n')
				raw, err := c.readLine()
				if err != nil {
					if err == io.EOF {
						return startLine, &errRecord{msg: "quoted field is not closed before the end of the file"}
					}
					return startLine, err
				}
				line, i = trimEOL(raw), 0
				continue
			}
			c.field = append(c.field, line[i:i+j]...)
			i += j + 1
			if i < len(line) && line[i] == c.o.quote {
				c.field = append(c.field, c.o.quote)
				i++
				continue
			}
			break
		}
		c.fields = append(c.fields, string(c.field))
		c.quoted = append(c.quoted, true)
		if i == len(line) {
			return startLine, nil
		}
		if line[i] != c.o.delim {
			return startLine, &errRecord{msg: fmt.Sprintf("unexpected %q after a closing quote", line[i])}
		}
		i++
	}
}

// decode converts the current record's fields at the projected positions.
func (c *csvReader) decode(positions []int, ts []types.Type, ncols int, row []chunk.Datum) error {
	if len(c.fields) != ncols {
		return fmt.Errorf("expected %d fields, got %d", ncols, len(c.fields))
	}
	for k, p := range positions {
		s := c.fields[p]
		t := ts[k]
		switch {
		case c.o.hasNull && s == c.o.nullLiteral:
			row[k] = chunk.NullDatum
			continue
		case s == "" && (!c.quoted[p] || !(t.IsString() || t.Kind == types.Bytes)):
			row[k] = chunk.NullDatum
			continue
		}
		v, err := parseText(t, s)
		if err != nil {
			return fmt.Errorf("column %d: %v", p+1, err)
		}
		row[k] = v
	}
	return nil
}

// csvEncoder writes rows as CSV records.
type csvEncoder struct {
	o     csvOptions
	types []types.Type
	tmp   []byte
}

func (e *csvEncoder) needsQuote(s []byte) bool {
	if len(s) == 0 {
		return true
	}
	if e.o.hasNull && string(s) == e.o.nullLiteral {
		return true
	}
	if e.o.allowComments && s[0] == '#' {
		return true
	}
	for _, ch := range s {
		if ch == e.o.delim || ch == '\n' || ch == '\r' || (e.o.quote != 0 && ch == e.o.quote) {
			return true
		}
	}
	return false
}

func (e *csvEncoder) appendRow(b []byte, c *chunk.Chunk, row int) ([]byte, error) {
	for j, v := range c.Cols {
		if j > 0 {
			b = append(b, e.o.delim)
		}
		if v.IsNull(row) {
			if e.o.hasNull {
				b = append(b, e.o.nullLiteral...)
			}
			continue
		}
		e.tmp = appendText(e.tmp[:0], e.types[j], v.Get(row), false)
		if !e.needsQuote(e.tmp) {
			b = append(b, e.tmp...)
			continue
		}
		if e.o.quote == 0 {
			return b, fmt.Errorf("value %q of column %d needs quoting, but 'csv.disable-quote-character' is set", e.tmp, j+1)
		}
		b = append(b, e.o.quote)
		for _, ch := range e.tmp {
			if ch == e.o.quote {
				b = append(b, ch)
			}
			b = append(b, ch)
		}
		b = append(b, e.o.quote)
	}
	return append(b, '\n'), nil
}
