package state

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// modelEntry is an entry of the reference model the randomized tests compare the backend with.
type modelEntry struct {
	v   int
	exp int64 // 0 without a TTL
}

func (e modelEntry) live(now int64) bool { return e.exp == 0 || e.exp > now }

// modelPhases drives a randomized test through alternating phases: a growing one that writes
// many keys and a shrinking one that removes most of them, so that the state's slices grow,
// get freed slots reused, and are compacted. op is called for each step with the phase's key
// space and whether it is shrinking.
func modelPhases(op func(r *rand.Rand, keys int, shrink bool), check func()) {
	r := rand.New(rand.NewPCG(1, 2))
	for phase := range 6 {
		keys, shrink := 4000, phase%2 == 1
		for range 20000 {
			op(r, keys, shrink)
		}
		check()
	}
}

func modelKey(r *rand.Rand, n int) string { return fmt.Sprint("key-", r.IntN(n)) }

// checkQueue verifies the links, the count and the expiry order of q, and returns the indexes of
// its live nodes in order.
func checkQueue[P any](t *testing.T, q *ttlQueue[P]) []uint32 {
	t.Helper()
	var order []uint32
	prev, lastExp := uint32(0), int64(-1<<63)
	for i := q.head; i != 0; i = q.nodes[i].next {
		n := q.nodes[i]
		if n.prev != prev {
			t.Fatalf("node %d: prev %d, want %d", i, n.prev, prev)
		}
		if n.exp < lastExp {
			t.Fatalf("node %d expires at %d, before its predecessor (%d)", i, n.exp, lastExp)
		}
		order = append(order, i)
		prev, lastExp = i, n.exp
		if len(order) > len(q.nodes) {
			t.Fatal("queue has a cycle")
		}
	}
	if q.tail != prev || len(order) != q.live {
		t.Fatalf("queue: tail %d (want %d), %d linked nodes, live %d", q.tail, prev, len(order), q.live)
	}
	free := 0
	for i := q.free; i != 0; i = q.nodes[i].next {
		free++
		if free > len(q.nodes) {
			t.Fatal("free list has a cycle")
		}
	}
	if len(q.nodes) > 0 && q.live+free != len(q.nodes)-1 {
		t.Fatalf("queue: %d live + %d free nodes of %d", q.live, free, len(q.nodes))
	}
	return order
}

func TestValueStateModel(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Second} {
		t.Run(ttl.String(), func(t *testing.T) {
			c := newFake()
			s, _ := NewMemory(c.now).Value(Descriptor{Name: "v", TTL: ttl})
			model := map[string]modelEntry{}
			now := func() int64 { return c.t.UnixNano() }
			maxSlots, compactions := 0, 0
			slots := func() int {
				if ttl == 0 {
					return len(s.(*valueState).vals)
				}
				return len(s.(*ttlValueState).q.nodes)
			}
			modelPhases(func(r *rand.Rand, keys int, shrink bool) {
				k := modelKey(r, keys)
				p := r.IntN(100)
				if shrink && p >= 5 && p < 40 {
					p = 97 // the shrinking phase removes instead of writing
				}
				switch {
				case p < 40:
					if shrink {
						k = modelKey(r, 50)
					}
					v := r.Int()
					if err := s.Put([]byte(k), v); err != nil {
						t.Fatal(err)
					}
					e := modelEntry{v: v}
					if ttl > 0 {
						e.exp = now() + int64(ttl)
					}
					model[k] = e
				case p < 70:
					v, ok, err := s.Get([]byte(k))
					e, want := model[k]
					want = want && e.live(now())
					if err != nil || ok != want || ok && v != e.v {
						t.Fatalf("Get(%s) = %v %v %v, want %v %v", k, v, ok, err, e.v, want)
					}
				case p < 98:
					if err := s.Delete([]byte(k)); err != nil {
						t.Fatal(err)
					}
					delete(model, k)
				case p < 99:
					var got []string
					if err := s.Keys(func(k []byte) bool { got = append(got, string(k)); return true }); err != nil {
						t.Fatal(err)
					}
					var want []string
					for k, e := range model {
						if e.live(now()) {
							want = append(want, k)
						}
					}
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Fatalf("Keys: %d keys, want %d", len(got), len(want))
					}
				default:
					c.advance(time.Duration(r.Int64N(int64(ttl/100) + 1)))
				}
				n := slots()
				if n < maxSlots {
					compactions++
				}
				maxSlots = n
			}, func() {
				if ttl == 0 {
					vs := s.(*valueState)
					seen := map[uint32]bool{}
					for k, i := range vs.m {
						if seen[i] || int(i) >= len(vs.vals) || vs.vals[i] != model[k].v {
							t.Fatalf("key %s: index %d (of %d) duplicated or wrong value", k, i, len(vs.vals))
						}
						seen[i] = true
					}
					if len(vs.m)+len(vs.free) != len(vs.vals) || len(vs.m) != len(model) {
						t.Fatalf("%d keys, %d free, %d slots, model %d", len(vs.m), len(vs.free), len(vs.vals), len(model))
					}
					return
				}
				vs := s.(*ttlValueState)
				order := checkQueue(t, &vs.q)
				if len(order) != len(vs.m) {
					t.Fatalf("%d queued, %d keys", len(order), len(vs.m))
				}
				for _, i := range order {
					n := vs.q.nodes[i]
					if vs.m[n.p.key] != i || model[n.p.key] != (modelEntry{v: n.p.v.(int), exp: n.exp}) {
						t.Fatalf("node %d (%s) disagrees with the map or the model", i, n.p.key)
					}
				}
			})
			if compactions == 0 {
				t.Fatal("the state was never compacted")
			}
		})
	}
}

func TestMapStateModel(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Second} {
		t.Run(ttl.String(), func(t *testing.T) {
			c := newFake()
			s, _ := NewMemory(c.now).Map(Descriptor{Name: "m", TTL: ttl})
			model := map[string]map[string]modelEntry{}
			now := func() int64 { return c.t.UnixNano() }
			liveOf := func(k string) map[string]int {
				out := map[string]int{}
				for mk, e := range model[k] {
					if e.live(now()) {
						out[mk] = e.v
					}
				}
				return out
			}
			compactions, maxSlots := 0, 0
			modelPhases(func(r *rand.Rand, keys int, shrink bool) {
				k := modelKey(r, keys/8)
				mk := fmt.Sprint(r.IntN(8))
				p := r.IntN(100)
				if shrink && p >= 5 && p < 40 {
					p = 97 // the shrinking phase removes instead of writing
				}
				switch {
				case p < 40:
					if shrink {
						k = modelKey(r, 10)
					}
					v := r.Int()
					if err := s.Put([]byte(k), mk, v); err != nil {
						t.Fatal(err)
					}
					e := modelEntry{v: v}
					if ttl > 0 {
						e.exp = now() + int64(ttl)
					}
					if model[k] == nil {
						model[k] = map[string]modelEntry{}
					}
					model[k][mk] = e
				case p < 60:
					v, ok, err := s.Get([]byte(k), mk)
					want, wok := liveOf(k)[mk]
					if err != nil || ok != wok || ok && v != want {
						t.Fatalf("Get(%s, %s) = %v %v %v, want %v %v", k, mk, v, ok, err, want, wok)
					}
				case p < 65:
					got := map[string]int{}
					if err := s.Range([]byte(k), func(mk string, v any) bool { got[mk] = v.(int); return true }); err != nil {
						t.Fatal(err)
					}
					if want := liveOf(k); !maps.Equal(got, want) {
						t.Fatalf("Range(%s) = %v, want %v", k, got, want)
					}
				case p < 70:
					empty, err := s.IsEmpty([]byte(k))
					if want := len(liveOf(k)) == 0; err != nil || empty != want {
						t.Fatalf("IsEmpty(%s) = %v %v, want %v", k, empty, err, want)
					}
				case p < 90:
					if err := s.Delete([]byte(k), mk); err != nil {
						t.Fatal(err)
					}
					delete(model[k], mk)
				case p < 98:
					if err := s.Clear([]byte(k)); err != nil {
						t.Fatal(err)
					}
					delete(model, k)
				default:
					c.advance(time.Duration(r.Int64N(int64(ttl/100) + 1)))
				}
				if ttl > 0 {
					n := len(s.(*ttlMapState).q.nodes)
					if n < maxSlots {
						compactions++
					}
					maxSlots = n
				}
			}, func() {
				if ttl == 0 {
					for k, m := range s.(*mapState).keys {
						if len(m) == 0 || len(m) != len(model[k]) {
							t.Fatalf("key %s: %d entries, model %d", k, len(m), len(model[k]))
						}
					}
					return
				}
				ms := s.(*ttlMapState)
				order := checkQueue(t, &ms.q)
				entries := 0
				for _, m := range ms.keys {
					if len(m) == 0 {
						t.Fatal("empty map kept")
					}
					entries += len(m)
				}
				if entries != len(order) {
					t.Fatalf("%d entries, %d queued", entries, len(order))
				}
				for _, i := range order {
					n := ms.q.nodes[i]
					if ms.keys[n.p.key][n.p.mk] != i || model[n.p.key][n.p.mk] != (modelEntry{v: n.p.v.(int), exp: n.exp}) {
						t.Fatalf("node %d (%s %s) disagrees with the map or the model", i, n.p.key, n.p.mk)
					}
				}
			})
			if ttl > 0 && compactions == 0 {
				t.Fatal("the state was never compacted")
			}
		})
	}
}

func TestListStateModel(t *testing.T) {
	c := newFake()
	ttl := time.Second
	s, _ := NewMemory(c.now).List(Descriptor{Name: "l", TTL: ttl})
	model := map[string][]modelEntry{}
	now := func() int64 { return c.t.UnixNano() }
	compactions, maxSlots := 0, 0
	modelPhases(func(r *rand.Rand, keys int, shrink bool) {
		k := modelKey(r, keys)
		p := r.IntN(100)
		if shrink && p >= 5 && p < 40 {
			p = 97 // the shrinking phase removes instead of writing
		}
		switch {
		case p < 40:
			if shrink {
				k = modelKey(r, 50)
			}
			v := r.Int()
			if err := s.Add([]byte(k), v); err != nil {
				t.Fatal(err)
			}
			model[k] = append(model[k], modelEntry{v: v, exp: now() + int64(ttl)})
		case p < 45:
			vs := []any{r.Int(), r.Int()}
			if err := s.Update([]byte(k), vs); err != nil {
				t.Fatal(err)
			}
			exp := now() + int64(ttl)
			model[k] = []modelEntry{{vs[0].(int), exp}, {vs[1].(int), exp}}
		case p < 70:
			got, err := s.Get([]byte(k))
			var want []any
			for _, e := range model[k] {
				if e.live(now()) {
					want = append(want, e.v)
				}
			}
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("Get(%s) = %v %v, want %v", k, got, err, want)
			}
		case p < 98:
			if err := s.Clear([]byte(k)); err != nil {
				t.Fatal(err)
			}
			delete(model, k)
		default:
			c.advance(time.Duration(r.Int64N(int64(ttl / 100))))
		}
		n := len(s.(*listState).q.nodes)
		if n < maxSlots {
			compactions++
		}
		maxSlots = n
	}, func() {
		ls := s.(*listState)
		order := checkQueue(t, &ls.q)
		if len(order) != len(ls.keys) {
			t.Fatalf("%d queued, %d keys", len(order), len(ls.keys))
		}
		for _, i := range order {
			if k := ls.q.nodes[i].p; k.qi != i || ls.keys[k.key] != k {
				t.Fatalf("node %d (%s) disagrees with its key", i, k.key)
			}
		}
	})
	if compactions == 0 {
		t.Fatal("the state was never compacted")
	}
}
