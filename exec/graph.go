package exec

import (
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// Partitioning says how an edge routes rows from upstream to downstream subtasks.
type Partitioning uint8

// Edge partitionings.
const (
	// Forward sends subtask i's output to downstream subtask i (equal parallelism required).
	Forward Partitioning = iota
	// Hash routes each row by the key group of its KeyCols (state.KeyGroup of
	// chunk.EncodeKey) to the subtask owning that group.
	Hash
	// Rebalance spreads chunks round-robin over downstream subtasks.
	Rebalance
	// Broadcast sends every chunk to every downstream subtask.
	Broadcast
	// Global sends everything to downstream subtask 0.
	Global
)

func (p Partitioning) String() string {
	return [...]string{"FORWARD", "HASH", "REBALANCE", "BROADCAST", "GLOBAL"}[p]
}

// Edge is one input of a node.
type Edge struct {
	From         int // upstream node ID
	Partitioning Partitioning
	KeyCols      []int // for Hash
}

// Graph is a dataflow: nodes in topological order (a node's inputs come before it).
type Graph struct {
	Nodes []*Node
}

// Node is one operator of the dataflow, run as Parallelism subtasks. Exactly one of Source,
// Sink and NewOperator is set.
type Node struct {
	ID   int // index in Graph.Nodes
	Name string
	// UID identifies the node across runs and plan changes: checkpoints store state by it, and
	// a restored job gives each node the state stored under its UID. Unique in the graph;
	// empty means "node-<ID>".
	UID         string
	Parallelism int
	Inputs      []Edge
	OutputTypes []types.Type

	Source      *SourceSpec
	Sink        connector.Sink
	NewOperator func() (Operator, error)

	// WatermarkDelay holds back the watermark this node forwards by that many microseconds
	// (an interval join emits rows up to that much older than its input watermark, as Flink's
	// operators with a watermark delay). MaxWatermark is forwarded unchanged.
	WatermarkDelay int64
}

// SourceSpec describes a source node: the connector source and what the runtime does per
// chunk read from a split, before it leaves the subtask.
type SourceSpec struct {
	Source connector.Source
	// Projection is passed to connector.Source.Open.
	Projection []int
	// NewProcessor builds the per-subtask processor; nil means pass chunks through and
	// generate no watermarks (only the final one at end of input).
	NewProcessor func() (SourceProcessor, error)
	// IdleTimeout marks a split idle (ignored by watermark computation) when it produced
	// nothing for this long; 0 disables idleness.
	IdleTimeout time.Duration
}

// SourceProcessor computes a source's computed columns and watermarks. Used by one goroutine.
type SourceProcessor interface {
	// Prepare turns a chunk read from a split into the node's output (computed columns,
	// projection).
	Prepare(c *chunk.Chunk) (*chunk.Chunk, error)
	// Watermark returns the largest watermark candidate of a prepared chunk (the WATERMARK
	// expression evaluated per row, maximised); ok is false when the chunk has none (all NULL
	// or empty). The split's watermark is the maximum candidate seen so far.
	Watermark(c *chunk.Chunk) (wm int64, ok bool, err error)
	// HasWatermark reports whether the source declares a watermark at all.
	HasWatermark() bool
}
