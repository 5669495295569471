package exec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/state"
)

// runner is one goroutine of a job: one subtask of a chain of nodes (often a chain of one). The
// head node reads the subtask's input queue (or, for a source, its splits); every other node of
// the chain is called directly by its upstream.
type runner struct {
	j       *Job
	ctx     context.Context
	subtask int
	tasks   []*nodeTask // the chain, head first
	head    *nodeTask
	inbox   chan message // nil for sources
	// cur is the node whose code is running, for attributing panics.
	cur *nodeTask
	// timer wakes the goroutine for the earliest processing-time timer or a source backoff.
	timer *time.Timer
	// highWater is the most messages seen in inbox, including the one taken.
	highWater int64

	// held are messages the head holds back while it aligns checkpoint barriers; replay are
	// messages to handle before reading the queue again (held ones, once released).
	held, replay []message

	// Source heads only.
	splits []*splitState
	proc   SourceProcessor
	// barrierReq brings checkpoint ids from the coordinator (nil without checkpoints).
	barrierReq chan int64
}

// release lets the messages held back during an alignment through, ahead of the queue and of
// anything still to replay (they came before it).
func (r *runner) release() {
	if len(r.held) == 0 {
		return
	}
	r.replay = append(r.held, r.replay...)
	r.held = nil
}

// newRunner builds the chain that starts at node head for one subtask.
func newRunner(j *Job, ctx context.Context, head, subtask int, inboxes [][]chan message, splits []connector.Split) *runner {
	r := &runner{j: j, ctx: ctx, subtask: subtask}
	for id := head; id >= 0; id = j.chainNext[id] {
		nd := j.g.Nodes[id]
		t := &nodeTask{
			r:       r,
			node:    nd,
			subtask: subtask,
			stats:   j.stats[id][subtask],
			logger:  j.opts.Logger.With("node", nd.Name, "subtask", subtask),
			timers:  newTimerService(),
			wm:      MinWatermark,
		}
		if len(r.tasks) > 0 {
			// Chained: one channel, from the upstream node of the chain.
			t.chans = []inChan{{wm: MinWatermark}}
			r.tasks[len(r.tasks)-1].out = chainedOutput{next: t}
		} else {
			for _, e := range nd.Inputs {
				n := j.g.Nodes[e.From].Parallelism
				if e.Partitioning == Forward {
					n = 1
				}
				for range n {
					t.chans = append(t.chans, inChan{wm: MinWatermark})
				}
			}
		}
		t.live = len(t.chans)
		r.tasks = append(r.tasks, t)
	}
	r.head = r.tasks[0]
	r.cur = r.head
	if inboxes[head] != nil {
		r.inbox = inboxes[head][subtask]
	}

	// The last node of the chain sends to the input queues of its consumers.
	last := r.tasks[len(r.tasks)-1]
	last.out = discardOutput{}
	if cs := j.consumers[last.node.ID]; len(cs) > 0 {
		no := &networkOutput{ctx: ctx}
		for _, c := range cs {
			down := j.g.Nodes[c.node]
			e := down.Inputs[c.input]
			// The receivers' channel index: inputs before this one, then the sender.
			ch := 0
			for k := range c.input {
				if down.Inputs[k].Partitioning == Forward {
					ch++
				} else {
					ch += j.g.Nodes[down.Inputs[k].From].Parallelism
				}
			}
			if e.Partitioning != Forward {
				ch += subtask
			}
			oe := &outEdge{
				part:    e.Partitioning,
				keyCols: e.KeyCols,
				sender:  subtask,
				input:   c.input,
				ch:      ch,
				targets: inboxes[c.node],
				rr:      subtask % down.Parallelism,
			}
			if e.Partitioning == Hash {
				oe.sels = make([][]int, down.Parallelism)
			}
			no.edges = append(no.edges, oe)
		}
		last.out = no
	}

	if src := r.head.node.Source; src != nil {
		p := r.head.node.Parallelism
		for i, sp := range splits {
			if i%p == subtask {
				r.splits = append(r.splits, &splitState{split: sp, wm: MinWatermark})
			}
		}
	}
	return r
}

// run executes the chain until end of input, failure or cancellation, and always closes every
// reader, operator and writer of the chain before returning.
func (r *runner) run() (err error) {
	r.timer = time.NewTimer(time.Hour)
	r.timer.Stop()
	defer func() {
		if p := recover(); p != nil {
			err = r.cur.wrap(panicError(p))
		}
		r.timer.Stop()
		if cerr := r.cleanup(err != nil); err == nil {
			err = cerr
		}
	}()
	if err := r.open(); err != nil {
		return err
	}
	if r.head.node.Source != nil {
		return r.runSource()
	}
	return r.runInputs()
}

// open builds and opens the chain's operators and writers, and the source's readers.
func (r *runner) open() error {
	opts := &r.j.opts
	for _, t := range r.tasks {
		r.cur = t
		nd := t.node
		switch {
		case nd.Sink != nil:
			var w connector.SinkWriter
			var err error
			if cm, ok := nd.Sink.(connector.Committer); ok && r.j.ck != nil {
				w, err = cm.OpenTwoPhase(r.ctx, r.subtask, nd.Parallelism)
			} else {
				w, err = nd.Sink.Open(r.ctx, r.subtask, nd.Parallelism)
			}
			if err != nil {
				return t.wrap(fmt.Errorf("cannot open sink: %w", err))
			}
			t.writer, t.opened = w, true
		case nd.NewOperator != nil:
			if err := r.openState(t); err != nil {
				return t.wrap(err)
			}
			op, err := nd.NewOperator()
			if err != nil {
				return t.wrap(fmt.Errorf("cannot create operator: %w", err))
			}
			t.op, t.opened = op, true
			t.octx = &Context{
				Node:        nd.Name,
				Subtask:     r.subtask,
				Parallelism: nd.Parallelism,
				State:       t.backend,
				Timers:      t.timers,
				Logger:      t.logger,
				Metrics:     &t.stats.Metrics,
				Expr:        opts.ExprContext,
				Emit:        t.emit,
				Watermark:   func() int64 { return t.wm },
				Now:         opts.Clock,
			}
			if err := op.Open(t.octx); err != nil {
				return t.wrap(err)
			}
		case nd.Source != nil:
			spec := nd.Source
			if spec.NewProcessor != nil {
				proc, err := spec.NewProcessor()
				if err != nil {
					return t.wrap(fmt.Errorf("cannot create source processor: %w", err))
				}
				r.proc = proc
			}
			if err := r.openSplits(t); err != nil {
				return t.wrap(err)
			}
		}
	}
	r.cur = r.head
	return nil
}

// emit is an operator's Context.Emit.
func (t *nodeTask) emit(c *chunk.Chunk) error {
	if t.finished {
		return t.wrap(errors.New("operator emitted a chunk after its end of input"))
	}
	if c == nil || c.Len() == 0 {
		return nil
	}
	n := c.Len()
	t.stats.RecordsOut.Add(int64(n))
	return t.out.emit(c)
}

// cleanup closes whatever is still open: split readers, then the chain's nodes in order. After
// a failure its errors are only logged.
func (r *runner) cleanup(failed bool) error {
	var first error
	report := func(t *nodeTask, err error) {
		if err == nil {
			return
		}
		if failed || first != nil {
			t.logger.Warn("error while closing after a failure", "err", err)
			return
		}
		first = err
	}
	for _, sp := range r.splits {
		if sp.reader != nil && !sp.closed {
			sp.closed = true
			report(r.head, r.safely(r.head, func() error {
				if err := sp.reader.Close(); err != nil {
					return fmt.Errorf("cannot close split %s: %w", sp.split.ID(), err)
				}
				return nil
			}))
		}
	}
	for _, t := range r.tasks {
		if !t.closed {
			report(t, r.safely(t, t.close))
		}
	}
	return first
}

// safely calls fn, turning a panic into an error of node t.
func (r *runner) safely(t *nodeTask, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = t.wrap(panicError(p))
		}
	}()
	return t.wrap(fn())
}

// runInputs is the loop of a chain whose head reads an input queue.
func (r *runner) runInputs() error {
	h := r.head
	if h.live == 0 {
		return h.endInput() // a node without inputs ends at once
	}
	for {
		if err := r.fireDueProcTimers(); err != nil {
			return err
		}
		var wake <-chan time.Time
		if d, ok := r.untilProcTimer(); ok {
			r.timer.Reset(d)
			wake = r.timer.C
		}
		if len(r.replay) > 0 {
			m := r.replay[0]
			r.replay = r.replay[1:]
			if err := r.take(m); err != nil || h.finished {
				return err
			}
			continue
		}
		select {
		case m := <-r.inbox:
			if n := int64(len(r.inbox)) + 1; n > r.highWater {
				r.highWater = n
				h.stats.queueHigh.Store(n)
			}
			if err := r.take(m); err != nil || h.finished {
				return err
			}
		case <-wake:
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
	}
}

// take handles a message from the head's input, or holds it back while the head aligns
// checkpoint barriers and its channel has delivered the barrier already.
func (r *runner) take(m message) error {
	if r.head.holds(m.ch) {
		r.held = append(r.held, m)
		return nil
	}
	return r.head.handle(m)
}

// openState prepares an operator subtask's state: a backend opened on first use, and, when the
// job restores, the subtask's checkpointed state files, timers and watermark.
func (r *runner) openState(t *nodeTask) error {
	opts := &r.j.opts
	nd := t.node
	dir := ""
	if opts.StateDir != "" {
		dir = filepath.Join(opts.StateDir, fmt.Sprintf("%s-%d", nodeUID(nd), r.subtask))
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("cannot clear the state directory: %w", err)
		}
	}
	subtask := r.subtask
	t.backend = &lazyState{open: func() (state.Backend, error) {
		if opts.OpenState != nil {
			return opts.OpenState(nd.ID, subtask, filepath.Join(dir, stateSubdir))
		}
		return opts.NewState(nd.ID, subtask), nil
	}}
	rs := r.j.ck.restoredSubtask(nd, r.subtask)
	if rs == nil {
		return nil
	}
	t.restoreWatermark(rs.Watermark)
	if len(rs.Files) == 0 {
		return nil
	}
	if dir == "" {
		return errors.New("cannot restore state without a state directory")
	}
	start := time.Now()
	if err := r.j.ck.restoreStorage().Download(r.ctx, rs.Files, dir); err != nil {
		return fmt.Errorf("cannot restore state from checkpoint %d: %w", r.j.ck.o.Restore.ID, err)
	}
	defer func() {
		var size int64
		for _, f := range rs.Files {
			size += f.Size
		}
		t.logger.Info("state restored", "checkpoint", r.j.ck.o.Restore.ID, "bytes", size, "duration", time.Since(start))
	}()
	tp := filepath.Join(dir, timersFile)
	if _, err := os.Stat(tp); err == nil {
		if err := readTimers(tp, t.timers); err != nil {
			return fmt.Errorf("cannot restore timers from checkpoint %d: %w", r.j.ck.o.Restore.ID, err)
		}
		os.Remove(tp)
	}
	if _, err := os.Stat(filepath.Join(dir, stateSubdir)); err == nil {
		// Restored state exists: open it now, so that a backend the operator never asks for
		// is still checkpointed again (its state must not be dropped).
		if _, err := t.backend.get(); err != nil {
			return err
		}
	}
	return nil
}

// restoreWatermark starts a restored subtask at the watermark it had at the checkpoint.
func (t *nodeTask) restoreWatermark(wm int64) {
	if wm <= t.wm {
		return
	}
	t.wm = wm
	t.stats.watermark.Store(wm)
	for i := range t.chans {
		t.chans[i].wm = wm
	}
}

// openSplits opens the readers of a source subtask's splits, at their checkpointed positions
// when the job restores.
func (r *runner) openSplits(t *nodeTask) error {
	spec := t.node.Source
	rs := r.j.ck.restoredSubtask(t.node, r.subtask)
	var pos map[string]*checkpoint.SplitPosition
	if rs != nil {
		t.restoreWatermark(rs.Watermark)
		pos = map[string]*checkpoint.SplitPosition{}
		for i := range rs.Splits {
			pos[rs.Splits[i].SplitID] = &rs.Splits[i]
		}
	}
	for _, sp := range r.splits {
		id := sp.split.ID()
		if pos == nil {
			rd, err := spec.Source.Open(r.ctx, sp.split, spec.Projection)
			if err != nil {
				return fmt.Errorf("cannot open split %s: %w", id, err)
			}
			sp.reader = rd
			continue
		}
		p := pos[id]
		if p == nil {
			return fmt.Errorf("split %s has no position in checkpoint %d: the source changed since; start it afresh", id, r.j.ck.o.Restore.ID)
		}
		sp.wm = p.Watermark
		if p.Finished {
			sp.done, sp.closed = true, true
			continue
		}
		rsrc, ok := spec.Source.(connector.ResumableSource)
		if !ok {
			return fmt.Errorf("the source cannot resume split %s at a position", id)
		}
		rd, err := rsrc.OpenAt(r.ctx, sp.split, spec.Projection, p.Position)
		if err != nil {
			return fmt.Errorf("cannot resume split %s: %w", id, err)
		}
		sp.reader = rd
	}
	return nil
}

// nowMicros returns processing time in microseconds since the epoch.
func (r *runner) nowMicros() int64 { return r.j.opts.Clock().UnixMicro() }

// fireDueProcTimers fires the chain's processing-time timers that are due.
func (r *runner) fireDueProcTimers() error {
	now, read := int64(0), false
	for _, t := range r.tasks {
		if t.op == nil || t.timers.proc.len() == 0 {
			continue
		}
		if !read {
			now, read = r.nowMicros(), true
		}
		if err := t.fireTimers(t.timers.proc, ProcessingTime, now); err != nil {
			return err
		}
	}
	return nil
}

// untilProcTimer returns how long until the chain's earliest processing-time timer is due.
func (r *runner) untilProcTimer() (time.Duration, bool) {
	next, ok := int64(0), false
	for _, t := range r.tasks {
		if t.op == nil {
			continue
		}
		if tm, has := t.timers.proc.peek(); has && (!ok || tm < next) {
			next, ok = tm, true
		}
	}
	if !ok {
		return 0, false
	}
	d := next - r.nowMicros()
	if d < 0 {
		d = 0
	}
	if d > int64(time.Duration(1<<62)/time.Microsecond) {
		d = int64(time.Duration(1<<62) / time.Microsecond)
	}
	return time.Duration(d) * time.Microsecond, true
}
