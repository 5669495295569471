// Command floe runs Flink-dialect streaming SQL pipelines: `floe run`, `floe explain`,
// `floe bench` and `floe version`. It only wires packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/floedb/floe/bench"
	"github.com/floedb/floe/connector/all"
	"github.com/floedb/floe/engine"
	"github.com/floedb/floe/exec"
)

func main() {
	if err := newRoot(os.Stdout, os.Stderr).Execute(); err != nil {
		os.Exit(1)
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "floe",
		Short:         "Floe: a real-time data warehouse in one binary (Flink SQL dialect)",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(runCmd(stdout, stderr, engine.Run), runCmd(stdout, stderr, engine.ExplainOnly), benchCmd(stdout), versionCmd(stdout))
	return root
}

func runCmd(stdout, stderr io.Writer, mode engine.Mode) *cobra.Command {
	var sets []string
	var parallelism int
	var verbose bool
	var ckDir, fromSavepoint, stateDir string
	var allowNonRestored bool
	var against string
	use, short := "run FILE.sql", "Run the pipelines of a SQL script until their bounded inputs end (Ctrl-C stops)"
	if mode == engine.ExplainOnly {
		use, short = "explain FILE.sql", "Print the physical plan of each pipeline of a SQL script"
	}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("cannot read script: %w", err)
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelInfo
			}
			logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
			s := engine.New(all.RegistryWith(stdout, stderr), stdout, logger)
			if parallelism > 0 {
				if err := s.Config.Set("parallelism.default", strconv.Itoa(parallelism)); err != nil {
					return err
				}
			}
			for _, kv := range sets {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("-D %q: want key=value", kv)
				}
				if err := s.Config.Set(k, v); err != nil {
					return err
				}
			}
			s.CheckpointDir, s.FromSavepoint, s.StateDir = ckDir, fromSavepoint, stateDir
			s.AllowNonRestoredState = allowNonRestored
			s.AgainstCheckpoint = against
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			stopTerm := onTerm(ctx, s, stderr, stop)
			defer stopTerm()
			err = s.Execute(ctx, string(src), mode)
			if errors.Is(err, exec.ErrSavepointStop) {
				fmt.Fprintln(stderr, "stopped with a savepoint")
				return nil
			}
			if errors.Is(err, context.Canceled) {
				fmt.Fprintln(stderr, "stopped")
				return nil
			}
			if err != nil {
				cmd.SilenceErrors = true
				fmt.Fprintf(stderr, "%s: %v\n", args[0], err)
			}
			return err
		},
	}
	c.Flags().StringArrayVarP(&sets, "set", "D", nil, "session option key=value (as SET 'key' = 'value'), repeatable")
	c.Flags().IntVarP(&parallelism, "parallelism", "p", 0, "parallelism.default")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "log progress")
	if mode == engine.ExplainOnly {
		c.Flags().StringVar(&against, "against-checkpoint", "", "also show which operators would get their state back from the latest checkpoint in this directory")
	}
	if mode == engine.Run {
		c.Flags().StringVar(&ckDir, "checkpoint-dir", "", "take checkpoints into this directory and resume from the latest one found there (execution.checkpointing.dir)")
		c.Flags().StringVar(&fromSavepoint, "from-savepoint", "", "start from this savepoint (a sp-<id> or chk-<id> directory)")
		c.Flags().BoolVar(&allowNonRestored, "allow-non-restored-state", false, "start even if the checkpoint holds state of operators the pipeline no longer has (that state is dropped)")
		c.Flags().StringVar(&stateDir, "state-dir", "", "working directory of durable state (default <checkpoint-dir>/work, or a temporary directory)")
	}
	return c
}

// onTerm makes SIGTERM stop the pipeline with a final savepoint when it takes checkpoints, and
// like Ctrl-C (cancel) otherwise. The returned function stops listening.
func onTerm(ctx context.Context, s *engine.Session, stderr io.Writer, cancel context.CancelFunc) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
		case <-done:
			return
		case <-ctx.Done():
			return
		}
		if err := s.StopWithSavepoint(ctx); err != nil {
			fmt.Fprintf(stderr, "no savepoint taken: %v\n", err)
			cancel()
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

func benchCmd(stdout io.Writer) *cobra.Command {
	var o bench.Options
	var cpuProfile, memProfile string
	c := &cobra.Command{
		Use:   "bench nexmark",
		Short: "Run a Nexmark query on the in-process generator into a discarding sink and report events/s per core",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "nexmark" {
				return fmt.Errorf("unknown benchmark %q (available: nexmark)", args[0])
			}
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			if memProfile != "" {
				runtime.MemProfileRate = 64 * 1024
			}
			r, err := bench.Run(cmd.Context(), all.RegistryWith(io.Discard, io.Discard), o)
			if err != nil {
				return err
			}
			if memProfile != "" {
				if err := writeHeapProfile(memProfile); err != nil {
					return err
				}
			}
			fmt.Fprintln(stdout, r)
			return nil
		},
	}
	c.Flags().StringVar(&o.Query, "query", "q0", "query: "+strings.Join(bench.Queries(), ", ")+", or gen (the generator alone)")
	c.Flags().Int64Var(&o.Events, "events", 10_000_000, "number of Nexmark events to generate")
	c.Flags().IntVarP(&o.Parallelism, "parallelism", "p", 1, "parallelism of sources and operators")
	c.Flags().IntVar(&o.ChunkSize, "chunk-size", 1024, "rows per chunk")
	c.Flags().Int64Var(&o.Rate, "rate", 10_000_000, "generator first-event.rate (events per second of event time)")
	c.Flags().BoolVar(&o.MiniBatch, "mini-batch", true, "table.exec.mini-batch.enabled, as in the Nexmark Flink setup")
	c.Flags().StringVar(&o.StateBackend, "state-backend", "pebble", "state.backend: pebble or memory")
	c.Flags().DurationVar(&o.CheckpointInterval, "checkpoint-interval", 0, "take checkpoints at this interval (e.g. 1s) into a temporary directory; 0 takes none")
	c.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to this file")
	c.Flags().StringVar(&memProfile, "memprofile", "", "write an allocation profile (taken at the end of the run) to this file")
	return c
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

func versionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run: func(cmd *cobra.Command, args []string) {
			v, rev := "(devel)", ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				v = bi.Main.Version
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						rev = " " + s.Value
					}
				}
			}
			fmt.Fprintf(stdout, "floe %s%s\n", v, rev)
		},
	}
}
