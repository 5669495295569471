package state

import (
	"container/list"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"
)

// ErrClosed is returned by the states of a closed in-memory backend.
var ErrClosed = errors.New("state backend is closed")

// sweepBatch is how many expired entries each state operation removes at most, besides the one
// it touches. Every write adds at most one entry, so sweeping more than one per operation keeps
// expired entries bounded even for keys that are never read or written again.
const sweepBatch = 4

// NewMemory returns a Backend that keeps every state in Go maps on the heap. Values are stored
// as given (Get returns the stored object) and Codecs are never called.
//
// TTL: an entry expires TTL after its last write, measured with clock (time.Now when nil).
// Expired entries are never returned; they are removed when an operation touches them, and
// every operation on a state also removes up to a few of that state's oldest expired entries,
// so the memory held by expired entries stays bounded without a background goroutine. Map
// states expire per map entry and list states per element, as Flink does. Any TTL is allowed;
// expiry saturates at the end of time instead of overflowing. The expiry sweep assumes the
// clock does not run backwards; if it does, affected entries are still hidden on access and
// swept once the entries written before them have expired.
func NewMemory(clock Clock) Backend {
	if clock == nil {
		clock = time.Now
	}
	return &memory{clock: clock, states: map[string]memState{}}
}

type memory struct {
	clock  Clock
	states map[string]memState
	closed bool
}

type memState interface{ kind() string }

// now returns the clock in Unix nanoseconds, saturated outside the years 1678..2262 where
// time.Time.UnixNano is undefined. It stays below math.MaxInt64, the saturated expiry, so an
// entry whose expiry saturated never expires.
func (b *memory) now() int64 {
	t := b.clock()
	switch s := t.Unix(); {
	case s >= math.MaxInt64/int64(time.Second):
		return math.MaxInt64 - 1
	case s <= math.MinInt64/int64(time.Second):
		return math.MinInt64
	}
	return t.UnixNano()
}

func ttlNanos(d Descriptor) int64 {
	if d.TTL <= 0 {
		return 0
	}
	return int64(d.TTL)
}

// expiry returns now+ttl, saturated at math.MaxInt64.
func expiry(now, ttl int64) int64 {
	if now > math.MaxInt64-ttl {
		return math.MaxInt64
	}
	return now + ttl
}

func (b *memory) register(d Descriptor, kind string, mk func() memState) (memState, error) {
	if b.closed {
		return nil, ErrClosed
	}
	if d.Name == "" {
		return nil, errors.New("state descriptor has no name")
	}
	if s, ok := b.states[d.Name]; ok {
		if s.kind() != kind {
			return nil, fmt.Errorf("state '%s' is already registered as a %s state, not a %s state", d.Name, s.kind(), kind)
		}
		return s, nil
	}
	s := mk()
	b.states[d.Name] = s
	return s, nil
}

// Value returns the value state named d.Name, creating it on first use.
func (b *memory) Value(d Descriptor) (ValueState, error) {
	s, err := b.register(d, "value", func() memState {
		return &valueState{b: b, ttl: ttlNanos(d), m: map[string]*valueEntry{}}
	})
	if err != nil {
		return nil, err
	}
	return s.(*valueState), nil
}

// Map returns the map state named d.Name, creating it on first use.
func (b *memory) Map(d Descriptor) (MapState, error) {
	s, err := b.register(d, "map", func() memState {
		return &mapState{b: b, ttl: ttlNanos(d), keys: map[string]*mapKey{}}
	})
	if err != nil {
		return nil, err
	}
	return s.(*mapState), nil
}

// List returns the list state named d.Name, creating it on first use.
func (b *memory) List(d Descriptor) (ListState, error) {
	s, err := b.register(d, "list", func() memState {
		return &listState{b: b, ttl: ttlNanos(d), keys: map[string]*listKey{}}
	})
	if err != nil {
		return nil, err
	}
	return s.(*listState), nil
}

// Close drops all state; later operations return ErrClosed.
func (b *memory) Close() error {
	b.closed = true
	b.states = nil
	return nil
}

// keyBytes returns the bytes of a map key without copying. Callers of Keys must not modify them.
func keyBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))[:len(s):len(s)]
}

// ---- value state ----

type valueEntry struct {
	key string
	v   any
	exp int64
	el  *list.Element // in valueState.order, only with a TTL
}

type valueState struct {
	b   *memory
	ttl int64
	m   map[string]*valueEntry
	// order holds the entries by last write, oldest first (only with a TTL).
	order list.List
}

func (*valueState) kind() string { return "value" }

// begin checks the backend and, with a TTL, reads the clock and sweeps.
func (s *valueState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	if s.ttl == 0 {
		return 0, nil
	}
	now = s.b.now()
	for range sweepBatch {
		f := s.order.Front()
		if f == nil || f.Value.(*valueEntry).exp > now {
			break
		}
		s.remove(f.Value.(*valueEntry))
	}
	return now, nil
}

func (s *valueState) remove(e *valueEntry) {
	if e.el != nil {
		s.order.Remove(e.el)
	}
	delete(s.m, e.key)
}

func (s *valueState) Get(key []byte) (any, bool, error) {
	now, err := s.begin()
	if err != nil {
		return nil, false, err
	}
	e := s.m[string(key)]
	if e == nil {
		return nil, false, nil
	}
	if s.ttl > 0 && e.exp <= now {
		s.remove(e)
		return nil, false, nil
	}
	return e.v, true, nil
}

func (s *valueState) Put(key []byte, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	e := s.m[string(key)]
	if e == nil {
		e = &valueEntry{key: string(key)}
		s.m[e.key] = e
		if s.ttl > 0 {
			e.el = s.order.PushBack(e)
		}
	} else if s.ttl > 0 {
		s.order.MoveToBack(e.el)
	}
	e.v = v
	if s.ttl > 0 {
		e.exp = expiry(now, s.ttl)
	}
	return nil
}

func (s *valueState) Delete(key []byte) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if e := s.m[string(key)]; e != nil {
		s.remove(e)
	}
	return nil
}

func (s *valueState) Keys(fn func(key []byte) bool) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	for k, e := range s.m {
		if s.ttl > 0 && e.exp <= now {
			s.remove(e) // deleting during range is allowed
			continue
		}
		if !fn(keyBytes(k)) {
			break
		}
	}
	return nil
}

// ---- map state ----

type mapEntry struct {
	owner *mapKey
	mk    string
	v     any
	exp   int64
	el    *list.Element // in mapState.order, only with a TTL
}

type mapKey struct {
	key string
	m   map[string]*mapEntry
}

type mapState struct {
	b    *memory
	ttl  int64
	keys map[string]*mapKey
	// order holds the map entries of all keys by last write, oldest first (only with a TTL).
	order list.List
}

func (*mapState) kind() string { return "map" }

func (s *mapState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	if s.ttl == 0 {
		return 0, nil
	}
	now = s.b.now()
	for range sweepBatch {
		f := s.order.Front()
		if f == nil || f.Value.(*mapEntry).exp > now {
			break
		}
		s.remove(f.Value.(*mapEntry))
	}
	return now, nil
}

// remove deletes one entry, and its key when that was the key's last entry.
func (s *mapState) remove(e *mapEntry) {
	if e.el != nil {
		s.order.Remove(e.el)
	}
	delete(e.owner.m, e.mk)
	if len(e.owner.m) == 0 {
		delete(s.keys, e.owner.key)
	}
}

func (s *mapState) expired(e *mapEntry, now int64) bool { return s.ttl > 0 && e.exp <= now }

func (s *mapState) Get(key []byte, mk string) (any, bool, error) {
	now, err := s.begin()
	if err != nil {
		return nil, false, err
	}
	k := s.keys[string(key)]
	if k == nil {
		return nil, false, nil
	}
	e := k.m[mk]
	if e == nil {
		return nil, false, nil
	}
	if s.expired(e, now) {
		s.remove(e)
		return nil, false, nil
	}
	return e.v, true, nil
}

func (s *mapState) Put(key []byte, mk string, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	k := s.keys[string(key)]
	if k == nil {
		k = &mapKey{key: string(key), m: map[string]*mapEntry{}}
		s.keys[k.key] = k
	}
	e := k.m[mk]
	if e == nil {
		e = &mapEntry{owner: k, mk: mk}
		k.m[mk] = e
		if s.ttl > 0 {
			e.el = s.order.PushBack(e)
		}
	} else if s.ttl > 0 {
		s.order.MoveToBack(e.el)
	}
	e.v = v
	if s.ttl > 0 {
		e.exp = expiry(now, s.ttl)
	}
	return nil
}

func (s *mapState) Delete(key []byte, mk string) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if k := s.keys[string(key)]; k != nil {
		if e := k.m[mk]; e != nil {
			s.remove(e)
		}
	}
	return nil
}

func (s *mapState) Range(key []byte, fn func(mk string, v any) bool) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	k := s.keys[string(key)]
	if k == nil {
		return nil
	}
	for mk, e := range k.m {
		if s.expired(e, now) {
			s.remove(e) // deleting during range is allowed
			continue
		}
		if !fn(mk, e.v) {
			break
		}
	}
	return nil
}

func (s *mapState) Clear(key []byte) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	k := s.keys[string(key)]
	if k == nil {
		return nil
	}
	if s.ttl > 0 {
		for _, e := range k.m {
			s.order.Remove(e.el)
		}
	}
	delete(s.keys, k.key)
	return nil
}

func (s *mapState) IsEmpty(key []byte) (bool, error) {
	now, err := s.begin()
	if err != nil {
		return false, err
	}
	k := s.keys[string(key)]
	if k == nil {
		return true, nil
	}
	for _, e := range k.m {
		if !s.expired(e, now) {
			return false, nil
		}
		s.remove(e)
	}
	return true, nil
}

// ---- list state ----

type listElem struct {
	v   any
	exp int64
}

type listKey struct {
	key string
	vs  []listElem
	// exp is the expiry of the newest element: once it passes, the whole list has expired.
	exp int64
	el  *list.Element // in listState.order, only with a TTL
}

type listState struct {
	b    *memory
	ttl  int64
	keys map[string]*listKey
	// order holds the keys by last write, oldest first (only with a TTL).
	order list.List
}

func (*listState) kind() string { return "list" }

func (s *listState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	if s.ttl == 0 {
		return 0, nil
	}
	now = s.b.now()
	for range sweepBatch {
		f := s.order.Front()
		if f == nil || f.Value.(*listKey).exp > now {
			break
		}
		s.remove(f.Value.(*listKey))
	}
	return now, nil
}

func (s *listState) remove(k *listKey) {
	if k.el != nil {
		s.order.Remove(k.el)
	}
	delete(s.keys, k.key)
}

// live returns key's entry with expired elements dropped, or nil when nothing is left.
func (s *listState) live(key []byte, now int64) *listKey {
	k := s.keys[string(key)]
	if k == nil || s.ttl == 0 {
		return k
	}
	if k.exp <= now {
		s.remove(k)
		return nil
	}
	// Elements are in expiry order only while the clock never runs backwards, so filter all.
	n := 0
	for _, e := range k.vs {
		if e.exp > now {
			k.vs[n] = e
			n++
		}
	}
	clear(k.vs[n:])
	k.vs = k.vs[:n]
	return k
}

func (s *listState) Get(key []byte) ([]any, error) {
	now, err := s.begin()
	if err != nil {
		return nil, err
	}
	k := s.live(key, now)
	if k == nil {
		return nil, nil
	}
	out := make([]any, len(k.vs))
	for i, e := range k.vs {
		out[i] = e.v
	}
	return out, nil
}

func (s *listState) touch(key []byte, now int64) *listKey {
	k := s.live(key, now)
	if k == nil {
		k = &listKey{key: string(key)}
		s.keys[k.key] = k
		if s.ttl > 0 {
			k.el = s.order.PushBack(k)
		}
	} else if s.ttl > 0 {
		s.order.MoveToBack(k.el)
	}
	if s.ttl > 0 {
		k.exp = expiry(now, s.ttl)
	}
	return k
}

func (s *listState) Add(key []byte, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	k := s.touch(key, now)
	k.vs = append(k.vs, listElem{v: v, exp: k.exp})
	return nil
}

func (s *listState) Update(key []byte, vs []any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		if k := s.keys[string(key)]; k != nil {
			s.remove(k)
		}
		return nil
	}
	k := s.touch(key, now)
	clear(k.vs)
	k.vs = slices.Grow(k.vs[:0], len(vs))
	for _, v := range vs {
		k.vs = append(k.vs, listElem{v: v, exp: k.exp})
	}
	return nil
}

func (s *listState) Clear(key []byte) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if k := s.keys[string(key)]; k != nil {
		s.remove(k)
	}
	return nil
}
