package exec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

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
	for i, nd := range g.Nodes {
		if nd == nil {
			return fmt.Errorf("invalid dataflow: node %d is missing", i)
		}
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
	for _, nd := range j.g.Nodes {
		if j.chained[nd.ID] {
			continue
		}
		for s := range nd.Parallelism {
			r := newRunner(j, jctx, nd.ID, s, inboxes, splits[nd.ID])
			wg.Go(func() {
				if err := r.run(); err != nil {
					fail(err)
				}
			})
		}
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

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
