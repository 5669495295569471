package engine_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/floedb/floe/connector/all"
	"github.com/floedb/floe/engine"
)

const source = `CREATE TABLE s (
    k INT,
    v BIGINT,
    ts AS PROCTIME()
) WITH ('connector' = 'datagen', 'number-of-rows' = '6',
    'fields.k.kind' = 'sequence', 'fields.k.start' = '1', 'fields.k.end' = '6',
    'fields.v.kind' = 'sequence', 'fields.v.start' = '10', 'fields.v.end' = '15');
`

func session(out io.Writer) *engine.Session {
	return engine.New(all.RegistryWith(out, io.Discard), out, nil)
}

func run(t *testing.T, script string) string {
	t.Helper()
	var out bytes.Buffer
	if err := session(&out).Execute(context.Background(), script, engine.Run); err != nil {
		t.Fatalf("%v", err)
	}
	return out.String()
}

func TestShowAndDescribe(t *testing.T) {
	out := run(t, source+`CREATE VIEW big AS SELECT k, v FROM s WHERE v > 12;
SHOW TABLES;
SHOW VIEWS;
DESCRIBE s;
DESCRIBE big;`)
	for _, want := range []string{
		"big\ns\n",  // SHOW TABLES
		"big\nname", // SHOW VIEWS, then DESCRIBE's header
		"k     INT", // DESCRIBE s
		"ts    TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*", // computed proctime column
		"AS PROCTIME()",
		"v     BIGINT",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestStatementSetAndViews(t *testing.T) {
	out := run(t, source+`CREATE VIEW odd AS SELECT k, v FROM s WHERE MOD(k, 2) = 1;
CREATE TABLE p1 (k INT, v BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'a');
CREATE TABLE p2 (n BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'b');
EXECUTE STATEMENT SET BEGIN
  INSERT INTO p1 SELECT * FROM odd;
  INSERT INTO p2 SELECT COUNT(*) FROM s;
END;`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var a, b []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "a> "):
			a = append(a, strings.TrimPrefix(l, "a> "))
		case strings.HasPrefix(l, "b> "):
			b = append(b, strings.TrimPrefix(l, "b> "))
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
	if strings.Join(a, ",") != "+I[1, 10],+I[3, 12],+I[5, 14]" {
		t.Errorf("view rows: %v", a)
	}
	// COUNT(*) over 6 rows, per row: +I[1], -U[1], +U[2], ... ending at 6.
	if len(b) != 11 || b[0] != "+I[1]" || b[len(b)-1] != "+U[6]" {
		t.Errorf("count changelog: %v", b)
	}
}

func TestSetAndExplain(t *testing.T) {
	out := run(t, source+`SET 'parallelism.default' = '3';
SET 'table.local-time-zone' = 'Asia/Shanghai';
CREATE TABLE p (k INT, n BIGINT) WITH ('connector' = 'blackhole');
EXPLAIN INSERT INTO p SELECT k, COUNT(*) FROM s GROUP BY k;
SET;`)
	for _, want := range []string{
		"GroupAgg(groupBy=[k], select=[k, COUNT(*)], parallelism=[3], changelog=[I,UB,UA,D]",
		"Exchange(distribution=[hash[k]])",
		"parallelism.default 3",
		"table.local-time-zone Asia/Shanghai",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ script, want string }{
		{"SET 'parallelism.default' = '0';", "line 1:1: option 'parallelism.default': 0 is outside 1..128"},
		{"SET 'table.local-time-zone' = 'Mars/Base';", "unknown time zone 'Mars/Base'"},
		{"SET 'no.such.option' = '1';", "unknown option"},
		{source + "SELECT * FROM s JOIN s AS t USING (k);", "JOIN ... USING is not supported yet"},
		{source + "SELECT k, ROW_NUMBER() OVER (ORDER BY v) FROM s;", "only supported in a Top-N or deduplication query"},
		{source + "SELECT k, SUM(v) OVER (ORDER BY ts) FROM s;", "OVER aggregations"},
		{source + "SELECT k FROM s ORDER BY k;", "ORDER BY or OFFSET without LIMIT would sort an unbounded stream"},
		{source + "INSERT INTO s SELECT k, v FROM s;", "connector 'datagen' of table 's' cannot be written"},
		{source + "CREATE TABLE s (a INT) WITH ('connector' = 'blackhole');", "table 's' already exists"},
		{"CREATE FUNCTION f AS 'com.example.MyUdf';", "Floe runs no JVM"},
		{source + "SELECT COUNT(*) FROM s WHERE COUNT(*) > 1;", "aggregate functions are not allowed in WHERE"},
		{source + "SELECT window_start FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '1' MONTH)) GROUP BY window_start, window_end;", "months and years have no fixed length"},
	}
	for _, c := range cases {
		err := session(io.Discard).Execute(context.Background(), c.script, engine.Run)
		var se *engine.ScriptError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.script, err, c.want)
		}
	}
}

// TestCancelStopsUnboundedPipeline checks that cancelling (what Ctrl-C does) stops an
// unbounded job and Execute returns context.Canceled.
func TestCancelStopsUnboundedPipeline(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- session(pw).Execute(ctx, `CREATE TABLE g (x BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100');
CREATE TABLE p (x BIGINT) WITH ('connector' = 'print');
INSERT INTO p SELECT x FROM g;`, engine.Run)
		pw.Close()
	}()
	// Wait until rows flow, then cancel.
	buf := make([]byte, 64)
	if _, err := pr.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	go io.Copy(io.Discard, pr)
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Execute returned %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the job did not stop after cancellation")
	}
}

// TestLateRowsAreReported checks that rows dropped as late are counted and logged.
func TestLateRowsAreReported(t *testing.T) {
	dir := t.TempDir()
	data := `{"ts": "2026-01-01 00:00:01.000", "v": 1}
{"ts": "2026-01-01 00:00:30.000", "v": 2}
{"ts": "2026-01-01 00:00:02.000", "v": 3}
`
	if err := os.WriteFile(filepath.Join(dir, "e.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, logs bytes.Buffer
	s := engine.New(all.RegistryWith(&out, io.Discard), &out, slog.New(slog.NewTextHandler(&logs, nil)))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Config.Set("execution.chunk-size", "1"))
	must(s.Execute(context.Background(), `
CREATE TABLE e (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' = '`+dir+`', 'format' = 'json');
SELECT window_start, SUM(v) FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;`, engine.Run))
	if got := out.String(); got != "+I[2026-01-01T00:00, 1]\n+I[2026-01-01T00:00:30, 2]\n" {
		t.Fatalf("output:\n%s", got)
	}
	var late int64
	for _, m := range s.LastMetrics {
		late += m.LateDropped
	}
	if late != 1 {
		t.Fatalf("late rows counted: %d, want 1", late)
	}
	if !strings.Contains(logs.String(), "late rows dropped") || !strings.Contains(logs.String(), "rows=1") {
		t.Fatalf("no warning logged:\n%s", logs.String())
	}
}

func TestNotNullSinkColumns(t *testing.T) {
	script := source + `CREATE TABLE p (k INT NOT NULL, v BIGINT) WITH ('connector' = 'print');
INSERT INTO p SELECT NULLIF(k, 3), v FROM s;`
	err := session(io.Discard).Execute(context.Background(), script, engine.Run)
	if err == nil || !strings.Contains(err.Error(), "column 'k' of table 'p' is NOT NULL, but a NULL value is being written into it") {
		t.Fatalf("got %v, want a NOT NULL violation", err)
	}
	out := run(t, "SET 'table.exec.sink.not-null-enforcer' = 'DROP';\n"+script)
	if out != "+I[1, 10]\n+I[2, 11]\n+I[4, 13]\n+I[5, 14]\n+I[6, 15]\n" {
		t.Fatalf("with DROP:\n%s", out)
	}
}

func TestDropFunctionAndShowCreate(t *testing.T) {
	out := run(t, source+`CREATE FUNCTION cc AS 'builtin:COUNT_CHAR';
DROP FUNCTION cc;
DROP FUNCTION IF EXISTS cc;
SHOW CREATE TABLE s;`)
	if !strings.HasPrefix(out, "CREATE TABLE s (") || !strings.Contains(out, "'number-of-rows' = '6'") {
		t.Fatalf("SHOW CREATE TABLE:\n%s", out)
	}
	err := session(io.Discard).Execute(context.Background(), source+"DROP FUNCTION cc;", engine.Run)
	if err == nil || !strings.Contains(err.Error(), "function 'cc' does not exist") {
		t.Fatalf("got %v", err)
	}
}
