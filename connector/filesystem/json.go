package filesystem

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector/internal/textval"
	"github.com/floedb/floe/types"
)

// jsonDecoder turns one line holding a JSON object into the projected columns' datums.
type jsonDecoder struct {
	names         []string
	types         []types.Type
	failOnMissing bool
	obj           map[string]json.RawMessage
}

func (d *jsonDecoder) decode(line []byte, row []chunk.Datum) error {
	clear(d.obj)
	if d.obj == nil {
		d.obj = map[string]json.RawMessage{}
	}
	if err := json.Unmarshal(line, &d.obj); err != nil {
		if _, ok := err.(*json.UnmarshalTypeError); ok {
			return fmt.Errorf("expected a JSON object")
		}
		return fmt.Errorf("invalid JSON: %v", err)
	}
	for i, name := range d.names {
		raw, ok := d.obj[name]
		if !ok {
			if d.failOnMissing {
				return fmt.Errorf("field '%s' is missing", name)
			}
			row[i] = chunk.NullDatum
			continue
		}
		v, err := jsonValue(d.types[i], raw)
		if err != nil {
			return fmt.Errorf("field '%s': %v", name, err)
		}
		row[i] = v
	}
	return nil
}

// jsonValue converts one JSON value to a datum of type t.
func jsonValue(t types.Type, raw json.RawMessage) (chunk.Datum, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return chunk.NullDatum, nil
	}
	switch raw[0] {
	case '"':
		s, err := unquote(raw)
		if err != nil {
			return chunk.Datum{}, err
		}
		return parseText(t, s)
	case 't', 'f':
		if t.Kind == types.Boolean {
			return chunk.Bool(raw[0] == 't'), nil
		}
		if t.IsString() {
			return chunk.Str(string(raw)), nil
		}
		return chunk.Datum{}, fmt.Errorf("expected %s, got %s", t, raw)
	case '{':
		if t.Kind == types.Map {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				return chunk.Datum{}, err
			}
			out := make(map[string]string, len(m))
			for k, v := range m {
				v = bytes.TrimSpace(v)
				switch {
				case string(v) == "null":
				case len(v) > 0 && v[0] == '"':
					s, err := unquote(v)
					if err != nil {
						return chunk.Datum{}, err
					}
					out[k] = s
				default:
					out[k] = string(v)
				}
			}
			return chunk.Datum{M: out}, nil
		}
		fallthrough
	case '[':
		if t.IsString() {
			return chunk.Str(string(raw)), nil
		}
		return chunk.Datum{}, fmt.Errorf("expected %s, got %s", t, abbreviate(raw))
	}
	// A number.
	switch {
	case t.IsNumeric():
		return parseText(t, string(raw))
	case t.IsString():
		return chunk.Str(string(raw)), nil
	}
	return chunk.Datum{}, fmt.Errorf("expected %s, got the number %s", t, raw)
}

func abbreviate(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:37]) + "..."
	}
	return string(raw)
}

func unquote(raw []byte) (string, error) {
	if bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

// jsonEncoder writes rows as JSON objects, one per line.
type jsonEncoder struct {
	keys  [][]byte // each column's quoted key followed by ':', with a leading ',' after the first
	types []types.Type
	iso   bool
}

func newJSONEncoder(names []string, ts []types.Type, iso bool) *jsonEncoder {
	e := &jsonEncoder{types: ts, iso: iso}
	for i, n := range names {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = textval.AppendJSONString(k, n)
		e.keys = append(e.keys, append(k, ':'))
	}
	return e
}

func (e *jsonEncoder) appendRow(b []byte, c *chunk.Chunk, row int) []byte {
	b = append(b, '{')
	for j, v := range c.Cols {
		b = append(b, e.keys[j]...)
		if v.IsNull(row) {
			b = append(b, "null"...)
			continue
		}
		t := e.types[j]
		switch t.Kind {
		case types.Boolean, types.TinyInt, types.SmallInt, types.Int, types.BigInt:
			b = appendText(b, t, v.Get(row), false)
		case types.Decimal:
			// Readers that parse JSON numbers as doubles (DuckDB, JavaScript) keep 15
			// significant digits; wider decimals are written as strings so they stay exact.
			if t.Precision <= 15 {
				b = appendText(b, t, v.Get(row), false)
			} else {
				b = append(b, '"')
				b = appendText(b, t, v.Get(row), false)
				b = append(b, '"')
			}
		case types.Float, types.Double:
			start := len(b)
			b = appendText(b, t, v.Get(row), false)
			if c := b[start]; c == 'N' || c == 'I' || (c == '-' && b[start+1] == 'I') {
				s := string(b[start:])
				b = textval.AppendJSONString(b[:start], s)
			}
		case types.Char, types.Varchar:
			b = textval.AppendJSONString(b, v.Str[row])
		case types.Map:
			m := v.Maps[row]
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b = append(b, '{')
			for i, k := range keys {
				if i > 0 {
					b = append(b, ',')
				}
				b = textval.AppendJSONString(b, k)
				b = append(b, ':')
				b = textval.AppendJSONString(b, m[k])
			}
			b = append(b, '}')
		default: // bytes, dates, times and timestamps are JSON strings
			b = append(b, '"')
			b = appendText(b, t, v.Get(row), e.iso)
			b = append(b, '"')
		}
	}
	return append(b, '}', '\n')
}
