package filesystem

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/types"
)

// TestResumeAtPosition reads a CSV and a JSON file in small chunks, cuts after k chunks at
// every point, resumes at the reported position and checks the rows are exactly those of an
// uninterrupted read, including a quoted CSV field spanning lines and skipped blank lines.
func TestResumeAtPosition(t *testing.T) {
	cols := []connector.Column{{Name: "x", Type: types.IntType}, {Name: "s", Type: types.StringType}}
	for format, body := range map[string]string{
		"csv":  "1,a\n2,\"b\nb\"\n3,c\n4,d\r\n5,e\n",
		"json": "{\"x\":1,\"s\":\"a\"}\n\n{\"x\":2,\"s\":\"b\"}\n{\"x\":3,\"s\":\"c\"}\r\n{\"x\":4}\n{\"x\":5,\"s\":\"e\"}",
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "f."+format), body)
		src, _ := build(t, map[string]string{"path": dir, "format": format}, cols)
		rs := src.(connector.ResumableSource)
		splits, _ := src.Splits(1)
		read := func(r connector.SplitReader, chunks int) []string {
			var out []string
			for k := 0; chunks < 0 || k < chunks; k++ {
				c, err := r.Next(context.Background(), 1)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, formatRows(c)...)
			}
			return out
		}
		r, _ := src.Open(context.Background(), splits[0], []int{0, 1})
		want := read(r, -1)
		if len(want) != 5 {
			t.Fatalf("%s: read %v", format, want)
		}
		for cut := 0; cut <= 5; cut++ {
			r, _ := src.Open(context.Background(), splits[0], []int{0, 1})
			got := read(r, cut)
			pos, err := r.(connector.PositionedReader).Position()
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			r2, err := rs.OpenAt(context.Background(), splits[0], []int{0, 1}, pos)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, read(r2, -1)...)
			r2.Close()
			if !slices.Equal(got, want) {
				t.Fatalf("%s cut after %d: %v, want %v", format, cut, got, want)
			}
		}
		if _, err := rs.OpenAt(context.Background(), splits[0], []int{0, 1}, []byte{1, 0xff}); err == nil {
			t.Fatalf("%s: a corrupt position was accepted", format)
		}
		if _, err := rs.OpenAt(context.Background(), splits[0], []int{0, 1}, []byte{1, 200, 1, 0}); err == nil {
			t.Fatalf("%s: a position past the end of the file was accepted", format)
		}
	}
}

func ints(kinds []chunk.RowKind, vs ...int64) *chunk.Chunk {
	c := chunk.New([]types.Type{types.BigIntType}, len(vs))
	for i, v := range vs {
		c.AppendRow(kinds[i], []chunk.Datum{chunk.Int(v)})
	}
	return c
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestTwoPhase writes through several checkpoints, commits some, "crashes" (drops the writer),
// recovers with the last committed tokens and checks that exactly the committed files are
// left, that Commit is idempotent, and that debezium-json writes changelogs.
func TestTwoPhase(t *testing.T) {
	dir := t.TempDir()
	cols := []connector.Column{{Name: "v", Type: types.BigIntType}}
	f := Factory()
	o, err := f.Spec.Validate(map[string]string{"path": dir, "format": "debezium-json"})
	if err != nil {
		t.Fatal(err)
	}
	snk, err := f.NewSink(connector.CreateContext{Table: "t", Columns: cols, Options: o})
	if err != nil {
		t.Fatal(err)
	}
	cm := snk.(connector.Committer)
	ctx := context.Background()
	w, err := cm.OpenTwoPhase(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	ins := []chunk.RowKind{chunk.Insert, chunk.UpdateBefore, chunk.UpdateAfter, chunk.Delete}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Write(ctx, ints(ins, 1, 1, 2, 2)))
	tok1, err := w.PreCommit(ctx, 1)
	must(err)
	// An interval without rows has no file and no token.
	if tok, err := w.PreCommit(ctx, 2); err != nil || tok != nil {
		t.Fatalf("empty interval: %q %v", tok, err)
	}
	must(w.Write(ctx, ints(ins[:1], 3)))
	tok3, err := w.PreCommit(ctx, 3)
	must(err)
	must(w.Write(ctx, ints(ins[:1], 4))) // never pre-committed
	if got := listDir(t, dir); len(got) != 3 || !slices.Contains(got, ".part-0-1.json.inprogress") {
		t.Fatalf("before commit: %v", got)
	}
	must(cm.Commit(ctx, [][]byte{tok1}))
	must(cm.Commit(ctx, [][]byte{tok1})) // idempotent
	b, err := os.ReadFile(filepath.Join(dir, "part-0-1.json"))
	must(err)
	want := `{"before":null,"after":{"v":1},"op":"c"}
{"before":{"v":1},"after":null,"op":"d"}
{"before":null,"after":{"v":2},"op":"c"}
{"before":{"v":2},"after":null,"op":"d"}
`
	if string(b) != want {
		t.Fatalf("changelog file:\n%s", b)
	}
	// Crash: the writer is dropped. Checkpoint 3 completed but its commit did not run: the
	// restart commits its tokens again, then recovers.
	must(cm.Commit(ctx, [][]byte{tok3}))
	must(cm.Recover(ctx, [][]byte{tok3}))
	if got := listDir(t, dir); !slices.Equal(got, []string{"part-0-1.json", "part-0-3.json"}) {
		t.Fatalf("after recovery: %v", got)
	}
	must(cm.Commit(ctx, [][]byte{tok3}))
	os.Remove(filepath.Join(dir, "part-0-3.json"))
	if err := cm.Commit(ctx, [][]byte{tok3}); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Fatalf("committing a lost file: %v", err)
	}
	// A single-file path cannot take one file per checkpoint; reading debezium-json is refused.
	_, one := build(t, map[string]string{"path": filepath.Join(dir, "one.json"), "format": "json"}, cols)
	if _, err := one.(connector.Committer).OpenTwoPhase(ctx, 0, 1); err == nil || !strings.Contains(err.Error(), "use a directory") {
		t.Fatalf("single file: %v", err)
	}
	if _, err := f.NewSource(connector.CreateContext{Table: "t", Columns: cols, Options: o}); err == nil {
		t.Fatal("a debezium-json source was created")
	}
	// Close of a two-phase writer publishes nothing and removes its in-progress file.
	w2, _ := cm.OpenTwoPhase(ctx, 1, 2)
	must(w2.Write(ctx, ints(ins[:1], 9)))
	must(w2.Close())
	for _, n := range listDir(t, dir) {
		if strings.HasPrefix(n, ".part-1") || strings.HasPrefix(n, "part-1") {
			t.Fatalf("closed writer left %s", n)
		}
	}
}
