package state

import (
	"fmt"
)

// NewRoundTrip wraps a backend so that it behaves like a durable one towards operators: every
// value written is encoded with its descriptor's Codec and stored as bytes, and every read
// decodes a fresh copy. Tests run operators on it to check that each state has a codec, that
// the codecs round-trip, and that operators Put back every value they change (a change to a
// value that is not Put back is lost here, as it would be on disk). A descriptor without a
// codec is an error.
func NewRoundTrip(b Backend) Backend { return &roundTrip{b: b} }

type roundTrip struct{ b Backend }

// encoded is what the wrapped backend stores.
type encoded []byte

func codecOf(d Descriptor) error {
	if d.Codec == nil {
		return fmt.Errorf("state '%s' has no codec: a durable backend cannot store it", d.Name)
	}
	return nil
}

func (r *roundTrip) Value(d Descriptor) (ValueState, error) {
	if err := codecOf(d); err != nil {
		return nil, err
	}
	s, err := r.b.Value(d)
	if err != nil {
		return nil, err
	}
	return &rtValue{s: s, c: d.Codec, name: d.Name}, nil
}

func (r *roundTrip) Map(d Descriptor) (MapState, error) {
	if err := codecOf(d); err != nil {
		return nil, err
	}
	s, err := r.b.Map(d)
	if err != nil {
		return nil, err
	}
	return &rtMap{s: s, c: d.Codec, name: d.Name}, nil
}

func (r *roundTrip) List(d Descriptor) (ListState, error) {
	if err := codecOf(d); err != nil {
		return nil, err
	}
	s, err := r.b.List(d)
	if err != nil {
		return nil, err
	}
	return &rtList{s: s, c: d.Codec, name: d.Name}, nil
}

func (r *roundTrip) Close() error { return r.b.Close() }

// Entries counts the wrapped backend's entries when it can.
func (r *roundTrip) Entries() int64 {
	if sz, ok := r.b.(Sizer); ok {
		return sz.Entries()
	}
	return 0
}

func encode(c Codec, name string, v any) (encoded, error) {
	b, err := c.Encode(nil, v)
	if err != nil {
		return nil, fmt.Errorf("cannot encode a value of state '%s': %w", name, err)
	}
	return encoded(b), nil
}

func decode(c Codec, name string, v any) (any, error) {
	b, ok := v.(encoded)
	if !ok {
		return nil, fmt.Errorf("state '%s' holds a %T that was not written through the codec", name, v)
	}
	out, err := c.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("cannot decode a value of state '%s': %w", name, err)
	}
	return out, nil
}

type rtValue struct {
	s    ValueState
	c    Codec
	name string
}

func (s *rtValue) Get(key []byte) (any, bool, error) {
	v, ok, err := s.s.Get(key)
	if err != nil || !ok {
		return nil, ok, err
	}
	out, err := decode(s.c, s.name, v)
	return out, err == nil, err
}

func (s *rtValue) Put(key []byte, v any) error {
	b, err := encode(s.c, s.name, v)
	if err != nil {
		return err
	}
	return s.s.Put(key, b)
}

func (s *rtValue) Delete(key []byte) error             { return s.s.Delete(key) }
func (s *rtValue) Keys(fn func(key []byte) bool) error { return s.s.Keys(fn) }

type rtMap struct {
	s    MapState
	c    Codec
	name string
}

func (s *rtMap) Get(key []byte, mk string) (any, bool, error) {
	v, ok, err := s.s.Get(key, mk)
	if err != nil || !ok {
		return nil, ok, err
	}
	out, err := decode(s.c, s.name, v)
	return out, err == nil, err
}

func (s *rtMap) Put(key []byte, mk string, v any) error {
	b, err := encode(s.c, s.name, v)
	if err != nil {
		return err
	}
	return s.s.Put(key, mk, b)
}

func (s *rtMap) Delete(key []byte, mk string) error { return s.s.Delete(key, mk) }

func (s *rtMap) Range(key []byte, fn func(mk string, v any) bool) error {
	var derr error
	err := s.s.Range(key, func(mk string, v any) bool {
		out, err := decode(s.c, s.name, v)
		if err != nil {
			derr = err
			return false
		}
		return fn(mk, out)
	})
	if err != nil {
		return err
	}
	return derr
}

func (s *rtMap) Clear(key []byte) error           { return s.s.Clear(key) }
func (s *rtMap) IsEmpty(key []byte) (bool, error) { return s.s.IsEmpty(key) }

type rtList struct {
	s    ListState
	c    Codec
	name string
}

func (s *rtList) Get(key []byte) ([]any, error) {
	vs, err := s.s.Get(key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		if out[i], err = decode(s.c, s.name, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *rtList) Add(key []byte, v any) error {
	b, err := encode(s.c, s.name, v)
	if err != nil {
		return err
	}
	return s.s.Add(key, b)
}

func (s *rtList) Update(key []byte, vs []any) error {
	out := make([]any, len(vs))
	for i, v := range vs {
		b, err := encode(s.c, s.name, v)
		if err != nil {
			return err
		}
		out[i] = b
	}
	return s.s.Update(key, out)
}

func (s *rtList) Clear(key []byte) error { return s.s.Clear(key) }
