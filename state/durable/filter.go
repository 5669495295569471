package durable

import "github.com/zeebo/xxh3"

// keyFilter remembers, approximately, the user keys a backend has written to its store: a
// scalable Bloom filter (stages of doubling capacity, 10 bits and 7 probes per key, about 1%
// false positives each). A key it has never seen has nothing in a store that started empty, so
// reading a new key costs no Pebble read at all.
type keyFilter struct {
	stages []*bloomStage
}

type bloomStage struct {
	bits     []uint64
	capacity int
	n        int
}

const (
	filterFirstCapacity = 1 << 16
	filterBitsPerKey    = 10
	filterProbes        = 7
)

func newBloomStage(capacity int) *bloomStage {
	words := (capacity*filterBitsPerKey + 63) / 64
	return &bloomStage{bits: make([]uint64, words), capacity: capacity}
}

// probe calls fn with the bit positions of hash h in a stage of m bits.
func probe(h uint64, m uint64, fn func(bit uint64) bool) bool {
	h1, h2 := h, (h>>32)|1
	for i := range uint64(filterProbes) {
		if !fn((h1 + i*h2) % m) {
			return false
		}
	}
	return true
}

func (s *bloomStage) add(h uint64) {
	m := uint64(len(s.bits)) * 64
	probe(h, m, func(b uint64) bool { s.bits[b/64] |= 1 << (b % 64); return true })
	s.n++
}

func (s *bloomStage) has(h uint64) bool {
	m := uint64(len(s.bits)) * 64
	return probe(h, m, func(b uint64) bool { return s.bits[b/64]&(1<<(b%64)) != 0 })
}

// add records a written key.
func (f *keyFilter) add(key string) {
	h := xxh3.HashString(key)
	if len(f.stages) > 0 && f.stages[len(f.stages)-1].has(h) {
		return
	}
	if len(f.stages) == 0 || f.stages[len(f.stages)-1].n >= f.stages[len(f.stages)-1].capacity {
		c := filterFirstCapacity
		if len(f.stages) > 0 {
			c = 2 * f.stages[len(f.stages)-1].capacity
		}
		f.stages = append(f.stages, newBloomStage(c))
	}
	f.stages[len(f.stages)-1].add(h)
}

// mayHave reports whether key may have been written (false: certainly not).
func (f *keyFilter) mayHave(key string) bool {
	h := xxh3.HashString(key)
	for _, s := range f.stages {
		if s.has(h) {
			return true
		}
	}
	return false
}
