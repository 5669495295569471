// Package collect is an in-memory sink for tests: it records every row of a changelog and can
// apply it to the final table contents.
package collect

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// Sink records the rows written by all its subtasks. Safe for concurrent writers.
type Sink struct {
	mu    sync.Mutex
	Types []types.Type
	rows  []Row
}

// Row is one recorded changelog row.
type Row struct {
	Kind   chunk.RowKind
	Values []chunk.Datum
}

// Open implements connector.Sink.
func (s *Sink) Open(context.Context, int, int) (connector.SinkWriter, error) {
	return &writer{s: s}, nil
}

type writer struct{ s *Sink }

func (w *writer) Write(_ context.Context, c *chunk.Chunk) error {
	rows := make([]Row, c.Len())
	for i := range rows {
		rows[i] = Row{Kind: c.Kinds[i], Values: c.Row(i)}
	}
	w.s.mu.Lock()
	if w.s.Types == nil {
		w.s.Types = c.Types()
	}
	w.s.rows = append(w.s.rows, rows...)
	w.s.mu.Unlock()
	return nil
}

func (w *writer) Close() error { return nil }

// Rows returns the recorded changelog.
func (s *Sink) Rows() []Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Row(nil), s.rows...)
}

// Final applies the changelog (+I/+U add a row, -U/-D remove one equal row) and returns the
// resulting rows rendered by format, sorted. A retraction of a row that is not present is an
// error: it means the changelog is inconsistent.
func (s *Sink) Final(format func(t types.Type, d chunk.Datum) string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	count := map[string]int{}
	for _, r := range s.rows {
		parts := make([]string, len(r.Values))
		for i, v := range r.Values {
			parts[i] = format(s.Types[i], v)
		}
		key := strings.Join(parts, " | ")
		if r.Kind.IsAccumulate() {
			count[key]++
		} else {
			if count[key] == 0 {
				return nil, fmt.Errorf("changelog retracts a row that is not present: %s %s", r.Kind, key)
			}
			count[key]--
		}
	}
	var out []string
	for k, n := range count {
		for i := 0; i < n; i++ {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Factory returns a 'collect' connector whose sinks record into the sink registered for each
// table name in tables (created on first use).
func Factory(tables *Tables) *connector.Factory {
	return &connector.Factory{
		Name:               "collect",
		Doc:                "Test sink recording rows in memory.",
		SinkAcceptsUpdates: true,
		NewSink: func(cc connector.CreateContext) (connector.Sink, error) {
			return tables.Get(cc.Table), nil
		},
	}
}

// Tables maps table names to sinks.
type Tables struct {
	mu sync.Mutex
	m  map[string]*Sink
}

// Get returns the sink of a table, creating it.
func (t *Tables) Get(name string) *Sink {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]*Sink{}
	}
	if s, ok := t.m[name]; ok {
		return s
	}
	s := &Sink{}
	t.m[name] = s
	return s
}
