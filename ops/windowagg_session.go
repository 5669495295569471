package ops

import (
	"fmt"
	"slices"
	"strings"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
)

// sessionState is what a SESSION window aggregation keeps per key: its open sessions, ordered
// by start and pairwise disjoint (not even touching).
type sessionState struct {
	Sessions []*session
}

// session is one open session window [Start, End) (wall-clock microseconds) with the
// accumulators of each group (key-encoded GroupCols) seen in it.
type session struct {
	Start, End int64
	Groups     map[string]*agg.Accumulators
}

// intersects tells whether [start, end) overlaps or touches s, as Flink's TimeWindow does.
func (s *session) intersects(start, end int64) bool { return s.Start <= end && s.End >= start }

func (w *windowAgg) addToSession(c *chunk.Chunk, row int, ts, wm int64) error {
	gap := w.spec.Window.Gap
	start, end := ts, ts+gap
	if !w.spec.ProcTime && w.fireTime(end) <= wm {
		w.ctx.Metrics.LateDropped.Add(1)
		return nil
	}
	v, ok, err := w.sessions.Get(w.keyBuf)
	if err != nil {
		return fmt.Errorf("cannot read session state: %w", err)
	}
	st := &sessionState{}
	if ok {
		st = v.(*sessionState)
	}
	// The sessions the new row's window touches form one run of the ordered list.
	first, last := -1, -1
	for i, s := range st.Sessions {
		if s.intersects(start, end) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	var target *session
	if first < 0 {
		target = &session{Start: start, End: end, Groups: map[string]*agg.Accumulators{}}
		i, _ := slices.BinarySearchFunc(st.Sessions, start, func(s *session, t int64) int {
			switch {
			case s.Start < t:
				return -1
			case s.Start > t:
				return 1
			}
			return 0
		})
		st.Sessions = slices.Insert(st.Sessions, i, target)
		w.registerTimer(w.keyBuf, w.fireTime(end))
	} else {
		target = st.Sessions[first]
		oldEnd := target.End
		newEnd := max(end, st.Sessions[last].End)
		for _, o := range st.Sessions[first+1 : last+1] {
			w.deleteTimer(w.keyBuf, w.fireTime(o.End))
			for g, a := range o.Groups {
				if ta := target.Groups[g]; ta != nil {
					if err := w.ag.Merge(ta, a); err != nil {
						return err
					}
				} else {
					target.Groups[g] = a
				}
			}
		}
		st.Sessions = slices.Delete(st.Sessions, first+1, last+1)
		target.Start = min(target.Start, start)
		target.End = newEnd
		if newEnd != oldEnd {
			w.deleteTimer(w.keyBuf, w.fireTime(oldEnd))
			w.registerTimer(w.keyBuf, w.fireTime(newEnd))
		}
	}
	accs := target.Groups[string(w.groupBuf)]
	if accs == nil {
		accs = w.ag.NewAccumulators()
		target.Groups[string(w.groupBuf)] = accs
	}
	if err := w.ag.Add(accs, c, row, false); err != nil {
		return err
	}
	if err := w.sessions.Put(w.keyBuf, st); err != nil {
		return fmt.Errorf("cannot write session state: %w", err)
	}
	return nil
}

func (w *windowAgg) fireSessions(t exec.Timer) error {
	v, ok, err := w.sessions.Get(t.Key)
	if err != nil {
		return fmt.Errorf("cannot read session state: %w", err)
	}
	if !ok {
		return nil
	}
	st := v.(*sessionState)
	var keys []chunk.Datum
	kept := st.Sessions[:0]
	for _, s := range st.Sessions {
		if w.fireTime(s.End) > t.Time {
			kept = append(kept, s)
			continue
		}
		if keys == nil {
			if keys, err = chunk.DecodeKey(t.Key, w.keyTypes); err != nil {
				return fmt.Errorf("cannot decode session key: %w", err)
			}
		}
		groups := make([]string, 0, len(s.Groups))
		for g := range s.Groups {
			groups = append(groups, g)
		}
		slices.SortFunc(groups, strings.Compare)
		for _, g := range groups {
			gd, err := chunk.DecodeKey([]byte(g), w.groupTypes)
			if err != nil {
				return fmt.Errorf("cannot decode session group: %w", err)
			}
			if err := w.emit(keys, gd, s.Groups[g], s.Start, s.End); err != nil {
				return err
			}
		}
	}
	clear(st.Sessions[len(kept):])
	st.Sessions = kept
	if len(kept) == 0 {
		err = w.sessions.Delete(t.Key)
	} else {
		err = w.sessions.Put(t.Key, st)
	}
	if err != nil {
		return fmt.Errorf("cannot write session state: %w", err)
	}
	return nil
}
