// Package blob is the storage seam of checkpoints: a flat namespace of immutable named objects.
// Local keeps them in a directory; object storage can implement the same interface later.
// Faulty wraps a Store to inject failures and corruption in tests.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ErrNotFound is returned (wrapped) for an object that does not exist.
var ErrNotFound = errors.New("not found")

// Store holds named immutable objects. Names are slash-separated relative paths ("a/b/c")
// without "." or ".." elements. Safe for concurrent use.
type Store interface {
	// Put stores r's bytes under name atomically: readers see all of them or nothing. An
	// existing object is replaced.
	Put(ctx context.Context, name string, r io.Reader) error
	// Get opens an object; ErrNotFound when it does not exist.
	Get(ctx context.Context, name string) (io.ReadCloser, error)
	// Exists reports whether an object exists.
	Exists(ctx context.Context, name string) (bool, error)
	// List returns the names that start with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// Delete removes an object; a missing one is not an error.
	Delete(ctx context.Context, name string) error
}

// Local is a Store in a local directory: an object is a file at its name. Put writes a
// temporary file, syncs it, renames it into place and syncs the directory.
type Local struct{ dir string }

// NewLocal returns a Store over dir, creating it if needed.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &Local{dir: abs}, nil
}

// Dir returns the directory.
func (l *Local) Dir() string { return l.dir }

// path validates name and returns its file.
func (l *Local) path(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name || name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return "", fmt.Errorf("invalid object name %q", name)
	}
	for _, el := range strings.Split(name, "/") {
		if strings.HasPrefix(el, ".tmp-") {
			return "", fmt.Errorf("invalid object name %q: '.tmp-' is reserved", name)
		}
	}
	return filepath.Join(l.dir, filepath.FromSlash(name)), nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, name string, r io.Reader) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot store %s: %w", name, err)
	}
	f, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return fmt.Errorf("cannot store %s: %w", name, err)
	}
	tmp := f.Name()
	_, err = io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot store %s: %w", name, err)
	}
	return syncDir(dir)
}

// PutFile stores a local file's contents under name (a copy, synced).
func (l *Local) PutFile(ctx context.Context, name, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return l.Put(ctx, name, f)
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

// Get implements Store.
func (l *Local) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return f, err
}

// Exists implements Store.
func (l *Local) Exists(ctx context.Context, name string) (bool, error) {
	p, err := l.path(name)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// List implements Store.
func (l *Local) List(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, name string) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Remove directories left empty, up to the store's root.
	for dir := filepath.Dir(p); dir != l.dir && strings.HasPrefix(dir, l.dir); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
