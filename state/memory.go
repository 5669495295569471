package state

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unsafe"
)

// ErrClosed is returned by the states of a closed in-memory backend.
var ErrClosed = errors.New("state backend is closed")

// compactMin is the node count below which the slices of a state are never compacted: small
// states gain nothing from it.
const compactMin = 1024

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
//
// Memory: entries live by value in Go maps and slices, so a key costs no allocation besides its
// key string, and the garbage collector traces a handful of large objects instead of one or two
// small ones per key. States without a TTL keep no expiry bookkeeping. Slices holding the
// entries shrink again once three quarters of their slots are free.
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

type memState interface {
	kind() string
	// entries counts stored entries: values, map entries or list elements (expired entries
	// not yet swept included).
	entries() int64
}

// Entries returns the number of entries stored in all states (see Sizer).
func (b *memory) Entries() int64 {
	var n int64
	for _, s := range b.states {
		n += s.entries()
	}
	return n
}

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
		if ttl := ttlNanos(d); ttl > 0 {
			return &ttlValueState{b: b, ttl: ttl, m: map[string]uint32{}}
		}
		return &valueState{b: b, m: map[string]uint32{}}
	})
	if err != nil {
		return nil, err
	}
	return s.(ValueState), nil
}

// Map returns the map state named d.Name, creating it on first use.
func (b *memory) Map(d Descriptor) (MapState, error) {
	s, err := b.register(d, "map", func() memState {
		if ttl := ttlNanos(d); ttl > 0 {
			return &ttlMapState{b: b, ttl: ttl, keys: map[string]map[string]uint32{}}
		}
		return &mapState{b: b, keys: map[string]map[string]any{}}
	})
	if err != nil {
		return nil, err
	}
	return s.(MapState), nil
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

// errFull is returned when a state would exceed the number of entries an index can address.
var errFull = fmt.Errorf("in-memory state is full: it holds at most %d entries per state and subtask", uint64(math.MaxUint32-1))

// sparse reports whether a slice of n slots of which live are in use should be compacted.
func sparse(n, live int) bool { return n > compactMin && live < n/4 }

// ---- expiry queue ----

// ttlQueue holds the entries of a state with a TTL in order of last write, oldest first: a doubly
// linked list whose nodes live in one slice and link by index, so that an entry costs no
// allocation and the garbage collector scans one object for all of them. Index 0 is the nil
// link and never holds an entry; freed nodes are chained through next and reused.
type ttlQueue[P any] struct {
	nodes            []ttlNode[P]
	head, tail, free uint32
	live             int
}

type ttlNode[P any] struct {
	p          P
	exp        int64
	prev, next uint32
}

// push appends an entry expiring at exp and returns its index.
func (q *ttlQueue[P]) push(p P, exp int64) (uint32, error) {
	i := q.free
	if i != 0 {
		q.free = q.nodes[i].next
	} else {
		if len(q.nodes) == 0 {
			q.nodes = append(q.nodes, ttlNode[P]{})
		}
		if len(q.nodes) >= math.MaxUint32 {
			return 0, errFull
		}
		i = uint32(len(q.nodes))
		q.nodes = append(q.nodes, ttlNode[P]{})
	}
	q.nodes[i] = ttlNode[P]{p: p, exp: exp}
	q.link(i)
	q.live++
	return i, nil
}

// link appends the unlinked node i at the tail.
func (q *ttlQueue[P]) link(i uint32) {
	n := &q.nodes[i]
	n.prev, n.next = q.tail, 0
	if q.tail != 0 {
		q.nodes[q.tail].next = i
	} else {
		q.head = i
	}
	q.tail = i
}

func (q *ttlQueue[P]) unlink(i uint32) {
	n := &q.nodes[i]
	if n.prev != 0 {
		q.nodes[n.prev].next = n.next
	} else {
		q.head = n.next
	}
	if n.next != 0 {
		q.nodes[n.next].prev = n.prev
	} else {
		q.tail = n.prev
	}
}

// rewrite moves node i to the tail with the new expiry exp.
func (q *ttlQueue[P]) rewrite(i uint32, exp int64) {
	if q.tail != i {
		q.unlink(i)
		q.link(i)
	}
	q.nodes[i].exp = exp
}

// remove frees node i, dropping its references.
func (q *ttlQueue[P]) remove(i uint32) {
	q.unlink(i)
	q.nodes[i] = ttlNode[P]{next: q.free}
	q.free = i
	q.live--
}

// expired returns the oldest node when it has expired at now, else 0.
func (q *ttlQueue[P]) expired(now int64) uint32 {
	if q.head != 0 && q.nodes[q.head].exp <= now {
		return q.head
	}
	return 0
}

// sparse reports whether the queue should be compacted.
func (q *ttlQueue[P]) sparse() bool { return sparse(len(q.nodes), q.live) }

// compact moves the live nodes, in order, into a new slice with no free nodes, calling moved
// with each node's new index.
func (q *ttlQueue[P]) compact(moved func(p *P, i uint32)) {
	nodes := make([]ttlNode[P], 1, 1+q.live+q.live/2)
	for i := q.head; i != 0; i = q.nodes[i].next {
		j := uint32(len(nodes))
		nodes = append(nodes, ttlNode[P]{p: q.nodes[i].p, exp: q.nodes[i].exp, prev: j - 1, next: j + 1})
		moved(&nodes[j].p, j)
	}
	q.nodes, q.free = nodes, 0
	q.head, q.tail = 0, 0
	if last := uint32(len(nodes) - 1); last > 0 {
		nodes[last].next = 0
		q.head, q.tail = 1, last
	}
}

// ---- value state ----

// valueState is a value state without a TTL: m maps each key to its value's index in vals.
// Values are held in a slice rather than in the map so that a Put of an existing key updates
// them in place, without building a key string.
type valueState struct {
	b    *memory
	m    map[string]uint32
	vals []any
	free []uint32 // unused indexes of vals
}

func (*valueState) kind() string { return "value" }

func (s *valueState) entries() int64 { return int64(len(s.m)) }

func (s *valueState) Get(key []byte) (any, bool, error) {
	if s.b.closed {
		return nil, false, ErrClosed
	}
	i, ok := s.m[string(key)]
	if !ok {
		return nil, false, nil
	}
	return s.vals[i], true, nil
}

func (s *valueState) Put(key []byte, v any) error {
	if s.b.closed {
		return ErrClosed
	}
	if i, ok := s.m[string(key)]; ok {
		s.vals[i] = v
		return nil
	}
	var i uint32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
		s.vals[i] = v
	} else {
		if len(s.vals) >= math.MaxUint32-1 {
			return errFull
		}
		i = uint32(len(s.vals))
		s.vals = append(s.vals, v)
	}
	s.m[string(key)] = i
	return nil
}

func (s *valueState) Delete(key []byte) error {
	if s.b.closed {
		return ErrClosed
	}
	i, ok := s.m[string(key)]
	if !ok {
		return nil
	}
	delete(s.m, string(key))
	s.vals[i] = nil
	s.free = append(s.free, i)
	if sparse(len(s.vals), len(s.m)) {
		s.compact()
	}
	return nil
}

// compact rebuilds the map and the value slice to the size of the live keys.
func (s *valueState) compact() {
	m := make(map[string]uint32, len(s.m))
	vals := make([]any, 0, len(s.m)+len(s.m)/2)
	for k, i := range s.m {
		m[k] = uint32(len(vals))
		vals = append(vals, s.vals[i])
	}
	s.m, s.vals, s.free = m, vals, nil
}

func (s *valueState) Keys(fn func(key []byte) bool) error {
	if s.b.closed {
		return ErrClosed
	}
	for k := range s.m {
		if !fn(keyBytes(k)) {
			break
		}
	}
	return nil
}

// valueItem is the payload of a value state entry with a TTL.
type valueItem struct {
	key string // the same string as the map key
	v   any
}

// ttlValueState is a value state with a TTL: m maps each key to its entry in q.
type ttlValueState struct {
	b   *memory
	ttl int64
	m   map[string]uint32
	q   ttlQueue[valueItem]
}

func (*ttlValueState) kind() string { return "value" }

func (s *ttlValueState) entries() int64 { return int64(len(s.m)) }

// begin checks the backend, reads the clock, sweeps and, after many expiries, compacts.
func (s *ttlValueState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	now = s.b.now()
	for range sweepBatch {
		i := s.q.expired(now)
		if i == 0 {
			break
		}
		s.remove(i)
	}
	if s.q.sparse() {
		m := make(map[string]uint32, s.q.live)
		s.q.compact(func(p *valueItem, i uint32) { m[p.key] = i })
		s.m = m
	}
	return now, nil
}

func (s *ttlValueState) remove(i uint32) {
	delete(s.m, s.q.nodes[i].p.key)
	s.q.remove(i)
}

func (s *ttlValueState) Get(key []byte) (any, bool, error) {
	now, err := s.begin()
	if err != nil {
		return nil, false, err
	}
	i, ok := s.m[string(key)]
	if !ok {
		return nil, false, nil
	}
	if s.q.nodes[i].exp <= now {
		s.remove(i)
		return nil, false, nil
	}
	return s.q.nodes[i].p.v, true, nil
}

func (s *ttlValueState) Put(key []byte, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	exp := expiry(now, s.ttl)
	if i, ok := s.m[string(key)]; ok {
		s.q.nodes[i].p.v = v
		s.q.rewrite(i, exp)
		return nil
	}
	k := string(key)
	i, err := s.q.push(valueItem{key: k, v: v}, exp)
	if err != nil {
		return err
	}
	s.m[k] = i
	return nil
}

func (s *ttlValueState) Delete(key []byte) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if i, ok := s.m[string(key)]; ok {
		s.remove(i)
	}
	return nil
}

func (s *ttlValueState) Keys(fn func(key []byte) bool) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	for k, i := range s.m {
		if s.q.nodes[i].exp <= now {
			s.remove(i) // deleting during range is allowed
			continue
		}
		if !fn(keyBytes(k)) {
			break
		}
	}
	return nil
}

// ---- map state ----

// mapState is a map state without a TTL: keys maps each key to its non-empty map.
type mapState struct {
	b    *memory
	keys map[string]map[string]any
}

func (*mapState) kind() string { return "map" }

func (s *mapState) entries() int64 {
	var n int64
	for _, m := range s.keys {
		n += int64(len(m))
	}
	return n
}

func (s *mapState) Get(key []byte, mk string) (any, bool, error) {
	if s.b.closed {
		return nil, false, ErrClosed
	}
	v, ok := s.keys[string(key)][mk]
	return v, ok, nil
}

func (s *mapState) Put(key []byte, mk string, v any) error {
	if s.b.closed {
		return ErrClosed
	}
	m := s.keys[string(key)]
	if m == nil {
		m = map[string]any{}
		s.keys[string(key)] = m
	}
	m[mk] = v
	return nil
}

func (s *mapState) Delete(key []byte, mk string) error {
	if s.b.closed {
		return ErrClosed
	}
	if m := s.keys[string(key)]; m != nil {
		delete(m, mk)
		if len(m) == 0 {
			delete(s.keys, string(key))
		}
	}
	return nil
}

func (s *mapState) Range(key []byte, fn func(mk string, v any) bool) error {
	if s.b.closed {
		return ErrClosed
	}
	for mk, v := range s.keys[string(key)] {
		if !fn(mk, v) {
			break
		}
	}
	return nil
}

func (s *mapState) Clear(key []byte) error {
	if s.b.closed {
		return ErrClosed
	}
	delete(s.keys, string(key))
	return nil
}

func (s *mapState) IsEmpty(key []byte) (bool, error) {
	if s.b.closed {
		return false, ErrClosed
	}
	return len(s.keys[string(key)]) == 0, nil
}

// mapItem is the payload of a map state entry with a TTL.
type mapItem struct {
	key string // the same string as the key in ttlMapState.keys
	mk  string
	v   any
}

// ttlMapState is a map state with a TTL: keys maps each key to its non-empty map from map key
// to entry in q, which orders the map entries of all keys.
type ttlMapState struct {
	b    *memory
	ttl  int64
	keys map[string]map[string]uint32
	q    ttlQueue[mapItem]
}

func (*ttlMapState) kind() string { return "map" }

func (s *ttlMapState) entries() int64 {
	var n int64
	for _, m := range s.keys {
		n += int64(len(m))
	}
	return n
}

func (s *ttlMapState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	now = s.b.now()
	for range sweepBatch {
		i := s.q.expired(now)
		if i == 0 {
			break
		}
		s.remove(i)
	}
	if s.q.sparse() {
		s.q.compact(func(p *mapItem, i uint32) { s.keys[p.key][p.mk] = i })
	}
	return now, nil
}

// remove deletes one entry, and its key when that was the key's last entry.
func (s *ttlMapState) remove(i uint32) {
	p := &s.q.nodes[i].p
	m := s.keys[p.key]
	delete(m, p.mk)
	if len(m) == 0 {
		delete(s.keys, p.key)
	}
	s.q.remove(i)
}

func (s *ttlMapState) Get(key []byte, mk string) (any, bool, error) {
	now, err := s.begin()
	if err != nil {
		return nil, false, err
	}
	i, ok := s.keys[string(key)][mk]
	if !ok {
		return nil, false, nil
	}
	if s.q.nodes[i].exp <= now {
		s.remove(i)
		return nil, false, nil
	}
	return s.q.nodes[i].p.v, true, nil
}

func (s *ttlMapState) Put(key []byte, mk string, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	exp := expiry(now, s.ttl)
	m := s.keys[string(key)]
	if i, ok := m[mk]; ok {
		s.q.nodes[i].p.v = v
		s.q.rewrite(i, exp)
		return nil
	}
	var k string
	for _, j := range m {
		k = s.q.nodes[j].p.key // reuse the key string of the key's other entries
		break
	}
	if m == nil {
		k = string(key)
	}
	i, err := s.q.push(mapItem{key: k, mk: mk, v: v}, exp)
	if err != nil {
		return err
	}
	if m == nil {
		m = map[string]uint32{}
		s.keys[k] = m
	}
	m[mk] = i
	return nil
}

func (s *ttlMapState) Delete(key []byte, mk string) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	if i, ok := s.keys[string(key)][mk]; ok {
		s.remove(i)
	}
	return nil
}

func (s *ttlMapState) Range(key []byte, fn func(mk string, v any) bool) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	for mk, i := range s.keys[string(key)] {
		if s.q.nodes[i].exp <= now {
			s.remove(i) // deleting during range is allowed
			continue
		}
		if !fn(mk, s.q.nodes[i].p.v) {
			break
		}
	}
	return nil
}

func (s *ttlMapState) Clear(key []byte) error {
	if _, err := s.begin(); err != nil {
		return err
	}
	m := s.keys[string(key)]
	for _, i := range m {
		s.q.remove(i)
	}
	delete(s.keys, string(key))
	return nil
}

func (s *ttlMapState) IsEmpty(key []byte) (bool, error) {
	now, err := s.begin()
	if err != nil {
		return false, err
	}
	for _, i := range s.keys[string(key)] {
		if s.q.nodes[i].exp > now {
			return false, nil
		}
		s.remove(i)
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
	qi  uint32 // the key's node in listState.q, only with a TTL
}

// listState holds a list per key. With a TTL, q orders the keys by last write; the expiry of
// a key's node is that of its newest element: once it passes, the whole list has expired.
type listState struct {
	b    *memory
	ttl  int64
	keys map[string]*listKey
	q    ttlQueue[*listKey]
}

func (*listState) kind() string { return "list" }

func (s *listState) entries() int64 {
	var n int64
	for _, k := range s.keys {
		n += int64(len(k.vs))
	}
	return n
}

func (s *listState) begin() (now int64, err error) {
	if s.b.closed {
		return 0, ErrClosed
	}
	if s.ttl == 0 {
		return 0, nil
	}
	now = s.b.now()
	for range sweepBatch {
		i := s.q.expired(now)
		if i == 0 {
			break
		}
		s.remove(s.q.nodes[i].p)
	}
	if s.q.sparse() {
		s.q.compact(func(p **listKey, i uint32) { (*p).qi = i })
	}
	return now, nil
}

func (s *listState) remove(k *listKey) {
	if s.ttl > 0 {
		s.q.remove(k.qi)
	}
	delete(s.keys, k.key)
}

// live returns key's entry with expired elements dropped, or nil when nothing is left.
func (s *listState) live(key []byte, now int64) *listKey {
	k := s.keys[string(key)]
	if k == nil || s.ttl == 0 {
		return k
	}
	if s.q.nodes[k.qi].exp <= now {
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

// touch returns key's entry, created if needed, written at now, and the expiry of the write.
func (s *listState) touch(key []byte, now int64) (*listKey, int64, error) {
	var exp int64
	if s.ttl > 0 {
		exp = expiry(now, s.ttl)
	}
	k := s.live(key, now)
	switch {
	case k == nil:
		k = &listKey{key: string(key)}
		if s.ttl > 0 {
			i, err := s.q.push(k, exp)
			if err != nil {
				return nil, 0, err
			}
			k.qi = i
		}
		s.keys[k.key] = k
	case s.ttl > 0:
		s.q.rewrite(k.qi, exp)
	}
	return k, exp, nil
}

func (s *listState) Add(key []byte, v any) error {
	now, err := s.begin()
	if err != nil {
		return err
	}
	k, exp, err := s.touch(key, now)
	if err != nil {
		return err
	}
	k.vs = append(k.vs, listElem{v: v, exp: exp})
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
	k, exp, err := s.touch(key, now)
	if err != nil {
		return err
	}
	clear(k.vs)
	k.vs = slices.Grow(k.vs[:0], len(vs))
	for _, v := range vs {
		k.vs = append(k.vs, listElem{v: v, exp: exp})
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
