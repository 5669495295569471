package exec

import (
	"fmt"
	"slices"
	"testing"
)

func drain(q *timerQueue, limit int64) []string {
	var out []string
	for {
		k, t, ok := q.next(limit)
		if !ok {
			return out
		}
		out = append(out, fmt.Sprintf("%s@%d", k, t))
	}
}

func TestTimerQueue(t *testing.T) {
	q := newTimerQueue()
	q.register([]byte("b"), 5)
	q.register([]byte("a"), 5)
	q.register([]byte("b"), 5) // duplicate
	q.register([]byte("z"), -3)
	q.register([]byte("c"), 9)
	q.register([]byte("d"), 7)
	q.remove([]byte("d"), 7)
	q.remove([]byte("x"), 1) // not registered
	if q.len() != 4 {
		t.Fatalf("len %d", q.len())
	}
	if got, want := drain(q, 5), []string{"z@-3", "a@5", "b@5"}; !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	// Re-registering a deleted timer fires it once.
	q.register([]byte("d"), 7)
	q.remove([]byte("d"), 7)
	q.register([]byte("d"), 7)
	if got, want := drain(q, MaxWatermark), []string{"d@7", "c@9"}; !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if _, ok := q.peek(); ok || len(q.heap) != 0 {
		t.Fatalf("queue not empty: %d in heap", len(q.heap))
	}
	// Deleted timers do not accumulate in the heap.
	for i := range 10000 {
		q.register([]byte("k"), int64(i))
		q.remove([]byte("k"), int64(i))
	}
	if len(q.heap) > 200 {
		t.Fatalf("heap holds %d deleted timers", len(q.heap))
	}
	q.register([]byte("k"), MinWatermark)
	q.register([]byte("k"), MaxWatermark)
	if got, want := drain(q, MaxWatermark), []string{fmt.Sprintf("k@%d", MinWatermark), fmt.Sprintf("k@%d", MaxWatermark)}; !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestTimerRegisterNoAlloc(t *testing.T) {
	q := newTimerQueue()
	key := []byte("some key")
	q.register(key, 42)
	if n := testing.AllocsPerRun(100, func() { q.register(key, 42) }); n != 0 {
		t.Fatalf("registering an existing timer allocates %v times", n)
	}
}
