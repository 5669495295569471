package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// floeBin is the floe binary built once for these tests: they run the real program.
var floeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "floe-cli")
	if err != nil {
		panic(err)
	}
	floeBin = filepath.Join(dir, "floe")
	if out, err := exec.Command("go", "build", "-o", floeBin, ".").CombinedOutput(); err != nil {
		panic("cannot build floe: " + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func floe(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(floeBin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func writeScript(t *testing.T, sql string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "script.sql")
	if err := os.WriteFile(p, []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQuickstartRuns(t *testing.T) {
	out, errOut, err := floe(t, "run", "../../examples/quickstart.sql")
	if err != nil {
		t.Fatalf("floe run: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	row := regexp.MustCompile(`^hot:[12]> \+I\[2015-07-15T\d\d:\d\d(:\d\d)?, 2015-07-15T\d\d:\d\d(:\d\d)?, \d+, \d+, \d+\]$`)
	for _, l := range lines {
		if !row.MatchString(l) {
			t.Fatalf("unexpected output line %q", l)
		}
	}
	if len(lines) < 10 {
		t.Fatalf("quickstart printed %d rows, want many", len(lines))
	}
}

func TestSelectPrintsChangelog(t *testing.T) {
	p := writeScript(t, `
CREATE TABLE s (k INT, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10',
  'fields.k.kind' = 'sequence', 'fields.k.start' = '1', 'fields.k.end' = '10',
  'fields.v.kind' = 'sequence', 'fields.v.start' = '1', 'fields.v.end' = '10');
SELECT k % 2 AS odd, SUM(v) AS total FROM s GROUP BY k % 2;`)
	out, errOut, err := floe(t, "run", p)
	if err != nil {
		t.Fatalf("floe run: %v\n%s", err, errOut)
	}
	// The final values per key are the last +I/+U of the key.
	final := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		m := regexp.MustCompile(`^([+-][IUD])\[(\d), (\d+)\]$`).FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("unexpected line %q", l)
		}
		if m[1] == "+I" || m[1] == "+U" {
			final[m[2]] = m[3]
		}
	}
	if final["0"] != "30" || final["1"] != "25" {
		t.Fatalf("final sums %v, want 0→30, 1→25\n%s", final, out)
	}
}

func TestBadSQLReportsPosition(t *testing.T) {
	p := writeScript(t, "CREATE TABLE s (k INT) WITH ('connector' = 'datagen');\nSELECT k, FROM s;\n")
	_, errOut, err := floe(t, "run", p)
	if err == nil {
		t.Fatal("floe run succeeded on bad SQL")
	}
	if !strings.Contains(errOut, "line 2:11") || !strings.Contains(errOut, "SELECT k, FROM s;\n") || !strings.Contains(errOut, "^") {
		t.Fatalf("error does not show the position and a caret:\n%s", errOut)
	}
}

func TestBadOptionReportsPosition(t *testing.T) {
	p := writeScript(t, "CREATE TABLE s (k INT)\nWITH ('connector' = 'datagen', 'number-of-rows' = 'ten');\n")
	_, errOut, err := floe(t, "run", p)
	if err == nil {
		t.Fatal("floe run accepted a bad option")
	}
	if !strings.Contains(errOut, "line 2:") || !strings.Contains(errOut, "number-of-rows") || !strings.Contains(errOut, "'ten' is not an integer") {
		t.Fatalf("unexpected error:\n%s", errOut)
	}
}

func TestExplain(t *testing.T) {
	out, errOut, err := floe(t, "explain", "../../examples/quickstart.sql")
	if err != nil {
		t.Fatalf("floe explain: %v\n%s", err, errOut)
	}
	for _, want := range []string{"== Physical Plan ==", "Sink(table=[hot_auctions]", "WindowAgg(window=[TUMBLE(time_col=[dateTime], size=[10 s])]", "Exchange(distribution=[hash[auction]])", "Source(table=[bid]"} {
		if !strings.Contains(out, want) {
			t.Fatalf("explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestBench(t *testing.T) {
	out, errOut, err := floe(t, "bench", "nexmark", "--query", "q2", "--events", "200000", "--parallelism", "2")
	if err != nil {
		t.Fatalf("floe bench: %v\n%s", err, errOut)
	}
	if !regexp.MustCompile(`^q2 +events=200000 parallelism=2 mini-batch=true .*events/s/core=\d+ sink-rows=\d+ `).MatchString(out) {
		t.Fatalf("unexpected bench output %q", out)
	}
	if _, _, err := floe(t, "bench", "nexmark", "--query", "q99"); err == nil {
		t.Fatal("unknown query accepted")
	}
}

func TestVersion(t *testing.T) {
	out, _, err := floe(t, "version")
	if err != nil || !strings.HasPrefix(out, "floe ") {
		t.Fatalf("floe version: %q, %v", out, err)
	}
}

// TestInterruptStopsCleanly runs an unbounded pipeline, sends SIGINT (Ctrl-C) once rows flow,
// and expects a clean exit.
func TestInterruptStopsCleanly(t *testing.T) {
	p := writeScript(t, `CREATE TABLE g (x BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '50');
CREATE TABLE p (x BIGINT) WITH ('connector' = 'print');
INSERT INTO p SELECT x FROM g;`)
	cmd := exec.Command(floeBin, "run", p)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if _, err := stdout.Read(buf); err != nil {
		t.Fatalf("no output from the running pipeline: %v", err)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = bytes.NewBuffer(nil).ReadFrom(stdout) }()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("floe exited with %v after SIGINT; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Fatalf("stderr %q lacks 'stopped'", stderr.String())
	}
}
