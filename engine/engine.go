// Package engine executes Floe SQL scripts: DDL and SET statements change the session, SHOW,
// DESCRIBE and EXPLAIN print, and INSERT statements (alone or in statement sets) are planned
// together and run as one streaming job. A bare SELECT runs on its own and prints its rows.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/plan"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/sql/parser"
)

// Session is one SQL session: a catalog, options and where output goes. Not safe for
// concurrent use.
type Session struct {
	Catalog *plan.Catalog
	Config  *plan.Config
	out     io.Writer
	logger  *slog.Logger
	// JobOptions tune the runtime (chunk size and chaining come from the session config).
	JobOptions exec.Options
	// LastMetrics holds the metrics of the last job run, for benchmarks.
	LastMetrics []exec.SubtaskMetrics

	// CheckpointDir, when set, overrides execution.checkpointing.dir (floe run --checkpoint-dir).
	CheckpointDir string
	// FromSavepoint starts the pipeline from this savepoint or checkpoint directory (a
	// sp-<id> or chk-<id> directory) instead of the latest checkpoint (floe run --from-savepoint).
	FromSavepoint string
	// AllowNonRestoredState lets a pipeline start from a checkpoint that holds state of
	// operators it no longer has (floe run --allow-non-restored-state).
	AllowNonRestoredState bool
	// AgainstCheckpoint, with ExplainOnly, also prints which operators would get their state
	// back from the latest checkpoint in this directory (floe explain --against-checkpoint).
	AgainstCheckpoint string
	// StateDir is the working directory of durable state; default <checkpoint dir>/work with
	// checkpoints, else a temporary directory removed when the pipeline ends.
	StateDir string

	jobMu sync.Mutex
	job   *exec.Job // the running job, for StopWithSavepoint
}

// New returns a session using the given connectors; results and listings go to out.
func New(reg *connector.Registry, out io.Writer, logger *slog.Logger) *Session {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Session{Catalog: plan.NewCatalog(reg), Config: plan.NewConfig(), out: out, logger: logger}
}

// ScriptError is an error in a script, rendered with the offending line and a caret.
type ScriptError struct {
	Src string
	Err error
}

func (e *ScriptError) Error() string {
	var pe *parser.Error
	if errors.As(e.Err, &pe) {
		return pe.Error()
	}
	return plan.Render(e.Src, e.Err)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// Mode says what Execute does with INSERT and SELECT statements.
type Mode uint8

// Execution modes.
const (
	// Run executes the pipelines.
	Run Mode = iota
	// ExplainOnly prints the plan of each INSERT (or statement set) and SELECT instead.
	ExplainOnly
)

// Execute runs a script. All INSERT statements and statement sets of the script form one job,
// started after the last statement; it returns when the job ends (bounded sources) or ctx is
// cancelled.
func (s *Session) Execute(ctx context.Context, src string, mode Mode) error {
	stmts, err := parser.ParseScript(src)
	if err != nil {
		return &ScriptError{Src: src, Err: err}
	}
	var inserts []*ast.Insert
	for _, st := range stmts {
		var err error
		switch st := st.(type) {
		case *ast.Insert:
			inserts = append(inserts, st)
		case *ast.StatementSet:
			inserts = append(inserts, st.Inserts...)
		case *ast.QueryStatement:
			if mode == ExplainOnly {
				err = s.explainQuery(st.Query)
			} else {
				err = s.runQuery(ctx, st.Query)
			}
		case *ast.Explain:
			err = s.explain(st)
		default:
			err = s.executeDDL(st)
		}
		if err != nil {
			return &ScriptError{Src: src, Err: err}
		}
	}
	if len(inserts) == 0 {
		return nil
	}
	p, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanInserts(inserts)
	if err != nil {
		return &ScriptError{Src: src, Err: err}
	}
	if mode == ExplainOnly {
		if _, err := fmt.Fprint(s.out, p.Explain()); err != nil {
			return err
		}
		if s.AgainstCheckpoint != "" {
			return s.explainState(ctx, p)
		}
		return nil
	}
	return s.run(ctx, p)
}

func (s *Session) run(ctx context.Context, p *plan.Plan) error {
	name := s.Config.Name()
	if name == "" {
		name = "floe-job"
	}
	logger := s.logger.With("job", name)
	rt, err := s.prepareRuntime(ctx, p, logger)
	if err != nil {
		return err
	}
	defer rt.close()
	for {
		g, err := p.Graph(s.logger)
		if err != nil {
			return err
		}
		opts := s.JobOptions
		opts.ChunkSize = s.Config.ChunkSize()
		opts.ExprContext = &expr.Context{Location: s.Config.Location(), Now: time.Now}
		opts.Logger = logger
		rt.apply(&opts)
		job, err := exec.NewJob(g, opts)
		if err != nil {
			return err
		}
		s.setJob(job)
		started := time.Now()
		logger.Info("job started", "operators", len(g.Nodes), "restored", rt.restoreID())
		err = job.Run(ctx)
		s.setJob(nil)
		logger.Info("job ended", "error", err)
		s.LastMetrics = job.Metrics()
		s.reportLate(logger)
		switch {
		case errors.Is(err, exec.ErrFinished):
			fmt.Fprintf(s.out, "The pipeline had already finished (checkpoint %d in %s); its output is committed. Use a new checkpoint directory to run it again.\n", rt.restoreID(), rt.dir)
			return nil
		case err == nil, errors.Is(err, exec.ErrSavepointStop), ctx.Err() != nil:
			return err
		}
		var setup *exec.SetupError
		if errors.As(err, &setup) {
			return err // a configuration problem: a restart would fail the same way
		}
		delay, ok := rt.restart.next(time.Now(), started)
		if !ok {
			if _, none := rt.restart.(noRestart); none {
				return err
			}
			return fmt.Errorf("%w (restart strategy %s gives up)", err, rt.restart)
		}
		logger.Warn("pipeline failed; restarting from its last checkpoint", "err", err, "delay", delay, "strategy", rt.restart.String())
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		if err := rt.reload(ctx); err != nil {
			return err
		}
	}
}

// reportLate logs the rows operators dropped as late in the last run.
func (s *Session) reportLate(logger *slog.Logger) {
	late := map[string]int64{}
	for _, m := range s.LastMetrics {
		if m.LateDropped > 0 {
			late[m.Node] += m.LateDropped
		}
	}
	for node, n := range late {
		logger.Warn("late rows dropped: they arrived after the watermark had closed their windows", "operator", node, "rows", n)
	}
}

func (s *Session) setJob(j *exec.Job) {
	s.jobMu.Lock()
	s.job = j
	s.jobMu.Unlock()
}

// StopWithSavepoint takes a savepoint of the running pipeline and stops it; Execute then
// returns exec.ErrSavepointStop. It fails when no pipeline with checkpoints runs.
func (s *Session) StopWithSavepoint(ctx context.Context) error {
	s.jobMu.Lock()
	j := s.job
	s.jobMu.Unlock()
	if j == nil {
		return errors.New("no pipeline is running")
	}
	return j.StopWithSavepoint(ctx)
}

func (s *Session) explain(st *ast.Explain) error {
	switch inner := st.Stmt.(type) {
	case *ast.Insert:
		p, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanInserts([]*ast.Insert{inner})
		if err != nil {
			return err
		}
		_, err = fmt.Fprint(s.out, p.Explain())
		return err
	case *ast.StatementSet:
		p, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanInserts(inner.Inserts)
		if err != nil {
			return err
		}
		_, err = fmt.Fprint(s.out, p.Explain())
		return err
	case *ast.QueryStatement:
		return s.explainQuery(inner.Query)
	}
	return fmt.Errorf("EXPLAIN supports INSERT, STATEMENT SET and SELECT statements")
}

func (s *Session) explainQuery(q ast.Query) error {
	p, _, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanQuery(q, nil, "print", true)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(s.out, p.Explain())
	return err
}

// Query runs one SELECT statement (after any statements before it in src, which must be DDL or
// SET) and writes its changelog into sink. It returns the result columns.
func (s *Session) Query(ctx context.Context, src string, sink connector.Sink) ([]plan.Column, error) {
	stmts, err := parser.ParseScript(src)
	if err != nil {
		return nil, &ScriptError{Src: src, Err: err}
	}
	if len(stmts) == 0 {
		return nil, errors.New("no statement")
	}
	for _, st := range stmts[:len(stmts)-1] {
		if err := s.executeDDL(st); err != nil {
			return nil, &ScriptError{Src: src, Err: err}
		}
	}
	qs, ok := stmts[len(stmts)-1].(*ast.QueryStatement)
	if !ok {
		return nil, errors.New("the last statement must be a query")
	}
	p, cols, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanQuery(qs.Query, sink, "query result", true)
	if err != nil {
		return nil, &ScriptError{Src: src, Err: err}
	}
	return cols, s.run(ctx, p)
}

// runQuery runs a SELECT and prints its changelog rows as Flink's print connector does.
func (s *Session) runQuery(ctx context.Context, q ast.Query) error {
	sink := &printSink{w: s.out}
	p, _, err := (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).PlanQuery(q, sink, "stdout", true)
	if err != nil {
		return err
	}
	return s.run(ctx, p)
}

func (s *Session) executeDDL(st ast.Statement) error {
	switch st := st.(type) {
	case *ast.CreateTable:
		return s.Catalog.CreateTable(st, s.Config)
	case *ast.CreateView:
		return (&plan.Planner{Catalog: s.Catalog, Config: s.Config}).CreateView(st)
	case *ast.CreateFunction:
		return s.Catalog.CreateFunction(st, func(n string) bool { _, ok := expr.LookupFunction(n); return ok })
	case *ast.DropTable:
		return s.Catalog.DropTable(st)
	case *ast.DropView:
		return s.Catalog.DropView(st)
	case *ast.DropFunction:
		return s.Catalog.DropFunction(st)
	case *ast.ShowCreate:
		if st.View {
			v, ok := s.Catalog.View(st.Name.Name())
			if !ok {
				return &plan.Error{Pos: st.Name.Pos, Msg: fmt.Sprintf("unknown view '%s'", st.Name.Name())}
			}
			_, err := fmt.Fprintln(s.out, v.Def.String()+";")
			return err
		}
		t, ok := s.Catalog.Table(st.Name.Name())
		if !ok {
			return &plan.Error{Pos: st.Name.Pos, Msg: fmt.Sprintf("unknown table '%s'", st.Name.Name())}
		}
		_, err := fmt.Fprintln(s.out, t.Def.String()+";")
		return err
	case *ast.Set:
		if st.Key == "" {
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			for _, kv := range s.Config.Entries() {
				fmt.Fprintf(tw, "%s\t%s\n", kv[0], kv[1])
			}
			return tw.Flush()
		}
		if err := s.Config.Set(st.Key, st.Value); err != nil {
			return &plan.Error{Pos: st.Pos, Msg: err.Error()}
		}
		return nil
	case *ast.Reset:
		s.Config.Reset(st.Key)
		return nil
	case *ast.ShowTables:
		for _, n := range s.Catalog.TableNames() {
			fmt.Fprintln(s.out, n)
		}
		return nil
	case *ast.ShowViews:
		for _, n := range s.Catalog.ViewNames() {
			fmt.Fprintln(s.out, n)
		}
		return nil
	case *ast.ShowFunctions:
		names := s.Catalog.FunctionNames()
		if !st.User {
			names = append(names, expr.FunctionNames()...)
		}
		for _, n := range names {
			fmt.Fprintln(s.out, n)
		}
		return nil
	case *ast.Describe:
		return s.describe(st)
	}
	return &plan.Error{Pos: st.Position(), Msg: fmt.Sprintf("statement not supported: %s", firstWords(st.String()))}
}

func firstWords(s string) string {
	f := strings.Fields(s)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

func (s *Session) describe(st *ast.Describe) error {
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "name\ttype\tnull\tkey\textras\twatermark")
	if t, ok := s.Catalog.Table(st.Name.Name()); ok {
		for i, c := range t.Columns {
			null := "TRUE"
			if c.Type.NotNull {
				null = "FALSE"
			}
			key := ""
			for _, k := range t.PrimaryKey {
				if k == i {
					key = "PRI(" + c.Name + ")"
				}
			}
			extras, wm := "", ""
			if c.Computed != nil {
				extras = "AS " + c.Computed.String()
			}
			typ := c.Type.String()
			if c.TimeAttr == plan.RowTime {
				typ += " *ROWTIME*"
				wm = t.Watermark.String()
			} else if c.TimeAttr == plan.ProcTime {
				typ += " *PROCTIME*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, typ, null, key, extras, wm)
		}
		return tw.Flush()
	}
	if v, ok := s.Catalog.View(st.Name.Name()); ok {
		for i, n := range v.Columns {
			null := "TRUE"
			if v.Types[i].NotNull {
				null = "FALSE"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\n", n, v.Types[i].Nullable(), null)
		}
		return tw.Flush()
	}
	return &plan.Error{Pos: st.Name.Pos, Msg: fmt.Sprintf("unknown table or view '%s'", st.Name.Name())}
}

// printSink prints rows of a SELECT like Flink's print connector; subtasks share the writer
// under a lock so lines never interleave.
type printSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printSink) Open(context.Context, int, int) (connector.SinkWriter, error) {
	return &printWriter{s: p}, nil
}

type printWriter struct{ s *printSink }

func (p *printWriter) Write(_ context.Context, c *chunk.Chunk) error {
	var b strings.Builder
	for i := 0; i < c.Len(); i++ {
		b.WriteString(c.FormatRow(i))
		b.WriteByte('\n')
	}
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	_, err := io.WriteString(p.s.w, b.String())
	return err
}

func (p *printWriter) Close() error { return nil }
