package checkpoint

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/floedb/floe/checkpoint/blob"
)

// Store layout:
//
//	shared/<sha256>     state files, content-addressed, shared by all checkpoints
//	chk-<id>/_metadata  a checkpoint's metadata (see Metadata.Encode)
//	chk-<id>/_COMPLETED written after _metadata: only then is the checkpoint used
//	sp-<id>/...         a savepoint, same shape, never removed by retention
const (
	sharedPrefix = "shared/"
	metadataName = "_metadata"
	completeName = "_COMPLETED"
)

// Options configure a Storage.
type Options struct {
	// NumRetained is how many completed checkpoints (not savepoints) are kept; default 1.
	NumRetained int
	// Logger receives warnings about skipped checkpoints; nil discards them.
	Logger *slog.Logger
}

// Storage reads and writes checkpoints in a blob.Store. Safe for concurrent use.
type Storage struct {
	store blob.Store
	opts  Options

	mu sync.Mutex
	// hashes remembers the SHA-256 of local files by identity (device, inode, size, mtime):
	// state files are immutable and hard-linked into each checkpoint's staging directory, so
	// an unchanged file is hashed once.
	hashes map[fileID]string
	// present are blobs known to be in the store.
	present map[string]bool
	// pinned are blobs uploaded since the last Commit: a checkpoint in flight references
	// them, so retention must not delete them although no metadata does yet.
	pinned map[string]bool
}

type fileID struct {
	dev, ino uint64
	size     int64
	mtime    int64
}

// New returns a Storage over store.
func New(store blob.Store, opts Options) *Storage {
	if opts.NumRetained < 1 {
		opts.NumRetained = 1
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Storage{store: store, opts: opts, hashes: map[fileID]string{}, present: map[string]bool{}, pinned: map[string]bool{}}
}

// Upload stores the files under a local directory as shared blobs, copying only those the
// store does not have, and returns their references and the bytes copied.
func (s *Storage) Upload(ctx context.Context, dir string) ([]File, int64, error) {
	var files []File
	var copied int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, n, err := s.uploadFile(ctx, p)
		if err != nil {
			return fmt.Errorf("cannot store %s: %w", p, err)
		}
		f.Path = filepath.ToSlash(rel)
		files = append(files, f)
		copied += n
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return files, copied, nil
}

// uploadFile stores one file unless its blob exists; it returns the reference (without Path)
// and the bytes copied.
func (s *Storage) uploadFile(ctx context.Context, p string) (File, int64, error) {
	info, err := os.Stat(p)
	if err != nil {
		return File{}, 0, err
	}
	id := fileID{size: info.Size(), mtime: info.ModTime().UnixNano()}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(st.Dev), st.Ino
	}
	s.mu.Lock()
	sum, known := s.hashes[id]
	s.mu.Unlock()
	if !known || id.ino == 0 {
		if sum, err = hashFile(p); err != nil {
			return File{}, 0, err
		}
		s.mu.Lock()
		s.hashes[id] = sum
		s.mu.Unlock()
	}
	name := sharedPrefix + sum
	f := File{Blob: name, Size: info.Size(), SHA256: sum}
	s.mu.Lock()
	have := s.present[name]
	s.pinned[name] = true
	s.mu.Unlock()
	if !have {
		ok, err := s.store.Exists(ctx, name)
		if err != nil {
			return File{}, 0, err
		}
		if !ok {
			r, err := os.Open(p)
			if err != nil {
				return File{}, 0, err
			}
			h := sha256.New()
			err = s.store.Put(ctx, name, io.TeeReader(r, h))
			r.Close()
			if err != nil {
				return File{}, 0, err
			}
			if got := hex.EncodeToString(h.Sum(nil)); got != sum {
				s.store.Delete(ctx, name)
				return File{}, 0, fmt.Errorf("the file changed while it was stored (sha256 %s, was %s)", got, sum)
			}
			s.mu.Lock()
			s.present[name] = true
			s.mu.Unlock()
			return f, info.Size(), nil
		}
		s.mu.Lock()
		s.present[name] = true
		s.mu.Unlock()
	}
	return f, 0, nil
}

func hashFile(p string) (string, error) {
	r, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Commit writes m's metadata and then its completion marker, and applies retention: completed
// checkpoints beyond NumRetained are removed (oldest first; savepoints stay), then blobs that
// no remaining checkpoint references and no checkpoint in flight uploaded.
func (s *Storage) Commit(ctx context.Context, m *Metadata) error {
	b, err := m.Encode()
	if err != nil {
		return err
	}
	dir := DirName(m.Kind, m.ID)
	if err := s.store.Put(ctx, dir+"/"+metadataName, strings.NewReader(string(b))); err != nil {
		return err
	}
	if err := s.store.Put(ctx, dir+"/"+completeName, strings.NewReader(m.Timestamp.UTC().Format(time.RFC3339Nano)+"\n")); err != nil {
		return err
	}
	s.mu.Lock()
	for _, op := range m.Operators {
		for _, st := range op.Subtasks {
			for _, f := range st.Files {
				delete(s.pinned, f.Blob)
			}
		}
	}
	s.mu.Unlock()
	if err := s.retain(ctx); err != nil {
		s.opts.Logger.Warn("cannot remove old checkpoints", "err", err)
	}
	return nil
}

// entry is a checkpoint directory found in the store.
type entry struct {
	dir       string
	id        int64
	savepoint bool
	completed bool
}

// entries lists the checkpoint and savepoint directories, newest first.
func (s *Storage) entries(ctx context.Context) ([]entry, error) {
	names, err := s.store.List(ctx, "")
	if err != nil {
		return nil, err
	}
	byDir := map[string]*entry{}
	for _, n := range names {
		dir, file, ok := strings.Cut(n, "/")
		if !ok || strings.Contains(file, "/") {
			continue
		}
		var id int64
		var sp bool
		switch {
		case strings.HasPrefix(dir, "chk-"):
			id, err = strconv.ParseInt(dir[4:], 10, 64)
		case strings.HasPrefix(dir, "sp-"):
			id, err = strconv.ParseInt(dir[3:], 10, 64)
			sp = true
		default:
			continue
		}
		if err != nil {
			continue
		}
		e := byDir[dir]
		if e == nil {
			e = &entry{dir: dir, id: id, savepoint: sp}
			byDir[dir] = e
		}
		if file == completeName {
			e.completed = true
		}
	}
	var out []entry
	for _, e := range byDir {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b entry) int {
		if a.id != b.id {
			return int(b.id - a.id)
		}
		if a.savepoint != b.savepoint { // a savepoint after the checkpoint of the same id
			if a.savepoint {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

// retain removes checkpoints beyond NumRetained and unreferenced blobs.
func (s *Storage) retain(ctx context.Context) error {
	es, err := s.entries(ctx)
	if err != nil {
		return err
	}
	kept := 0
	referenced := map[string]bool{}
	for _, e := range es {
		if !e.completed {
			continue // in flight, or abandoned (Abandon removes those)
		}
		if !e.savepoint {
			kept++
			if kept > s.opts.NumRetained {
				if err := s.deleteDir(ctx, e.dir); err != nil {
					return err
				}
				continue
			}
		}
		m, err := s.Load(ctx, e.dir)
		if err != nil {
			// A corrupt checkpoint references nothing we can know of: keep its directory
			// (for inspection) but do not let it pin blobs.
			continue
		}
		for _, op := range m.Operators {
			for _, st := range op.Subtasks {
				for _, f := range st.Files {
					referenced[f.Blob] = true
				}
			}
		}
	}
	blobs, err := s.store.List(ctx, sharedPrefix)
	if err != nil {
		return err
	}
	for _, b := range blobs {
		s.mu.Lock()
		keep := referenced[b] || s.pinned[b]
		if !keep {
			delete(s.present, b)
		}
		s.mu.Unlock()
		if keep {
			continue
		}
		if err := s.store.Delete(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (s *Storage) deleteDir(ctx context.Context, dir string) error {
	names, err := s.store.List(ctx, dir+"/")
	if err != nil {
		return err
	}
	// The completion marker goes first, so that a crash half-way leaves an incomplete
	// checkpoint, never a complete one missing files.
	slices.SortFunc(names, func(a, b string) int {
		ac, bc := strings.HasSuffix(a, "/"+completeName), strings.HasSuffix(b, "/"+completeName)
		switch {
		case ac && !bc:
			return -1
		case bc && !ac:
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		if err := s.store.Delete(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// Latest returns the newest completed checkpoint or savepoint that verifies, skipping (with a
// warning) incomplete and corrupt ones; nil when there is none.
func (s *Storage) Latest(ctx context.Context) (*Metadata, error) {
	es, err := s.entries(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if !e.completed {
			continue
		}
		m, err := s.Load(ctx, e.dir)
		if err != nil {
			s.opts.Logger.Warn("skipping a checkpoint that cannot be used", "checkpoint", e.dir, "err", err)
			continue
		}
		return m, nil
	}
	return nil, nil
}

// Load reads and verifies one checkpoint by its directory name ("chk-12", "sp-3"): its
// completion marker, its metadata's checksum and version, and that every file it references
// exists.
func (s *Storage) Load(ctx context.Context, dir string) (*Metadata, error) {
	ok, err := s.store.Exists(ctx, dir+"/"+completeName)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("checkpoint %s is not complete (no %s)", dir, completeName)
	}
	r, err := s.store.Get(ctx, dir+"/"+metadataName)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	if DirName(m.Kind, m.ID) != dir {
		return nil, fmt.Errorf("checkpoint %s: its metadata describes %s", dir, DirName(m.Kind, m.ID))
	}
	for _, op := range m.Operators {
		for _, st := range op.Subtasks {
			for _, f := range st.Files {
				ok, err := s.store.Exists(ctx, f.Blob)
				if err != nil {
					return nil, err
				}
				if !ok {
					return nil, fmt.Errorf("checkpoint %s: state file %s of %s subtask %d is missing (%s)", dir, f.Path, op.Name, st.Index, f.Blob)
				}
			}
		}
	}
	return m, nil
}

// Download writes files into dir (created if needed), verifying each one's SHA-256.
func (s *Storage) Download(ctx context.Context, files []File, dir string) error {
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return fmt.Errorf("state file path %q leaves its directory", f.Path)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := s.download(ctx, f, p); err != nil {
			return fmt.Errorf("cannot restore state file %s: %w", f.Path, err)
		}
	}
	return nil
}

func (s *Storage) download(ctx context.Context, f File, p string) error {
	r, err := s.store.Get(ctx, f.Blob)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.Create(p)
	if err != nil {
		return err
	}
	var h hash.Hash = sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 || n != f.Size {
		return fmt.Errorf("%s is corrupt: sha256 %s and %d bytes, want %s and %d", f.Blob, got, n, f.SHA256, f.Size)
	}
	return nil
}

// Abandon removes what a failed checkpoint wrote in its directory; blobs it uploaded are
// removed by a later retention pass if nothing references them.
func (s *Storage) Abandon(ctx context.Context, id int64) error {
	s.mu.Lock()
	clear(s.pinned)
	s.mu.Unlock()
	err := s.deleteDir(ctx, DirName(KindCheckpoint, id))
	if err2 := s.deleteDir(ctx, DirName(KindSavepoint, id)); err == nil {
		err = err2
	}
	if errors.Is(err, blob.ErrNotFound) {
		return nil
	}
	return err
}
