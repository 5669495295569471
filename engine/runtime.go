package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/floedb/floe/checkpoint"
	"github.com/floedb/floe/checkpoint/blob"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/plan"
	"github.com/floedb/floe/state"
	"github.com/floedb/floe/state/durable"
)

// runtime is what a pipeline runs with across its restarts: the state backend, the checkpoint
// storage, the checkpoint to restore and the restart strategy.
type runtime struct {
	logger *slog.Logger
	// dir is the checkpoint directory ("" without checkpoints).
	dir     string
	storage *checkpoint.Storage
	// restore is the checkpoint the next run starts from; restoreFrom the storage holding it
	// when it is not storage (a savepoint elsewhere).
	restore     *checkpoint.Metadata
	restoreFrom *checkpoint.Storage
	restart     restartStrategy

	backend  string
	stateDir string
	tempDir  bool // stateDir is temporary: removed by close
	cache    *durable.Cache
	cfg      *plan.Config
	digest   string
	allowNRS bool
}

// prepareRuntime reads the session's options: state backend, checkpoints, restore point and
// restart strategy.
func (s *Session) prepareRuntime(ctx context.Context, p *plan.Plan, logger *slog.Logger) (*runtime, error) {
	rt := &runtime{logger: logger, cfg: s.Config, backend: s.Config.Get("state.backend"), allowNRS: s.AllowNonRestoredState}
	rt.dir = s.CheckpointDir
	if rt.dir == "" {
		rt.dir = s.Config.Get("execution.checkpointing.dir")
	}
	custom := s.JobOptions.NewState != nil || s.JobOptions.OpenState != nil
	if rt.dir != "" && rt.backend == "memory" && !custom {
		return nil, errors.New("option 'state.backend' = 'memory' cannot take checkpoints: use 'pebble' (the default), or run without a checkpoint directory")
	}
	if s.FromSavepoint != "" && rt.dir == "" {
		return nil, errors.New("--from-savepoint needs a checkpoint directory (--checkpoint-dir) for the checkpoints of the new run")
	}
	var err error
	if rt.restart, err = newRestartStrategy(s.Config, rt.dir != ""); err != nil {
		return nil, err
	}
	rt.stateDir = s.StateDir
	if rt.stateDir == "" && rt.dir != "" {
		rt.stateDir = filepath.Join(rt.dir, "work")
	}
	if rt.stateDir == "" && rt.backend == "pebble" && !custom {
		if rt.stateDir, err = os.MkdirTemp("", "floe-state-"); err != nil {
			return nil, fmt.Errorf("cannot create a state directory: %w", err)
		}
		rt.tempDir = true
	}
	if rt.backend == "pebble" && !custom {
		rt.cache = durable.NewCache(s.Config.MemorySize("state.backend.pebble.block-cache-size"))
	}
	if rt.dir == "" {
		return rt, nil
	}
	store, err := blob.NewLocal(rt.dir)
	if err != nil {
		rt.close()
		return nil, fmt.Errorf("checkpoint directory: %w", err)
	}
	rt.storage = checkpoint.New(store, checkpoint.Options{NumRetained: s.Config.Int("execution.checkpointing.num-retained"), Logger: logger})
	rt.digest = p.Digest()
	if s.FromSavepoint != "" {
		sp := filepath.Clean(s.FromSavepoint)
		spStore, err := blob.NewLocal(filepath.Dir(sp))
		if err != nil {
			rt.close()
			return nil, fmt.Errorf("savepoint %s: %w", s.FromSavepoint, err)
		}
		rt.restoreFrom = checkpoint.New(spStore, checkpoint.Options{Logger: logger})
		if rt.restore, err = rt.restoreFrom.Load(ctx, filepath.Base(sp)); err != nil {
			rt.close()
			return nil, fmt.Errorf("cannot read savepoint %s: %w", s.FromSavepoint, err)
		}
		if filepath.Clean(filepath.Dir(sp)) == filepath.Clean(rt.dir) {
			rt.restoreFrom = nil
		}
		return rt, nil
	}
	if err := rt.reload(ctx); err != nil {
		rt.close()
		return nil, err
	}
	return rt, nil
}

// reload makes the latest completed checkpoint the restore point.
func (rt *runtime) reload(ctx context.Context) error {
	if rt.storage == nil {
		return nil
	}
	m, err := rt.storage.Latest(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the checkpoints in %s: %w", rt.dir, err)
	}
	if m != nil {
		rt.restore, rt.restoreFrom = m, nil
	}
	return nil
}

// restoreID is the id of the checkpoint the next run starts from, 0 for none.
func (rt *runtime) restoreID() int64 {
	if rt.restore == nil {
		return 0
	}
	return rt.restore.ID
}

// apply sets the job options for one run.
func (rt *runtime) apply(o *exec.Options) {
	if rt.cache != nil {
		cfg := rt.cfg
		cache := rt.cache
		o.OpenState = func(_, _ int, dir string) (state.Backend, error) {
			return durable.Open(dir, durable.Options{
				Cache:        cache,
				MemTableSize: int(cfg.MemorySize("state.backend.pebble.memtable-size")),
				CacheEntries: cfg.Int("state.backend.pebble.object-cache-entries"),
			})
		}
	}
	if rt.stateDir != "" {
		o.StateDir = rt.stateDir
	}
	if rt.storage == nil {
		return
	}
	c := rt.cfg
	o.Checkpoint = &exec.CheckpointOptions{
		Storage:               rt.storage,
		Interval:              c.Duration("execution.checkpointing.interval"),
		Timeout:               c.Duration("execution.checkpointing.timeout"),
		MinPause:              c.Duration("execution.checkpointing.min-pause"),
		TolerableFailures:     c.Int("execution.checkpointing.tolerable-failed-checkpoints"),
		JobID:                 strings.TrimSpace(c.Name()),
		PlanDigest:            rt.digest,
		Restore:               rt.restore,
		RestoreStorage:        rt.restoreFrom,
		AllowNonRestoredState: rt.allowNRS,
		OnCheckpoint: func(st exec.CheckpointStats) {
			if st.Err != nil {
				rt.logger.Warn("checkpoint failed", "id", st.ID, "err", st.Err)
			}
		},
	}
}

// close releases the shared cache and removes a temporary state directory.
func (rt *runtime) close() {
	if rt.cache != nil {
		rt.cache.Unref()
		rt.cache = nil
	}
	if rt.tempDir {
		os.RemoveAll(rt.stateDir)
	}
}

// explainState prints, per operator of the planned pipeline, whether it would get its state
// back from the latest checkpoint in s.AgainstCheckpoint, start empty, or whether state of the
// checkpoint would be dropped.
func (s *Session) explainState(ctx context.Context, p *plan.Plan) error {
	store, err := blob.NewLocal(s.AgainstCheckpoint)
	if err != nil {
		return err
	}
	m, err := checkpoint.New(store, checkpoint.Options{Logger: s.logger}).Latest(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the checkpoints in %s: %w", s.AgainstCheckpoint, err)
	}
	if m == nil {
		return fmt.Errorf("%s holds no complete checkpoint", s.AgainstCheckpoint)
	}
	g, err := p.Graph(s.logger)
	if err != nil {
		return err
	}
	byUID := map[string]*checkpoint.Operator{}
	for i := range m.Operators {
		byUID[m.Operators[i].UID] = &m.Operators[i]
	}
	fmt.Fprintf(s.out, "\n== State against %s %d in %s ==\n", m.Kind, m.ID, s.AgainstCheckpoint)
	used := map[string]bool{}
	for _, nd := range g.Nodes {
		op := byUID[nd.UID]
		status := "new (starts empty)"
		switch {
		case op != nil && op.Parallelism != nd.Parallelism:
			status = fmt.Sprintf("refused: parallelism %d, checkpointed with %d", nd.Parallelism, op.Parallelism)
		case op != nil:
			status = "restored"
		}
		if op != nil {
			used[op.UID] = true
		}
		fmt.Fprintf(s.out, "%-22s %-32s %s\n", nd.Name, nd.UID, status)
	}
	for _, op := range m.Operators {
		if used[op.UID] || !op.HasState() {
			continue
		}
		fmt.Fprintf(s.out, "%-22s %-32s dropped: the pipeline no longer has it (needs --allow-non-restored-state)\n", op.Name, op.UID)
	}
	return nil
}
