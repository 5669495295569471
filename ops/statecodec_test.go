package ops

import (
	"reflect"
	"testing"
)

// TestRowStateCodec round-trips every value type the ops states store and checks that every
// truncation of an encoding is an error, never a panic or a wrong value.
func TestRowStateCodec(t *testing.T) {
	values := []any{
		"", "an encoded row\x00\xff",
		int64(0), int64(-5), int64(1 << 60),
		rjCounts{Count: 3, Assoc: -1},
		rjRecord{Row: "row", Assoc: 7},
		&ijBucket{Rows: []string{"a", "bb"}},
		&ijBucket{Rows: []string{"a", ""}, Matched: []bool{true, false}},
		&wjBucket{Rows: []string{"x", "yz"}},
		&rkBuffer{Rows: []rkRow{{Data: "sortrow", SortLen: 4, ID: "id"}, {Data: "s", SortLen: 1}}},
		&ddRow{Time: -123456, Row: []byte{1, 2, 3}},
		true,
	}
	c := rowStateCodec{}
	for _, v := range values {
		b, err := c.Encode([]byte("prefix"), v)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		b = b[len("prefix"):]
		got, err := c.Decode(b)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		if !reflect.DeepEqual(got, v) {
			t.Fatalf("round trip of %#v gave %#v", v, got)
		}
		for n := range len(b) {
			if _, ok := v.(string); ok && n >= 2 {
				continue // a string is the rest of the value: every prefix is a shorter string
			}
			if _, ok := v.(*ddRow); ok && n >= 2+3 {
				continue // likewise the row of a ddRow
			}
			if got, err := c.Decode(b[:n]); err == nil {
				t.Fatalf("%#v truncated to %d bytes decoded to %#v", v, n, got)
			}
		}
	}
	if _, err := c.Encode(nil, 3.5); err == nil {
		t.Fatal("a float was encoded")
	}
	if _, err := c.Decode([]byte{9, tagBool, 1}); err == nil {
		t.Fatal("an unknown format version was decoded")
	}
}
