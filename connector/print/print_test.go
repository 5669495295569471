package print

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

func testChunk() *chunk.Chunk {
	c := chunk.New([]types.Type{types.BigIntType, types.StringType, types.TimestampType(3)}, 2)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Int(1), chunk.Str("abc"), chunk.Int(1_500_000)})
	c.AppendRow(chunk.UpdateBefore, []chunk.Datum{chunk.NullDatum, chunk.Str(""), chunk.NullDatum})
	return c
}

func run(t *testing.T, opts map[string]string, subtask, parallelism int) (string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	f := Factory(&out, &errb)
	o, err := f.Spec.Validate(opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.NewSink(connector.CreateContext{Options: o})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Open(context.Background(), subtask, parallelism)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(context.Background(), testChunk()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String()
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		opts        map[string]string
		subtask, p  int
		want, wantE string
	}{
		{map[string]string{}, 0, 1, "+I[1, abc, 1970-01-01T00:00:01.500]\n-U[null, , null]\n", ""},
		{map[string]string{"print-identifier": "q1"}, 0, 1, "q1> +I[1, abc, 1970-01-01T00:00:01.500]\nq1> -U[null, , null]\n", ""},
		{map[string]string{"print-identifier": "q1"}, 2, 4, "q1:3> +I[1, abc, 1970-01-01T00:00:01.500]\nq1:3> -U[null, , null]\n", ""},
		{map[string]string{}, 1, 2, "2> +I[1, abc, 1970-01-01T00:00:01.500]\n2> -U[null, , null]\n", ""},
		{map[string]string{"standard-error": "true"}, 0, 1, "", "+I[1, abc, 1970-01-01T00:00:01.500]\n-U[null, , null]\n"},
	} {
		out, errOut := run(t, tc.opts, tc.subtask, tc.p)
		if out != tc.want || errOut != tc.wantE {
			t.Errorf("%v subtask %d/%d:\nstdout %q\nstderr %q", tc.opts, tc.subtask, tc.p, out, errOut)
		}
	}
}

// TestConcurrentLines writes from 4 subtasks at once; every line must stay whole.
func TestConcurrentLines(t *testing.T) {
	var out bytes.Buffer
	f := Factory(&out, nil)
	o, _ := f.Spec.Validate(map[string]string{"print-identifier": "x"})
	s, _ := f.NewSink(connector.CreateContext{Options: o})
	var wg sync.WaitGroup
	for i := range 4 {
		w, _ := s.Open(context.Background(), i, 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if err := w.Write(context.Background(), testChunk()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4*200*2 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, "+I[1, abc, 1970-01-01T00:00:01.500]") && !strings.HasSuffix(l, "-U[null, , null]") {
			t.Fatalf("torn line %q", l)
		}
	}
}
