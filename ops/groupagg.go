package ops

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"time"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/types"
)

// GroupAggSpec configures a GroupAgg: an unbounded aggregation per group key that emits a
// retract changelog of its results.
type GroupAggSpec struct {
	InputTypes []types.Type
	// KeyCols are the group key columns; empty means one global group.
	KeyCols []int
	// Aggs are the aggregate calls over input columns.
	Aggs []agg.Call
	// InsertOnlyInput declares that the input never retracts; a retraction is then an error.
	InsertOnlyInput bool
	// MiniBatch folds all rows of an input chunk per key before emitting, so that each key
	// changes at most once per chunk.
	MiniBatch bool
	// StateTTL, when positive, forgets a key's state that long after its last change (Flink's
	// table.exec.state.ttl). While it is set, a change whose result equals the previous one is
	// still emitted (so downstream state keeps living, as in Flink).
	StateTTL time.Duration
}

// NewGroupAgg returns a factory of GroupAgg operators, one per subtask.
//
// Output columns are the key columns, then one per aggregate call. The changelog follows
// Flink's GroupAggFunction: the first row of a key emits +I; a later change emits -U(old),
// +U(new), or nothing when the result did not change; when a key's row count drops to zero it
// emits -D(old) and forgets the key. A retraction for a key without state (never seen, or
// expired) is ignored and counted (see IgnoredRetractions).
func NewGroupAgg(spec GroupAggSpec) func() (exec.Operator, error) {
	return func() (exec.Operator, error) {
		for _, k := range spec.KeyCols {
			if k < 0 || k >= len(spec.InputTypes) {
				return nil, fmt.Errorf("group key column %d does not exist (the input has %d columns)", k, len(spec.InputTypes))
			}
		}
		ag, err := agg.New(spec.Aggs, spec.InputTypes)
		if err != nil {
			return nil, fmt.Errorf("cannot build group aggregation: %w", err)
		}
		outTypes := make([]types.Type, 0, len(spec.KeyCols)+len(spec.Aggs))
		for _, k := range spec.KeyCols {
			outTypes = append(outTypes, spec.InputTypes[k])
		}
		outTypes = append(outTypes, ag.ResultTypes()...)
		return &groupAgg{spec: spec, ag: ag, outTypes: outTypes, one: make([]int, 1)}, nil
	}
}

type groupAgg struct {
	spec     GroupAggSpec
	ag       *agg.Aggregator
	outTypes []types.Type
	ctx      *exec.Context
	state    state.ValueState

	keyBuf    []byte
	prev, cur []chunk.Datum
	out       *chunk.Chunk
	one       []int

	// mini-batch buffers: the rows of each key of the chunk, found through an open-addressing
	// table of batch indexes (-1 for an empty slot) keyed by the hash of the key.
	seed     maphash.Seed
	table    []int32
	batches  []keyBatch
	keyArena []byte

	ignored int64
}

// keyBatch is the rows of one key within a mini-batch; its key is keyArena[start:end].
type keyBatch struct {
	hash       uint64
	start, end int
	rows       []int
}

// IgnoredRetractions returns how many retractions arrived for keys without state.
func (g *groupAgg) IgnoredRetractions() int64 { return g.ignored }

func (g *groupAgg) Open(ctx *exec.Context) error {
	g.ctx = ctx
	var err error
	g.state, err = ctx.State.Value(state.Descriptor{Name: "group-agg", TTL: g.spec.StateTTL, Codec: g.ag.Codec()})
	if err != nil {
		return fmt.Errorf("cannot create group aggregation state: %w", err)
	}
	if g.spec.MiniBatch {
		g.seed = maphash.MakeSeed()
	}
	return nil
}

func (g *groupAgg) ProcessChunk(input int, c *chunk.Chunk) error {
	if g.spec.InsertOnlyInput {
		for i, k := range c.Kinds {
			if k.IsRetract() {
				return fmt.Errorf("group aggregation received a %s row (%s) but its input was declared insert-only", k, c.FormatRow(i))
			}
		}
	}
	if g.spec.MiniBatch {
		if err := g.processMiniBatch(c); err != nil {
			return err
		}
	} else {
		// Each row emits at most two rows: sized for that, the output never grows.
		g.out = chunk.New(g.outTypes, 2*c.Len())
		for row := 0; row < c.Len(); row++ {
			g.keyBuf = chunk.EncodeKey(g.keyBuf[:0], c, g.spec.KeyCols, row)
			g.one[0] = row
			if err := g.processKey(g.keyBuf, c, g.one); err != nil {
				return err
			}
		}
	}
	out := g.out
	g.out = nil
	if out.Len() == 0 {
		return nil
	}
	return g.ctx.Emit(out)
}

func (g *groupAgg) processMiniBatch(c *chunk.Chunk) error {
	// The table has at least twice as many slots as there are rows, so it is never full.
	size := 16
	for size < 2*c.Len() {
		size *= 2
	}
	if len(g.table) < size {
		g.table = make([]int32, size)
	}
	table := g.table[:size]
	for i := range table {
		table[i] = -1
	}
	mask := uint64(size - 1)
	g.batches = g.batches[:0]
	g.keyArena = g.keyArena[:0]
	for row := 0; row < c.Len(); row++ {
		start := len(g.keyArena)
		g.keyArena = chunk.EncodeKey(g.keyArena, c, g.spec.KeyCols, row)
		key := g.keyArena[start:]
		h := maphash.Bytes(g.seed, key)
		pos := h & mask
		var i int
		for {
			i = int(table[pos])
			if i < 0 {
				break
			}
			if b := &g.batches[i]; b.hash == h && bytes.Equal(g.keyArena[b.start:b.end], key) {
				break
			}
			pos = (pos + 1) & mask
		}
		if i >= 0 {
			g.keyArena = g.keyArena[:start]
		} else {
			i = len(g.batches)
			table[pos] = int32(i)
			if i < cap(g.batches) {
				g.batches = g.batches[:i+1]
				g.batches[i].rows = g.batches[i].rows[:0]
			} else {
				g.batches = append(g.batches, keyBatch{})
			}
			g.batches[i].hash, g.batches[i].start, g.batches[i].end = h, start, len(g.keyArena)
		}
		g.batches[i].rows = append(g.batches[i].rows, row)
	}
	// Each key emits at most two rows.
	g.out = chunk.New(g.outTypes, 2*len(g.batches))
	for i := range g.batches {
		b := &g.batches[i]
		if err := g.processKey(g.keyArena[b.start:b.end:b.end], c, b.rows); err != nil {
			return err
		}
	}
	return nil
}

// processKey applies rows (all of one key, in order) to that key's state and emits at most one
// change, as Flink's (MiniBatch)GroupAggFunction does.
func (g *groupAgg) processKey(key []byte, c *chunk.Chunk, rows []int) error {
	v, ok, err := g.state.Get(key)
	if err != nil {
		return fmt.Errorf("cannot read group aggregation state: %w", err)
	}
	var acc *agg.Accumulators
	first := !ok
	if first {
		// Never create state for a retraction: it retracts a row this operator has not seen
		// (or whose state expired).
		n := 0
		for n < len(rows) && c.Kinds[rows[n]].IsRetract() {
			n++
		}
		if n > 0 {
			g.ignoreRetractions(int64(n), c, rows[0])
			rows = rows[n:]
		}
		if len(rows) == 0 {
			return nil
		}
		acc = g.ag.NewAccumulators()
	} else {
		acc = v.(*agg.Accumulators)
		g.prev = g.ag.Results(acc, g.prev[:0])
	}
	// acc.Rows counts accumulated minus retracted rows; the key is forgotten when it reaches 0.
	for _, row := range rows {
		if err := g.ag.Add(acc, c, row, c.Kinds[row].IsRetract()); err != nil {
			return err
		}
	}
	keyRow := rows[0]
	if acc.Rows == 0 {
		if !first {
			g.appendOut(chunk.Delete, c, keyRow, g.prev)
		}
		if err := g.state.Delete(key); err != nil {
			return fmt.Errorf("cannot clear group aggregation state: %w", err)
		}
		return nil
	}
	// The state keeps the *agg.Accumulators itself: one allocation per key (see
	// agg.Aggregator.NewAccumulators), stored in the interface without boxing.
	if err := g.state.Put(key, acc); err != nil {
		return fmt.Errorf("cannot write group aggregation state: %w", err)
	}
	g.cur = g.ag.Results(acc, g.cur[:0])
	if first {
		g.appendOut(chunk.Insert, c, keyRow, g.cur)
		return nil
	}
	if g.spec.StateTTL <= 0 && g.ag.Equal(g.prev, g.cur) {
		return nil
	}
	g.appendOut(chunk.UpdateBefore, c, keyRow, g.prev)
	g.appendOut(chunk.UpdateAfter, c, keyRow, g.cur)
	return nil
}

func (g *groupAgg) ignoreRetractions(n int64, c *chunk.Chunk, row int) {
	if g.ignored == 0 {
		g.ctx.Logger.Warn("ignoring retraction for a key without state (never seen or expired)",
			"node", g.ctx.Node, "subtask", g.ctx.Subtask, "row", c.FormatRow(row))
	}
	g.ignored += n
}

func (g *groupAgg) appendOut(kind chunk.RowKind, c *chunk.Chunk, row int, results []chunk.Datum) {
	out := g.out
	out.Kinds = append(out.Kinds, kind)
	for i, k := range g.spec.KeyCols {
		out.Cols[i].AppendFrom(c.Cols[k], row)
	}
	nk := len(g.spec.KeyCols)
	for i, d := range results {
		out.Cols[nk+i].Append(d)
	}
}

func (g *groupAgg) ProcessWatermark(int64) error { return nil }

func (g *groupAgg) OnTimer(exec.Timer) error { return nil }

func (g *groupAgg) Finish() error { return nil }

func (g *groupAgg) Close() error {
	if g.ignored > 0 && g.ctx != nil {
		g.ctx.Logger.Warn("ignored retractions for keys without state", "node", g.ctx.Node,
			"subtask", g.ctx.Subtask, "count", g.ignored)
	}
	return nil
}
