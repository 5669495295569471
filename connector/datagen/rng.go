package datagen

import "math/bits"

// rng is a splitmix64 stream; each (split, column) has its own, so a column's values do not
// depend on which other columns are read.
type rng struct{ s uint64 }

const golden = 0x9E3779B97F4A7C15

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func newRNG(seed, key uint64) rng { return rng{s: mix64(seed ^ mix64(key*golden+1))} }

func (r *rng) next() uint64 {
	r.s += golden
	return mix64(r.s)
}

// bounded returns a value uniform in [0, n) for n > 0.
func (r *rng) bounded(n uint64) uint64 {
	hi, _ := bits.Mul64(r.next(), n)
	return hi
}

func (r *rng) float() float64 { return float64(r.next()>>11) * (1.0 / (1 << 53)) }
