package nexmark

import "math/bits"

// rng is a splitmix64 stream. Each event seeds its own stream from the event id, so no state is
// shared between events and any event can be generated alone.
type rng struct{ s uint64 }

const golden = 0x9E3779B97F4A7C15

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// newRNG returns the stream for one key (an event id or a table entry) under a seed.
func newRNG(seed uint64, key uint64) rng {
	return rng{s: mix64(seed ^ mix64(key*golden+0x632BE59BD9B4E019))}
}

func (r *rng) next() uint64 {
	r.s += golden
	return mix64(r.s)
}

// intn returns a value uniform in [0, n) for n > 0 (Lemire's multiply-high; the bias for the
// small bounds used here is below 2^-40).
func (r *rng) intn(n int64) int64 {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int64(hi)
}

// float returns a value uniform in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) * (1.0 / (1 << 53))
}
