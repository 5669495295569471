package exec

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/checkpoint/blob"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/state/durable"
)

// int64Codec stores the int64 counts of windowCount.
type int64Codec struct{}

func (int64Codec) Encode(dst []byte, v any) ([]byte, error) {
	return binary.AppendVarint(dst, v.(int64)), nil
}

func (int64Codec) Decode(src []byte) (any, error) {
	v, n := binary.Varint(src)
	if n <= 0 || n != len(src) {
		return nil, errors.New("bad count")
	}
	return v, nil
}

// resumable makes a testSource resumable: positions are row offsets.
type resumable struct{ *testSource }

func (s resumable) OpenAt(ctx context.Context, sp connector.Split, projection []int, pos []byte) (connector.SplitReader, error) {
	r, err := s.testSource.Open(ctx, sp, projection)
	if err != nil || pos == nil {
		return r, err
	}
	off, n := binary.Uvarint(pos)
	if n <= 0 {
		return nil, errors.New("bad position")
	}
	r.(*testReader).pos = int(off)
	return r, nil
}

func (r *testReader) Position() ([]byte, error) { return binary.AppendUvarint(nil, uint64(r.pos)), nil }

// txSink is a two-phase collect sink: rows become visible when their checkpoint commits.
type txSink struct {
	mu        sync.Mutex
	pending   map[string][]string
	committed []string
	commits   atomic.Int64
}

func newTxSink() *txSink { return &txSink{pending: map[string][]string{}} }

func (s *txSink) Open(context.Context, int, int) (connector.SinkWriter, error) {
	return nil, errors.New("a txSink opens in two-phase mode only")
}

func (s *txSink) OpenTwoPhase(_ context.Context, subtask, _ int) (connector.TwoPhaseWriter, error) {
	return &txWriter{s: s, subtask: subtask}, nil
}

func (s *txSink) Commit(_ context.Context, tokens [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range tokens {
		rows, ok := s.pending[string(t)]
		if !ok {
			continue // committed before
		}
		s.committed = append(s.committed, rows...)
		delete(s.pending, string(t))
		s.commits.Add(1)
	}
	return nil
}

func (s *txSink) Recover(context.Context, [][]byte) error {
	s.mu.Lock()
	clear(s.pending)
	s.mu.Unlock()
	return nil
}

func (s *txSink) sorted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.committed)
	slices.Sort(out)
	return out
}

type txWriter struct {
	s       *txSink
	subtask int
	rows    []string
}

func (w *txWriter) Write(_ context.Context, c *chunk.Chunk) error {
	for i := range c.Len() {
		w.rows = append(w.rows, c.FormatRow(i))
	}
	return nil
}

func (w *txWriter) PreCommit(_ context.Context, id int64) ([]byte, error) {
	if len(w.rows) == 0 {
		return nil, nil
	}
	tok := fmt.Sprintf("%d/%d", w.subtask, id)
	w.s.mu.Lock()
	w.s.pending[tok] = w.rows
	w.s.mu.Unlock()
	w.rows = nil
	return []byte(tok), nil
}

func (w *txWriter) Close() error { return nil }

// ckPipeline is pipeline() with a resumable source and a two-phase sink.
func ckPipeline(src *testSource, p int, sink *txSink) *Graph {
	g := pipeline(src, 5, 10, 0, p, nil, nil)
	g.Nodes[0].Source.Source = resumable{src}
	g.Nodes[2].Sink = sink
	return g
}

func ckOptions(t *testing.T, dir string, store blob.Store, restore *checkpoint.Metadata, stats *[]CheckpointStats, mu *sync.Mutex) Options {
	return Options{
		ChunkSize: 7,
		StateDir:  filepath.Join(dir, "state"),
		OpenState: func(_, _ int, d string) (state.Backend, error) {
			return durable.Open(d, durable.Options{CacheEntries: 4})
		},
		Checkpoint: &CheckpointOptions{
			Storage:           checkpoint.New(store, checkpoint.Options{NumRetained: 2}),
			Interval:          2 * time.Millisecond,
			TolerableFailures: -1,
			Restore:           restore,
			OnCheckpoint: func(s CheckpointStats) {
				mu.Lock()
				*stats = append(*stats, s)
				mu.Unlock()
			},
		},
	}
}

// rowsFor makes n rows per split over 5 keys, one per ms.
func splitsFor(nSplits, n int, gate chan struct{}) []*testSplit {
	var out []*testSplit
	for s := range nSplits {
		sp := &testSplit{id: fmt.Sprintf("s%d", s)}
		for i := range n {
			sp.rows = append(sp.rows, row{key: int64((i + s) % 5), ts: int64(i)})
		}
		out = append(out, sp)
	}
	return out
}

// TestCheckpointRestoreExactlyOnce runs a windowed count with checkpoints, stops it abruptly
// (context cancelled, as a crash) after some checkpoints completed, restores a new job from
// the latest checkpoint and checks that the committed output of both runs is exactly the
// uninterrupted result: state, timers, watermarks, split positions and sink commits restored.
func TestCheckpointRestoreExactlyOnce(t *testing.T) {
	for _, p := range []int{1, 2} {
		t.Run(fmt.Sprint("p=", p), func(t *testing.T) {
			dir := t.TempDir()
			store, err := blob.NewLocal(filepath.Join(dir, "ck"))
			must(t, err)
			var mu sync.Mutex
			var stats []CheckpointStats
			sink := newTxSink()
			splits := splitsFor(2, 3000, nil)
			var all []row
			for _, sp := range splits {
				all = append(all, sp.rows...)
			}
			// First run: throttled by a chunk hook, cancelled after five checkpoints.
			src := &testSource{splits: splits}
			ctx, cancel := context.WithCancel(context.Background())
			src.onChunk = func(int64) { time.Sleep(200 * time.Microsecond) }
			opts := ckOptions(t, dir, store, nil, &stats, &mu)
			opts.Checkpoint.OnCheckpoint = func(s CheckpointStats) {
				mu.Lock()
				stats = append(stats, s)
				if n := len(stats); n == 5 {
					cancel()
				}
				mu.Unlock()
			}
			job, err := NewJob(ckPipeline(src, p, sink), opts)
			must(t, err)
			if err := job.Run(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("first run: %v", err)
			}
			st := checkpoint.New(store, checkpoint.Options{})
			m, err := st.Latest(context.Background())
			must(t, err)
			if m == nil {
				t.Fatal("no checkpoint completed")
			}
			before := len(sink.sorted())
			// Second run from the checkpoint, to the end.
			src2 := &testSource{splits: splitsFor(2, 3000, nil)}
			job2, err := NewJob(ckPipeline(src2, p, sink), ckOptions(t, dir, store, m, &stats, &mu))
			must(t, err)
			must(t, job2.Run(context.Background()))
			got := sink.sorted()
			want := expectedCounts(10, all)
			if !slices.Equal(got, want) {
				t.Fatalf("after restoring checkpoint %d (%d rows committed before): %d rows, want %d", m.ID, before, len(got), len(want))
			}
			last, err := st.Latest(context.Background())
			must(t, err)
			if last.Kind != checkpoint.KindFinal {
				t.Fatalf("the finished job's latest checkpoint is a %s", last.Kind)
			}
			// Restoring the final checkpoint runs nothing.
			job3, err := NewJob(ckPipeline(&testSource{splits: splitsFor(2, 3000, nil)}, p, sink), ckOptions(t, dir, store, last, &stats, &mu))
			must(t, err)
			if err := job3.Run(context.Background()); !errors.Is(err, ErrFinished) {
				t.Fatalf("restoring a final checkpoint: %v", err)
			}
			if got := sink.sorted(); len(got) != len(want) {
				t.Fatalf("rows changed after restoring the final checkpoint: %d", len(got))
			}
		})
	}
}

// TestFailedCheckpointWrites makes two checkpoints fail to store their metadata: those
// checkpoints are abandoned, the others complete, the job finishes, and what sinks
// pre-committed for abandoned checkpoints is committed with the next one (nothing lost).
func TestFailedCheckpointWrites(t *testing.T) {
	dir := t.TempDir()
	local, err := blob.NewLocal(filepath.Join(dir, "ck"))
	must(t, err)
	faulty := blob.NewFaulty(local)
	var n atomic.Int64
	faulty.FailPut(func(name string) bool {
		if !strings.HasSuffix(name, "/_metadata") {
			return false
		}
		k := n.Add(1)
		return k == 2 || k == 4 // the second and fourth checkpoints fail to store
	})
	var mu sync.Mutex
	var stats []CheckpointStats
	sink := newTxSink()
	src := &testSource{splits: splitsFor(2, 3000, nil)}
	src.onChunk = func(int64) { time.Sleep(100 * time.Microsecond) }
	job, err := NewJob(ckPipeline(src, 2, sink), ckOptions(t, dir, faulty, nil, &stats, &mu))
	must(t, err)
	must(t, job.Run(context.Background()))
	var all []row
	for _, sp := range src.splits {
		all = append(all, sp.rows...)
	}
	if got, want := sink.sorted(), expectedCounts(10, all); !slices.Equal(got, want) {
		t.Fatalf("%d rows committed, want %d", len(got), len(want))
	}
	failed, ok := 0, 0
	for _, s := range stats {
		if s.Err != nil {
			failed++
		} else {
			ok++
		}
	}
	if failed == 0 || ok < 2 {
		t.Fatalf("%d checkpoints failed and %d completed; want some of each", failed, ok)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
