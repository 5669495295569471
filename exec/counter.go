package exec

import "sync/atomic"

// Counter is a monotonically increasing count, written by one goroutine and read by any.
type Counter struct{ v atomic.Int64 }

// Add adds n.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Load returns the current count.
func (c *Counter) Load() int64 { return c.v.Load() }
