package state

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newFake() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func mustGet(t *testing.T, s ValueState, key string) (any, bool) {
	t.Helper()
	v, ok, err := s.Get([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return v, ok
}

func TestValueState(t *testing.T) {
	b := NewMemory(nil)
	s, err := b.Value(Descriptor{Name: "v"})
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("k1")
	if err := s.Put(key, 10); err != nil {
		t.Fatal(err)
	}
	key[1] = '2' // the backend must have copied the key
	if v, ok := mustGet(t, s, "k1"); !ok || v != 10 {
		t.Fatalf("k1 = %v %v", v, ok)
	}
	if _, ok := mustGet(t, s, "k2"); ok {
		t.Fatal("k2 present")
	}
	if err := s.Put([]byte("k1"), 11); err != nil {
		t.Fatal(err)
	}
	if v, _ := mustGet(t, s, "k1"); v != 11 {
		t.Fatalf("k1 = %v after overwrite", v)
	}
	_ = s.Put([]byte("k3"), 3)
	var keys []string
	_ = s.Keys(func(k []byte) bool { keys = append(keys, string(k)); return true })
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"k1", "k3"}) {
		t.Fatalf("keys %v", keys)
	}
	n := 0
	_ = s.Keys(func([]byte) bool { n++; return false })
	if n != 1 {
		t.Fatalf("Keys did not stop: %d calls", n)
	}
	_ = s.Delete([]byte("k1"))
	if _, ok := mustGet(t, s, "k1"); ok {
		t.Fatal("k1 present after delete")
	}
	// Registering the same name again returns the same state; another kind is an error.
	s2, err := b.Value(Descriptor{Name: "v"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := mustGet(t, s2, "k3"); v != 3 {
		t.Fatalf("re-registered state lost data: %v", v)
	}
	if _, err := b.Map(Descriptor{Name: "v"}); err == nil || err.Error() != "state 'v' is already registered as a value state, not a map state" {
		t.Fatalf("kind clash: %v", err)
	}
	if _, err := b.List(Descriptor{}); err == nil {
		t.Fatal("nameless descriptor accepted")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get([]byte("k3")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close: %v", err)
	}
}

func TestValueGetNoAlloc(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Hour} {
		t.Run(ttl.String(), func(t *testing.T) {
			b := NewMemory(nil)
			s, _ := b.Value(Descriptor{Name: "v", TTL: ttl})
			key := []byte("some-key")
			_ = s.Put(key, 1)
			if n := testing.AllocsPerRun(100, func() { _, _, _ = s.Get(key) }); n != 0 {
				t.Fatalf("Get allocates %v times", n)
			}
			if n := testing.AllocsPerRun(100, func() { _ = s.Put(key, 1) }); n != 0 {
				t.Fatalf("Put of an existing key allocates %v times", n)
			}
			absent := []byte("absent")
			if n := testing.AllocsPerRun(100, func() { _ = s.Delete(absent) }); n != 0 {
				t.Fatalf("Delete allocates %v times", n)
			}
			// A new key costs its key string and nothing else, once the slices have room.
			_ = s.Delete(key)
			if n := testing.AllocsPerRun(100, func() { _ = s.Put(key, 1); _ = s.Delete(key) }); n != 1 {
				t.Fatalf("Put of a new key allocates %v times, want 1", n)
			}
			m, _ := b.Map(Descriptor{Name: "m", TTL: ttl})
			_ = m.Put(key, "a", 1)
			if n := testing.AllocsPerRun(100, func() { _, _, _ = m.Get(key, "a") }); n != 0 {
				t.Fatalf("map Get allocates %v times", n)
			}
			if n := testing.AllocsPerRun(100, func() { _ = m.Put(key, "a", 1) }); n != 0 {
				t.Fatalf("map Put of an existing entry allocates %v times", n)
			}
		})
	}
}

func TestValueTTL(t *testing.T) {
	for _, ttl := range []time.Duration{time.Second, 10 * 365 * 24 * time.Hour, time.Duration(1<<63 - 1)} {
		t.Run(ttl.String(), func(t *testing.T) {
			c := newFake()
			s, _ := NewMemory(c.now).Value(Descriptor{Name: "v", TTL: ttl})
			_ = s.Put([]byte("a"), 1)
			c.advance(ttl / 2)
			_ = s.Put([]byte("b"), 2)
			c.advance(ttl - ttl/2 - 1) // 1ns before a expires
			if v, ok := mustGet(t, s, "a"); !ok || v != 1 {
				t.Fatalf("a expired early: %v %v", v, ok)
			}
			if ttl == time.Duration(1<<63-1) {
				return // the clock cannot advance past the end of time
			}
			c.advance(1)
			if _, ok := mustGet(t, s, "a"); ok {
				t.Fatal("a visible after its TTL")
			}
			if v, ok := mustGet(t, s, "b"); !ok || v != 2 {
				t.Fatalf("b = %v %v", v, ok)
			}
			// A write restarts the TTL.
			_ = s.Put([]byte("b"), 3)
			c.advance(ttl - 1)
			if v, ok := mustGet(t, s, "b"); !ok || v != 3 {
				t.Fatalf("b expired despite rewrite: %v %v", v, ok)
			}
			c.advance(1)
			var keys []string
			_ = s.Keys(func(k []byte) bool { keys = append(keys, string(k)); return true })
			if len(keys) != 0 {
				t.Fatalf("expired keys listed: %v", keys)
			}
		})
	}
}

// TestTTLSweepBoundsMemory writes many keys that are never touched again and checks that later
// operations on other keys remove them.
func TestTTLSweepBoundsMemory(t *testing.T) {
	c := newFake()
	b := NewMemory(c.now)
	vs, _ := b.Value(Descriptor{Name: "v", TTL: time.Minute})
	ms, _ := b.Map(Descriptor{Name: "m", TTL: time.Minute})
	ls, _ := b.List(Descriptor{Name: "l", TTL: time.Minute})
	for i := range 1000 {
		k := []byte(fmt.Sprint("old", i))
		_ = vs.Put(k, i)
		_ = ms.Put(k, "x", i)
		_ = ls.Add(k, i)
	}
	c.advance(time.Hour)
	for range 1000 / sweepBatch {
		_ = vs.Put([]byte("new"), 1)
		_ = ms.Put([]byte("new"), "x", 1)
		_ = ls.Add([]byte("new"), 1)
	}
	v := vs.(*ttlValueState)
	m := ms.(*ttlMapState)
	l := ls.(*listState)
	if len(v.m) != 1 || v.q.live != 1 {
		t.Fatalf("value state holds %d keys, %d queued", len(v.m), v.q.live)
	}
	if len(m.keys) != 1 || m.q.live != 1 {
		t.Fatalf("map state holds %d keys, %d queued", len(m.keys), m.q.live)
	}
	if len(l.keys) != 1 || l.q.live != 1 {
		t.Fatalf("list state holds %d keys, %d queued", len(l.keys), l.q.live)
	}
}

func TestMapState(t *testing.T) {
	c := newFake()
	s, err := NewMemory(c.now).Map(Descriptor{Name: "m", TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	k := []byte("key")
	if empty, _ := s.IsEmpty(k); !empty {
		t.Fatal("new key not empty")
	}
	_ = s.Put(k, "a", 1)
	c.advance(30 * time.Second)
	_ = s.Put(k, "b", 2)
	_ = s.Put([]byte("other"), "a", 9)
	collect := func() map[string]any {
		out := map[string]any{}
		if err := s.Range(k, func(mk string, v any) bool { out[mk] = v; return true }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := collect(); len(got) != 2 || got["a"] != 1 || got["b"] != 2 {
		t.Fatalf("range %v", got)
	}
	c.advance(30 * time.Second) // a expires
	if _, ok, _ := s.Get(k, "a"); ok {
		t.Fatal("a visible after TTL")
	}
	if got := collect(); len(got) != 1 || got["b"] != 2 {
		t.Fatalf("range after expiry %v", got)
	}
	if empty, _ := s.IsEmpty(k); empty {
		t.Fatal("key with b is empty")
	}
	_ = s.Delete(k, "b")
	if empty, _ := s.IsEmpty(k); !empty {
		t.Fatal("key not empty after deleting b")
	}
	_ = s.Put(k, "c", 3)
	_ = s.Clear(k)
	if got := collect(); len(got) != 0 {
		t.Fatalf("range after clear %v", got)
	}
	if v, ok, _ := s.Get([]byte("other"), "a"); !ok || v != 9 {
		t.Fatalf("other key affected: %v %v", v, ok)
	}
	c.advance(time.Minute)
	if empty, _ := s.IsEmpty([]byte("other")); !empty {
		t.Fatal("other not expired")
	}
	if ms := s.(*ttlMapState); len(ms.keys) != 0 || ms.q.live != 0 {
		t.Fatalf("map state not empty: %d keys, %d queued", len(ms.keys), ms.q.live)
	}
}

func TestListState(t *testing.T) {
	c := newFake()
	s, _ := NewMemory(c.now).List(Descriptor{Name: "l", TTL: time.Minute})
	k := []byte("k")
	get := func() []any {
		vs, err := s.Get(k)
		if err != nil {
			t.Fatal(err)
		}
		return vs
	}
	_ = s.Add(k, 1)
	c.advance(40 * time.Second)
	_ = s.Add(k, 2)
	if got := get(); !slices.Equal(got, []any{1, 2}) {
		t.Fatalf("got %v", got)
	}
	got := get()
	got[0] = 99                 // the caller owns the returned slice
	c.advance(20 * time.Second) // 1 expires
	if got := get(); !slices.Equal(got, []any{2}) {
		t.Fatalf("after expiry got %v", got)
	}
	_ = s.Update(k, []any{7, 8})
	c.advance(59 * time.Second)
	if got := get(); !slices.Equal(got, []any{7, 8}) {
		t.Fatalf("after update got %v", got)
	}
	c.advance(time.Second)
	if got := get(); got != nil {
		t.Fatalf("after TTL got %v", got)
	}
	_ = s.Add(k, 5)
	_ = s.Clear(k)
	if got := get(); got != nil {
		t.Fatalf("after clear got %v", got)
	}
	_ = s.Add(k, 6)
	_ = s.Update(k, nil)
	if got := get(); got != nil {
		t.Fatalf("after empty update got %v", got)
	}
}

func TestNoTTLNeverReadsClock(t *testing.T) {
	b := NewMemory(func() time.Time { panic("clock read without TTL") })
	v, _ := b.Value(Descriptor{Name: "v"})
	m, _ := b.Map(Descriptor{Name: "m"})
	l, _ := b.List(Descriptor{Name: "l"})
	_ = v.Put([]byte("k"), 1)
	_, _, _ = v.Get([]byte("k"))
	_ = m.Put([]byte("k"), "a", 1)
	_ = m.Range([]byte("k"), func(string, any) bool { return true })
	_ = l.Add([]byte("k"), 1)
	if got, _ := l.Get([]byte("k")); !slices.Equal(got, []any{1}) {
		t.Fatalf("list %v", got)
	}
}
