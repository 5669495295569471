package exec

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
)

// Pauses between polls of splits that have no data.
const (
	minBackoff = time.Millisecond
	maxBackoff = 50 * time.Millisecond
)

// splitState is a source subtask's view of one of its splits.
type splitState struct {
	split  connector.Split
	reader connector.SplitReader
	closed bool // reader closed
	done   bool // reached its end
	wm     int64
	// empty records that the last Next returned no data; lastData when data last came (or
	// when reading started).
	empty    bool
	lastData time.Time
	idle     bool
}

// runSource is the loop of a chain whose head is a source: it reads the subtask's splits round
// robin, prepares each chunk, emits it and then the watermark if it advanced.
func (r *runner) runSource() error {
	t := r.head
	spec := t.node.Source
	clock := r.j.opts.Clock
	if len(r.splits) == 0 {
		// Nothing to read: idle, so that no downstream watermark waits for this subtask.
		t.idleOut = true
		if err := t.out.status(true); err != nil {
			return err
		}
		return r.finishSource()
	}
	start := clock()
	for _, sp := range r.splits {
		sp.lastData = start
	}
	hasWM := r.proc != nil && r.proc.HasWatermark()
	open := 0
	for _, sp := range r.splits {
		if !sp.done { // a restored split may have finished before the checkpoint
			open++
		}
	}
	backoff := minBackoff
	emptyPolls := 0 // consecutive polls without data
	next := 0
	for open > 0 {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err := r.fireDueProcTimers(); err != nil {
			return err
		}
		select {
		case id := <-r.barrierReq:
			if err := r.sourceBarrier(id); err != nil {
				return err
			}
		default:
		}
		sp := r.splits[next]
		next = (next + 1) % len(r.splits)
		if sp.done {
			continue
		}
		r.cur = t
		c, err := sp.reader.Next(r.ctx, r.j.opts.ChunkSize)
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			if cerr := r.ctx.Err(); cerr != nil {
				return cerr
			}
			return t.wrap(fmt.Errorf("cannot read split %s: %w", sp.split.ID(), err))
		}
		if c != nil && c.Len() > 0 {
			emptyPolls, backoff = 0, minBackoff
			sp.empty = false
			if spec.IdleTimeout > 0 {
				sp.lastData = clock()
			}
			if sp.idle {
				sp.idle = false
				if t.idleOut {
					t.idleOut = false
					if err := t.out.status(false); err != nil {
						return err
					}
				}
			}
			if r.proc != nil {
				if c, err = r.proc.Prepare(c); err != nil {
					return t.wrap(fmt.Errorf("split %s: %w", sp.split.ID(), err))
				}
			}
			if n := chunkLen(c); n > 0 {
				t.stats.RecordsOut.Add(int64(n))
				if err := t.out.emit(c); err != nil {
					return err
				}
			}
			if hasWM && c != nil {
				wm, ok, err := r.proc.Watermark(c)
				if err != nil {
					return t.wrap(fmt.Errorf("split %s: %w", sp.split.ID(), err))
				}
				if ok && wm > sp.wm {
					sp.wm = wm
					if err := r.sourceChanged(hasWM); err != nil {
						return err
					}
				}
			}
		} else if !eof {
			sp.empty = true
			emptyPolls++
			if spec.IdleTimeout > 0 {
				if err := r.markIdle(spec.IdleTimeout, hasWM); err != nil {
					return err
				}
			}
			if emptyPolls >= open {
				// A whole round without data: pause before polling again.
				emptyPolls = 0
				if err := r.pause(backoff); err != nil {
					return err
				}
				backoff = min(2*backoff, maxBackoff)
			}
		}
		if eof {
			sp.done = true
			open--
			emptyPolls = 0
			sp.closed = true
			if err := sp.reader.Close(); err != nil {
				return t.wrap(fmt.Errorf("cannot close split %s: %w", sp.split.ID(), err))
			}
			if err := r.sourceChanged(hasWM); err != nil {
				return err
			}
		}
	}
	return r.finishSource()
}

// markIdle marks idle the splits whose last poll found nothing and that have had no data for
// timeout, oldest activity first, updating the watermark after each: a split that went quiet
// earlier cannot hold back the watermark of one that produced data after it.
func (r *runner) markIdle(timeout time.Duration, hasWM bool) error {
	now := r.j.opts.Clock()
	var due []*splitState
	for _, sp := range r.splits {
		if !sp.done && !sp.idle && sp.empty && now.Sub(sp.lastData) >= timeout {
			due = append(due, sp)
		}
	}
	slices.SortStableFunc(due, func(a, b *splitState) int { return a.lastData.Compare(b.lastData) })
	for _, sp := range due {
		sp.idle = true
		if err := r.sourceChanged(hasWM); err != nil {
			return err
		}
	}
	return nil
}

// sourceChanged recomputes a source subtask's output watermark (the minimum over its active
// splits) and status (idle when every unfinished split is idle) after a split changed. When
// the last active split goes idle, the highest watermark of the idle splits is emitted first.
func (r *runner) sourceChanged(hasWM bool) error {
	t := r.head
	low, active, open := MaxWatermark, false, false
	for _, sp := range r.splits {
		if sp.done {
			continue
		}
		open = true
		if !sp.idle {
			active = true
			low = min(low, sp.wm)
		}
	}
	if active && hasWM && low > t.wm {
		t.wm = low
		t.stats.watermark.Store(low)
		if err := t.out.watermark(low); err != nil {
			return err
		}
	}
	if open && !active && !t.idleOut {
		// As in nodeTask.inputsChanged: all idle, so flush the highest split watermark.
		if hasWM {
			high := MinWatermark
			for _, sp := range r.splits {
				if !sp.done {
					high = max(high, sp.wm)
				}
			}
			if high > t.wm {
				t.wm = high
				t.stats.watermark.Store(high)
				if err := t.out.watermark(high); err != nil {
					return err
				}
			}
		}
		t.idleOut = true
		return t.out.status(true)
	}
	return nil
}

// finishSource ends a source subtask: the final watermark, then end of input. With
// checkpoints, a source subtask that has read everything keeps taking part in checkpoints (its
// positions say so) until every source subtask of the job has, so that no checkpoint ever has
// to describe a job whose operators have partly finished.
func (r *runner) finishSource() error {
	t := r.head
	if t.wm != MaxWatermark {
		t.wm = MaxWatermark
		t.stats.watermark.Store(MaxWatermark)
		if err := t.out.watermark(MaxWatermark); err != nil {
			return err
		}
	}
	if c := r.j.ck; c != nil {
		done := c.sourceFinished()
	wait:
		for {
			var wake <-chan time.Time
			if d, ok := r.untilProcTimer(); ok {
				r.timer.Reset(d)
				wake = r.timer.C
			}
			select {
			case id := <-r.barrierReq:
				if err := r.sourceBarrier(id); err != nil {
					return err
				}
			case <-wake:
				if err := r.fireDueProcTimers(); err != nil {
					return err
				}
			case <-done:
				break wait
			case <-r.ctx.Done():
				return r.ctx.Err()
			}
		}
	}
	if err := t.out.end(); err != nil {
		return err
	}
	t.finished = true
	return t.close()
}

// pause waits for d, for the earliest processing-time timer of the chain if sooner, or for
// cancellation, then fires the due timers.
func (r *runner) pause(d time.Duration) error {
	if until, ok := r.untilProcTimer(); ok && until < d {
		d = until
	}
	r.timer.Reset(d)
	select {
	case <-r.timer.C:
	case id := <-r.barrierReq:
		r.timer.Stop()
		if err := r.sourceBarrier(id); err != nil {
			return err
		}
	case <-r.ctx.Done():
		r.timer.Stop()
		return r.ctx.Err()
	}
	return r.fireDueProcTimers()
}

// sourceBarrier records the positions of a source subtask's splits for checkpoint id and
// injects the barrier into its output, between two chunks.
func (r *runner) sourceBarrier(id int64) error {
	t := r.head
	start := time.Now()
	a := &subtaskAck{id: id, node: t.node.ID, subtask: r.subtask, watermark: t.wm}
	for _, sp := range r.splits {
		p := checkpoint.SplitPosition{SplitID: sp.split.ID(), Watermark: sp.wm}
		if sp.done {
			p.Finished = true
		} else {
			pr, ok := sp.reader.(connector.PositionedReader)
			if !ok {
				return t.wrap(fmt.Errorf("split %s cannot report its position, so the source cannot be checkpointed", sp.split.ID()))
			}
			b, err := pr.Position()
			if err != nil {
				return t.wrap(fmt.Errorf("cannot take the position of split %s: %w", sp.split.ID(), err))
			}
			p.Position = b
		}
		a.splits = append(a.splits, p)
	}
	a.sync = time.Since(start)
	if err := r.j.ck.ack(r.ctx, a); err != nil {
		return err
	}
	return t.out.barrier(id)
}

// chunkLen is c's row count, 0 for nil.
func chunkLen(c *chunk.Chunk) int {
	if c == nil {
		return 0
	}
	return c.Len()
}
