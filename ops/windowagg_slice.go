package ops

import (
	"fmt"
	"slices"
	"strings"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
)

// Sliced HOP windows (Flink's slicing window operator). A HOP window of size n × slide is the
// union of n consecutive slices of one slide each, and every slice belongs to n windows. Rows
// accumulate into their one slice (one state read and write per row instead of n); when a
// window fires, the accumulators of its n slices are merged into a fresh one, and the slices no
// later window needs are dropped. State holds at most n slices per key and group.
//
// The state layout is the one of per-window accumulation (key → slice end + group →
// accumulators): a slice is keyed by its end, and the window ending at e reads the slices
// ending in (e - size, e].

// useSlices reports whether a window aggregation accumulates per slice: HOP windows that
// overlap, unless an aggregate's merge is not exact (FIRST_VALUE/LAST_VALUE with DISTINCT).
func useSlices(spec WindowAggSpec) bool {
	if spec.Window.Kind != Hop || spec.Window.Slide >= spec.Window.Size {
		return false
	}
	for _, c := range spec.Aggs {
		if c.Distinct && (c.Name == "FIRST_VALUE" || c.Name == "LAST_VALUE") {
			return false
		}
	}
	return true
}

// addToSlice accumulates one row (time ts, wall clock) into its slice; a row whose windows have
// all fired is late.
func (w *windowAgg) addToSlice(c *chunk.Chunk, row int, ts, wm int64) error {
	d := w.spec.Window
	sliceEnd := d.alignedStart(ts, d.Slide) + d.Slide
	lastEnd := sliceEnd + d.Size - d.Slide
	if !w.spec.ProcTime && w.fireTime(lastEnd) <= wm {
		w.ctx.Metrics.LateDropped.Add(1)
		return nil
	}
	created, err := w.accumulate(c, row, sliceEnd)
	if err != nil || !created {
		return err
	}
	// Every window of a new slice that has not fired yet must fire (registering a timer twice
	// is a no-op).
	for e := sliceEnd; e <= lastEnd; e += d.Slide {
		if fire := w.fireTime(e); w.spec.ProcTime || fire > wm {
			w.registerTimer(w.keyBuf, fire)
		}
	}
	return nil
}

// slice is one slice accumulator of a key, read for firing.
type slice struct {
	end   int64
	group string
	mk    string
	accs  *agg.Accumulators
}

// fireSlices emits the windows of key t.Key that fire at t.Time, merging their slices, then
// drops the slices no later window reads.
func (w *windowAgg) fireSlices(t exec.Timer) error {
	d := w.spec.Window
	w.slices = w.slices[:0]
	err := w.wins.Range(t.Key, func(mk string, v any) bool {
		w.slices = append(w.slices, slice{end: windowEnd(mk), group: mk[8:], mk: mk, accs: v.(*agg.Accumulators)})
		return true
	})
	if err != nil {
		return fmt.Errorf("cannot read window state: %w", err)
	}
	if len(w.slices) == 0 {
		return nil
	}
	// The windows due: ends e of the slices' windows whose fire time is this timer's.
	w.ends = w.ends[:0]
	for _, s := range w.slices {
		for e := s.end; e <= s.end+d.Size-d.Slide; e += d.Slide {
			if w.fireTime(e) == t.Time && !slices.Contains(w.ends, e) {
				w.ends = append(w.ends, e)
			}
		}
	}
	if len(w.ends) == 0 {
		return nil
	}
	slices.Sort(w.ends)
	// Group order, then slice end, as the per-window layout emits.
	slices.SortFunc(w.slices, func(a, b slice) int {
		if c := strings.Compare(a.group, b.group); c != 0 {
			return c
		}
		return int(min(max(a.end-b.end, -1), 1))
	})
	keys, err := chunk.DecodeKey(t.Key, w.keyTypes)
	if err != nil {
		return fmt.Errorf("cannot decode window key: %w", err)
	}
	for _, e := range w.ends {
		for i := 0; i < len(w.slices); {
			j := i
			var merged *agg.Accumulators
			for ; j < len(w.slices) && w.slices[j].group == w.slices[i].group; j++ {
				s := w.slices[j]
				if s.end <= e-d.Size || s.end > e {
					continue
				}
				if merged == nil {
					merged = w.ag.NewAccumulators()
				}
				if err := w.ag.Merge(merged, s.accs); err != nil {
					return fmt.Errorf("cannot merge window slices: %w", err)
				}
			}
			if merged != nil {
				groups, err := chunk.DecodeKey([]byte(w.slices[i].group), w.groupTypes)
				if err != nil {
					return fmt.Errorf("cannot decode window group: %w", err)
				}
				if err := w.emit(keys, groups, merged, d.windowStart(e), e); err != nil {
					return err
				}
			}
			i = j
		}
	}
	// Slices whose last window has fired are no longer needed.
	last := w.ends[len(w.ends)-1]
	for _, s := range w.slices {
		if s.end+d.Size-d.Slide <= last {
			if err := w.wins.Delete(t.Key, s.mk); err != nil {
				return fmt.Errorf("cannot clear window state: %w", err)
			}
		}
	}
	return nil
}
