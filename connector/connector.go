// Package connector is the seam between Floe's dataflow and the outside world: sources that
// produce chunks of rows and sinks that consume them. Each connector registers a Factory with a
// typed option spec (spec.go) that validates a table's WITH (...) options and generates the
// connector's reference documentation.
package connector

import (
	"context"
	"log/slog"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Column is one physical column of a connector table.
type Column struct {
	Name string
	Type types.Type
}

// CreateContext is what a factory receives to build a source or sink for one table.
type CreateContext struct {
	// Table is the table's name, for messages.
	Table string
	// Columns are the table's physical columns in declaration order.
	Columns []Column
	// PrimaryKey holds indexes into Columns; empty without a primary key.
	PrimaryKey []int
	// Options are the validated WITH options (see Spec.Validate).
	Options Options
	// Logger is the pipeline's logger.
	Logger *slog.Logger
}

// Source produces rows for a table. It is split into Splits that are read in parallel; a
// split is the unit of watermark generation (each split has its own watermark).
type Source interface {
	// Splits divides the source for the given parallelism. A source may return more or fewer
	// splits than parallelism; the runtime assigns split i to subtask i % parallelism.
	Splits(parallelism int) ([]Split, error)
	// Bounded reports whether every split ends.
	Bounded() bool
	// Open starts reading one split. projection lists the columns (indexes into
	// CreateContext.Columns) that the reader must produce, in that order; a source may
	// skip computing the others.
	Open(ctx context.Context, split Split, projection []int) (SplitReader, error)
}

// Split identifies one independently readable part of a source (a file, a generator slice,
// a Kafka partition).
type Split interface {
	// ID is stable across runs; later issues store split positions in checkpoints under it.
	ID() string
}

// SplitReader reads one split. It is used by one goroutine.
type SplitReader interface {
	// Next returns the next chunk of at most max rows (all +I unless the format is a
	// changelog). It returns (nil, io.EOF) at the end of a bounded split and (nil, nil) when
	// no data is available yet; the runtime then marks the split idle after a timeout and
	// calls Next again after a short pause. Next must return promptly when ctx is done.
	// The returned chunk belongs to the caller.
	Next(ctx context.Context, max int) (*chunk.Chunk, error)
	// Close releases the reader's resources.
	Close() error
}

// Sink consumes the rows of a table.
type Sink interface {
	// Open starts writer subtask subtask of parallelism writers.
	Open(ctx context.Context, subtask, parallelism int) (SinkWriter, error)
}

// SinkWriter writes the rows of one sink subtask. It is used by one goroutine.
type SinkWriter interface {
	// Write consumes a chunk; the chunk is read-only and must not be retained after Write
	// returns unless copied.
	Write(ctx context.Context, c *chunk.Chunk) error
	// Close flushes buffered rows and releases resources. It is called once, after the last
	// Write (at end of input or cancellation); its error fails the pipeline.
	Close() error
}

// Factory builds the sources and sinks of one connector kind.
type Factory struct {
	// Name is the value of the 'connector' option.
	Name string
	// Doc is a paragraph of reference documentation.
	Doc string
	// Spec lists the accepted options.
	Spec Spec
	// NewSource builds a source; nil when the connector cannot be read.
	NewSource func(cc CreateContext) (Source, error)
	// NewSink builds a sink; nil when the connector cannot be written.
	NewSink func(cc CreateContext) (Sink, error)
	// SinkAcceptsUpdates is true when the sink can consume -U, +U and -D rows; otherwise the
	// planner rejects updating queries into it.
	SinkAcceptsUpdates bool
	// SinkUpdates, when set, decides per table (from its options, e.g. its format) whether
	// the sink consumes -U, +U and -D rows; it is consulted when SinkAcceptsUpdates is false.
	SinkUpdates func(o Options) bool
}

// PositionedReader is a SplitReader that can say how far it has read, so that a checkpoint can
// record the position and a restarted pipeline can resume there (see ResumableSource).
type PositionedReader interface {
	SplitReader
	// Position returns an opaque encoding of the position just after the last row that Next
	// returned. It is called between calls of Next, and the bytes returned belong to the caller.
	Position() ([]byte, error)
}

// ResumableSource is a Source whose splits can be reopened at a position that a
// PositionedReader of the same split returned. Sources that implement it, and whose readers are
// PositionedReaders, can be checkpointed; the split IDs must be stable across runs for the same
// options and parallelism.
type ResumableSource interface {
	Source
	// OpenAt starts reading split at position: the first row Next returns is the one after the
	// last row returned before Position was called. An invalid position is an error.
	OpenAt(ctx context.Context, split Split, projection []int, position []byte) (SplitReader, error)
}

// TwoPhaseWriter is a SinkWriter that takes part in checkpoints, to write exactly once: the
// rows written between two checkpoints become visible only when the later checkpoint completes.
// Close never publishes anything: it releases resources, and data not pre-committed is
// discarded (by Close, or by Committer.Recover after a crash).
type TwoPhaseWriter interface {
	SinkWriter
	// PreCommit is called at a checkpoint barrier, and at end of input (before Close) with the
	// id of the job's final checkpoint: it makes every row written since the previous
	// PreCommit durable but not yet visible, and returns a token naming that data (for example
	// the names of in-progress files; nil when there is nothing). Rows written after it belong
	// to the next checkpoint.
	PreCommit(ctx context.Context, checkpointID int64) (token []byte, err error)
}

// Committer is a Sink that can write exactly once. A pipeline with checkpoints opens its
// writers with OpenTwoPhase instead of Open, and commits their tokens when a checkpoint
// completes.
type Committer interface {
	Sink
	// OpenTwoPhase starts writer subtask subtask of parallelism writers in two-phase mode.
	OpenTwoPhase(ctx context.Context, subtask, parallelism int) (TwoPhaseWriter, error)
	// Commit makes visible the data that tokens name (the non-nil tokens of one completed
	// checkpoint, from every writer subtask). It is idempotent: after a crash the tokens of
	// the last completed checkpoint are committed again, and committing a token twice does
	// nothing.
	Commit(ctx context.Context, tokens [][]byte) error
	// Recover is called once when a pipeline with checkpoints starts, before any writer opens,
	// with the tokens of the checkpoint it starts from (nil when it starts afresh), after they
	// have been committed again: it discards whatever earlier runs wrote that those tokens do
	// not name and that was never committed (pre-committed for a checkpoint that did not
	// complete, or not pre-committed at all), which would otherwise be left behind or
	// published twice.
	Recover(ctx context.Context, committed [][]byte) error
}
