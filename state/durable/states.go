package durable

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

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

// mapState is a state.MapState: one Pebble key per (user key, map key), cached per user key
// (see mapGroup).
type mapState struct {
	b  *Backend
	si *stateInfo
}

// group returns the cache entry of key's map, created (not loaded) if needed.
func (s *mapState) group(key []byte) *entry {
	b := s.b
	b.kbuf = prefix(b.kbuf[:0], s.si, key)
	e := b.cache[string(b.kbuf)]
	if e == nil {
		e = &entry{key: string(b.kbuf), st: s.si, grp: &mapGroup{entries: map[string]*mval{}}}
		b.cache[e.key] = e
	}
	return e
}

// expired reports whether a cached entry has expired.
func (s *mapState) expired(mv *mval) bool { return s.si.ttl > 0 && mv.exp <= s.b.now() }

func (s *mapState) Get(key []byte, mk string) (any, bool, error) {
	b := s.b
	if b.closed {
		return nil, false, state.ErrClosed
	}
	e := s.group(key)
	g := e.grp
	if mv, ok := g.entries[mk]; ok {
		if mv.deleted {
			return nil, false, nil
		}
		if s.expired(mv) {
			s.change(e, mk, mv, nil, 0, true)
			return nil, false, nil
		}
		return mv.v, true, nil
	}
	if g.loaded || !b.stored(e.key) {
		return nil, false, nil
	}
	k := append([]byte(e.key), mk...)
	raw, closer, err := b.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, b.wrap(s.si.name, err)
	}
	mv, err := s.decode(raw)
	closer.Close()
	if err != nil {
		return nil, false, err
	}
	if mv == nil {
		b.batch.Delete(k, nil) // expired on disk
		return nil, false, nil
	}
	g.entries[mk] = mv
	b.cached++
	return mv.v, true, b.maybeEvict()
}

// decode turns a stored map entry into a cached one; nil when it has expired.
func (s *mapState) decode(raw []byte) (*mval, error) {
	mv := &mval{}
	if s.si.ttl > 0 {
		if len(raw) < 8 {
			return nil, fmt.Errorf("state '%s': a stored value is truncated", s.si.name)
		}
		mv.exp = int64(binary.BigEndian.Uint64(raw))
		raw = raw[8:]
		if mv.exp <= s.b.now() {
			return nil, nil
		}
	}
	v, err := s.si.codec.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("cannot decode a value of state '%s': %w", s.si.name, err)
	}
	mv.v = v
	return mv, nil
}

// change sets (or, with del, deletes) a map entry in the cache, dirty.
func (s *mapState) change(e *entry, mk string, mv *mval, v any, exp int64, del bool) {
	g := e.grp
	if mv == nil {
		mv = &mval{}
		g.entries[mk] = mv
		s.b.cached++
	}
	mv.v, mv.exp, mv.deleted = v, exp, del
	if !mv.dirty {
		mv.dirty = true
		g.dirty = append(g.dirty, mk)
	}
	s.b.markDirty(e)
}

func (s *mapState) Put(key []byte, mk string, v any) error {
	if s.b.closed {
		return state.ErrClosed
	}
	var exp int64
	if s.si.ttl > 0 {
		exp = expiry(s.b.now(), s.si.ttl)
	}
	e := s.group(key)
	s.change(e, mk, e.grp.entries[mk], v, exp, false)
	if err := s.b.maybeEvict(); err != nil {
		return err
	}
	return s.b.afterWrite()
}

func (s *mapState) Delete(key []byte, mk string) error {
	if s.b.closed {
		return state.ErrClosed
	}
	e := s.group(key)
	mv := e.grp.entries[mk]
	if mv == nil && e.grp.loaded {
		return nil
	}
	s.change(e, mk, mv, nil, 0, true)
	if err := s.b.maybeEvict(); err != nil {
		return err
	}
	return s.b.afterWrite()
}

// load reads every stored entry of a cached map that the cache does not hold yet.
func (s *mapState) load(e *entry) error {
	g := e.grp
	if g.loaded {
		return nil
	}
	b := s.b
	if !b.stored(e.key) {
		g.loaded = true
		return nil
	}
	p := []byte(e.key)
	it, err := b.prefixIter(p)
	if err != nil {
		return err
	}
	for ; it.Valid(); it.Next() {
		k := it.Key()
		if len(k) < len(p) || string(k[:len(p)]) != e.key {
			break
		}
		mk := k[len(p):]
		if _, ok := g.entries[string(mk)]; ok {
			continue // the cached entry is as new or newer
		}
		mv, err := s.decode(it.Value())
		if err != nil {
			return err
		}
		if mv != nil {
			g.entries[string(mk)] = mv
			b.cached++
		}
	}
	if err := it.Error(); err != nil {
		return b.wrap(s.si.name, err)
	}
	g.loaded = true
	return nil
}

func (s *mapState) Range(key []byte, fn func(mk string, v any) bool) error {
	if s.b.closed {
		return state.ErrClosed
	}
	e := s.group(key)
	if err := s.load(e); err != nil {
		return err
	}
	for mk, mv := range e.grp.entries {
		if mv.deleted || s.expired(mv) {
			continue
		}
		if !fn(mk, mv.v) {
			break
		}
	}
	return s.b.maybeEvict()
}

func (s *mapState) Clear(key []byte) error {
	if s.b.closed {
		return state.ErrClosed
	}
	e := s.group(key)
	if err := s.load(e); err != nil {
		return err
	}
	for mk, mv := range e.grp.entries {
		if !mv.deleted {
			s.change(e, mk, mv, nil, 0, true)
		}
	}
	return s.b.maybeEvict()
}

func (s *mapState) IsEmpty(key []byte) (bool, error) {
	if s.b.closed {
		return false, state.ErrClosed
	}
	e := s.group(key)
	if err := s.load(e); err != nil {
		return false, err
	}
	for _, mv := range e.grp.entries {
		if !mv.deleted && !s.expired(mv) {
			return false, nil
		}
	}
	return true, s.b.maybeEvict()
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
