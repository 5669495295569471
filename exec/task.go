package exec

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/floedb/floe/connector"
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
	backend *lazyState           // operator nodes
	timers  *timerService
	octx    *Context
	out     output

	// chans are the input channels, one per (input, upstream subtask) pair that sends here.
	chans []inChan
	live  int   // channels that have not ended
	wm    int64 // input watermark (a source's output watermark)
	// idleOut records that the last status sent downstream was idle.
	idleOut bool

	// Checkpoint alignment, at the head of a chain: the checkpoint whose barriers are being
	// collected (0 when none), the channels that delivered its barrier or ended, how many have
	// not, and when the first barrier came. lastBarrier is the last checkpoint taken.
	alignID     int64
	alignSeen   []bool
	alignLeft   int
	alignStart  time.Time
	lastBarrier int64

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
	case msgBarrier:
		return t.barrierArrived(m.ch, m.id)
	case msgEnd:
		if ch := &t.chans[m.ch]; !ch.ended {
			ch.ended = true
			t.live--
		}
		if t.alignID != 0 && !t.alignSeen[m.ch] {
			// An ended channel sends no barrier: it no longer holds the checkpoint back.
			t.alignSeen[m.ch] = true
			t.alignLeft--
			if t.alignLeft == 0 {
				if err := t.alignmentDone(); err != nil {
					return err
				}
			}
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
	if err := t.finalPreCommit(); err != nil {
		return err
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
		t.stats.stateEntries.Store(t.backend.Entries())
		if berr := t.backend.Close(); berr != nil && err == nil {
			err = fmt.Errorf("cannot close state: %w", berr)
		}
	}
	t.r.cur = prev
	return t.wrap(err)
}

// barrierArrived handles checkpoint id's barrier from channel ch: once every channel has
// delivered it (or ended), the subtask takes its checkpoint. Until then the runner holds back
// the messages of the channels that already delivered it (see runner.runInputs), so that the
// checkpoint holds exactly what came before the barriers.
func (t *nodeTask) barrierArrived(ch int, id int64) error {
	if id <= t.lastBarrier || (t.alignID != 0 && id < t.alignID) {
		return nil // a barrier of a checkpoint already taken or superseded
	}
	if t.alignID != 0 && id > t.alignID {
		// A newer checkpoint overtook the one being aligned (a source never injected the
		// older barrier, whose checkpoint the coordinator abandons): give up the older one.
		t.alignID = 0
		t.r.release()
	}
	if t.alignID == 0 {
		t.alignID, t.alignStart = id, time.Now()
		if len(t.alignSeen) != len(t.chans) {
			t.alignSeen = make([]bool, len(t.chans))
		}
		t.alignLeft = 0
		for i := range t.chans {
			t.alignSeen[i] = t.chans[i].ended
			if !t.chans[i].ended {
				t.alignLeft++
			}
		}
	}
	if !t.alignSeen[ch] {
		t.alignSeen[ch] = true
		t.alignLeft--
	}
	if t.alignLeft > 0 {
		return nil
	}
	return t.alignmentDone()
}

// holds reports whether a message from channel ch must wait for the current alignment.
func (t *nodeTask) holds(ch int) bool { return t.alignID != 0 && t.alignSeen[ch] }

// alignmentDone takes the checkpoint whose barriers have all arrived and lets the held-back
// messages through.
func (t *nodeTask) alignmentDone() error {
	id, align := t.alignID, time.Since(t.alignStart)
	t.alignID, t.lastBarrier = 0, id
	t.r.release()
	return t.takeCheckpoint(id, align)
}

// takeCheckpoint snapshots the subtask for checkpoint id, acknowledges it to the coordinator
// and forwards the barrier.
func (t *nodeTask) takeCheckpoint(id int64, align time.Duration) error {
	c := t.r.j.ck
	if c == nil {
		return t.wrap(fmt.Errorf("checkpoint barrier %d in a job without checkpoints", id))
	}
	start := time.Now()
	a := &subtaskAck{id: id, node: t.node.ID, subtask: t.subtask, align: align, watermark: t.wm}
	switch {
	case t.op != nil:
		if s, ok := t.op.(Snapshotter); ok {
			prev := t.enter()
			err := s.PrepareSnapshot(id)
			t.r.cur = prev
			if err != nil {
				return t.wrap(err)
			}
		}
		dir := c.subtaskDir(id, t.node, t.subtask)
		staged, err := t.stage(dir)
		switch {
		case err != nil:
			// The checkpoint is abandoned, the job goes on.
			a.err = fmt.Errorf("node %d (%s) subtask %d cannot snapshot its state for checkpoint %d: %w", t.node.ID, t.node.Name, t.subtask, id, err)
			os.RemoveAll(dir)
		case staged:
			a.dir = dir
		}
	case t.writer != nil:
		if tw, ok := t.writer.(connector.TwoPhaseWriter); ok {
			prev := t.enter()
			tok, err := tw.PreCommit(t.r.ctx, id)
			t.r.cur = prev
			if err != nil {
				return t.wrap(fmt.Errorf("cannot pre-commit checkpoint %d: %w", id, err))
			}
			a.token = tok
		}
	}
	a.sync = time.Since(start)
	if err := c.ack(t.r.ctx, a); err != nil {
		return err
	}
	return t.out.barrier(id)
}

// stage writes the subtask's state and timers into dir; it reports whether it wrote anything.
func (t *nodeTask) stage(dir string) (bool, error) {
	hasTimers := t.timers.event.len()+t.timers.proc.len() > 0
	if t.backend.b == nil && !hasTimers {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, err
	}
	if err := t.backend.checkpointTo(filepath.Join(dir, stateSubdir)); err != nil {
		return false, err
	}
	if hasTimers {
		if err := writeTimers(filepath.Join(dir, timersFile), t.timers); err != nil {
			return false, fmt.Errorf("cannot write timers: %w", err)
		}
	}
	return true, nil
}

// finalPreCommit pre-commits a two-phase sink's last rows at end of input, for the job's
// final checkpoint.
func (t *nodeTask) finalPreCommit() error {
	c := t.r.j.ck
	if c == nil || t.writer == nil {
		return nil
	}
	tw, ok := t.writer.(connector.TwoPhaseWriter)
	if !ok {
		return nil
	}
	id := c.finalID.Load()
	prev := t.enter()
	tok, err := tw.PreCommit(t.r.ctx, id)
	t.r.cur = prev
	if err != nil {
		return t.wrap(fmt.Errorf("cannot pre-commit the final checkpoint %d: %w", id, err))
	}
	return c.ack(t.r.ctx, &subtaskAck{id: id, node: t.node.ID, subtask: t.subtask, final: true, token: tok})
}
