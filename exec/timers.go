package exec

import (
	"encoding/binary"
)

// timerQueue holds one subtask's timers of one time domain: a set for deduplication and
// deletion, and a min-heap ordered by (time, key) for firing in order.
//
// A timer is identified by a composite string: the time as 8 bytes big-endian with the sign bit
// flipped, then the key. Plain string comparison of composites orders by time, then key.
// Deleted timers stay in the heap until they reach the top (or until a compaction) and are
// skipped there: they are in the heap but not in the set.
type timerQueue struct {
	set  map[string]struct{}
	heap []string
	buf  []byte
}

func newTimerQueue() *timerQueue { return &timerQueue{set: map[string]struct{}{}} }

func (q *timerQueue) composite(key []byte, t int64) []byte {
	q.buf = binary.BigEndian.AppendUint64(q.buf[:0], uint64(t)^(1<<63))
	q.buf = append(q.buf, key...)
	return q.buf
}

func decodeTimer(s string) (key []byte, t int64) {
	return []byte(s[8:]), timerTime(s)
}

func timerTime(s string) int64 {
	_ = s[7]
	u := uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
		uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
	return int64(u ^ (1 << 63))
}

// register adds a timer; registering an existing timer does nothing (and does not allocate).
func (q *timerQueue) register(key []byte, t int64) {
	c := q.composite(key, t)
	if _, ok := q.set[string(c)]; ok {
		return
	}
	s := string(c)
	q.set[s] = struct{}{}
	q.push(s)
}

// remove deletes a timer if registered.
func (q *timerQueue) remove(key []byte, t int64) {
	c := q.composite(key, t)
	if _, ok := q.set[string(c)]; !ok {
		return
	}
	delete(q.set, string(c))
	// Rebuild the heap when deleted timers dominate it, so that registering and deleting
	// far-future timers cannot grow it without bound.
	if stale := len(q.heap) - len(q.set); stale > 64 && stale > len(q.set) {
		q.heap = q.heap[:0]
		for s := range q.set {
			q.heap = append(q.heap, s)
		}
		for i := len(q.heap)/2 - 1; i >= 0; i-- {
			q.down(i)
		}
	}
}

// peek returns the earliest timer's time.
func (q *timerQueue) peek() (int64, bool) {
	for len(q.heap) > 0 {
		if _, ok := q.set[q.heap[0]]; ok {
			return timerTime(q.heap[0]), true
		}
		q.pop() // deleted
	}
	return 0, false
}

// next removes and returns the earliest timer if its time is at most limit.
func (q *timerQueue) next(limit int64) (key []byte, t int64, ok bool) {
	tt, ok := q.peek()
	if !ok || tt > limit {
		return nil, 0, false
	}
	s := q.pop()
	delete(q.set, s)
	key, t = decodeTimer(s)
	return key, t, true
}

func (q *timerQueue) len() int { return len(q.set) }

func (q *timerQueue) push(s string) {
	q.heap = append(q.heap, s)
	i := len(q.heap) - 1
	for i > 0 {
		p := (i - 1) / 2
		if q.heap[p] <= q.heap[i] {
			break
		}
		q.heap[p], q.heap[i] = q.heap[i], q.heap[p]
		i = p
	}
}

func (q *timerQueue) pop() string {
	h := q.heap
	s := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h[n] = ""
	q.heap = h[:n]
	if n > 0 {
		q.down(0)
	}
	return s
}

func (q *timerQueue) down(i int) {
	h := q.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r] < h[l] {
			m = r
		}
		if h[i] <= h[m] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// timerService is the TimerService of one node subtask.
type timerService struct {
	event, proc *timerQueue
}

func newTimerService() *timerService {
	return &timerService{event: newTimerQueue(), proc: newTimerQueue()}
}

func (ts *timerService) RegisterEventTime(key []byte, t int64)      { ts.event.register(key, t) }
func (ts *timerService) DeleteEventTime(key []byte, t int64)        { ts.event.remove(key, t) }
func (ts *timerService) RegisterProcessingTime(key []byte, t int64) { ts.proc.register(key, t) }
func (ts *timerService) DeleteProcessingTime(key []byte, t int64)   { ts.proc.remove(key, t) }
