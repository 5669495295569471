// Package bench runs the Nexmark benchmark queries on Floe's in-process generator and measures
// throughput per core and memory.
package bench

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/types"
)

// bidColumns are the columns of the Nexmark bid table.
var bidColumns = []connector.Column{
	{Name: "auction", Type: types.BigIntType},
	{Name: "bidder", Type: types.BigIntType},
	{Name: "price", Type: types.BigIntType},
	{Name: "channel", Type: types.StringType},
	{Name: "url", Type: types.StringType},
	{Name: "dateTime", Type: types.TimestampType(3)},
	{Name: "extra", Type: types.StringType},
}

//go:embed queries/*.sql
var queries embed.FS

// Queries returns the names of the benchmark queries, in numeric order ("q0", "q1", ...).
func Queries() []string {
	ents, _ := queries.ReadDir("queries")
	var ns []string
	for _, e := range ents {
		n := strings.TrimSuffix(e.Name(), ".sql")
		if n != "ddl" {
			ns = append(ns, n)
		}
	}
	sort.Slice(ns, func(i, j int) bool {
		a, _ := strconv.Atoi(ns[i][1:])
		b, _ := strconv.Atoi(ns[j][1:])
		return a < b
	})
	return ns
}

// Script returns the full SQL of a query: the Nexmark source tables with the given number of
// events and rate, then the query's sink table and INSERT.
func Script(query string, events, rate int64) (string, error) {
	q, err := QuerySQL(query)
	if err != nil {
		return "", err
	}
	return SourceDDL(events, rate) + "\n" + q, nil
}

// SourceDDL returns the CREATE TABLE statements of the Nexmark person, auction and bid tables.
func SourceDDL(events, rate int64) string {
	ddl, _ := queries.ReadFile("queries/ddl.sql")
	r := strings.NewReplacer("${EVENTS}", strconv.FormatInt(events, 10), "${RATE}", strconv.FormatInt(rate, 10))
	return r.Replace(string(ddl))
}

// QuerySQL returns the sink table and INSERT of a query.
func QuerySQL(query string) (string, error) {
	q, err := queries.ReadFile("queries/" + query + ".sql")
	if err != nil {
		return "", fmt.Errorf("unknown query '%s' (available: %s, gen)", query, strings.Join(Queries(), ", "))
	}
	return string(q), nil
}

// Options configure a benchmark run.
type Options struct {
	Query       string // "q0".."q22", or "gen" for the generator alone
	Events      int64
	Parallelism int
	ChunkSize   int
	// Rate is the generator's first-event.rate (event-time spacing, not a throttle).
	Rate int64
	// MiniBatch sets table.exec.mini-batch.enabled (the Nexmark Flink setup enables it).
	MiniBatch bool
	// StateBackend sets state.backend ("memory" or "pebble"; "" keeps the default, pebble).
	StateBackend string
	// CheckpointInterval, when positive, takes checkpoints at this interval into a temporary
	// directory.
	CheckpointInterval time.Duration
}

// Result is a measurement.
type Result struct {
	Options
	Elapsed time.Duration
	CPU     time.Duration
	// PeakHeap is the largest Go heap in use seen during the run (sampled every 20 ms).
	PeakHeap uint64
	// MaxRSS is the process's peak resident set size.
	MaxRSS int64
	// SinkRows is the number of rows the sinks received (rows generated for gen).
	SinkRows int64
	// StateEntries is the number of keyed-state entries all operators held at the end of the
	// run (after the final watermark; see state.Sizer).
	StateEntries int64
}

// EventsPerSecond is the throughput in wall-clock time.
func (r Result) EventsPerSecond() float64 { return float64(r.Events) / r.Elapsed.Seconds() }

// EventsPerCoreSecond is the throughput per CPU-second used.
func (r Result) EventsPerCoreSecond() float64 { return float64(r.Events) / r.CPU.Seconds() }

// String renders the result on one line.
func (r Result) String() string {
	backend := r.StateBackend
	if backend == "" {
		backend = "pebble"
	}
	return fmt.Sprintf("%-4s events=%d parallelism=%d mini-batch=%v state=%s checkpoints=%s elapsed=%.2fs cpu=%.2fs events/s=%.0f events/s/core=%.0f sink-rows=%d state-entries=%d peak-heap=%.1fMiB max-rss=%.1fMiB",
		r.Query, r.Events, r.Parallelism, r.MiniBatch, backend, r.CheckpointInterval, r.Elapsed.Seconds(), r.CPU.Seconds(), r.EventsPerSecond(), r.EventsPerCoreSecond(),
		r.SinkRows, r.StateEntries, float64(r.PeakHeap)/(1<<20), float64(r.MaxRSS)/(1<<20))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

// Run runs one benchmark with the given connectors.
func Run(ctx context.Context, reg *connector.Registry, o Options) (Result, error) {
	if o.Events <= 0 {
		return Result{}, errors.New("--events must be positive")
	}
	if o.Parallelism <= 0 {
		o.Parallelism = 1
	}
	if o.Rate <= 0 {
		o.Rate = 10_000_000
	}
	var work func() error
	var rows, entries atomic.Int64
	if o.Query == "gen" {
		work = func() error { return generate(ctx, reg, o, &rows) }
	} else {
		script, err := Script(o.Query, o.Events, o.Rate)
		if err != nil {
			return Result{}, err
		}
		s := engine.New(reg, io.Discard, nil)
		if err := s.Config.Set("parallelism.default", strconv.Itoa(o.Parallelism)); err != nil {
			return Result{}, err
		}
		if err := s.Config.Set("table.exec.mini-batch.enabled", strconv.FormatBool(o.MiniBatch)); err != nil {
			return Result{}, err
		}
		if o.ChunkSize > 0 {
			if err := s.Config.Set("execution.chunk-size", strconv.Itoa(o.ChunkSize)); err != nil {
				return Result{}, err
			}
		}
		if o.StateBackend != "" {
			if err := s.Config.Set("state.backend", o.StateBackend); err != nil {
				return Result{}, err
			}
		}
		if o.CheckpointInterval > 0 {
			dir, err := os.MkdirTemp("", "floe-bench-ck-")
			if err != nil {
				return Result{}, err
			}
			defer os.RemoveAll(dir)
			s.CheckpointDir = dir
			if err := s.Config.Set("execution.checkpointing.interval", fmt.Sprintf("%d ms", o.CheckpointInterval.Milliseconds())); err != nil {
				return Result{}, err
			}
		}
		work = func() error {
			if err := s.Execute(ctx, script, engine.Run); err != nil {
				return err
			}
			for _, m := range s.LastMetrics {
				if strings.HasPrefix(m.Node, "Sink: ") {
					rows.Add(m.RecordsIn)
				}
				entries.Add(m.StateEntries)
			}
			return nil
		}
	}
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()
	c0, t0 := cpuTime(), time.Now()
	err := work()
	elapsed, cpu := time.Since(t0), cpuTime()-c0
	close(stop)
	wg.Wait()
	if err != nil {
		return Result{}, err
	}
	return Result{Options: o, Elapsed: elapsed, CPU: cpu, PeakHeap: peak, MaxRSS: maxRSS(), SinkRows: rows.Load(), StateEntries: entries.Load()}, nil
}

// generate drains the bid generator with all columns, in parallel, discarding the rows: the
// upper bound for q0.
func generate(ctx context.Context, reg *connector.Registry, o Options, rows *atomic.Int64) error {
	f, err := reg.Lookup("nexmark")
	if err != nil {
		return err
	}
	cols := bidColumns
	opts, err := f.Spec.Validate(map[string]string{"table": "bid", "events.num": strconv.FormatInt(o.Events, 10), "first-event.rate": strconv.FormatInt(o.Rate, 10)})
	if err != nil {
		return err
	}
	src, err := f.NewSource(connector.CreateContext{Table: "bid", Columns: cols, Options: opts})
	if err != nil {
		return err
	}
	splits, err := src.Splits(o.Parallelism)
	if err != nil {
		return err
	}
	proj := make([]int, len(cols))
	for i := range proj {
		proj[i] = i
	}
	chunk := o.ChunkSize
	if chunk <= 0 {
		chunk = 1024
	}
	errs := make(chan error, len(splits))
	var wg sync.WaitGroup
	for _, sp := range splits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := src.Open(ctx, sp, proj)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			for {
				c, err := r.Next(ctx, chunk)
				if errors.Is(err, io.EOF) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				rows.Add(int64(c.Len()))
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
