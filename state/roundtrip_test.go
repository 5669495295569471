package state

import (
	"errors"
	"strconv"
	"testing"
)

// intCodec encodes ints as decimal text.
type intCodec struct{}

func (intCodec) Encode(dst []byte, v any) ([]byte, error) {
	n, ok := v.(*int)
	if !ok {
		return nil, errors.New("not an *int")
	}
	return strconv.AppendInt(dst, int64(*n), 10), nil
}

func (intCodec) Decode(src []byte) (any, error) {
	n, err := strconv.Atoi(string(src))
	return &n, err
}

func TestRoundTrip(t *testing.T) {
	b := NewRoundTrip(NewMemory(nil))
	if _, err := b.Value(Descriptor{Name: "nocodec"}); err == nil {
		t.Fatal("a state without a codec was accepted")
	}
	vs, err := b.Value(Descriptor{Name: "v", Codec: intCodec{}})
	if err != nil {
		t.Fatal(err)
	}
	one := 1
	if err := vs.Put([]byte("k"), &one); err != nil {
		t.Fatal(err)
	}
	v, ok, err := vs.Get([]byte("k"))
	if err != nil || !ok || *v.(*int) != 1 {
		t.Fatalf("Get = %v, %v, %v", v, ok, err)
	}
	// A change not Put back is lost, as on disk.
	*v.(*int) = 5
	v, _, _ = vs.Get([]byte("k"))
	if *v.(*int) != 1 {
		t.Fatalf("a change that was not Put back is visible: %d", *v.(*int))
	}
	if err := vs.Put([]byte("k"), "x"); err == nil {
		t.Fatal("a value the codec cannot encode was accepted")
	}
	ms, _ := b.Map(Descriptor{Name: "m", Codec: intCodec{}})
	two := 2
	if err := ms.Put([]byte("k"), "a", &two); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := ms.Range([]byte("k"), func(mk string, v any) bool { n += *v.(*int); return true }); err != nil || n != 2 {
		t.Fatalf("Range: %d, %v", n, err)
	}
	ls, _ := b.List(Descriptor{Name: "l", Codec: intCodec{}})
	if err := ls.Add([]byte("k"), &two); err != nil {
		t.Fatal(err)
	}
	got, err := ls.Get([]byte("k"))
	if err != nil || len(got) != 1 || *got[0].(*int) != 2 {
		t.Fatalf("list Get = %v, %v", got, err)
	}
	if b.(Sizer).Entries() != 3 {
		t.Fatalf("entries = %d, want 3", b.(Sizer).Entries())
	}
}
