package parser

import (
	"errors"
	"strings"
	"testing"

	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

func TestErrorFormat(t *testing.T) {
	_, err := ParseScript("SELECT a, b\nFROM t\nWHERE (x = 1 FROM y")
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %T, want *Error", err)
	}
	if pe.Pos.Line != 3 || pe.Pos.Col != 14 || pe.Pos.Offset != 32 {
		t.Errorf("pos = %+v", pe.Pos)
	}
	if pe.Msg != "expected ')' but found 'FROM'" {
		t.Errorf("msg = %q", pe.Msg)
	}
	want := "line 3:14: expected ')' but found 'FROM'\n  WHERE (x = 1 FROM y\n               ^"
	if pe.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", pe.Error(), want)
	}
}

func TestParseStatement(t *testing.T) {
	s, err := ParseStatement("SELECT 1;")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*ast.QueryStatement); !ok {
		t.Fatalf("got %T", s)
	}
	if _, err := ParseStatement("SELECT 1; SELECT 2"); err == nil || !strings.Contains(err.Error(), "expected end of input but found 'SELECT'") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ParseStatement("  "); err == nil || !strings.Contains(err.Error(), "expected a statement but found end of input") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseScriptEmpty(t *testing.T) {
	for _, src := range []string{"", " ; ;; ", "-- only a comment\n", "/* c */"} {
		stmts, err := ParseScript(src)
		if err != nil || len(stmts) != 0 {
			t.Errorf("%q: %v %v", src, stmts, err)
		}
	}
}

func TestParseExprAndType(t *testing.T) {
	e, err := ParseExpr("a.b + 1")
	if err != nil {
		t.Fatal(err)
	}
	b := e.(*ast.Binary)
	if b.Op != ast.OpAdd || b.OpPos.Col != 5 || b.L.(*ast.Ident).Name() != "b" {
		t.Errorf("unexpected tree %#v", b)
	}
	if _, err := ParseExpr("a +"); err == nil {
		t.Error("expected an error")
	}
	typ, err := ParseType("DECIMAL(23, 3) NOT NULL")
	if err != nil || typ != (types.Type{Kind: types.Decimal, Precision: 23, Scale: 3, NotNull: true}) {
		t.Errorf("%v %v", typ, err)
	}
	q, err := ParseQuery("SELECT 1 UNION ALL SELECT 2")
	if err != nil {
		t.Fatal(err)
	}
	if so, ok := q.(*ast.SetOp); !ok || !so.All || so.Op != ast.Union {
		t.Errorf("got %#v", q)
	}
}

// TestCastTypePos checks that the type position of a CAST points at the type.
func TestCastTypePos(t *testing.T) {
	e, err := ParseExpr("CAST(x AS\n  DECIMAL(5, 2))")
	if err != nil {
		t.Fatal(err)
	}
	c := e.(*ast.Cast)
	if c.TypePos.Line != 2 || c.TypePos.Col != 3 {
		t.Errorf("TypePos = %v", c.TypePos)
	}
}

// TestCreateTableFields checks the structure of the Nexmark DDL in detail.
func TestCreateTableFields(t *testing.T) {
	s, err := ParseStatement(`CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR, ts AS PROCTIME(), WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND) WITH ('connector' = 'nexmark', 'events.num' = '1000')`)
	if err != nil {
		t.Fatal(err)
	}
	ct := s.(*ast.CreateTable)
	if len(ct.Columns) != 8 {
		t.Fatalf("columns = %d", len(ct.Columns))
	}
	if c := ct.Columns[5]; c.Name.Name() != "dateTime" || c.Type != types.TimestampType(3) {
		t.Errorf("column 5 = %v", c.String())
	}
	if c := ct.Columns[3]; c.Type != types.StringType {
		t.Errorf("VARCHAR = %v", c.Type)
	}
	if c := ct.Columns[7]; c.Kind != ast.ComputedColumn || c.Expr.(*ast.FuncCall).Name.Name() != "PROCTIME" {
		t.Errorf("column 7 = %v", c.String())
	}
	if ct.Watermark == nil || ct.Watermark.Column.Name() != "dateTime" {
		t.Fatalf("watermark = %v", ct.Watermark)
	}
	iv := ct.Watermark.Expr.(*ast.Binary).R.(*ast.IntervalLit)
	if iv.Value != "4" || iv.From != ast.Second {
		t.Errorf("interval = %v", iv)
	}
	if len(ct.Options) != 2 || ct.Options[1].Key != "events.num" || ct.Options[1].Value != "1000" || ct.Options[1].ValuePos.Col == 0 {
		t.Errorf("options = %v", ct.Options)
	}
}

// TestNeverPanics feeds prefixes of valid statements, which exercises every "unexpected end of
// input" path.
func TestNeverPanics(t *testing.T) {
	srcs := []string{
		"CREATE TEMPORARY TABLE IF NOT EXISTS c.d.t (a INT NOT NULL COMMENT 'x', b AS a + 1, m MAP<STRING, STRING> METADATA FROM 'k' VIRTUAL, WATERMARK FOR a AS a - INTERVAL '1' SECOND, CONSTRAINT pk PRIMARY KEY (a) NOT ENFORCED) COMMENT 'c' PARTITIONED BY (a) WITH ('k' = 'v') LIKE s (INCLUDING ALL)",
		"EXECUTE STATEMENT SET BEGIN INSERT INTO s /*+ OPTIONS('a' = 'b') */ (x) SELECT /*+ X(a, b) */ DISTINCT a AS x FROM TABLE(SESSION(DATA => TABLE t PARTITION BY k, TIMECOL => DESCRIPTOR(ts), GAP => INTERVAL '1' MINUTE)) w JOIN d FOR SYSTEM_TIME AS OF w.pt AS d ON w.k = d.k WHERE a NOT BETWEEN 1 AND 2 GROUP BY a HAVING COUNT(DISTINCT x) FILTER (WHERE y > 0) > 1 WINDOW v AS (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY a DESC NULLS LAST LIMIT 10; END",
		"WITH x (a) AS (SELECT CASE WHEN a IS NOT NULL THEN CAST(a AS DECIMAL(5, 2)) ELSE TRY_CAST(b AS INT) END FROM t) SELECT EXTRACT(DAY FROM ts), FLOOR(ts TO HOUR), POSITION('a' IN s FROM 1), TRIM(LEADING 'x' FROM s), SUBSTRING(s FROM 1 FOR 2), TIMESTAMPDIFF(SECOND, a, b), m['k'], INTERVAL '1:30' MINUTE(2) TO SECOND(3) FROM x, LATERAL TABLE(f(a)) AS T(c) UNION ALL (VALUES (1))",
	}
	for _, src := range srcs {
		if _, err := ParseScript(src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for i := range src {
			_, _ = ParseScript(src[:i])
			_, _ = ParseExpr(src[:i])
		}
	}
}
