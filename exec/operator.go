// Package exec is Floe's streaming runtime: it runs a Graph of operators as parallel subtasks
// that exchange chunks, watermarks and end-of-input markers over bounded queues.
//
// # Operator contract
//
// Each Node runs as Parallelism subtasks; each subtask owns one Operator instance and calls all
// of its methods from one goroutine, never concurrently. Calls arrive in this order:
//
//	Open → (ProcessChunk | ProcessWatermark | OnTimer)* → Finish → Close
//
// Close is also called, without Finish, when the job fails or is cancelled.
//
// Time is in microseconds since the epoch (the physical form of TIMESTAMP). Watermarks only
// grow; the runtime computes a subtask's input watermark as the minimum over all its live,
// non-idle upstream channels, fires due event-time timers, then calls ProcessWatermark, then
// forwards the watermark downstream. Operators never emit watermarks themselves. At end of
// input the runtime advances the watermark to MaxWatermark, fires all event-time timers and
// then all pending processing-time timers (so bounded runs close every window), and calls
// Finish.
//
// # Threading model
//
// NewJob validates a Graph; Job.Run starts one goroutine per subtask of every node that heads a
// chain (see below) and waits for all of them, errgroup-style: the first failure cancels the
// others, and Run returns only after every goroutine has exited and closed its readers,
// operators and writers. Panics in operators, readers and writers are recovered into errors
// (a *NodeError naming the node and subtask, with the stack).
//
// Each such goroutine has exactly one input queue, a bounded channel of QueueDepth messages
// that every upstream sender writes into. A message is a chunk, a watermark, an idle/active
// status change or the end of input, tagged with the input and the sending subtask, so the
// receiver keeps a watermark, an idle flag and an ended flag per (input, sender) channel.
// Senders block when the queue is full: that is the backpressure, and it propagates upstream
// to the sources, which stop reading. Because one subtask has one queue for all its inputs, a
// two-input operator cannot deadlock waiting on one input while the other's sender is blocked.
// Sends also watch the job's context, so cancellation unblocks everything.
//
// Edges route chunks by their Partitioning: FORWARD to the same-numbered subtask, HASH by the
// key group of each row's key (rows are gathered per target subtask; a chunk whose rows all
// go to one subtask is passed whole), REBALANCE round robin per chunk, BROADCAST to all, GLOBAL
// to subtask 0. Watermarks, status changes and end of input go to every connected subtask.
//
// Chaining: a node whose only input is a FORWARD edge from a node of equal parallelism that
// has no other consumer runs in its upstream's goroutine; Emit then calls the downstream
// operator directly, and watermarks, status and end of input propagate synchronously, with no
// queue and no copy. A chain's goroutine also fires the processing-time timers of every node
// in it: it waits on its queue (or, for a source, between polls) and a timer for the earliest
// one. Options.DisableChaining turns chaining off; results are the same either way.
//
// Sources: split i of a source goes to subtask i % parallelism, which reads its splits round
// robin, pausing (1 ms, doubling up to 50 ms) when a whole round returned no data. Each split
// has its own watermark; the subtask emits the minimum over its active splits after the chunk
// that advanced it. A split that returned nothing for SourceSpec.IdleTimeout is idle and
// ignored; when all of a subtask's splits (or all of an operator's input channels) are idle,
// the highest of their watermarks is emitted, then an idle status, so that downstream
// watermarks do not wait for it. A source subtask without splits is idle and ends at once.
//
// # Checkpoints
//
// With Options.Checkpoint set, a coordinator goroutine triggers checkpoint n every interval
// (at most one in flight, respecting the minimum pause and the timeout). Each source subtask
// takes the request between two chunks: it records every split's position and watermark,
// acknowledges them, and sends barrier n to every connected subtask, like a watermark. A
// subtask with several input channels aligns: once barrier n came on a channel, that
// channel's later messages are held back (in memory, in order) until every live channel has
// delivered barrier n; ended channels do not count. Then the subtask snapshots and forwards
// the barrier, and the held messages are handled before the input queue. A chained node
// receives the barrier by direct call, after its upstream has snapshotted.
//
// The snapshot of an operator subtask: Snapshotter.PrepareSnapshot, then the state backend's
// checkpoint (state.Checkpointer: hard links of immutable files) and the pending timers, staged
// under StateDir/_checkpoints; a sink subtask pre-commits (connector.TwoPhaseWriter). The
// subtask's pause ends there: the coordinator uploads the staged files in the background
// (only files the storage does not have), and once every subtask has acknowledged and every
// upload is done it writes the checkpoint's metadata (checkpoint.Storage.Commit) and then
// commits the sinks' tokens (connector.Committer). A checkpoint that fails or times out is
// abandoned; more than TolerableFailures in a row fail the job.
//
// A source subtask that has read all its splits keeps taking part in checkpoints until every
// source subtask has; only then do the end-of-input markers flow, so a checkpoint never
// describes a half-finished dataflow. When every subtask has ended, the sinks' last
// pre-commits go into a final checkpoint, which is committed; restoring a final checkpoint
// commits it again and runs nothing (ErrFinished).
//
// Restoring (CheckpointOptions.Restore): each node finds its state under its UID; operator
// subtasks download their files into StateDir/<uid>-<subtask> and open their backend there,
// get their timers back and start at their checkpointed watermark; sources reopen their
// splits at the recorded positions (connector.ResumableSource); two-phase sinks commit the
// checkpoint's tokens again and discard what was written after it (Committer.Recover).
package exec

import (
	"log/slog"
	"math"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/state"
)

// Watermark bounds.
const (
	MinWatermark int64 = math.MinInt64
	MaxWatermark int64 = math.MaxInt64
)

// Operator is one stage of a dataflow; see the package documentation for its contract.
type Operator interface {
	// Open is called once before any input.
	Open(ctx *Context) error
	// ProcessChunk handles a chunk arriving on input (the index into Node.Inputs). The chunk is
	// read-only; the operator may pass it to Emit unchanged.
	ProcessChunk(input int, c *chunk.Chunk) error
	// ProcessWatermark is called when the input watermark advances to wm, after all event-time
	// timers at or before wm have fired.
	ProcessWatermark(wm int64) error
	// OnTimer handles a timer that fired.
	OnTimer(t Timer) error
	// Finish is called once at end of input, after the final watermark and all timers.
	Finish() error
	// Close releases resources. It is called once, after Finish or after a failure.
	Close() error
}

// Snapshotter is implemented by operators that keep something outside their state backend
// (a mini-batch buffer, a counter). At a checkpoint barrier the runtime calls PrepareSnapshot
// before it snapshots the backend and the timers: the operator emits what it buffers (the
// output goes downstream before the barrier) or writes it into its state. Open of an operator
// restored from a checkpoint finds there whatever PrepareSnapshot wrote.
type Snapshotter interface {
	PrepareSnapshot(checkpointID int64) error
}

// TimeDomain tells event-time timers from processing-time timers.
type TimeDomain uint8

// Time domains.
const (
	EventTime TimeDomain = iota
	ProcessingTime
)

// Timer is a timer that fired: the key it was registered under and its time.
type Timer struct {
	Key    []byte
	Time   int64
	Domain TimeDomain
}

// TimerService registers per-key timers. A (key, time, domain) triple is registered at most
// once; registering it again is a no-op. Keys are copied.
type TimerService interface {
	RegisterEventTime(key []byte, t int64)
	DeleteEventTime(key []byte, t int64)
	RegisterProcessingTime(key []byte, t int64)
	DeleteProcessingTime(key []byte, t int64)
}

// Metrics are one subtask's counters. They are updated by the subtask goroutine only and read
// atomically by observers.
type Metrics struct {
	RecordsIn   Counter
	RecordsOut  Counter
	LateDropped Counter
}

// Context is what the runtime gives an operator subtask.
type Context struct {
	Node        string // node name, for logs and errors
	Subtask     int
	Parallelism int
	State       state.Backend
	Timers      TimerService
	Logger      *slog.Logger
	Metrics     *Metrics
	// Expr is the evaluation context (session time zone, clock) for compiled expressions.
	Expr *expr.Context

	// Emit sends a chunk downstream. It may block (backpressure). The chunk belongs to the
	// runtime afterwards: the operator must not modify or reuse it.
	Emit func(c *chunk.Chunk) error
	// Watermark returns the current input watermark (MinWatermark before the first).
	Watermark func() int64
	// Now returns the processing time.
	Now func() time.Time
}
