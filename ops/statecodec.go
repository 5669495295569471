package ops

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// rowStateCodec encodes the state values of the joins, the ranking operators and
// deduplication (every ops state except the aggregations', which agg.Aggregator.Codec
// encodes). A value is a format version byte, a tag byte naming its Go type, then the type's
// fields: strings and byte slices as uvarint length + bytes, integers as varints.
//
//	tag 1 string             (an encoded row: list-view join rows, rank unique-key index)
//	tag 2 int64              (a join row's duplicate count)
//	tag 3 rjCounts           Count, Assoc
//	tag 4 rjRecord           Row, Assoc
//	tag 5 *ijBucket          n, Rows..., m, Matched... (m is 0 or n)
//	tag 6 *wjBucket          n, Rows...
//	tag 7 *rkBuffer          n, (Data, SortLen, ID)...
//	tag 8 *ddRow             Time, Row
//	tag 9 bool               1 byte
type rowStateCodec struct{}

const rowStateFormat = 1

const (
	tagString byte = 1 + iota
	tagInt64
	tagCounts
	tagRecord
	tagIJBucket
	tagWJBucket
	tagRKBuffer
	tagDDRow
	tagBool
)

func appendStr(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Encode implements state.Codec.
func (rowStateCodec) Encode(dst []byte, v any) ([]byte, error) {
	dst = append(dst, rowStateFormat)
	switch x := v.(type) {
	case string:
		dst = append(dst, tagString)
		dst = append(dst, x...)
	case int64:
		dst = append(dst, tagInt64)
		dst = binary.AppendVarint(dst, x)
	case rjCounts:
		dst = append(dst, tagCounts)
		dst = binary.AppendVarint(dst, x.Count)
		dst = binary.AppendVarint(dst, x.Assoc)
	case rjRecord:
		dst = append(dst, tagRecord)
		dst = appendStr(dst, x.Row)
		dst = binary.AppendVarint(dst, x.Assoc)
	case *ijBucket:
		dst = append(dst, tagIJBucket)
		dst = binary.AppendUvarint(dst, uint64(len(x.Rows)))
		for _, r := range x.Rows {
			dst = appendStr(dst, r)
		}
		dst = binary.AppendUvarint(dst, uint64(len(x.Matched)))
		for _, m := range x.Matched {
			b := byte(0)
			if m {
				b = 1
			}
			dst = append(dst, b)
		}
	case *wjBucket:
		dst = append(dst, tagWJBucket)
		dst = binary.AppendUvarint(dst, uint64(len(x.Rows)))
		for _, r := range x.Rows {
			dst = appendStr(dst, r)
		}
	case *rkBuffer:
		dst = append(dst, tagRKBuffer)
		dst = binary.AppendUvarint(dst, uint64(len(x.Rows)))
		for _, r := range x.Rows {
			dst = appendStr(dst, r.Data)
			dst = binary.AppendUvarint(dst, uint64(r.SortLen))
			dst = appendStr(dst, r.ID)
		}
	case *ddRow:
		dst = append(dst, tagDDRow)
		dst = binary.AppendVarint(dst, x.Time)
		dst = append(dst, x.Row...)
	case bool:
		dst = append(dst, tagBool)
		b := byte(0)
		if x {
			b = 1
		}
		dst = append(dst, b)
	default:
		return nil, fmt.Errorf("no encoding for a %T", v)
	}
	return dst, nil
}

var errTruncated = errors.New("truncated or corrupt value")

// reader decodes the fields of a value.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if uint64(len(r.b)) < n {
		r.err = errTruncated
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errTruncated
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// count reads a length, refusing one larger than the bytes left (each element takes at
// least one byte), so corrupt input cannot make a huge allocation.
func (r *reader) count() int {
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.b)) {
		r.err = errTruncated
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

// Decode implements state.Codec.
func (rowStateCodec) Decode(src []byte) (any, error) {
	if len(src) < 2 {
		return nil, errTruncated
	}
	if src[0] != rowStateFormat {
		return nil, fmt.Errorf("unknown state format %d", src[0])
	}
	r := &reader{b: src[2:]}
	var v any
	switch src[1] {
	case tagString:
		v, r.b = string(r.b), nil
	case tagInt64:
		v = r.varint()
	case tagCounts:
		v = rjCounts{Count: r.varint(), Assoc: r.varint()}
	case tagRecord:
		v = rjRecord{Row: r.str(), Assoc: r.varint()}
	case tagIJBucket:
		b := &ijBucket{}
		n := r.count()
		if n > 0 {
			b.Rows = make([]string, n)
		}
		for i := range b.Rows {
			b.Rows[i] = r.str()
		}
		if m := r.count(); m > 0 {
			if m != n {
				return nil, fmt.Errorf("interval join bucket with %d rows and %d match flags", n, m)
			}
			b.Matched = make([]bool, m)
			for i := range b.Matched {
				b.Matched[i] = r.byte() == 1
			}
		}
		v = b
	case tagWJBucket:
		b := &wjBucket{}
		if n := r.count(); n > 0 {
			b.Rows = make([]string, n)
		}
		for i := range b.Rows {
			b.Rows[i] = r.str()
		}
		v = b
	case tagRKBuffer:
		b := &rkBuffer{}
		if n := r.count(); n > 0 {
			b.Rows = make([]rkRow, n)
		}
		for i := range b.Rows {
			b.Rows[i] = rkRow{Data: r.str(), SortLen: int(r.uvarint()), ID: r.str()}
			if r.err == nil && b.Rows[i].SortLen > len(b.Rows[i].Data) {
				return nil, errTruncated
			}
		}
		v = b
	case tagDDRow:
		d := &ddRow{Time: r.varint()}
		if r.err == nil {
			d.Row, r.b = append([]byte(nil), r.b...), nil
		}
		v = d
	case tagBool:
		v = r.byte() == 1
	default:
		return nil, fmt.Errorf("unknown state value tag %d", src[1])
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes after a state value", len(r.b))
	}
	return v, nil
}
