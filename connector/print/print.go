package print

import (
	"context"
	"io"
	"strconv"
	"sync"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
)

// Name is the connector's name.
const Name = "print"

// Factory returns the print connector's factory. Rows go to stdout, or to stderr when
// 'standard-error' is true; each writer is shared by all sink subtasks and every chunk's lines
// are written with one Write call under a lock, so lines never interleave.
func Factory(stdout, stderr io.Writer) *connector.Factory {
	out := &lockedWriter{w: stdout}
	errw := &lockedWriter{w: stderr}
	return &connector.Factory{
		Name: Name,
		Doc: "Writes every row to standard output in Flink's print form, e.g. `+I[1, abc, null]` (the row kind, then the " +
			"values as Java prints them). With 'print-identifier' each line starts with `identifier> `; with more than one " +
			"sink subtask the line starts with `identifier:n> ` (or `n> ` without an identifier), n being the 1-based subtask " +
			"number, exactly as Flink prints it. Accepts changelogs (+I, -U, +U, -D).",
		Spec: connector.Spec{
			{Key: "print-identifier", Type: connector.String, Doc: "Message that prefixes every line."},
			{Key: "standard-error", Type: connector.Bool, Default: "false", Doc: "Print to standard error instead of standard output."},
		},
		SinkAcceptsUpdates: true,
		NewSink: func(cc connector.CreateContext) (connector.Sink, error) {
			w := out
			if cc.Options.Bool("standard-error") {
				w = errw
			}
			return &sink{w: w, id: cc.Options.String("print-identifier")}, nil
		},
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) write(b []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(b)
	return err
}

type sink struct {
	w  *lockedWriter
	id string
}

func (s *sink) Open(ctx context.Context, subtask, parallelism int) (connector.SinkWriter, error) {
	prefix := s.id
	if parallelism > 1 {
		if prefix != "" {
			prefix += ":"
		}
		prefix += strconv.Itoa(subtask + 1)
	}
	if prefix != "" {
		prefix += "> "
	}
	return &writer{w: s.w, prefix: prefix}, nil
}

type writer struct {
	w      *lockedWriter
	prefix string
	buf    []byte
}

func (w *writer) Write(ctx context.Context, c *chunk.Chunk) error {
	b := w.buf[:0]
	for i := range c.Len() {
		b = append(b, w.prefix...)
		b = append(b, c.FormatRow(i)...)
		b = append(b, '\n')
	}
	w.buf = b
	if len(b) == 0 {
		return nil
	}
	return w.w.write(b)
}

func (w *writer) Close() error { return nil }
