package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
)

// ErrInjected is the error Faulty injects.
var ErrInjected = errors.New("injected failure")

// Faulty wraps a Store for fault-injection tests: Put and Get of names that FailPut or FailGet
// accept fail with ErrInjected, and objects that Corrupt accepts are stored with one byte
// flipped. The predicates may be changed between calls (under the caller's own ordering).
type Faulty struct {
	Store
	mu      sync.Mutex
	failPut func(name string) bool
	failGet func(name string) bool
	corrupt func(name string) bool
}

// NewFaulty wraps s; it injects nothing until told to.
func NewFaulty(s Store) *Faulty { return &Faulty{Store: s} }

// FailPut makes Put fail for names fn accepts (nil: none).
func (f *Faulty) FailPut(fn func(name string) bool) { f.mu.Lock(); f.failPut = fn; f.mu.Unlock() }

// FailGet makes Get fail for names fn accepts (nil: none).
func (f *Faulty) FailGet(fn func(name string) bool) { f.mu.Lock(); f.failGet = fn; f.mu.Unlock() }

// Corrupt makes Put store a corrupted copy (the middle byte flipped) for names fn accepts.
func (f *Faulty) Corrupt(fn func(name string) bool) { f.mu.Lock(); f.corrupt = fn; f.mu.Unlock() }

// Put implements Store.
func (f *Faulty) Put(ctx context.Context, name string, r io.Reader) error {
	f.mu.Lock()
	fp, cp := f.failPut, f.corrupt
	f.mu.Unlock()
	if fp != nil && fp(name) {
		return ErrInjected
	}
	if cp != nil && cp(name) {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if len(b) > 0 {
			b[len(b)/2] ^= 0xff
		}
		r = bytes.NewReader(b)
	}
	return f.Store.Put(ctx, name, r)
}

// Get implements Store.
func (f *Faulty) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	f.mu.Lock()
	fg := f.failGet
	f.mu.Unlock()
	if fg != nil && fg(name) {
		return nil, ErrInjected
	}
	return f.Store.Get(ctx, name)
}
