package filesystem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
)

// Exactly-once writing (connector.Committer). In a pipeline with checkpoints each writer
// subtask writes the rows of one checkpoint interval to a hidden in-progress file,
// <dir>/.part-<subtask>-<checkpoint>.<ext>.inprogress, created on the interval's first row.
// At the checkpoint's barrier PreCommit syncs and closes it and returns a token naming it;
// when the checkpoint completes, Commit renames it to part-<subtask>-<checkpoint>.<ext>. A
// restart commits the restored checkpoint's tokens again (a file already renamed is skipped)
// and Recover deletes every other in-progress file: rows written after the checkpoint are
// written again by the restarted pipeline.

// commitToken is what PreCommit returns: the files to rename.
type commitToken struct {
	Files []pendingFile `json:"files"`
}

type pendingFile struct {
	Tmp   string `json:"tmp"`
	Final string `json:"final"`
}

var _ connector.Committer = (*sink)(nil)

// dir returns the sink's directory, creating it; a path naming a single file is refused, as
// each checkpoint needs its own file.
func (s *sink) dir() (string, error) {
	p := s.t.path
	if info, err := os.Stat(p); err == nil && !info.IsDir() || err != nil && strings.HasSuffix(strings.ToLower(p), "."+s.t.ext) {
		return "", fmt.Errorf("table '%s': path '%s' names one file, but with checkpoints the sink writes one file per subtask and checkpoint: use a directory", s.t.name, p)
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", fmt.Errorf("table '%s': cannot create directory: %w", s.t.name, err)
	}
	return p, nil
}

// OpenTwoPhase implements connector.Committer.
func (s *sink) OpenTwoPhase(ctx context.Context, subtask, parallelism int) (connector.TwoPhaseWriter, error) {
	dir, err := s.dir()
	if err != nil {
		return nil, err
	}
	return &twoPhaseWriter{w: s.newWriter(), dir: dir, subtask: subtask}, nil
}

// twoPhaseWriter writes one in-progress file per checkpoint interval.
type twoPhaseWriter struct {
	w       *writer
	dir     string
	subtask int
	open    bool // an in-progress file holds rows of the current interval
}

func (t *twoPhaseWriter) Write(ctx context.Context, c *chunk.Chunk) error {
	if c.Len() == 0 {
		return nil
	}
	if !t.open {
		// The file's checkpoint id is only known at PreCommit: write under a provisional
		// name, renamed (still in progress) then.
		if err := t.w.create(filepath.Join(t.dir, ".part-"+strconv.Itoa(t.subtask)+"-next."+t.w.t.ext+".inprogress")); err != nil {
			return err
		}
		t.open = true
	}
	return t.w.Write(ctx, c)
}

// PreCommit implements connector.TwoPhaseWriter.
func (t *twoPhaseWriter) PreCommit(ctx context.Context, checkpointID int64) ([]byte, error) {
	if !t.open {
		return nil, nil
	}
	t.open = false
	w := t.w
	err := w.bw.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	name := "part-" + strconv.Itoa(t.subtask) + "-" + strconv.FormatInt(checkpointID, 10) + "." + w.t.ext
	tmp := filepath.Join(t.dir, "."+name+".inprogress")
	if err == nil {
		err = os.Rename(w.tmp, tmp)
	}
	if err != nil {
		os.Remove(w.tmp)
		return nil, fmt.Errorf("table '%s': cannot pre-commit %s: %w", w.t.name, name, err)
	}
	return json.Marshal(commitToken{Files: []pendingFile{{Tmp: filepath.Base(tmp), Final: name}}})
}

// Close discards the rows not pre-committed.
func (t *twoPhaseWriter) Close() error {
	if t.open {
		t.open = false
		t.w.f.Close()
		os.Remove(t.w.tmp)
	}
	return nil
}

// Commit implements connector.Committer.
func (s *sink) Commit(ctx context.Context, tokens [][]byte) error {
	dir, err := s.dir()
	if err != nil {
		return err
	}
	for _, tok := range tokens {
		var ct commitToken
		if err := json.Unmarshal(tok, &ct); err != nil {
			return fmt.Errorf("table '%s': invalid commit token: %w", s.t.name, err)
		}
		for _, f := range ct.Files {
			if filepath.Base(f.Tmp) != f.Tmp || filepath.Base(f.Final) != f.Final {
				return fmt.Errorf("table '%s': invalid commit token: file names %q, %q", s.t.name, f.Tmp, f.Final)
			}
			tmp, final := filepath.Join(dir, f.Tmp), filepath.Join(dir, f.Final)
			err := os.Rename(tmp, final)
			if errors.Is(err, fs.ErrNotExist) {
				if _, serr := os.Stat(final); serr == nil {
					continue // committed before a restart
				}
				return fmt.Errorf("table '%s': cannot commit %s: neither it nor its in-progress file exists (removed by hand?)", s.t.name, f.Final)
			}
			if err != nil {
				return fmt.Errorf("table '%s': cannot commit %s: %w", s.t.name, f.Final, err)
			}
		}
	}
	return syncDir(dir)
}

// Recover implements connector.Committer: after the restored checkpoint's tokens were
// committed, every in-progress file left is output of a run that did not complete a
// checkpoint, and is deleted.
func (s *sink) Recover(ctx context.Context, committed [][]byte) error {
	dir, err := s.dir()
	if err != nil {
		return err
	}
	es, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("table '%s': %w", s.t.name, err)
	}
	for _, e := range es {
		n := e.Name()
		if strings.HasPrefix(n, ".part-") && strings.HasSuffix(n, ".inprogress") {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return fmt.Errorf("table '%s': cannot discard %s: %w", s.t.name, n, err)
			}
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
