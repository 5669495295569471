package plan_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/connector/all"
	"github.com/floedb/floe/expr"
	"github.com/floedb/floe/plan"
	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/sql/parser"
)

// TestPlanner runs the data-driven planner tests in testdata/: `exec` runs DDL and SET
// statements, `explain` prints the physical plan of an INSERT, statement set or SELECT, and
// `error` expects planning to fail and prints the rendered error. Regenerate with -rewrite.
func TestPlanner(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		cat := plan.NewCatalog(all.RegistryWith(io.Discard, io.Discard))
		cfg := plan.NewConfig()
		p := &plan.Planner{Catalog: cat, Config: cfg}
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			stmts, err := parser.ParseScript(d.Input)
			if err != nil {
				return "parse error: " + err.Error() + "\n"
			}
			var out strings.Builder
			for _, st := range stmts {
				if err := run(p, st, &out); err != nil {
					if d.Cmd != "error" {
						t.Fatalf("%s: unexpected error: %s", d.Pos, plan.Render(d.Input, err))
					}
					return plan.Render(d.Input, err) + "\n"
				}
			}
			if d.Cmd == "error" {
				t.Fatalf("%s: expected an error", d.Pos)
			}
			return out.String()
		})
	})
}

func run(p *plan.Planner, st ast.Statement, out *strings.Builder) error {
	switch st := st.(type) {
	case *ast.CreateTable:
		return p.Catalog.CreateTable(st, p.Config)
	case *ast.CreateView:
		return p.CreateView(st)
	case *ast.CreateFunction:
		return p.Catalog.CreateFunction(st, func(n string) bool { _, ok := expr.LookupFunction(n); return ok })
	case *ast.Set:
		return p.Config.Set(st.Key, st.Value)
	case *ast.Insert:
		pl, err := p.PlanInserts([]*ast.Insert{st})
		if err != nil {
			return err
		}
		out.WriteString(pl.Explain())
	case *ast.StatementSet:
		pl, err := p.PlanInserts(st.Inserts)
		if err != nil {
			return err
		}
		out.WriteString(pl.Explain())
	case *ast.QueryStatement:
		pl, _, err := p.PlanQuery(st.Query, nil, "print", true)
		if err != nil {
			return err
		}
		out.WriteString(pl.Explain())
	default:
		return fmt.Errorf("unsupported statement in test: %s", st.String())
	}
	return nil
}
