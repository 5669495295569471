// Package durable is the Pebble state backend: each operator subtask keeps its keyed state in
// its own Pebble store (an embedded LSM) on local disk, so state may be larger than memory and
// can be checkpointed by hard-linking immutable files.
//
// # Layout
//
// Every entry is one Pebble key:
//
//	key group (1 byte) | state id (uvarint) | len(user key) (uvarint) | user key | map key
//
// The key group (state.KeyGroup of the user key, 0..127) comes first, so that a later version
// can move ranges of key groups between subtasks when the parallelism changes. State ids are
// allocated per descriptor name and stored under the reserved prefix 0xFF (above every key
// group), so a restored store maps names to the same ids. Value and map states store one key
// per entry (map states append the map key); a list state stores a key's whole list as one
// value.
//
// A value is [expiry, 8 bytes big-endian µs, only in states with a TTL] then the codec's
// bytes (state.Descriptor.Codec); a list value is a uvarint count, then per element its expiry
// (TTL states), a uvarint length and the codec's bytes.
//
// # Object cache
//
// Operators read a value, change it and put it back, often many times per second for one key.
// The backend keeps decoded values in a cache of at most Options.CacheEntries entries per
// backend; Put only marks the cached entry dirty. Dirty entries are encoded and written in one
// Pebble batch when the cache overflows (the cache is then halved), before an iteration
// of value states (Keys) and at a checkpoint: a value is encoded at most once per
// flush however often it changes. The WAL is disabled: durability comes from checkpoints,
// which flush the cache and the memtable first. A map state is cached per user key as a whole
// (mapGroup). A store that was empty when opened keeps a filter of the user keys it has
// written (filter.go), so reading a key it never wrote costs no Pebble read.
//
// # TTL
//
// Expiry is measured with Options.Clock in microseconds (any duration fits in 64 bits).
// Expired entries are never returned; they are deleted when read, and a background sweep
// (a bounded scan every few hundred writes, resuming where it stopped) deletes the others.
package durable

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"

	"github.com/floedb/floe/state"
)

// Options configure a Backend.
type Options struct {
	// Clock is processing time for TTL; nil means time.Now.
	Clock state.Clock
	// Cache is the block cache, shared by the backends of a job; nil gives the backend a
	// private 8 MB one.
	Cache *Cache
	// MemTableSize is the size of the Pebble write buffer; default 8 MB.
	MemTableSize int
	// CacheEntries bounds the decoded-object cache; default 65536.
	CacheEntries int
}

// Cache is a Pebble block cache shared by several backends.
type Cache struct{ c *pebble.Cache }

// NewCache returns a block cache of the given size in bytes (at least 1 MB).
func NewCache(bytes int64) *Cache { return &Cache{c: pebble.NewCache(max(bytes, 1<<20))} }

// Unref releases the caller's reference; the cache is freed when every backend using it has
// closed too.
func (c *Cache) Unref() { c.c.Unref() }

const (
	metaPrefix      = 0xff
	defaultEntries  = 1 << 16
	defaultMemTable = 8 << 20
	// sweepEvery writes, the backend scans sweepScan keys for expired entries.
	sweepEvery = 256
	sweepScan  = 512
)

// Backend is a state.Backend on Pebble. Like every backend it is used by one goroutine.
type Backend struct {
	db     *pebble.DB
	dir    string
	clock  state.Clock
	states map[string]*stateInfo
	byID   map[uint64]*stateInfo
	nextID uint64
	closed bool

	cache    map[string]*entry
	dirty    []*entry
	maxCache int
	// cached counts the values in the cache (map entries one by one).
	cached int
	batch  *pebble.Batch

	writes    int
	sweepFrom []byte
	// iter is reused by map loads until the next batch commit changes the store.
	iter *pebble.Iterator
	// fresh means the store held no state when opened; written then knows every user key
	// (prefix) written since, so a key it has not seen needs no read.
	fresh   bool
	written keyFilter

	kbuf []byte
	vbuf []byte
}

// stateInfo is a registered state.
type stateInfo struct {
	id    uint64
	name  string
	kind  byte // 'v', 'm', 'l'
	ttl   int64
	codec state.Codec
}

// entry is a cached value: the decoded object (a []listElem for lists), its expiry, and
// whether it differs from Pebble (dirty) or was deleted.
type entry struct {
	key     string
	st      *stateInfo
	v       any
	exp     int64
	dirty   bool
	deleted bool
	// grp is a map state's whole map of one user key (key is then the user key's prefix).
	grp *mapGroup
}

// mapGroup caches a map state's entries of one user key. loaded means every stored entry is
// in entries, so Range, IsEmpty and Clear need not read Pebble; otherwise entries holds what
// was read or written so far. dirty lists the map keys changed since the last flush.
type mapGroup struct {
	entries map[string]*mval
	loaded  bool
	dirty   []string
}

// mval is one cached map entry.
type mval struct {
	v       any
	exp     int64
	dirty   bool
	deleted bool
}

type listElem struct {
	v   any
	exp int64
}

// Open opens (creating if needed) a backend in dir. A directory holding a checkpoint that
// Checkpoint wrote (copied back) opens with that checkpoint's state.
func Open(dir string, opts Options) (*Backend, error) {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.CacheEntries <= 0 {
		opts.CacheEntries = defaultEntries
	}
	if opts.MemTableSize <= 0 {
		opts.MemTableSize = defaultMemTable
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create state directory %s: %w", dir, err)
	}
	po := &pebble.Options{
		Comparer:              comparer,
		DisableWAL:            true,
		MemTableSize:          uint64(opts.MemTableSize),
		L0CompactionThreshold: 4,
		L0StopWritesThreshold: 64,
		Logger:                quietLogger{},
	}
	// Bloom filters make point reads of absent keys (a new group, a new join key) cheap.
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	if opts.Cache != nil {
		po.Cache = opts.Cache.c
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("cannot open state store %s: %w", dir, err)
	}
	b := &Backend{
		db: db, dir: dir, clock: opts.Clock,
		states: map[string]*stateInfo{}, byID: map[uint64]*stateInfo{},
		cache: map[string]*entry{}, maxCache: opts.CacheEntries,
		batch: db.NewBatch(),
	}
	if err := b.loadMeta(); err != nil {
		db.Close()
		return nil, err
	}
	it, err := db.NewIter(&pebble.IterOptions{UpperBound: []byte{metaPrefix}})
	if err != nil {
		db.Close()
		return nil, b.wrap("", err)
	}
	b.fresh = !it.First()
	if err := it.Close(); err != nil {
		db.Close()
		return nil, b.wrap("", err)
	}
	return b, nil
}

// comparer orders keys bytewise and splits them after the user key (key group, state id,
// length, user key), so that Bloom filters and prefix seeks work per user key: loading the map
// of a key that was never stored reads no table.
var comparer = func() *pebble.Comparer {
	c := *pebble.DefaultComparer
	c.Name = "floe.state.v1"
	c.Split = splitUserKey
	return &c
}()

// splitUserKey returns the length of a key's prefix up to the end of its user key (the whole
// key for reserved keys).
func splitUserKey(k []byte) int {
	if len(k) == 0 || k[0] == metaPrefix {
		return len(k)
	}
	_, n := binary.Uvarint(k[1:])
	if n <= 0 {
		return len(k)
	}
	l, m := binary.Uvarint(k[1+n:])
	if m <= 0 || uint64(len(k)-1-n-m) < l {
		return len(k)
	}
	return 1 + n + m + int(l)
}

// quietLogger drops Pebble's informational logs and keeps its errors as errors of calls.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("pebble: "+format, args...))
}

// loadMeta reads the registered state names and ids.
func (b *Backend) loadMeta() error {
	it, err := b.db.NewIter(&pebble.IterOptions{LowerBound: []byte{metaPrefix}, UpperBound: []byte{metaPrefix, 0xff}})
	if err != nil {
		return b.wrap("", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		name := string(it.Key()[1:])
		v := it.Value()
		id, n := binary.Uvarint(v)
		if n <= 0 || len(v) != n+1 {
			return fmt.Errorf("state store %s: corrupt registration of state '%s'", b.dir, name)
		}
		si := &stateInfo{id: id, name: name, kind: v[n]}
		b.states[name] = si
		b.byID[id] = si
		b.nextID = max(b.nextID, id+1)
	}
	return b.wrap("", it.Error())
}

func (b *Backend) wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	if name == "" {
		return fmt.Errorf("state store %s: %w", b.dir, err)
	}
	return fmt.Errorf("state '%s' in %s: %w", name, b.dir, err)
}

// register returns the state of a descriptor, allocating its id on first use.
func (b *Backend) register(d state.Descriptor, kind byte) (*stateInfo, error) {
	if b.closed {
		return nil, state.ErrClosed
	}
	if d.Codec == nil {
		return nil, fmt.Errorf("state '%s' has no codec: the pebble backend cannot store it", d.Name)
	}
	si := b.states[d.Name]
	if si == nil {
		si = &stateInfo{id: b.nextID, name: d.Name, kind: kind}
		b.nextID++
		v := binary.AppendUvarint(nil, si.id)
		v = append(v, kind)
		if err := b.db.Set(append([]byte{metaPrefix}, d.Name...), v, pebble.NoSync); err != nil {
			return nil, b.wrap(d.Name, err)
		}
		b.states[d.Name] = si
		b.byID[si.id] = si
	} else if si.kind != kind {
		return nil, fmt.Errorf("state '%s' is a %s state, not a %s state", d.Name, kindName(si.kind), kindName(kind))
	}
	si.codec = d.Codec
	si.ttl = 0
	if d.TTL > 0 {
		si.ttl = max(d.TTL.Microseconds(), 1)
	}
	return si, nil
}

func kindName(k byte) string {
	switch k {
	case 'v':
		return "value"
	case 'm':
		return "map"
	}
	return "list"
}

// Value implements state.Backend.
func (b *Backend) Value(d state.Descriptor) (state.ValueState, error) {
	si, err := b.register(d, 'v')
	if err != nil {
		return nil, err
	}
	return &valueState{b: b, si: si}, nil
}

// Map implements state.Backend.
func (b *Backend) Map(d state.Descriptor) (state.MapState, error) {
	si, err := b.register(d, 'm')
	if err != nil {
		return nil, err
	}
	return &mapState{b: b, si: si}, nil
}

// List implements state.Backend.
func (b *Backend) List(d state.Descriptor) (state.ListState, error) {
	si, err := b.register(d, 'l')
	if err != nil {
		return nil, err
	}
	return &listState{b: b, si: si}, nil
}

// Close discards what was not checkpointed and closes the store.
func (b *Backend) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	b.closeIter()
	b.batch.Close()
	return b.wrap("", b.db.Close())
}

// now is the clock in microseconds.
func (b *Backend) now() int64 { return b.clock().UnixMicro() }

// expiry returns now+ttl, saturated.
func expiry(now, ttl int64) int64 {
	if now > math.MaxInt64-ttl {
		return math.MaxInt64
	}
	return now + ttl
}

// prefix appends the key prefix of a user key in a state: key group, state id, user key.
func prefix(dst []byte, si *stateInfo, key []byte) []byte {
	dst = append(dst, byte(state.KeyGroup(key)))
	dst = binary.AppendUvarint(dst, si.id)
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	return append(dst, key...)
}

// lookup returns the live entry of a Pebble key (cached or read), or nil.
func (b *Backend) lookup(si *stateInfo, k []byte) (*entry, error) {
	if e, ok := b.cache[string(k)]; ok {
		if e.deleted {
			return nil, nil
		}
		if si.ttl > 0 && si.kind != 'l' && e.exp <= b.now() {
			b.remove(e)
			return nil, nil
		}
		return e, nil
	}
	if !b.stored(string(k)) {
		return nil, nil
	}
	raw, closer, err := b.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, b.wrap(si.name, err)
	}
	e, err := b.decode(si, string(k), raw)
	closer.Close()
	if err != nil {
		return nil, err
	}
	if e == nil { // expired on disk
		b.batch.Delete(k, nil)
		return nil, b.afterWrite()
	}
	b.insert(e)
	return e, b.maybeEvict()
}

// stored reports whether the store may hold entries under user-key prefix p.
func (b *Backend) stored(p string) bool { return !b.fresh || b.written.mayHave(p) }

// decode turns a stored value into a cache entry; nil when it has expired.
func (b *Backend) decode(si *stateInfo, key string, raw []byte) (*entry, error) {
	e := &entry{key: key, st: si}
	if si.kind == 'l' {
		elems, err := b.decodeList(si, raw)
		if err != nil {
			return nil, err
		}
		if len(elems) == 0 {
			return nil, nil
		}
		e.v = elems
		return e, nil
	}
	if si.ttl > 0 {
		if len(raw) < 8 {
			return nil, fmt.Errorf("state '%s': a stored value is truncated", si.name)
		}
		e.exp = int64(binary.BigEndian.Uint64(raw))
		raw = raw[8:]
		if e.exp <= b.now() {
			return nil, nil
		}
	}
	v, err := si.codec.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("cannot decode a value of state '%s': %w", si.name, err)
	}
	e.v = v
	return e, nil
}

func (b *Backend) decodeList(si *stateInfo, raw []byte) ([]listElem, error) {
	n, k := binary.Uvarint(raw)
	if k <= 0 || n > uint64(len(raw)) {
		return nil, fmt.Errorf("state '%s': a stored list is corrupt", si.name)
	}
	raw = raw[k:]
	now := b.now()
	out := make([]listElem, 0, n)
	for range n {
		var exp int64
		if si.ttl > 0 {
			if len(raw) < 8 {
				return nil, fmt.Errorf("state '%s': a stored list is truncated", si.name)
			}
			exp = int64(binary.BigEndian.Uint64(raw))
			raw = raw[8:]
		}
		l, k := binary.Uvarint(raw)
		if k <= 0 || uint64(len(raw)-k) < l {
			return nil, fmt.Errorf("state '%s': a stored list is truncated", si.name)
		}
		elem := raw[k : k+int(l)]
		raw = raw[k+int(l):]
		if si.ttl > 0 && exp <= now {
			continue
		}
		v, err := si.codec.Decode(elem)
		if err != nil {
			return nil, fmt.Errorf("cannot decode a value of state '%s': %w", si.name, err)
		}
		out = append(out, listElem{v: v, exp: exp})
	}
	if len(raw) != 0 {
		return nil, fmt.Errorf("state '%s': a stored list has trailing bytes", si.name)
	}
	return out, nil
}

// insert adds a clean entry to the cache.
func (b *Backend) insert(e *entry) {
	b.cache[e.key] = e
	b.cached++
}

// set caches v as the new value of a Pebble key, dirty.
func (b *Backend) set(si *stateInfo, k []byte, v any, exp int64) error {
	e, ok := b.cache[string(k)]
	if !ok {
		e = &entry{key: string(k), st: si}
		b.insert(e)
	}
	e.v, e.exp, e.deleted = v, exp, false
	b.markDirty(e)
	if err := b.maybeEvict(); err != nil {
		return err
	}
	return b.afterWrite()
}

// remove marks a cached or stored key deleted.
func (b *Backend) remove(e *entry) {
	e.v, e.deleted = nil, true
	b.markDirty(e)
}

// del deletes a Pebble key.
func (b *Backend) del(si *stateInfo, k []byte) error {
	e, ok := b.cache[string(k)]
	if !ok {
		e = &entry{key: string(k), st: si}
		b.insert(e)
	}
	b.remove(e)
	if err := b.maybeEvict(); err != nil {
		return err
	}
	return b.afterWrite()
}

func (b *Backend) markDirty(e *entry) {
	if !e.dirty {
		e.dirty = true
		b.dirty = append(b.dirty, e)
	}
}

// maybeEvict halves the cache when it overflows, writing dirty entries first.
func (b *Backend) maybeEvict() error {
	if b.cached <= b.maxCache {
		return nil
	}
	if err := b.flush(); err != nil {
		return err
	}
	for k, e := range b.cache {
		if b.cached <= b.maxCache/2 {
			break
		}
		delete(b.cache, k)
		b.cached -= e.size()
	}
	return nil
}

// size is the number of values an entry caches.
func (e *entry) size() int {
	if e.grp != nil {
		return len(e.grp.entries)
	}
	return 1
}

// flush writes the dirty entries to Pebble.
func (b *Backend) flush() error {
	if b.closed {
		return state.ErrClosed
	}
	for _, e := range b.dirty {
		if !e.dirty {
			continue
		}
		e.dirty = false
		if e.grp != nil {
			if err := b.flushGroup(e); err != nil {
				return err
			}
			continue
		}
		if e.deleted {
			b.batch.Delete([]byte(e.key), nil)
			delete(b.cache, e.key)
			b.cached--
			continue
		}
		v, err := b.encode(e)
		if err != nil {
			return err
		}
		b.batch.Set([]byte(e.key), v, nil)
		if b.fresh {
			b.written.add(e.key)
		}
		if err := b.commitIfLarge(); err != nil {
			return err
		}
	}
	clear(b.dirty)
	b.dirty = b.dirty[:0]
	return b.commit()
}

// flushGroup writes the changed entries of a cached map.
func (b *Backend) flushGroup(e *entry) error {
	g := e.grp
	k := []byte(e.key)
	n := len(k)
	for _, mk := range g.dirty {
		mv := g.entries[mk]
		if mv == nil || !mv.dirty {
			continue
		}
		mv.dirty = false
		k = append(k[:n], mk...)
		if mv.deleted {
			b.batch.Delete(k, nil)
			delete(g.entries, mk)
			b.cached--
			continue
		}
		v, err := b.encodeValue(e.st, mv.v, mv.exp)
		if err != nil {
			return err
		}
		b.batch.Set(k, v, nil)
		if b.fresh {
			b.written.add(e.key) // the map's user-key prefix
		}
		if err := b.commitIfLarge(); err != nil {
			return err
		}
	}
	clear(g.dirty)
	g.dirty = g.dirty[:0]
	return nil
}

// commit writes the pending batch.
func (b *Backend) commit() error {
	if b.batch.Empty() {
		return nil
	}
	if err := b.closeIter(); err != nil {
		return err
	}
	if err := b.batch.Commit(pebble.NoSync); err != nil {
		return b.wrap("", err)
	}
	b.batch.Reset()
	return nil
}

// maxBatch is the size at which a flush commits its batch and starts another: small batches
// go into the memtable, where reads find them fast; a batch larger than half the memtable
// would be kept as a separate, slower to search, flushable batch.
const maxBatch = 1 << 20

func (b *Backend) commitIfLarge() error {
	if b.batch.Len() < maxBatch {
		return nil
	}
	return b.commit()
}

// prefixIter returns an iterator positioned at the first stored key of user-key prefix p
// (invalid when there is none), moving only within that prefix.
func (b *Backend) prefixIter(p []byte) (*pebble.Iterator, error) {
	if b.iter == nil {
		it, err := b.db.NewIter(nil)
		if err != nil {
			return nil, b.wrap("", err)
		}
		b.iter = it
	}
	b.iter.SeekPrefixGE(p)
	return b.iter, nil
}

func (b *Backend) closeIter() error {
	if b.iter == nil {
		return nil
	}
	err := b.iter.Close()
	b.iter = nil
	return b.wrap("", err)
}

// encode renders an entry's stored value (into a buffer reused by the next call).
func (b *Backend) encode(e *entry) ([]byte, error) {
	si := e.st
	v := b.vbuf[:0]
	var err error
	if si.kind == 'l' {
		elems := e.v.([]listElem)
		v = binary.AppendUvarint(v, uint64(len(elems)))
		var tmp []byte
		for _, el := range elems {
			if si.ttl > 0 {
				v = binary.BigEndian.AppendUint64(v, uint64(el.exp))
			}
			if tmp, err = si.codec.Encode(tmp[:0], el.v); err != nil {
				return nil, fmt.Errorf("cannot encode a value of state '%s': %w", si.name, err)
			}
			v = binary.AppendUvarint(v, uint64(len(tmp)))
			v = append(v, tmp...)
		}
		b.vbuf = v
		return v, nil
	}
	return b.encodeValue(si, e.v, e.exp)
}

// encodeValue renders a value or map entry's stored value (into a reused buffer).
func (b *Backend) encodeValue(si *stateInfo, x any, exp int64) ([]byte, error) {
	v := b.vbuf[:0]
	if si.ttl > 0 {
		v = binary.BigEndian.AppendUint64(v, uint64(exp))
	}
	v, err := si.codec.Encode(v, x)
	if err != nil {
		return nil, fmt.Errorf("cannot encode a value of state '%s': %w", si.name, err)
	}
	b.vbuf = v
	return v, nil
}

// afterWrite counts a write and runs a bounded expiry sweep now and then.
func (b *Backend) afterWrite() error {
	b.writes++
	if b.writes%sweepEvery != 0 {
		return nil
	}
	return b.sweep()
}

// sweep deletes expired entries among the next sweepScan stored keys, resuming where the last
// sweep stopped and wrapping around.
func (b *Backend) sweep() error {
	anyTTL := false
	for _, si := range b.states {
		if si.ttl > 0 {
			anyTTL = true
			break
		}
	}
	if !anyTTL {
		return nil
	}
	it, err := b.db.NewIter(&pebble.IterOptions{LowerBound: b.sweepFrom, UpperBound: []byte{metaPrefix}})
	if err != nil {
		return b.wrap("", err)
	}
	now := b.now()
	n := 0
	var last []byte
	for it.First(); it.Valid() && n < sweepScan; it.Next() {
		n++
		k := it.Key()
		last = append(last[:0], k...)
		id, m := binary.Uvarint(k[1:])
		si := b.byID[id]
		if m <= 0 || si == nil || si.ttl == 0 || si.kind == 'l' {
			continue
		}
		if _, cached := b.cache[string(k)]; cached {
			continue
		}
		raw := it.Value()
		if len(raw) >= 8 && int64(binary.BigEndian.Uint64(raw)) <= now {
			b.batch.Delete(k, nil)
		}
	}
	valid := it.Valid()
	if err := it.Close(); err != nil {
		return b.wrap("", err)
	}
	if valid {
		b.sweepFrom = append(last, 0)
	} else {
		b.sweepFrom = nil // wrap around
	}
	return b.commit()
}

// scan flushes the cache and calls fn for every live stored entry whose key starts with p,
// with the decoded entry (the cached one when cached).
func (b *Backend) scan(si *stateInfo, p []byte, fn func(k []byte, e *entry) (bool, error)) error {
	if err := b.flush(); err != nil {
		return err
	}
	upper := prefixEnd(p)
	it, err := b.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: upper})
	if err != nil {
		return b.wrap(si.name, err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		e, ok := b.cache[string(k)]
		if !ok {
			if e, err = b.decode(si, string(k), it.Value()); err != nil {
				return err
			}
			if e == nil {
				continue // expired: the sweep deletes it
			}
		} else if e.deleted || (si.ttl > 0 && si.kind != 'l' && e.exp <= b.now()) {
			continue
		}
		more, err := fn(k, e)
		if err != nil || !more {
			return err
		}
	}
	return b.wrap(si.name, it.Error())
}

// prefixEnd returns the smallest key after every key that starts with p.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Checkpoint implements state.Checkpointer: it writes the cached changes and the memtable to
// disk and hard-links the store's files into dir.
func (b *Backend) Checkpoint(dir string) error {
	if err := b.flush(); err != nil {
		return err
	}
	if err := b.db.Flush(); err != nil {
		return b.wrap("", err)
	}
	if err := b.db.Checkpoint(dir); err != nil {
		return b.wrap("", fmt.Errorf("cannot checkpoint into %s: %w", dir, err))
	}
	return nil
}

// Entries implements state.Sizer: live values, map entries and list elements.
func (b *Backend) Entries() int64 {
	if b.closed || b.flush() != nil {
		return 0
	}
	it, err := b.db.NewIter(&pebble.IterOptions{UpperBound: []byte{metaPrefix}})
	if err != nil {
		return 0
	}
	defer it.Close()
	now := b.now()
	var n int64
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		id, m := binary.Uvarint(k[1:])
		si := b.byID[id]
		if m <= 0 || si == nil {
			continue
		}
		raw := it.Value()
		switch {
		case si.kind == 'l':
			if elems, err := b.decodeList(si, raw); err == nil {
				n += int64(len(elems))
			}
		case si.ttl > 0 && len(raw) >= 8 && int64(binary.BigEndian.Uint64(raw)) <= now:
		default:
			n++
		}
	}
	return n
}

var (
	_ state.Backend      = (*Backend)(nil)
	_ state.Checkpointer = (*Backend)(nil)
	_ state.Sizer        = (*Backend)(nil)
)

func appendUvarint(dst []byte, v uint64) []byte { return binary.AppendUvarint(dst, v) }

func uvarint(b []byte) (uint64, int) { return binary.Uvarint(b) }
