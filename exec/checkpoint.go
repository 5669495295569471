package exec

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/state"
)

// CheckpointOptions turn on checkpoints for a Job (see the package documentation, section
// Checkpoints).
type CheckpointOptions struct {
	// Storage keeps the checkpoints. Required.
	Storage *checkpoint.Storage
	// Interval is the time between checkpoint triggers (execution.checkpointing.interval); 0
	// takes no periodic checkpoints, only savepoints and the final one.
	Interval time.Duration
	// Timeout abandons a checkpoint that has not completed within it
	// (execution.checkpointing.timeout). Default 10 minutes.
	Timeout time.Duration
	// MinPause is the least time from the end of one checkpoint to the start of the next
	// (execution.checkpointing.min-pause).
	MinPause time.Duration
	// TolerableFailures is how many checkpoints in a row may fail (be abandoned) before the
	// job fails (execution.checkpointing.tolerable-failed-checkpoints); negative means any.
	TolerableFailures int
	// JobID and PlanDigest are recorded in every checkpoint's metadata.
	JobID, PlanDigest string
	// Restore, when set, is the checkpoint the job starts from: operators find their state,
	// timers and watermarks, sources their split positions, and sinks' pending commits are
	// committed again.
	Restore *checkpoint.Metadata
	// RestoreStorage holds Restore's files when they are not in Storage (a savepoint taken
	// into another directory); nil means Storage.
	RestoreStorage *checkpoint.Storage
	// AllowNonRestoredState lets the job start although Restore holds state of operators the
	// graph no longer has (that state is dropped); without it such a start fails, naming them.
	AllowNonRestoredState bool
	// OnCheckpoint, when set, is called after each checkpoint completes or is abandoned, from
	// the coordinator goroutine.
	OnCheckpoint func(CheckpointStats)
}

// CheckpointStats describe one checkpoint.
type CheckpointStats struct {
	ID   int64
	Kind string
	// Err is why the checkpoint was abandoned; nil when it completed.
	Err error
	// Duration runs from the trigger to completion.
	Duration time.Duration
	// Alignment and Sync are the longest over all subtasks: the time a subtask held back its
	// inputs waiting for barriers, and the time it spent snapshotting (its pause).
	Alignment, Sync time.Duration
	// Size is the total size of the state files the checkpoint references; Incremental the
	// bytes copied for it (files not already stored).
	Size, Incremental int64
}

const (
	defaultCheckpointTimeout = 10 * time.Minute
	timersFile               = "timers"
	stateSubdir              = "state"
)

// ErrSavepointStop is returned by Run after StopWithSavepoint took its savepoint.
var ErrSavepointStop = errors.New("stopped with a savepoint")

// ErrFinished is returned by Run when it restores the final checkpoint of a job that had
// already finished: the sinks' last output is committed (again) and nothing else runs.
var ErrFinished = errors.New("the pipeline already finished")

// subtaskAck is what one subtask contributes to a checkpoint.
type subtaskAck struct {
	id        int64
	node      int
	subtask   int
	final     bool   // a sink's end-of-input pre-commit
	dir       string // local files to upload ("" when none)
	splits    []checkpoint.SplitPosition
	token     []byte
	watermark int64
	align     time.Duration
	sync      time.Duration
	err       error
}

// uploadResult is an upload goroutine's answer.
type uploadResult struct {
	id      int64
	node    int
	subtask int
	files   []checkpoint.File
	size    int64
	copied  int64
	err     error
}

// pendingCheckpoint is a checkpoint that has been triggered and not yet completed.
type pendingCheckpoint struct {
	id        int64
	kind      string
	started   time.Time
	acks      map[[2]int]*subtaskAck
	uploads   map[[2]int]*uploadResult
	uploading int
	stats     CheckpointStats
	done      chan error // savepoints: told the outcome
}

// coordinator triggers checkpoints, collects the subtasks' acknowledgements, uploads their
// files, writes the metadata and commits sinks.
type coordinator struct {
	j        *Job
	o        *CheckpointOptions
	stageDir string
	expected int // acks per checkpoint: every subtask of every node

	acks     chan *subtaskAck
	uploaded chan *uploadResult
	requests chan savepointRequest

	// sourceReqs[i] carries checkpoint ids to source head runner i (capacity 1, latest wins).
	sourceReqs []chan int64

	mu       sync.Mutex
	ending   bool // every source has finished: no more triggers
	lastID   int64
	finalID  atomic.Int64
	srcLeft  int
	allDone  chan struct{}
	finals   []*subtaskAck // sinks' end-of-input tokens
	failures int
	// carry holds, per sink subtask, the tokens of abandoned checkpoints: what the sink
	// pre-committed for them is committed with the next checkpoint that completes.
	carry map[[2]int][][]byte

	// restored is the uid → operator map of CheckpointOptions.Restore.
	restored map[string]*checkpoint.Operator
	uploadWG sync.WaitGroup
}

type savepointRequest struct {
	done chan error
}

func newCoordinator(j *Job, o *CheckpointOptions, stageDir string) *coordinator {
	c := &coordinator{
		j:        j,
		o:        o,
		stageDir: stageDir,
		uploaded: make(chan *uploadResult, 64),
		requests: make(chan savepointRequest, 1),
		allDone:  make(chan struct{}),
		restored: map[string]*checkpoint.Operator{},
		carry:    map[[2]int][][]byte{},
	}
	for _, nd := range j.g.Nodes {
		c.expected += nd.Parallelism
	}
	c.acks = make(chan *subtaskAck, c.expected+8)
	if o.Restore != nil {
		c.lastID = o.Restore.ID
		for i := range o.Restore.Operators {
			op := &o.Restore.Operators[i]
			c.restored[op.UID] = op
		}
	}
	return c
}

// nodeUID returns a node's stable identity.
func nodeUID(nd *Node) string {
	if nd.UID != "" {
		return nd.UID
	}
	return fmt.Sprintf("node-%d", nd.ID)
}

// checkRestore validates the restore checkpoint against the graph.
func (c *coordinator) checkRestore() error {
	if c.o.Restore == nil {
		return nil
	}
	used := map[string]bool{}
	for _, nd := range c.j.g.Nodes {
		op := c.restored[nodeUID(nd)]
		if op == nil {
			continue
		}
		used[op.UID] = true
		if op.Parallelism != nd.Parallelism {
			return fmt.Errorf("cannot restore node %d (%s) from checkpoint %d: it ran with parallelism %d and now has %d; changing the parallelism of a stateful job is not supported yet", nd.ID, nd.Name, c.o.Restore.ID, op.Parallelism, nd.Parallelism)
		}
	}
	var lost []string
	for _, op := range c.o.Restore.Operators {
		if used[op.UID] || !op.HasState() {
			continue
		}
		lost = append(lost, fmt.Sprintf("%s (uid %s)", op.Name, op.UID))
	}
	if len(lost) > 0 && !c.o.AllowNonRestoredState {
		return fmt.Errorf("checkpoint %d holds state of operators this pipeline no longer has: %s; starting would drop it (allow that with --allow-non-restored-state)", c.o.Restore.ID, strings.Join(lost, ", "))
	}
	if len(lost) > 0 {
		c.j.opts.Logger.Warn("dropping state of operators the pipeline no longer has", "operators", strings.Join(lost, ", "))
	}
	return nil
}

// restoredSubtask returns the checkpointed state of a node subtask, or nil.
func (c *coordinator) restoredSubtask(nd *Node, subtask int) *checkpoint.Subtask {
	if c == nil {
		return nil
	}
	op := c.restored[nodeUID(nd)]
	if op == nil {
		return nil
	}
	for i := range op.Subtasks {
		if op.Subtasks[i].Index == subtask {
			return &op.Subtasks[i]
		}
	}
	return nil
}

// recoverSinks commits the restored checkpoint's sink tokens again and lets every two-phase
// sink discard what earlier runs left uncommitted.
func (c *coordinator) recoverSinks(ctx context.Context) error {
	for _, nd := range c.j.g.Nodes {
		cm, ok := nd.Sink.(connector.Committer)
		if !ok {
			continue
		}
		var tokens [][]byte
		if op := c.restored[nodeUID(nd)]; op != nil {
			for _, s := range op.Subtasks {
				tokens = append(tokens, s.SinkTokens...)
			}
		}
		if len(tokens) > 0 {
			if err := cm.Commit(ctx, tokens); err != nil {
				return &NodeError{NodeID: nd.ID, Node: nd.Name, Subtask: -1, Err: fmt.Errorf("cannot commit again what checkpoint %d wrote: %w", c.o.Restore.ID, err)}
			}
		}
		if err := cm.Recover(ctx, tokens); err != nil {
			return &NodeError{NodeID: nd.ID, Node: nd.Name, Subtask: -1, Err: fmt.Errorf("cannot recover sink: %w", err)}
		}
	}
	return nil
}

// ack hands a subtask's contribution to the coordinator.
func (c *coordinator) ack(ctx context.Context, a *subtaskAck) error {
	select {
	case c.acks <- a:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// subtaskDir is the local directory where a subtask stages checkpoint id.
func (c *coordinator) subtaskDir(id int64, nd *Node, subtask int) string {
	return filepath.Join(c.stageDir, fmt.Sprintf("chk-%d", id), fmt.Sprintf("%s-%d", nodeUID(nd), subtask))
}

// sourceFinished records that a source subtask read all its splits. It returns the channel
// closed when every source subtask has.
func (c *coordinator) sourceFinished() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.srcLeft--
	if c.srcLeft == 0 && !c.ending {
		c.ending = true
		c.finalID.Store(c.lastID + 1)
		close(c.allDone)
	}
	return c.allDone
}

// trigger starts checkpoint (or savepoint) lastID+1 by asking every source subtask for a
// barrier; it returns nil when the sources are finishing.
func (c *coordinator) trigger(kind string) *pendingCheckpoint {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ending {
		return nil
	}
	c.lastID++
	p := &pendingCheckpoint{
		id:      c.lastID,
		kind:    kind,
		started: time.Now(),
		acks:    map[[2]int]*subtaskAck{},
		uploads: map[[2]int]*uploadResult{},
		stats:   CheckpointStats{ID: c.lastID, Kind: kind},
	}
	for _, ch := range c.sourceReqs {
		select { // the latest request replaces one not yet taken
		case <-ch:
		default:
		}
		ch <- p.id
	}
	return p
}

// run is the coordinator goroutine. It returns when stop is closed (after the runners have
// exited) or on a failure that must fail the job.
func (c *coordinator) run(ctx context.Context, stop <-chan struct{}) error {
	var (
		pending  *pendingCheckpoint
		queued   []savepointRequest
		lastEnd  = time.Now()
		tick     = time.NewTimer(time.Hour)
		deadline = time.NewTimer(time.Hour)
	)
	tick.Stop()
	deadline.Stop()
	defer tick.Stop()
	defer deadline.Stop()
	// Uploads watch ctx: they end (and stop sending results) when the coordinator returns.
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		c.uploadWG.Wait()
	}()
	timeout := c.o.Timeout
	if timeout <= 0 {
		timeout = defaultCheckpointTimeout
	}
	// The next checkpoint starts Interval after the previous one started, and at least
	// MinPause after it ended.
	lastStart := time.Now()
	arm := func() {
		if pending != nil {
			return
		}
		if len(queued) > 0 {
			tick.Reset(0)
			return
		}
		if c.o.Interval <= 0 {
			return
		}
		next := time.Until(lastStart.Add(c.o.Interval))
		next = max(next, time.Until(lastEnd.Add(c.o.MinPause)), 0)
		tick.Reset(next)
	}
	start := func(kind string) {
		lastStart = time.Now()
		if pending = c.trigger(kind); pending == nil {
			for _, q := range queued {
				q.done <- errors.New("the job is finishing: no savepoint can be taken")
			}
			queued = nil
			return
		}
		if kind == checkpoint.KindSavepoint && len(queued) > 0 {
			pending.done = queued[0].done
			queued = queued[1:]
		}
		deadline.Reset(timeout)
	}
	finish := func(err error) error {
		p := pending
		pending = nil
		deadline.Stop()
		lastEnd = time.Now()
		p.stats.Duration = time.Since(p.started)
		p.stats.Err = err
		if err != nil {
			c.abandon(ctx, p, err)
		} else {
			c.failures = 0
		}
		if p.done != nil {
			p.done <- err
		}
		if c.o.OnCheckpoint != nil {
			c.o.OnCheckpoint(p.stats)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			c.failures++
			if c.o.TolerableFailures >= 0 && c.failures > c.o.TolerableFailures {
				return fmt.Errorf("checkpoint %d failed and %d in a row is more than execution.checkpointing.tolerable-failed-checkpoints (%d): %w", p.id, c.failures, c.o.TolerableFailures, err)
			}
		}
		arm()
		return nil
	}
	arm()
	for {
		select {
		case <-stop:
			if pending != nil {
				_ = finish(errors.New("the job ended before the checkpoint completed"))
			}
			c.drainFinals()
			for _, q := range queued {
				q.done <- errors.New("the job ended before the savepoint was taken")
			}
			return nil
		case <-ctx.Done():
			return nil
		case <-tick.C:
			kind := checkpoint.KindCheckpoint
			if len(queued) > 0 {
				kind = checkpoint.KindSavepoint
			}
			start(kind)
			if pending == nil {
				arm()
			}
		case q := <-c.requests:
			queued = append(queued, q)
			if pending == nil {
				tick.Reset(0)
			}
		case <-deadline.C:
			if pending != nil {
				if err := finish(fmt.Errorf("checkpoint %d did not complete within %s (execution.checkpointing.timeout)", pending.id, timeout)); err != nil {
					return err
				}
			}
		case a := <-c.acks:
			if a.final {
				c.finals = append(c.finals, a)
				continue
			}
			if pending == nil || a.id != pending.id {
				c.discard(a)
				continue
			}
			if a.err != nil {
				if err := finish(a.err); err != nil {
					return err
				}
				continue
			}
			k := [2]int{a.node, a.subtask}
			pending.acks[k] = a
			pending.stats.Alignment = max(pending.stats.Alignment, a.align)
			pending.stats.Sync = max(pending.stats.Sync, a.sync)
			if a.dir != "" {
				pending.uploading++
				c.upload(ctx, a)
			}
			if err := c.maybeComplete(ctx, pending, finish); err != nil {
				return err
			}
		case u := <-c.uploaded:
			if pending == nil || u.id != pending.id {
				continue
			}
			pending.uploading--
			if u.err != nil {
				if err := finish(u.err); err != nil {
					return err
				}
				continue
			}
			pending.uploads[[2]int{u.node, u.subtask}] = u
			pending.stats.Size += u.size
			pending.stats.Incremental += u.copied
			if err := c.maybeComplete(ctx, pending, finish); err != nil {
				return err
			}
		}
	}
}

// drainFinals collects the end-of-input acks still queued.
func (c *coordinator) drainFinals() {
	for {
		select {
		case a := <-c.acks:
			if a.final {
				c.finals = append(c.finals, a)
			} else {
				c.discard(a)
			}
		default:
			return
		}
	}
}

// discard drops the staged files of an ack that belongs to no pending checkpoint (one already
// abandoned), and carries its sink token over to the next checkpoint.
func (c *coordinator) discard(a *subtaskAck) {
	if len(a.token) > 0 {
		k := [2]int{a.node, a.subtask}
		c.carry[k] = append(c.carry[k], a.token)
	}
	if a.dir != "" {
		os.RemoveAll(a.dir)
	}
}

// upload copies a subtask's staged files to the storage in the background.
func (c *coordinator) upload(ctx context.Context, a *subtaskAck) {
	c.uploadWG.Go(func() {
		files, copied, err := c.o.Storage.Upload(ctx, a.dir)
		var size int64
		for _, f := range files {
			size += f.Size
		}
		nd := c.j.g.Nodes[a.node]
		if err != nil {
			err = fmt.Errorf("cannot store the state of node %d (%s) subtask %d for checkpoint %d: %w", nd.ID, nd.Name, a.subtask, a.id, err)
		}
		select {
		case c.uploaded <- &uploadResult{id: a.id, node: a.node, subtask: a.subtask, files: files, size: size, copied: copied, err: err}:
		case <-ctx.Done():
		}
	})
}

// maybeComplete completes p when every subtask has acknowledged it and every upload is done.
func (c *coordinator) maybeComplete(ctx context.Context, p *pendingCheckpoint, finish func(error) error) error {
	if len(p.acks) < c.expected || p.uploading > 0 {
		return nil
	}
	m := c.metadata(p.id, p.kind, p.acks, p.uploads)
	if err := c.o.Storage.Commit(ctx, m); err != nil {
		return finish(fmt.Errorf("cannot write checkpoint %d: %w", p.id, err))
	}
	if err := c.commitSinks(ctx, p.id, p.acks); err != nil {
		return err // a sink that cannot publish fails the job; recovery commits again
	}
	clear(c.carry)
	os.RemoveAll(filepath.Join(c.stageDir, fmt.Sprintf("chk-%d", p.id)))
	c.j.opts.Logger.Info("checkpoint completed", "id", p.id, "kind", p.kind,
		"duration", time.Since(p.started), "alignment", p.stats.Alignment, "sync", p.stats.Sync,
		"size", p.stats.Size, "incremental", p.stats.Incremental)
	return finish(nil)
}

// metadata builds the metadata of a checkpoint from its acks.
func (c *coordinator) metadata(id int64, kind string, acks map[[2]int]*subtaskAck, uploads map[[2]int]*uploadResult) *checkpoint.Metadata {
	m := &checkpoint.Metadata{
		FormatVersion: checkpoint.FormatVersion,
		JobID:         c.o.JobID,
		ID:            id,
		Kind:          kind,
		Timestamp:     time.Now().UTC(),
		PlanDigest:    c.o.PlanDigest,
	}
	for _, nd := range c.j.g.Nodes {
		op := checkpoint.Operator{UID: nodeUID(nd), Name: nd.Name, Parallelism: nd.Parallelism}
		for s := range nd.Parallelism {
			st := checkpoint.Subtask{Index: s}
			if a := acks[[2]int{nd.ID, s}]; a != nil {
				st.Splits = a.splits
				st.SinkTokens = c.sinkTokens(nd.ID, s, a)
				st.Watermark = a.watermark
				st.Stats = checkpoint.Stats{AlignmentMicros: a.align.Microseconds(), SyncMicros: a.sync.Microseconds()}
			}
			if u := uploads[[2]int{nd.ID, s}]; u != nil {
				st.Files = u.files
				st.Stats.Bytes = u.size
				st.Stats.IncrementalBytes = u.copied
			}
			op.Subtasks = append(op.Subtasks, st)
		}
		m.Operators = append(m.Operators, op)
	}
	slices.SortFunc(m.Operators, func(a, b checkpoint.Operator) int { return strings.Compare(a.UID, b.UID) })
	return m
}

// commitSinks publishes what two-phase sinks pre-committed for a completed checkpoint.
func (c *coordinator) commitSinks(ctx context.Context, id int64, acks map[[2]int]*subtaskAck) error {
	for _, nd := range c.j.g.Nodes {
		cm, ok := nd.Sink.(connector.Committer)
		if !ok {
			continue
		}
		var tokens [][]byte
		for s := range nd.Parallelism {
			tokens = append(tokens, c.sinkTokens(nd.ID, s, acks[[2]int{nd.ID, s}])...)
		}
		if len(tokens) == 0 {
			continue
		}
		if err := cm.Commit(ctx, tokens); err != nil {
			return &NodeError{NodeID: nd.ID, Node: nd.Name, Subtask: -1, Err: fmt.Errorf("cannot commit checkpoint %d: %w", id, err)}
		}
	}
	return nil
}

// sinkTokens are the tokens a sink subtask commits with a checkpoint: those carried over from
// abandoned checkpoints, then its own (a may be nil).
func (c *coordinator) sinkTokens(node, subtask int, a *subtaskAck) [][]byte {
	out := slices.Clone(c.carry[[2]int{node, subtask}])
	if a != nil && len(a.token) > 0 {
		out = append(out, a.token)
	}
	return out
}

// abandon removes what a failed checkpoint left behind; what sinks pre-committed for it is
// carried over to the next checkpoint.
func (c *coordinator) abandon(ctx context.Context, p *pendingCheckpoint, err error) {
	for k, a := range p.acks {
		if len(a.token) > 0 {
			c.carry[k] = append(c.carry[k], a.token)
		}
	}
	c.j.opts.Logger.Warn("checkpoint abandoned", "id", p.id, "err", err)
	os.RemoveAll(filepath.Join(c.stageDir, fmt.Sprintf("chk-%d", p.id)))
	if aerr := c.o.Storage.Abandon(ctx, p.id); aerr != nil {
		c.j.opts.Logger.Warn("cannot clean up an abandoned checkpoint", "id", p.id, "err", aerr)
	}
}

// finish writes the final checkpoint of a job whose every subtask ended: the sinks'
// end-of-input tokens, so that a restart after a crash between here and the commit commits
// them again and does not run the job a second time. Then it commits them.
func (c *coordinator) finish(ctx context.Context) error {
	id := c.finalID.Load()
	acks := map[[2]int]*subtaskAck{}
	for _, a := range c.finals {
		acks[[2]int{a.node, a.subtask}] = a
	}
	m := c.metadata(id, checkpoint.KindFinal, acks, nil)
	if err := c.o.Storage.Commit(ctx, m); err != nil {
		return fmt.Errorf("cannot write the final checkpoint %d: %w", id, err)
	}
	if err := c.commitSinks(ctx, id, acks); err != nil {
		return err
	}
	clear(c.carry)
	os.RemoveAll(c.stageDir)
	if c.o.OnCheckpoint != nil {
		c.o.OnCheckpoint(CheckpointStats{ID: id, Kind: checkpoint.KindFinal})
	}
	return nil
}

// ---- timers ----

const timersFormat = 1

// writeTimers stores a subtask's pending timers in path.
func writeTimers(path string, ts *timerService) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	var buf []byte
	buf = append(buf, timersFormat)
	for _, q := range []*timerQueue{ts.event, ts.proc} {
		buf = binary.AppendUvarint(buf, uint64(len(q.set)))
		keys := make([]string, 0, len(q.set))
		for s := range q.set {
			keys = append(keys, s)
		}
		slices.Sort(keys)
		for _, s := range keys {
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
			if len(buf) > 64<<10 {
				if _, err := w.Write(buf); err != nil {
					f.Close()
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if _, err := w.Write(buf); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readTimers registers the timers stored in path.
func readTimers(path string, ts *timerService) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) == 0 || b[0] != timersFormat {
		return fmt.Errorf("timers file %s: unknown format", path)
	}
	b = b[1:]
	for _, q := range []*timerQueue{ts.event, ts.proc} {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			return fmt.Errorf("timers file %s is truncated", path)
		}
		b = b[k:]
		for range n {
			l, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < l || l < 8 {
				return fmt.Errorf("timers file %s is truncated", path)
			}
			s := string(b[k : k+int(l)])
			b = b[k+int(l):]
			if _, ok := q.set[s]; !ok {
				q.set[s] = struct{}{}
				q.push(s)
			}
		}
	}
	if len(b) != 0 {
		return fmt.Errorf("timers file %s has %d trailing bytes", path, len(b))
	}
	return nil
}

// ---- lazily opened state ----

// lazyState opens a subtask's state backend on first use, so that stateless operators never
// create one (and their checkpoints hold no files).
type lazyState struct {
	open func() (state.Backend, error)
	b    state.Backend
}

func (l *lazyState) get() (state.Backend, error) {
	if l.b == nil {
		b, err := l.open()
		if err != nil {
			return nil, fmt.Errorf("cannot open state: %w", err)
		}
		l.b = b
	}
	return l.b, nil
}

func (l *lazyState) Value(d state.Descriptor) (state.ValueState, error) {
	b, err := l.get()
	if err != nil {
		return nil, err
	}
	return b.Value(d)
}

func (l *lazyState) Map(d state.Descriptor) (state.MapState, error) {
	b, err := l.get()
	if err != nil {
		return nil, err
	}
	return b.Map(d)
}

func (l *lazyState) List(d state.Descriptor) (state.ListState, error) {
	b, err := l.get()
	if err != nil {
		return nil, err
	}
	return b.List(d)
}

func (l *lazyState) Close() error {
	if l.b == nil {
		return nil
	}
	return l.b.Close()
}

// Entries counts the backend's entries when it can.
func (l *lazyState) Entries() int64 {
	if sz, ok := l.b.(state.Sizer); ok {
		return sz.Entries()
	}
	return 0
}

// checkpointTo writes the backend's checkpoint into dir; a backend never opened writes nothing.
func (l *lazyState) checkpointTo(dir string) error {
	if l.b == nil {
		return nil
	}
	cp, ok := l.b.(state.Checkpointer)
	if !ok {
		return fmt.Errorf("the state backend (%T) cannot take checkpoints; use 'state.backend' = 'pebble'", l.b)
	}
	return cp.Checkpoint(dir)
}

// restoreStorage is where the restore checkpoint's files are.
func (c *coordinator) restoreStorage() *checkpoint.Storage {
	if c.o.RestoreStorage != nil {
		return c.o.RestoreStorage
	}
	return c.o.Storage
}
