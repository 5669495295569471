package durable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/floedb/floe/state"
)

// intCodec stores ints as varints.
type intCodec struct{}

func (intCodec) Encode(dst []byte, v any) ([]byte, error) {
	return binary.AppendVarint(dst, int64(v.(int))), nil
}

func (intCodec) Decode(src []byte) (any, error) {
	v, n := binary.Varint(src)
	if n <= 0 || n != len(src) {
		return nil, errors.New("bad int")
	}
	return int(v), nil
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// model is the reference: per state, per key, a value / map / list with expiries (µs; 0 none).
type mentry struct {
	v   int
	exp int64
}

type model struct {
	vals  map[string]mentry
	maps  map[string]map[string]mentry
	lists map[string][]mentry
}

func newModel() *model {
	return &model{vals: map[string]mentry{}, maps: map[string]map[string]mentry{}, lists: map[string][]mentry{}}
}

func (m *model) clone() *model {
	c := newModel()
	maps.Copy(c.vals, m.vals)
	for k, mm := range m.maps {
		c.maps[k] = maps.Clone(mm)
	}
	for k, l := range m.lists {
		c.lists[k] = slices.Clone(l)
	}
	return c
}

func live(e mentry, now int64) bool { return e.exp == 0 || e.exp > now }

// harness runs one backend against the model.
type harness struct {
	t     *testing.T
	b     state.Backend
	clock *fakeClock
	ttl   time.Duration
	v     state.ValueState
	m     state.MapState
	l     state.ListState
	model *model
}

func (h *harness) open(b state.Backend) {
	h.b = b
	var err error
	d := func(n string) state.Descriptor { return state.Descriptor{Name: n, TTL: h.ttl, Codec: intCodec{}} }
	if h.v, err = b.Value(d("v")); err != nil {
		h.t.Fatal(err)
	}
	if h.m, err = b.Map(d("m")); err != nil {
		h.t.Fatal(err)
	}
	if h.l, err = b.List(d("l")); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) now() int64 { return h.clock.t.UnixMicro() }

func (h *harness) exp() int64 {
	if h.ttl == 0 {
		return 0
	}
	return h.now() + h.ttl.Microseconds()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// step applies one random operation to the backend and the model and checks the key touched.
func (h *harness) step(r *rand.Rand, keys int) {
	t := h.t
	key := "k" + strconv.Itoa(r.IntN(keys))
	kb := []byte(key)
	now := h.now()
	switch r.IntN(12) {
	case 0, 1:
		v := r.IntN(1000)
		must(t, h.v.Put(kb, v))
		h.model.vals[key] = mentry{v, h.exp()}
	case 2:
		must(t, h.v.Delete(kb))
		delete(h.model.vals, key)
	case 3: // read-modify-write of the returned object (ints are immutable: Put back)
		got, ok, err := h.v.Get(kb)
		must(t, err)
		if ok {
			must(t, h.v.Put(kb, got.(int)+1))
			h.model.vals[key] = mentry{got.(int) + 1, h.exp()}
		}
	case 4, 5:
		mk := strconv.Itoa(r.IntN(8))
		v := r.IntN(1000)
		must(t, h.m.Put(kb, mk, v))
		if h.model.maps[key] == nil {
			h.model.maps[key] = map[string]mentry{}
		}
		h.model.maps[key][mk] = mentry{v, h.exp()}
	case 6:
		mk := strconv.Itoa(r.IntN(8))
		must(t, h.m.Delete(kb, mk))
		delete(h.model.maps[key], mk)
	case 7:
		if r.IntN(4) == 0 {
			must(t, h.m.Clear(kb))
			delete(h.model.maps, key)
		}
	case 8, 9:
		v := r.IntN(1000)
		must(t, h.l.Add(kb, v))
		h.model.lists[key] = append(h.model.lists[key], mentry{v, h.exp()})
	case 10:
		n := r.IntN(3)
		var vs []any
		var mv []mentry
		for range n {
			x := r.IntN(1000)
			vs = append(vs, x)
			mv = append(mv, mentry{x, h.exp()})
		}
		must(t, h.l.Update(kb, vs))
		h.model.lists[key] = mv
	case 11:
		must(t, h.l.Clear(kb))
		delete(h.model.lists, key)
	}
	h.checkKey(key, now)
}

// checkKey compares one key of every state.
func (h *harness) checkKey(key string, now int64) {
	t := h.t
	kb := []byte(key)
	got, ok, err := h.v.Get(kb)
	must(t, err)
	want, wok := h.model.vals[key]
	wok = wok && live(want, now)
	if ok != wok || (ok && got.(int) != want.v) {
		t.Fatalf("value %s: got %v,%v want %v,%v", key, got, ok, want.v, wok)
	}
	wantMap := map[string]int{}
	for mk, e := range h.model.maps[key] {
		if live(e, now) {
			wantMap[mk] = e.v
		}
	}
	gotMap := map[string]int{}
	must(t, h.m.Range(kb, func(mk string, v any) bool { gotMap[mk] = v.(int); return true }))
	if !maps.Equal(gotMap, wantMap) {
		t.Fatalf("map %s: got %v want %v", key, gotMap, wantMap)
	}
	empty, err := h.m.IsEmpty(kb)
	must(t, err)
	if empty != (len(wantMap) == 0) {
		t.Fatalf("map %s: IsEmpty %v, want %v", key, empty, len(wantMap) == 0)
	}
	for mk, v := range wantMap {
		g, ok, err := h.m.Get(kb, mk)
		must(t, err)
		if !ok || g.(int) != v {
			t.Fatalf("map %s[%s]: got %v,%v want %v", key, mk, g, ok, v)
		}
	}
	var wantList []int
	for _, e := range h.model.lists[key] {
		if live(e, now) {
			wantList = append(wantList, e.v)
		}
	}
	gl, err := h.l.Get(kb)
	must(t, err)
	var gotList []int
	for _, v := range gl {
		gotList = append(gotList, v.(int))
	}
	if !slices.Equal(gotList, wantList) {
		t.Fatalf("list %s: got %v want %v", key, gotList, wantList)
	}
}

// checkAll compares every key and the value state's key set.
func (h *harness) checkAll(keys int) {
	now := h.now()
	for i := range keys {
		h.checkKey("k"+strconv.Itoa(i), now)
	}
	var got []string
	must(h.t, h.v.Keys(func(k []byte) bool { got = append(got, string(k)); return true }))
	var want []string
	for k, e := range h.model.vals {
		if live(e, now) {
			want = append(want, k)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		h.t.Fatalf("Keys: got %d keys, want %d", len(got), len(want))
	}
	if sz, ok := h.b.(state.Sizer); ok {
		var n int64
		for _, e := range h.model.vals {
			if live(e, now) {
				n++
			}
		}
		for _, mm := range h.model.maps {
			for _, e := range mm {
				if live(e, now) {
					n++
				}
			}
		}
		for _, l := range h.model.lists {
			for _, e := range l {
				if live(e, now) {
					n++
				}
			}
		}
		if got := sz.Entries(); got != n {
			h.t.Fatalf("Entries: got %d, want %d", got, n)
		}
	}
}

// copyDir copies a checkpoint directory, as a restore from checkpoint storage does.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	must(t, os.MkdirAll(to, 0o755))
	es, err := os.ReadDir(from)
	must(t, err)
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(to, e.Name()), b, 0o644))
	}
}

// TestModel runs random operations against the model, with a small object cache (evictions
// and write-backs all the time) and a large one, with and without TTL, and with checkpoints
// after which the backend is closed, restored from a copy of the checkpoint and compared with
// the model as it was at the checkpoint.
func TestModel(t *testing.T) {
	for _, cacheEntries := range []int{8, 100000} {
		for _, ttl := range []time.Duration{0, 3 * time.Second} {
			t.Run(fmt.Sprintf("cache=%d/ttl=%s", cacheEntries, ttl), func(t *testing.T) {
				dir := t.TempDir()
				clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
				open := func(d string) *Backend {
					b, err := Open(d, Options{Clock: clock.now, CacheEntries: cacheEntries})
					must(t, err)
					return b
				}
				h := &harness{t: t, clock: clock, ttl: ttl, model: newModel()}
				h.open(open(filepath.Join(dir, "db0")))
				r := rand.New(rand.NewPCG(uint64(cacheEntries), uint64(ttl)))
				const keys = 60
				for round := range 8 {
					for range 1500 {
						h.step(r, keys)
						clock.t = clock.t.Add(time.Duration(r.IntN(3)) * time.Millisecond)
					}
					h.checkAll(keys)
					// Checkpoint, go on writing, then restore the checkpoint.
					ck := filepath.Join(dir, fmt.Sprintf("ck%d", round))
					must(t, h.b.(state.Checkpointer).Checkpoint(ck))
					snap := h.model.clone()
					for range 300 {
						h.step(r, keys)
					}
					must(t, h.b.Close())
					restored := filepath.Join(dir, fmt.Sprintf("db%d", round+1))
					copyDir(t, ck, restored)
					h.model = snap
					h.open(open(restored))
					h.checkAll(keys)
				}
			})
		}
	}
}

// TestLongTTL checks TTLs of 60 days and 3 years with a clock moved across them: entries are
// live until their expiry and gone after it, also after a checkpoint and restore (a 32-bit
// millisecond TTL would overflow after 24.8 days).
func TestLongTTL(t *testing.T) {
	for _, ttl := range []time.Duration{60 * 24 * time.Hour, 3 * 365 * 24 * time.Hour} {
		t.Run(ttl.String(), func(t *testing.T) {
			dir := t.TempDir()
			clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			b, err := Open(filepath.Join(dir, "db"), Options{Clock: clock.now})
			must(t, err)
			v, err := b.Value(state.Descriptor{Name: "v", TTL: ttl, Codec: intCodec{}})
			must(t, err)
			must(t, v.Put([]byte("a"), 1))
			clock.t = clock.t.Add(ttl - time.Minute)
			got, ok, err := v.Get([]byte("a"))
			must(t, err)
			if !ok || got.(int) != 1 {
				t.Fatalf("before expiry: got %v,%v", got, ok)
			}
			must(t, b.Checkpoint(filepath.Join(dir, "ck")))
			must(t, b.Close())
			b, err = Open(filepath.Join(dir, "ck"), Options{Clock: clock.now})
			must(t, err)
			defer b.Close()
			v, err = b.Value(state.Descriptor{Name: "v", TTL: ttl, Codec: intCodec{}})
			must(t, err)
			if _, ok, _ := v.Get([]byte("a")); !ok {
				t.Fatal("restored entry missing before its expiry")
			}
			clock.t = clock.t.Add(2 * time.Minute)
			if _, ok, _ := v.Get([]byte("a")); ok {
				t.Fatal("entry returned after its expiry")
			}
			if n := b.Entries(); n != 0 {
				t.Fatalf("Entries after expiry: %d", n)
			}
		})
	}
}

// TestSweep checks that expired entries never read again are deleted from disk.
func TestSweep(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	b, err := Open(t.TempDir(), Options{Clock: clock.now, CacheEntries: 16})
	must(t, err)
	defer b.Close()
	v, err := b.Value(state.Descriptor{Name: "v", TTL: time.Hour, Codec: intCodec{}})
	must(t, err)
	for i := range 2000 {
		must(t, v.Put([]byte("old"+strconv.Itoa(i)), i))
	}
	must(t, b.flush())
	clock.t = clock.t.Add(2 * time.Hour)
	for i := range 20 * sweepEvery {
		must(t, v.Put([]byte("new"+strconv.Itoa(i%100)), i))
	}
	must(t, b.flush())
	it, err := b.db.NewIter(nil)
	must(t, err)
	stored := 0
	for it.First(); it.Valid(); it.Next() {
		if it.Key()[0] != metaPrefix {
			stored++
		}
	}
	must(t, it.Close())
	if stored != 100 {
		t.Fatalf("%d entries on disk, want the 100 live ones", stored)
	}
}

func TestErrors(t *testing.T) {
	b, err := Open(t.TempDir(), Options{})
	must(t, err)
	defer b.Close()
	if _, err := b.Value(state.Descriptor{Name: "x"}); err == nil {
		t.Fatal("a state without codec was accepted")
	}
	if _, err := b.Value(state.Descriptor{Name: "y", Codec: intCodec{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Map(state.Descriptor{Name: "y", Codec: intCodec{}}); err == nil {
		t.Fatal("a value state was reopened as a map state")
	}
}
