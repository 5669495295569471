package checkpoint

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/checkpoint/blob"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var ctx = context.Background()

// stateDir writes files into a fresh directory, as a backend checkpoint would.
func stateDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

// checkpointOf uploads dir and returns metadata referencing its files.
func checkpointOf(t *testing.T, s *Storage, id int64, kind, dir string) (*Metadata, int64) {
	t.Helper()
	files, copied, err := s.Upload(ctx, dir)
	must(t, err)
	return &Metadata{
		FormatVersion: FormatVersion, ID: id, Kind: kind, Timestamp: time.Unix(int64(id), 0).UTC(),
		Operators: []Operator{{UID: "op", Name: "Op", Parallelism: 1, Subtasks: []Subtask{{Index: 0, Files: files, SinkTokens: [][]byte{[]byte("tok")}}}}},
	}, copied
}

func TestMetadataRoundTripAndCorruption(t *testing.T) {
	m := &Metadata{FormatVersion: 1, JobID: "j", ID: 7, Kind: KindCheckpoint, Timestamp: time.Unix(5, 0).UTC(),
		Operators: []Operator{{UID: "u", Subtasks: []Subtask{{Index: 1, Watermark: -3, Splits: []SplitPosition{{SplitID: "s", Position: []byte{1, 2}, Finished: true}}}}}}}
	b, err := m.Encode()
	must(t, err)
	got, err := Decode(b)
	must(t, err)
	if got.ID != 7 || got.Operators[0].Subtasks[0].Splits[0].Position[1] != 2 || !got.Operators[0].Subtasks[0].Splits[0].Finished {
		t.Fatalf("round trip: %+v", got)
	}
	for i := range len(b) - 1 {
		c := bytes.Clone(b)
		c[i] ^= 0x01
		if _, err := Decode(c); err == nil {
			t.Fatalf("a flipped bit at byte %d was not detected", i)
		}
	}
	if _, err := Decode(b[:len(b)/2]); err == nil {
		t.Fatal("a truncated file was accepted")
	}
	m.FormatVersion = 2
	b, _ = m.Encode()
	if _, err := Decode(b); err == nil || !strings.Contains(err.Error(), "format version 2") {
		t.Fatalf("a newer version: %v", err)
	}
}

func TestIncrementalUploadRetentionAndLatest(t *testing.T) {
	store, err := blob.NewLocal(t.TempDir())
	must(t, err)
	s := New(store, Options{NumRetained: 2})
	dir := stateDir(t, map[string]string{"state/000001.sst": "aaaa", "state/MANIFEST": "m1"})
	m1, copied := checkpointOf(t, s, 1, KindCheckpoint, dir)
	if copied != 6 {
		t.Fatalf("first upload copied %d bytes, want 6", copied)
	}
	must(t, s.Commit(ctx, m1))
	// A new file and a changed manifest: only those are copied.
	must(t, os.WriteFile(filepath.Join(dir, "state/000002.sst"), []byte("bbbbbbbb"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "state/MANIFEST"), []byte("m2"), 0o644))
	m2, copied := checkpointOf(t, s, 2, KindCheckpoint, dir)
	if copied != 10 {
		t.Fatalf("second upload copied %d bytes, want 10 (the new file and the manifest)", copied)
	}
	must(t, s.Commit(ctx, m2))
	must(t, os.Remove(filepath.Join(dir, "state/000001.sst")))
	must(t, os.WriteFile(filepath.Join(dir, "state/MANIFEST"), []byte("m3"), 0o644))
	m3, _ := checkpointOf(t, s, 3, KindCheckpoint, dir)
	must(t, s.Commit(ctx, m3))
	// Two retained: chk-1 is gone, and so is "m1", which only it referenced; "aaaa" stays
	// (chk-2 references it).
	names, _ := store.List(ctx, "")
	joined := strings.Join(names, " ")
	if strings.Contains(joined, "chk-1/") || !strings.Contains(joined, "chk-2/") || !strings.Contains(joined, "chk-3/") {
		t.Fatalf("retention kept %v", names)
	}
	shared, _ := store.List(ctx, "shared/")
	if len(shared) != 4 { // aaaa, m2, bbbbbbbb, m3
		t.Fatalf("shared files after retention: %v", shared)
	}
	latest, err := s.Latest(ctx)
	must(t, err)
	if latest.ID != 3 {
		t.Fatalf("latest %d", latest.ID)
	}
	// Restore what chk-2 holds.
	out := t.TempDir()
	must(t, s.Download(ctx, m2.Operators[0].Subtasks[0].Files, out))
	if b, _ := os.ReadFile(filepath.Join(out, "state/000001.sst")); string(b) != "aaaa" {
		t.Fatalf("downloaded %q", b)
	}
	// A corrupt blob is detected on download.
	f := m2.Operators[0].Subtasks[0].Files[0]
	must(t, os.WriteFile(filepath.Join(store.Dir(), f.Blob), []byte("zzzz"), 0o644))
	if err := s.Download(ctx, []File{f}, t.TempDir()); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt blob: %v", err)
	}
}

func TestLatestSkipsIncompleteAndCorrupt(t *testing.T) {
	store, err := blob.NewLocal(t.TempDir())
	must(t, err)
	faulty := blob.NewFaulty(store)
	s := New(faulty, Options{NumRetained: 5})
	dir := stateDir(t, map[string]string{"a": "1"})
	m1, _ := checkpointOf(t, s, 1, KindCheckpoint, dir)
	must(t, s.Commit(ctx, m1))
	// chk-2: the completion marker cannot be written.
	faulty.FailPut(func(n string) bool { return n == "chk-2/_COMPLETED" })
	m2, _ := checkpointOf(t, s, 2, KindCheckpoint, dir)
	if err := s.Commit(ctx, m2); !errors.Is(err, blob.ErrInjected) {
		t.Fatalf("commit with a failing store: %v", err)
	}
	must(t, s.Abandon(ctx, 2))
	// chk-3: its metadata is stored corrupt.
	faulty.FailPut(nil)
	faulty.Corrupt(func(n string) bool { return n == "chk-3/_metadata" })
	m3, _ := checkpointOf(t, s, 3, KindCheckpoint, dir)
	must(t, s.Commit(ctx, m3))
	faulty.Corrupt(nil)
	latest, err := s.Latest(ctx)
	must(t, err)
	if latest == nil || latest.ID != 1 {
		t.Fatalf("latest = %+v, want checkpoint 1", latest)
	}
	if _, err := s.Load(ctx, "chk-3"); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("loading the corrupt checkpoint: %v", err)
	}
	// The next checkpoint succeeds and becomes the latest.
	m4, _ := checkpointOf(t, s, 4, KindCheckpoint, dir)
	must(t, s.Commit(ctx, m4))
	if latest, _ := s.Latest(ctx); latest.ID != 4 {
		t.Fatalf("latest = %d, want 4", latest.ID)
	}
	// A savepoint survives retention and a missing state file disqualifies a checkpoint.
	sp, _ := checkpointOf(t, s, 5, KindSavepoint, dir)
	must(t, s.Commit(ctx, sp))
	if got, err := s.Load(ctx, "sp-5"); err != nil || got.Kind != KindSavepoint {
		t.Fatalf("savepoint: %v %v", got, err)
	}
	must(t, store.Delete(ctx, sp.Operators[0].Subtasks[0].Files[0].Blob))
	if latest, _ := s.Latest(ctx); latest != nil {
		t.Fatalf("latest = %d with its state file missing", latest.ID)
	}
}

func TestLocalRejectsEscapingNames(t *testing.T) {
	store, err := blob.NewLocal(t.TempDir())
	must(t, err)
	for _, n := range []string{"../x", "/abs", "a/../../b", "", "a/.tmp-1"} {
		if err := store.Put(ctx, n, strings.NewReader("x")); err == nil {
			t.Fatalf("name %q was accepted", n)
		}
	}
	if _, err := store.Get(ctx, "missing"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("missing object: %v", err)
	}
}
