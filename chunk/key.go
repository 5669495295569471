package chunk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/floedb/floe/types"
)

// Key encoding, format version 1.
//
// A key is the concatenation of its columns' encodings, in column order, with nothing before,
// between or after them. The column types are not stored: a reader must know them. Each column
// is one flag byte followed by the value:
//
//	0x00                      NULL (nothing follows)
//	0x01 <value>              a value, encoded by the column's physical storage class:
//
//	int64       8 bytes big-endian of uint64(v) XOR 1<<63 (the sign bit flipped), so that
//	            unsigned byte comparison orders like signed numbers
//	float64     8 bytes big-endian of the IEEE-754 bits, with every bit flipped for negative
//	            numbers and only the sign bit flipped otherwise (order-preserving); -0.0 is
//	            encoded as +0.0 and every NaN as the canonical NaN 0x7FF8000000000001, so values
//	            that are equal under SQL grouping get equal keys
//	Decimal128  16 bytes: Hi as int64 above (sign bit flipped), then Lo big-endian
//	string      uvarint byte length, then the bytes (CHAR, VARCHAR, BYTES)
//	map         uvarint entry count, then the entries sorted by key, each as key then value in
//	            the string encoding above (a nil map encodes like an empty map)
//
// The encoding is injective for a fixed list of types, so equal bytes mean equal values, and
// fixed-width columns sort like their values (strings and maps do not). The format is stable:
// state on disk and the routing of rows to subtasks (state.KeyGroup of the key) depend on it.
// Changing it requires a new format version and a state migration.
const (
	keyNull    byte = 0x00
	keyNotNull byte = 0x01
)

// canonicalNaN is the bit pattern every NaN is encoded as.
const canonicalNaN uint64 = 0x7FF8000000000001

// EncodeKey appends the key encoding of the given columns of row to dst and returns the
// extended slice. It does not allocate when dst has room.
func EncodeKey(dst []byte, c *Chunk, cols []int, row int) []byte {
	for _, j := range cols {
		v := c.Cols[j]
		if v.IsNull(row) {
			dst = append(dst, keyNull)
			continue
		}
		dst = append(dst, keyNotNull)
		switch v.Type.Kind.Physical() {
		case types.PhysInt64:
			dst = appendInt64(dst, v.I64[row])
		case types.PhysFloat64:
			dst = appendFloat64(dst, v.F64[row])
		case types.PhysDecimal:
			dst = appendDecimal(dst, v.Dec[row])
		case types.PhysString:
			dst = appendString(dst, v.Str[row])
		case types.PhysMap:
			dst = appendMap(dst, v.Maps[row])
		}
	}
	return dst
}

// EncodeDatums appends the key encoding of datums ds, whose types are ts, to dst. It gives the
// same bytes as EncodeKey for a row holding the same values.
func EncodeDatums(dst []byte, ts []types.Type, ds []Datum) []byte {
	for i, d := range ds {
		if d.Null {
			dst = append(dst, keyNull)
			continue
		}
		dst = append(dst, keyNotNull)
		switch ts[i].Kind.Physical() {
		case types.PhysInt64:
			dst = appendInt64(dst, d.I)
		case types.PhysFloat64:
			dst = appendFloat64(dst, d.F)
		case types.PhysDecimal:
			dst = appendDecimal(dst, d.D)
		case types.PhysString:
			dst = appendString(dst, d.S)
		case types.PhysMap:
			dst = appendMap(dst, d.M)
		}
	}
	return dst
}

// ErrCorruptKey is returned (wrapped) by DecodeKey for bytes that are not a valid key of the
// given types.
var ErrCorruptKey = errors.New("corrupt key")

// DecodeKey decodes a key made by EncodeKey or EncodeDatums for columns of types ts. Floats
// come back canonicalized (see the format above); maps come back as non-nil maps.
func DecodeKey(b []byte, ts []types.Type) ([]Datum, error) {
	ds := make([]Datum, len(ts))
	for i, t := range ts {
		var err error
		if ds[i], b, err = decodeValue(b, t, i); err != nil {
			return nil, err
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorruptKey, len(b))
	}
	return ds, nil
}

// AppendDecoded decodes an encoding made by EncodeKey or EncodeDatums of len(vs) columns, whose
// types are the vectors' types, and appends one value to each vector. Operators that keep rows
// in state as encoded bytes use it to emit them without building datums first. On error the
// vectors may have been partly appended to.
func AppendDecoded(vs []*Vector, b []byte) error {
	for i, v := range vs {
		var d Datum
		var err error
		if d, b, err = decodeValue(b, v.Type, i); err != nil {
			return err
		}
		v.Append(d)
	}
	if len(b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrCorruptKey, len(b))
	}
	return nil
}

// decodeValue decodes column i, of type t, from the front of b.
func decodeValue(b []byte, t types.Type, i int) (Datum, []byte, error) {
	var d Datum
	if len(b) == 0 {
		return d, nil, fmt.Errorf("%w: column %d: missing null flag", ErrCorruptKey, i)
	}
	flag := b[0]
	b = b[1:]
	switch flag {
	case keyNull:
		return NullDatum, b, nil
	case keyNotNull:
	default:
		return d, nil, fmt.Errorf("%w: column %d: invalid null flag 0x%02x", ErrCorruptKey, i, flag)
	}
	var err error
	switch t.Kind.Physical() {
	case types.PhysInt64:
		if len(b) < 8 {
			return d, nil, fmt.Errorf("%w: column %d: truncated %s", ErrCorruptKey, i, t)
		}
		d.I = int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
		b = b[8:]
	case types.PhysFloat64:
		if len(b) < 8 {
			return d, nil, fmt.Errorf("%w: column %d: truncated %s", ErrCorruptKey, i, t)
		}
		u := binary.BigEndian.Uint64(b)
		if u&(1<<63) != 0 {
			u ^= 1 << 63
		} else {
			u = ^u
		}
		d.F = math.Float64frombits(u)
		b = b[8:]
	case types.PhysDecimal:
		if len(b) < 16 {
			return d, nil, fmt.Errorf("%w: column %d: truncated %s", ErrCorruptKey, i, t)
		}
		d.D = types.Decimal128{
			Hi: int64(binary.BigEndian.Uint64(b) ^ (1 << 63)),
			Lo: binary.BigEndian.Uint64(b[8:]),
		}
		b = b[16:]
	case types.PhysString:
		d.S, b, err = readString(b)
		if err != nil {
			return d, nil, fmt.Errorf("%w: column %d: %v", ErrCorruptKey, i, err)
		}
	case types.PhysMap:
		var n uint64
		n, b, err = readUvarint(b)
		if err != nil {
			return d, nil, fmt.Errorf("%w: column %d: %v", ErrCorruptKey, i, err)
		}
		// Each entry takes at least two bytes, which bounds a corrupt count.
		if n > uint64(len(b))/2 {
			return d, nil, fmt.Errorf("%w: column %d: map of %d entries in %d bytes", ErrCorruptKey, i, n, len(b))
		}
		m := make(map[string]string, n)
		for range n {
			var k, v string
			if k, b, err = readString(b); err == nil {
				v, b, err = readString(b)
			}
			if err != nil {
				return d, nil, fmt.Errorf("%w: column %d: %v", ErrCorruptKey, i, err)
			}
			m[k] = v
		}
		d.M = m
	}
	return d, b, nil
}

func appendInt64(dst []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(v)^(1<<63))
}

func appendFloat64(dst []byte, f float64) []byte {
	var u uint64
	switch {
	case f != f:
		u = canonicalNaN
	case f == 0:
		u = 0 // +0.0 and -0.0
	default:
		u = math.Float64bits(f)
	}
	if u&(1<<63) != 0 {
		u = ^u
	} else {
		u ^= 1 << 63
	}
	return binary.BigEndian.AppendUint64(dst, u)
}

func appendDecimal(dst []byte, d types.Decimal128) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(d.Hi)^(1<<63))
	return binary.BigEndian.AppendUint64(dst, d.Lo)
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendMap(dst []byte, m map[string]string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(m)))
	if len(m) == 0 {
		return dst
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		dst = appendString(dst, k)
		dst = appendString(dst, m[k])
	}
	return dst
}

func readUvarint(b []byte) (uint64, []byte, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 {
		return 0, nil, errors.New("invalid length prefix")
	}
	return n, b[w:], nil
}

func readString(b []byte) (string, []byte, error) {
	n, b, err := readUvarint(b)
	if err != nil {
		return "", nil, err
	}
	if n > uint64(len(b)) {
		return "", nil, fmt.Errorf("string of %d bytes truncated to %d", n, len(b))
	}
	return string(b[:n]), b[n:], nil
}
