package exectest

import "container/heap"

// timerID identifies a timer; timers fire in (time, key) order, as in the runtime.
type timerID struct {
	t   int64
	key string
}

func (a timerID) less(b timerID) bool { return a.t < b.t || (a.t == b.t && a.key < b.key) }

// timerQueue is a set of timers with a min-heap; deleted timers stay in the heap until popped.
type timerQueue struct {
	set map[timerID]struct{}
	h   timerHeap
}

func newTimerQueue() *timerQueue { return &timerQueue{set: map[timerID]struct{}{}} }

func (q *timerQueue) register(key []byte, t int64) {
	id := timerID{t: t, key: string(key)}
	if _, ok := q.set[id]; ok {
		return
	}
	q.set[id] = struct{}{}
	heap.Push(&q.h, id)
}

func (q *timerQueue) remove(key []byte, t int64) { delete(q.set, timerID{t: t, key: string(key)}) }

func (q *timerQueue) len() int { return len(q.set) }

// next pops the earliest live timer at or before limit.
func (q *timerQueue) next(limit int64) ([]byte, int64, bool) {
	for q.h.Len() > 0 {
		id := q.h[0]
		if _, ok := q.set[id]; !ok {
			heap.Pop(&q.h)
			continue
		}
		if id.t > limit {
			return nil, 0, false
		}
		heap.Pop(&q.h)
		delete(q.set, id)
		return []byte(id.key), id.t, true
	}
	return nil, 0, false
}

// last returns the latest live timer's time.
func (q *timerQueue) last() (int64, bool) {
	var t int64
	found := false
	for id := range q.set {
		if !found || id.t > t {
			t, found = id.t, true
		}
	}
	return t, found
}

type timerHeap []timerID

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].less(h[j]) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timerID)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
