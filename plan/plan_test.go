package plan_test

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/bench"
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

// TestSubPlanReuse checks that identical sub-plans run once: Nexmark q5 reads and aggregates
// the bids once for both sides of its join, while scans that differ (other hint options) stay
// separate.
func TestSubPlanReuse(t *testing.T) {
	cat := plan.NewCatalog(all.RegistryWith(io.Discard, io.Discard))
	p := &plan.Planner{Catalog: cat, Config: plan.NewConfig()}
	ddl, err := bench.Script("q5", 1000, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ddl += `;
CREATE TABLE two (a BIGINT, b BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO two SELECT x.auction, y.auction FROM bid x JOIN bid /*+ OPTIONS('events.num' = '500') */ y ON x.auction = y.auction`
	stmts, err := parser.ParseScript(ddl)
	if err != nil {
		t.Fatal(err)
	}
	var inserts []*ast.Insert
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.Insert:
			inserts = append(inserts, st)
		default:
			var out strings.Builder
			if err := run(p, st, &out); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func(ins ...*ast.Insert) map[string]int {
		pl, err := p.PlanInserts(ins)
		if err != nil {
			t.Fatal(err)
		}
		g, err := pl.Graph(slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, nd := range g.Nodes {
			n[nd.Name]++
		}
		return n
	}
	if n := count(inserts[0]); n["Source: bid"] != 1 || n["WindowAgg"] != 2 || n["WindowJoin"] != 1 {
		t.Errorf("q5 graph nodes: %v; want one bid source, two window aggregations (the HOP one shared) and one window join", n)
	}
	if n := count(inserts[1]); n["Source: bid"] != 2 {
		t.Errorf("scans with different options were merged: %v", n)
	}
}
