package durable

import (
	"github.com/floedb/floe/state"
)

// valueState is a state.ValueState: one Pebble key per user key.
type valueState struct {
	b  *Backend
	si *stateInfo
}

func (s *valueState) key(key []byte) []byte {
	s.b.kbuf = prefix(s.b.kbuf[:0], s.si, key)
	return s.b.kbuf
}

func (s *valueState) Get(key []byte) (any, bool, error) {
	if s.b.closed {
		return nil, false, state.ErrClosed
	}
	e, err := s.b.lookup(s.si, s.key(key))
	if err != nil || e == nil {
		return nil, false, err
	}
	return e.v, true, nil
}

func (s *valueState) Put(key []byte, v any) error {
	if s.b.closed {
		return state.ErrClosed
	}
	var exp int64
	if s.si.ttl > 0 {
		exp = expiry(s.b.now(), s.si.ttl)
	}
	return s.b.set(s.si, s.key(key), v, exp)
}

func (s *valueState) Delete(key []byte) error {
	if s.b.closed {
		return state.ErrClosed
	}
	return s.b.del(s.si, s.key(key))
}

func (s *valueState) Keys(fn func(key []byte) bool) error {
	if s.b.closed {
		return state.ErrClosed
	}
	for kg := range state.MaxKeyGroups {
		p := []byte{byte(kg)}
		p = appendUvarint(p, s.si.id)
		stop := false
		err := s.b.scan(s.si, p, func(k []byte, _ *entry) (bool, error) {
			uk, ok := userKey(k, len(p))
			if !ok {
				return true, nil
			}
			if !fn(append([]byte(nil), uk...)) {
				stop = true
				return false, nil
			}
			return true, nil
		})
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// userKey extracts the user key from a Pebble key whose key group and state id take n bytes.
func userKey(k []byte, n int) ([]byte, bool) {
	l, m := uvarint(k[n:])
	if m <= 0 || uint64(len(k)-n-m) < l {
		return nil, false
	}
	return k[n+m : n+m+int(l)], true
}

// mapState is a state.MapState: one Pebble key per (user key, map key).
type mapState struct {
	b  *Backend
	si *stateInfo
}

func (s *mapState) key(key []byte, mk string) []byte {
	s.b.kbuf = prefix(s.b.kbuf[:0], s.si, key)
	s.b.kbuf = append(s.b.kbuf, mk...)
	return s.b.kbuf
}

func (s *mapState) Get(key []byte, mk string) (any, bool, error) {
	if s.b.closed {
		return nil, false, state.ErrClosed
	}
	e, err := s.b.lookup(s.si, s.key(key, mk))
	if err != nil || e == nil {
		return nil, false, err
	}
	return e.v, true, nil
}

func (s *mapState) Put(key []byte, mk string, v any) error {
	if s.b.closed {
		return state.ErrClosed
	}
	var exp int64
	if s.si.ttl > 0 {
		exp = expiry(s.b.now(), s.si.ttl)
	}
	return s.b.set(s.si, s.key(key, mk), v, exp)
}

func (s *mapState) Delete(key []byte, mk string) error {
	if s.b.closed {
		return state.ErrClosed
	}
	return s.b.del(s.si, s.key(key, mk))
}

func (s *mapState) Range(key []byte, fn func(mk string, v any) bool) error {
	if s.b.closed {
		return state.ErrClosed
	}
	p := prefix(nil, s.si, key)
	return s.b.scan(s.si, p, func(k []byte, e *entry) (bool, error) {
		return fn(string(k[len(p):]), e.v), nil
	})
}

func (s *mapState) Clear(key []byte) error {
	if s.b.closed {
		return state.ErrClosed
	}
	p := prefix(nil, s.si, key)
	var keys [][]byte
	if err := s.b.scan(s.si, p, func(k []byte, _ *entry) (bool, error) {
		keys = append(keys, append([]byte(nil), k...))
		return true, nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.b.del(s.si, k); err != nil {
			return err
		}
	}
	return nil
}

func (s *mapState) IsEmpty(key []byte) (bool, error) {
	if s.b.closed {
		return false, state.ErrClosed
	}
	empty := true
	err := s.b.scan(s.si, prefix(nil, s.si, key), func([]byte, *entry) (bool, error) {
		empty = false
		return false, nil
	})
	return empty, err
}

// listState is a state.ListState: a user key's whole list in one Pebble value.
type listState struct {
	b  *Backend
	si *stateInfo
}

func (s *listState) key(key []byte) []byte {
	s.b.kbuf = prefix(s.b.kbuf[:0], s.si, key)
	return s.b.kbuf
}

// live returns the cached list of key with expired elements dropped (nil when empty).
func (s *listState) live(key []byte) (*entry, error) {
	e, err := s.b.lookup(s.si, s.key(key))
	if err != nil || e == nil {
		return nil, err
	}
	if s.si.ttl == 0 {
		return e, nil
	}
	now := s.b.now()
	elems := e.v.([]listElem)
	n := 0
	for _, el := range elems {
		if el.exp > now {
			elems[n] = el
			n++
		}
	}
	if n == len(elems) {
		return e, nil
	}
	clear(elems[n:])
	if n == 0 {
		s.b.remove(e)
		return nil, nil
	}
	e.v = elems[:n]
	s.b.markDirty(e)
	return e, nil
}

func (s *listState) Get(key []byte) ([]any, error) {
	if s.b.closed {
		return nil, state.ErrClosed
	}
	e, err := s.live(key)
	if err != nil || e == nil {
		return nil, err
	}
	elems := e.v.([]listElem)
	out := make([]any, len(elems))
	for i, el := range elems {
		out[i] = el.v
	}
	return out, nil
}

func (s *listState) Add(key []byte, v any) error {
	if s.b.closed {
		return state.ErrClosed
	}
	e, err := s.live(key)
	if err != nil {
		return err
	}
	var exp int64
	if s.si.ttl > 0 {
		exp = expiry(s.b.now(), s.si.ttl)
	}
	var elems []listElem
	if e != nil {
		elems = e.v.([]listElem) // each element keeps its own expiry, as in the memory backend
	}
	elems = append(elems, listElem{v: v, exp: exp})
	return s.b.set(s.si, s.key(key), elems, exp)
}

func (s *listState) Update(key []byte, vs []any) error {
	if s.b.closed {
		return state.ErrClosed
	}
	if len(vs) == 0 {
		return s.b.del(s.si, s.key(key))
	}
	var exp int64
	if s.si.ttl > 0 {
		exp = expiry(s.b.now(), s.si.ttl)
	}
	elems := make([]listElem, len(vs))
	for i, v := range vs {
		elems[i] = listElem{v: v, exp: exp}
	}
	return s.b.set(s.si, s.key(key), elems, exp)
}

func (s *listState) Clear(key []byte) error {
	if s.b.closed {
		return state.ErrClosed
	}
	return s.b.del(s.si, s.key(key))
}
