package exec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
)

// Options configure a Job. The zero value is usable.
type Options struct {
	// ChunkSize is the most rows a source reads at once (the max of SplitReader.Next).
	// Default 1024.
	ChunkSize int
	// QueueDepth is the capacity, in messages (chunks, watermarks, status changes, end of
	// input), of each subtask's input queue. Default 8.
	QueueDepth int
	// Logger receives the runtime's and the operators' logs; nil discards them.
	Logger *slog.Logger
	// NewState returns the state backend of one operator subtask; nil uses
	// state.NewMemory(Clock). The runtime closes the backend after the operator.
	NewState func(node, subtask int) state.Backend
	// Clock gives processing time (Context.Now, processing-time timers, source idleness, state
	// TTL with the default NewState). Default time.Now.
	Clock func() time.Time
	// ExprContext is given to operators as Context.Expr; nil means UTC with Clock.
	ExprContext *expr.Context
	// StateDir is the local working directory of the job's state: subtask s of node n keeps its
	// durable state under StateDir/<uid>-<s>, and checkpoints are staged in
	// StateDir/_checkpoints. Required with Checkpoint.
	StateDir string
	// OpenState opens the state backend of one operator subtask in dir (a directory under
	// StateDir, which holds the subtask's state files when the job restores); it takes
	// precedence over NewState. Backends are opened on first use, so stateless operators
	// never open one.
	OpenState func(node, subtask int, dir string) (state.Backend, error)
	// Checkpoint turns on checkpoints; nil runs without.
	Checkpoint *CheckpointOptions
	// DisableChaining runs every node subtask in its own goroutine, even where it could run
	// inside its upstream's (see the package documentation).
	DisableChaining bool
}

const (
	defaultChunkSize  = 1024
	defaultQueueDepth = 8
)

// Job is a validated Graph ready to run once.
type Job struct {
	g    *Graph
	opts Options

	// consumers[n] are the edges that read node n.
	consumers [][]consumer
	// chainNext[n] is the node that runs in n's goroutine after it, or -1.
	chainNext []int
	// chained[n] reports that n runs in its upstream's goroutine.
	chained []bool
	// stats[n][s] are subtask s of node n's counters.
	stats [][]*subtaskStats

	started atomic.Bool
	// ck coordinates checkpoints (nil without).
	ck *coordinator
	// stopSavepoint is set once StopWithSavepoint has taken its savepoint; cancel stops Run.
	stopSavepoint atomic.Bool
	cancelMu      sync.Mutex
	cancel        context.CancelFunc
}

// consumer is an edge seen from its upstream node: input index input of node node.
type consumer struct{ node, input int }

// subtaskStats are a subtask's observable counters.
type subtaskStats struct {
	Metrics
	watermark    atomic.Int64
	queueHigh    atomic.Int64
	stateEntries atomic.Int64
}

// SubtaskMetrics is a snapshot of one node subtask's counters.
type SubtaskMetrics struct {
	NodeID  int
	Node    string
	Subtask int
	// RecordsIn counts rows received (operators and sinks); RecordsOut rows emitted (sources
	// and operators).
	RecordsIn, RecordsOut int64
	// LateDropped counts rows an operator dropped for arriving behind the watermark.
	LateDropped int64
	// Watermark is the subtask's current input watermark (for a source, the watermark it last
	// emitted); MinWatermark before the first.
	Watermark int64
	// QueueHighWater is the most messages seen in the subtask's input queue at once, counting
	// the one being taken (0 for subtasks chained into their upstream, which have no queue).
	// It never exceeds QueueDepth+1.
	QueueHighWater int
	// StateEntries is the number of state entries the subtask held when it closed (values, map
	// entries and list elements; see state.Sizer), 0 while it runs or when its backend cannot
	// count.
	StateEntries int64
}

// NewJob validates g and prepares it to run with opts.
func NewJob(g *Graph, opts Options) (*Job, error) {
	if err := validate(g); err != nil {
		return nil, err
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = defaultChunkSize
	}
	if opts.QueueDepth <= 0 {
		opts.QueueDepth = defaultQueueDepth
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.NewState == nil {
		clock := opts.Clock
		opts.NewState = func(int, int) state.Backend { return state.NewMemory(clock) }
	}
	if opts.ExprContext == nil {
		opts.ExprContext = &expr.Context{Location: time.UTC, Now: opts.Clock}
	}
	j := &Job{g: g, opts: opts}
	n := len(g.Nodes)
	j.consumers = make([][]consumer, n)
	for _, nd := range g.Nodes {
		for k, e := range nd.Inputs {
			j.consumers[e.From] = append(j.consumers[e.From], consumer{node: nd.ID, input: k})
		}
	}
	j.chainNext = make([]int, n)
	j.chained = make([]bool, n)
	for i := range j.chainNext {
		j.chainNext[i] = -1
	}
	if !opts.DisableChaining {
		for _, nd := range g.Nodes {
			if len(nd.Inputs) != 1 || nd.Inputs[0].Partitioning != Forward {
				continue
			}
			up := nd.Inputs[0].From
			if len(j.consumers[up]) == 1 && g.Nodes[up].Parallelism == nd.Parallelism {
				j.chainNext[up] = nd.ID
				j.chained[nd.ID] = true
			}
		}
	}
	j.stats = make([][]*subtaskStats, n)
	for i, nd := range g.Nodes {
		j.stats[i] = make([]*subtaskStats, nd.Parallelism)
		for s := range j.stats[i] {
			st := &subtaskStats{}
			st.watermark.Store(MinWatermark)
			j.stats[i][s] = st
		}
	}
	return j, nil
}

// validate checks the graph's structure; see NewJob.
func validate(g *Graph) error {
	if g == nil || len(g.Nodes) == 0 {
		return errors.New("invalid dataflow: no nodes")
	}
	uids := map[string]int{}
	for i, nd := range g.Nodes {
		if nd == nil {
			return fmt.Errorf("invalid dataflow: node %d is missing", i)
		}
		if other, dup := uids[nodeUID(nd)]; dup {
			return fmt.Errorf("invalid dataflow: nodes %d and %d have the same UID %q", other, i, nodeUID(nd))
		}
		uids[nodeUID(nd)] = i
		if nd.ID != i {
			return fmt.Errorf("invalid dataflow: node %q at index %d has ID %d", nd.Name, i, nd.ID)
		}
		where := fmt.Sprintf("invalid dataflow: node %d (%s)", i, nd.Name)
		kinds := 0
		if nd.Source != nil {
			kinds++
		}
		if nd.Sink != nil {
			kinds++
		}
		if nd.NewOperator != nil {
			kinds++
		}
		if kinds != 1 {
			return fmt.Errorf("%s: exactly one of Source, Sink and NewOperator must be set, found %d", where, kinds)
		}
		if nd.Parallelism < 1 || nd.Parallelism > state.MaxKeyGroups {
			return fmt.Errorf("%s: parallelism %d is outside 1..%d", where, nd.Parallelism, state.MaxKeyGroups)
		}
		if nd.Source != nil {
			if nd.Source.Source == nil {
				return fmt.Errorf("%s: source spec has no connector source", where)
			}
			if len(nd.Inputs) != 0 {
				return fmt.Errorf("%s: a source has no inputs, found %d", where, len(nd.Inputs))
			}
			if nd.Source.IdleTimeout < 0 {
				return fmt.Errorf("%s: negative idle timeout %s", where, nd.Source.IdleTimeout)
			}
		}
		for k, e := range nd.Inputs {
			if e.From < 0 || e.From >= i {
				return fmt.Errorf("%s: input %d reads node %d, which does not come before it (nodes must be in topological order)", where, k, e.From)
			}
			up := g.Nodes[e.From]
			if up.Sink != nil {
				return fmt.Errorf("%s: input %d reads sink node %d (%s)", where, k, up.ID, up.Name)
			}
			switch e.Partitioning {
			case Forward:
				if up.Parallelism != nd.Parallelism {
					return fmt.Errorf("%s: input %d is FORWARD from node %d (%s) with parallelism %d, but this node has parallelism %d", where, k, up.ID, up.Name, up.Parallelism, nd.Parallelism)
				}
			case Hash:
				for _, c := range e.KeyCols {
					if c < 0 || c >= len(up.OutputTypes) {
						return fmt.Errorf("%s: input %d hashes column %d, but node %d (%s) has %d output columns", where, k, c, up.ID, up.Name, len(up.OutputTypes))
					}
				}
			case Rebalance, Broadcast, Global:
			default:
				return fmt.Errorf("%s: input %d has unknown partitioning %d", where, k, e.Partitioning)
			}
		}
	}
	return nil
}

// Metrics returns a snapshot of every node subtask's counters, by node then subtask. It may be
// called at any time, also concurrently with Run.
func (j *Job) Metrics() []SubtaskMetrics {
	var out []SubtaskMetrics
	for i, nd := range j.g.Nodes {
		for s, st := range j.stats[i] {
			out = append(out, SubtaskMetrics{
				NodeID:         i,
				Node:           nd.Name,
				Subtask:        s,
				RecordsIn:      st.RecordsIn.Load(),
				RecordsOut:     st.RecordsOut.Load(),
				LateDropped:    st.LateDropped.Load(),
				Watermark:      st.watermark.Load(),
				QueueHighWater: int(st.queueHigh.Load()),
				StateEntries:   st.stateEntries.Load(),
			})
		}
	}
	return out
}

// Run executes the job and blocks until it ends: nil once every sink subtask has received end
// of input and closed; the first failure (a *NodeError naming the node and subtask) after
// stopping every other subtask; or ctx's error when ctx is cancelled first. In every case all
// goroutines have exited and all readers, operators and writers have been closed when Run
// returns. A Job runs once.
func (j *Job) Run(ctx context.Context) error {
	if !j.started.CompareAndSwap(false, true) {
		return errors.New("job has already been run: a Job runs once")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	j.cancelMu.Lock()
	j.cancel = cancel
	j.cancelMu.Unlock()
	if err := j.prepareCheckpoints(ctx); err != nil {
		return &SetupError{Err: err}
	}
	if o := j.opts.Checkpoint; o != nil && o.Restore != nil && o.Restore.Kind == checkpoint.KindFinal {
		j.opts.Logger.Info("the pipeline already finished; its output is committed", "checkpoint", o.Restore.ID)
		return ErrFinished
	}

	// Split every source up front, so that each subtask sees the same assignment.
	splits := make([][]connector.Split, len(j.g.Nodes))
	for _, nd := range j.g.Nodes {
		if nd.Source == nil {
			continue
		}
		ss, err := nd.Source.Source.Splits(nd.Parallelism)
		if err != nil {
			return &NodeError{NodeID: nd.ID, Node: nd.Name, Subtask: -1, Err: fmt.Errorf("cannot split source: %w", err)}
		}
		splits[nd.ID] = ss
	}

	inboxes := make([][]chan message, len(j.g.Nodes))
	for _, nd := range j.g.Nodes {
		if nd.Source != nil || j.chained[nd.ID] {
			continue
		}
		inboxes[nd.ID] = make([]chan message, nd.Parallelism)
		for s := range inboxes[nd.ID] {
			inboxes[nd.ID][s] = make(chan message, j.opts.QueueDepth)
		}
	}

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		// Errors after a cancellation of ctx are consequences of it, not causes.
		if first == nil && ctx.Err() == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	var runners []*runner
	for _, nd := range j.g.Nodes {
		if j.chained[nd.ID] {
			continue
		}
		for s := range nd.Parallelism {
			r := newRunner(j, jctx, nd.ID, s, inboxes, splits[nd.ID])
			if j.ck != nil && nd.Source != nil {
				r.barrierReq = make(chan int64, 1)
				j.ck.sourceReqs = append(j.ck.sourceReqs, r.barrierReq)
			}
			runners = append(runners, r)
		}
	}
	stop := make(chan struct{})
	var ckDone sync.WaitGroup
	if j.ck != nil {
		j.ck.srcLeft = len(j.ck.sourceReqs)
		if j.ck.srcLeft == 0 {
			j.ck.ending = true
			j.ck.finalID.Store(j.ck.lastID + 1)
			close(j.ck.allDone)
		}
		ckDone.Go(func() {
			if err := j.ck.run(jctx, stop); err != nil {
				fail(err)
			}
		})
	}
	for _, r := range runners {
		wg.Go(func() {
			if err := r.run(); err != nil {
				fail(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	ckDone.Wait()
	if j.stopSavepoint.Load() {
		return ErrSavepointStop
	}
	if first != nil {
		return first
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if j.ck != nil {
		return j.ck.finish(ctx)
	}
	return nil
}

// prepareCheckpoints sets up the checkpoint coordinator: it validates the restore checkpoint
// against the graph, checks that every source can be checkpointed, and commits again what the
// restored checkpoint's sinks pre-committed.
func (j *Job) prepareCheckpoints(ctx context.Context) error {
	o := j.opts.Checkpoint
	if o == nil {
		return nil
	}
	if o.Storage == nil {
		return errors.New("checkpoints need a storage")
	}
	if j.opts.StateDir == "" {
		return errors.New("checkpoints need a state directory")
	}
	for _, nd := range j.g.Nodes {
		if nd.Source != nil {
			if _, ok := nd.Source.Source.(connector.ResumableSource); !ok {
				return &NodeError{NodeID: nd.ID, Node: nd.Name, Subtask: -1, Err: errors.New("this source cannot resume from a position, so the pipeline cannot take checkpoints; run it without checkpoints")}
			}
		}
	}
	stage := filepath.Join(j.opts.StateDir, "_checkpoints")
	if err := os.RemoveAll(stage); err != nil {
		return fmt.Errorf("cannot clear the checkpoint staging directory: %w", err)
	}
	c := newCoordinator(j, o, stage)
	if err := c.checkRestore(); err != nil {
		return err
	}
	if err := c.recoverSinks(ctx); err != nil {
		return err
	}
	j.ck = c
	return nil
}

// StopWithSavepoint takes a savepoint and then stops the job: Run returns ErrSavepointStop.
// It returns the savepoint's error when none could be taken (the job then goes on).
func (j *Job) StopWithSavepoint(ctx context.Context) error {
	if j.ck == nil {
		return errors.New("the job runs without checkpoints: it cannot take a savepoint")
	}
	done := make(chan error, 1)
	select {
	case j.ck.requests <- savepointRequest{done: done}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	j.stopSavepoint.Store(true)
	j.cancelMu.Lock()
	j.cancel()
	j.cancelMu.Unlock()
	return nil
}

// SetupError is a failure to set a job up (its checkpoints, its restore point) before any of it
// ran: restarting the job cannot help.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *SetupError) Unwrap() error { return e.Err }

// NodeError is a failure of one node subtask.
type NodeError struct {
	NodeID int
	Node   string
	// Subtask is the failing subtask, or -1 when the failure concerns the whole node.
	Subtask int
	Err     error
}

// Error renders "node ID (name) subtask N: cause".
func (e *NodeError) Error() string {
	if e.Subtask < 0 {
		return fmt.Sprintf("node %d (%s): %v", e.NodeID, e.Node, e.Err)
	}
	return fmt.Sprintf("node %d (%s) subtask %d: %v", e.NodeID, e.Node, e.Subtask, e.Err)
}

// Unwrap returns the underlying error.
func (e *NodeError) Unwrap() error { return e.Err }
