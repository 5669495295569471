package state

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// benchKeys is the number of distinct keys the value-state benchmarks work over.
const benchKeys = 1 << 20

// benchKeySet returns n distinct keys shaped like encoded grouping keys (a length-prefixed
// decimal id, 8..15 bytes).
func benchKeySet(n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = strconv.AppendInt([]byte("\x01\x00\x00\x00k"), int64(i)*7919, 10)
	}
	return keys
}

// benchValue is stored for every key; a pointer, as operators store accumulators, so that
// boxing it into an any does not allocate.
var benchValue = new(int64)

func benchTTLs() []time.Duration { return []time.Duration{0, time.Hour} }

func ttlName(ttl time.Duration) string {
	if ttl == 0 {
		return "ttl=none"
	}
	return "ttl=" + ttl.String()
}

// BenchmarkValueInsert measures filling an empty value state with 1M keys: B/op and allocs/op
// are per 1M inserted keys, and heapB/key is the heap the state retains per key.
func BenchmarkValueInsert(b *testing.B) {
	keys := benchKeySet(benchKeys)
	for _, ttl := range benchTTLs() {
		b.Run(ttlName(ttl), func(b *testing.B) {
			c := newFake()
			var retained uint64
			b.ReportAllocs()
			for b.Loop() {
				var before, after runtime.MemStats
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.StartTimer()
				s, err := NewMemory(c.now).Value(Descriptor{Name: "v", TTL: ttl})
				if err != nil {
					b.Fatal(err)
				}
				for _, k := range keys {
					if err := s.Put(k, benchValue); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(s)
				retained = after.HeapAlloc - before.HeapAlloc
				b.StartTimer()
			}
			b.ReportMetric(float64(retained)/benchKeys, "heapB/key")
		})
	}
}

// filledValueState returns a value state holding every key of keys.
func filledValueState(b *testing.B, clock Clock, ttl time.Duration, keys [][]byte) ValueState {
	b.Helper()
	s, err := NewMemory(clock).Value(Descriptor{Name: "v", TTL: ttl})
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range keys {
		if err := s.Put(k, benchValue); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkValuePut measures overwriting existing keys of a value state holding 1M keys, in a
// scattered order: B/op and allocs/op are per Put.
func BenchmarkValuePut(b *testing.B) {
	keys := benchKeySet(benchKeys)
	for _, ttl := range benchTTLs() {
		b.Run(ttlName(ttl), func(b *testing.B) {
			c := newFake()
			s := filledValueState(b, c.now, ttl, keys)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := s.Put(keys[i&(benchKeys-1)], benchValue); err != nil {
					b.Fatal(err)
				}
				i += 104729 // a prime: visits every key, not in insertion order
			}
		})
	}
}

// BenchmarkValueGet measures looking up keys of a value state holding 1M keys, in a scattered
// order: B/op and allocs/op are per Get.
func BenchmarkValueGet(b *testing.B) {
	keys := benchKeySet(benchKeys)
	for _, ttl := range benchTTLs() {
		b.Run(ttlName(ttl), func(b *testing.B) {
			c := newFake()
			s := filledValueState(b, c.now, ttl, keys)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				v, ok, err := s.Get(keys[i&(benchKeys-1)])
				if err != nil || !ok || v != any(benchValue) {
					b.Fatal(fmt.Sprint("Get = ", v, ok, err))
				}
				i += 104729
			}
		})
	}
}

// BenchmarkValueExpire measures the steady state of a value state with a TTL whose keys all
// expire: every Put inserts a new key and the incremental sweep removes old ones, so B/op and
// allocs/op are per Put including its share of expiry.
func BenchmarkValueExpire(b *testing.B) {
	keys := benchKeySet(benchKeys)
	c := newFake()
	s := filledValueState(b, c.now, time.Second, keys[:benchKeys/2])
	b.ReportAllocs()
	i := benchKeys / 2
	for b.Loop() {
		c.advance(time.Second / benchKeys * 2) // the oldest key expires as each new one comes
		if err := s.Put(keys[i&(benchKeys-1)], benchValue); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
