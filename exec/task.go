package exec

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/state"
)

// nodeTask is one subtask of one node: its operator, sink writer or source side, its timers,
// and the state of its input channels. It is used only by its runner's goroutine.
type nodeTask struct {
	r       *runner
	node    *Node
	subtask int
	stats   *subtaskStats
	logger  *slog.Logger

	op      Operator             // operator nodes
	writer  connector.SinkWriter // sink nodes
	backend state.Backend        // operator nodes
	timers  *timerService
	octx    *Context
	out     output

	// chans are the input channels, one per (input, upstream subtask) pair that sends here.
	chans []inChan
	live  int   // channels that have not ended
	wm    int64 // input watermark (a source's output watermark)
	// idleOut records that the last status sent downstream was idle.
	idleOut bool

	opened   bool // Close is due (the operator was built, the writer opened)
	closed   bool
	finished bool // end of input fully handled
}

// inChan is the receiving side's view of one upstream channel.
type inChan struct {
	wm    int64
	idle  bool
	ended bool
}

// wrap attributes err to this node subtask unless it already names one (an error that came
// back from a downstream node through Emit).
func (t *nodeTask) wrap(err error) error {
	if err == nil {
		return nil
	}
	var ne *NodeError
	if errors.As(err, &ne) {
		return err
	}
	return &NodeError{NodeID: t.node.ID, Node: t.node.Name, Subtask: t.subtask, Err: err}
}

// panicError turns a recovered panic into an error carrying the stack.
func panicError(p any) error {
	return fmt.Errorf("panic: %v\n\n%s", p, debug.Stack())
}

// enter marks t as the node whose code runs, for attributing panics; the caller restores the
// returned previous node when the call returns normally.
func (t *nodeTask) enter() *nodeTask {
	prev := t.r.cur
	t.r.cur = t
	return prev
}

// handle processes one message from an upstream channel.
func (t *nodeTask) handle(m message) error {
	switch m.kind {
	case msgData:
		n := m.c.Len()
		if n == 0 {
			return nil
		}
		t.stats.RecordsIn.Add(int64(n))
		prev := t.enter()
		var err error
		if t.writer != nil {
			err = t.writer.Write(t.r.ctx, m.c)
		} else {
			err = t.op.ProcessChunk(m.input, m.c)
		}
		t.r.cur = prev
		return t.wrap(err)
	case msgWatermark:
		if ch := &t.chans[m.ch]; m.wm > ch.wm {
			ch.wm = m.wm
		}
		return t.inputsChanged()
	case msgStatus:
		t.chans[m.ch].idle = m.idle
		return t.inputsChanged()
	case msgEnd:
		if ch := &t.chans[m.ch]; !ch.ended {
			ch.ended = true
			t.live--
		}
		if t.live == 0 {
			return t.endInput()
		}
		return t.inputsChanged()
	}
	return nil
}

// inputsChanged recomputes the input watermark (the minimum over live, active channels) and the
// idle status (idle when every live channel is idle) after a channel changed. Ended channels
// are ignored.
func (t *nodeTask) inputsChanged() error {
	low, active := MaxWatermark, false
	for i := range t.chans {
		c := &t.chans[i]
		if c.ended || c.idle {
			continue
		}
		active = true
		low = min(low, c.wm)
	}
	if !active {
		if t.idleOut {
			return nil
		}
		// Every live channel is idle, so none will advance: as Flink does, flush the highest
		// watermark among them first. Otherwise the order in which channels went idle would
		// decide whether the watermark of the last active one is ever applied.
		high := MinWatermark
		for i := range t.chans {
			if c := &t.chans[i]; !c.ended {
				high = max(high, c.wm)
			}
		}
		if err := t.advance(high); err != nil {
			return err
		}
		t.idleOut = true
		return t.out.status(true)
	}
	if t.idleOut {
		t.idleOut = false
		if err := t.out.status(false); err != nil {
			return err
		}
	}
	return t.advance(low)
}

// advance moves the input watermark to wm if that is later: it fires the event-time timers due
// by wm, calls ProcessWatermark and forwards wm.
func (t *nodeTask) advance(wm int64) error {
	if wm <= t.wm {
		return nil
	}
	t.wm = wm
	t.stats.watermark.Store(wm)
	if t.op != nil {
		if err := t.fireTimers(t.timers.event, EventTime, wm); err != nil {
			return err
		}
		prev := t.enter()
		err := t.op.ProcessWatermark(wm)
		t.r.cur = prev
		if err != nil {
			return t.wrap(err)
		}
	}
	if d := t.node.WatermarkDelay; d > 0 && wm != MaxWatermark {
		if wm < MinWatermark+d {
			return nil
		}
		wm -= d
	}
	return t.out.watermark(wm)
}

// fireTimers fires q's timers at or before limit, in (time, key) order, including ones that
// OnTimer registers at or before limit.
func (t *nodeTask) fireTimers(q *timerQueue, domain TimeDomain, limit int64) error {
	for {
		key, tm, ok := q.next(limit)
		if !ok {
			return nil
		}
		prev := t.enter()
		err := t.op.OnTimer(Timer{Key: key, Time: tm, Domain: domain})
		t.r.cur = prev
		if err != nil {
			return t.wrap(err)
		}
	}
}

// endInput runs when every input has ended: final watermark and event-time timers, then the
// processing-time timers pending now, Finish, end of input downstream, and Close.
func (t *nodeTask) endInput() error {
	if err := t.advance(MaxWatermark); err != nil {
		return err
	}
	if t.op != nil {
		// Timers registered while these fire and later than the last pending one are dropped:
		// an operator re-arming a periodic timer must not keep a finished input alive.
		last, any := MinWatermark, false
		for s := range t.timers.proc.set {
			last, any = max(last, timerTime(s)), true
		}
		if any {
			if err := t.fireTimers(t.timers.proc, ProcessingTime, last); err != nil {
				return err
			}
		}
		prev := t.enter()
		err := t.op.Finish()
		t.r.cur = prev
		if err != nil {
			return t.wrap(err)
		}
	}
	if err := t.out.end(); err != nil {
		return err
	}
	t.finished = true
	return t.close()
}

// close closes the operator or writer and the state backend, once.
func (t *nodeTask) close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	prev := t.enter()
	var err error
	if t.opened {
		if t.op != nil {
			err = t.op.Close()
		} else if t.writer != nil {
			if err = t.writer.Close(); err != nil {
				err = fmt.Errorf("cannot close sink: %w", err)
			}
		}
	}
	if t.backend != nil {
		if sz, ok := t.backend.(state.Sizer); ok {
			t.stats.stateEntries.Store(sz.Entries())
		}
		if berr := t.backend.Close(); berr != nil && err == nil {
			err = fmt.Errorf("cannot close state: %w", berr)
		}
	}
	t.r.cur = prev
	return t.wrap(err)
}
