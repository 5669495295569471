// Package state is the keyed-state seam: operators keep all their state through it, so that a
// durable backend (an LSM store with checkpoints) can replace the in-memory one without operator
// changes.
//
// State is scoped to one operator subtask and partitioned by key. A key is the operator's
// encoded grouping key ([]byte, built by chunk.EncodeKey); each key belongs to one of
// MaxKeyGroups key groups (KeyGroup), the unit in which state moves when parallelism changes.
//
// Concurrency: a Backend and the states it returns are used by one goroutine (the subtask's).
//
// Values: Get returns the stored value. In-memory backends return the very object stored, a
// durable backend returns a decoded copy; so a caller that changes a value must Put it again,
// and must not keep using it after a Put of another value. Byte slices passed in (keys) are not
// retained after the call returns.
package state

import (
	"time"

	"github.com/zeebo/xxh3"
)

// MaxKeyGroups is the number of key groups, the upper bound of an operator's parallelism.
const MaxKeyGroups = 128

// KeyGroup returns the key group of an encoded key. It is stable across processes and versions:
// state on disk and exchange routing depend on it.
func KeyGroup(key []byte) int { return int(xxh3.Hash(key) % MaxKeyGroups) }

// SubtaskForKeyGroup returns the subtask that owns key group kg at the given parallelism, with
// contiguous ranges of key groups per subtask (as Flink).
func SubtaskForKeyGroup(kg, parallelism int) int { return kg * parallelism / MaxKeyGroups }

// Codec serializes state values for durable backends. The in-memory backend never calls it.
type Codec interface {
	Encode(dst []byte, v any) ([]byte, error)
	Decode(src []byte) (any, error)
}

// Descriptor names a state and says how it lives.
type Descriptor struct {
	// Name is unique within the operator and stable across versions (it names data on disk).
	Name string
	// TTL, when positive, expires an entry TTL after its last write (Flink's OnCreateAndWrite);
	// expired entries are never returned. Any length is allowed.
	TTL time.Duration
	// Codec encodes values (and, for map states, nothing else: map keys are strings).
	Codec Codec
}

// Backend creates the states of one operator subtask.
type Backend interface {
	Value(d Descriptor) (ValueState, error)
	Map(d Descriptor) (MapState, error)
	List(d Descriptor) (ListState, error)
	// Close releases resources.
	Close() error
}

// ValueState holds one value per key.
type ValueState interface {
	Get(key []byte) (v any, ok bool, err error)
	Put(key []byte, v any) error
	Delete(key []byte) error
	// Keys calls fn for every live key, in no particular order, until fn returns false. fn must
	// not modify the state nor write into the key bytes it is given (it may keep them).
	Keys(fn func(key []byte) bool) error
}

// MapState holds a map from string to value per key.
type MapState interface {
	Get(key []byte, mk string) (v any, ok bool, err error)
	Put(key []byte, mk string, v any) error
	Delete(key []byte, mk string) error
	// Range calls fn for each entry of key's map, in no particular order, until fn returns false.
	// fn must not modify the state.
	Range(key []byte, fn func(mk string, v any) bool) error
	// Clear removes key's whole map.
	Clear(key []byte) error
	// IsEmpty reports whether key's map has no live entries.
	IsEmpty(key []byte) (bool, error)
}

// ListState holds a list of values per key.
type ListState interface {
	Get(key []byte) ([]any, error)
	Add(key []byte, v any) error
	Update(key []byte, vs []any) error
	Clear(key []byte) error
}

// Sizer is implemented by backends that can count what they hold. Entries is the number of
// stored entries over all states: one per value-state key, per map entry and per list element.
// Benchmarks and state-size tests use it; it may walk all keys, so it is not for hot paths.
type Sizer interface {
	Entries() int64
}

// Clock is the processing-time clock that TTL is measured against.
type Clock func() time.Time

// Checkpointer is implemented by backends whose contents can be checkpointed.
type Checkpointer interface {
	// Checkpoint writes everything the backend caches in memory to its store, then a consistent
	// copy of its contents into dir, which must not exist yet, as files that never change once
	// written (a file name that appears in two checkpoints of one backend has the same contents
	// in both, so only new names need copying). Writes after Checkpoint returns are not in it.
	Checkpoint(dir string) error
}
