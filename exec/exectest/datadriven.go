package exectest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/types"
)

// Driver tells RunFile how to build the operator under test and, optionally, how to run
// directives of its own.
type Driver struct {
	// Build handles a directive that is not built in by creating a new operator, returning it
	// with its inputs' column types and optional harness configuration. A nil operator with a
	// nil error means the directive is unknown. An error is printed as the directive's output,
	// so that invalid configurations can be tested.
	Build func(d *datadriven.TestData) (op exec.Operator, inputs [][]types.Type, cfg Config, err error)
	// Extra, when set, runs directives that need the current harness; ok is false for
	// directives it does not know.
	Extra func(h *Harness, d *datadriven.TestData) (out string, ok bool)
}

// RunFiles runs RunFile on every file of testdata/ that matches pattern (filepath.Match
// syntax), each as a subtest named after the file; no matching file fails the test.
func RunFiles(t *testing.T, pattern string, drv Driver) {
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test files match testdata/%s", pattern)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { RunFile(t, f, drv) })
	}
}

// RunFile runs the data-driven test file at path; see the package documentation for the
// built-in directives. Building a new operator replaces the previous one.
func RunFile(t *testing.T, path string, drv Driver) {
	var h *Harness
	datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
		need := func() {
			if h == nil {
				d.Fatalf(t, "%s: no operator has been built yet", d.Cmd)
			}
		}
		switch d.Cmd {
		case "process":
			need()
			input := 0
			if d.HasArg("input") {
				d.ScanArgs(t, "input", &input)
			}
			return result(h, h.Process(input, strings.Split(d.Input, "\n")...))
		case "watermark":
			need()
			wm, err := argTime(d)
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			return result(h, h.Watermark(wm))
		case "advance-time":
			need()
			ts, err := argTime(d)
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			return result(h, h.AdvanceProcessingTime(ts))
		case "finish":
			need()
			return result(h, h.Finish())
		case "metrics":
			need()
			m := h.Metrics()
			return fmt.Sprintf("records-in=%d records-out=%d late-dropped=%d\n", m.RecordsIn.Load(), m.RecordsOut.Load(), m.LateDropped.Load())
		}
		if h != nil && drv.Extra != nil {
			if out, ok := drv.Extra(h, d); ok {
				return out
			}
		}
		op, inputs, cfg, err := drv.Build(d)
		if err != nil {
			return "error: " + err.Error() + "\n"
		}
		if op == nil {
			d.Fatalf(t, "unknown directive %q", d.Cmd)
		}
		if h != nil {
			if err := h.Close(); err != nil {
				d.Fatalf(t, "cannot close the previous operator: %v", err)
			}
		}
		h, err = Open(t, op, cfg, inputs...)
		if err != nil {
			h = nil
			return "error: " + err.Error() + "\n"
		}
		return "ok\n"
	})
}

// result renders what a directive produced: the rows emitted meanwhile, then the error if any.
func result(h *Harness, err error) string {
	out := FormatRows(h.Drain())
	if err != nil {
		out += "error: " + err.Error() + "\n"
	}
	return out
}

// argTime reads a directive's time argument: the words after the command joined by spaces
// ("watermark 2020-04-15 08:10:00"), "max", "min", or a number of microseconds.
func argTime(d *datadriven.TestData) (int64, error) {
	var words []string
	for _, a := range d.CmdArgs {
		words = append(words, a.String())
	}
	s := strings.Join(words, " ")
	switch s {
	case "max":
		return exec.MaxWatermark, nil
	case "min":
		return exec.MinWatermark, nil
	case "":
		return 0, fmt.Errorf("%s: missing time argument", d.Cmd)
	}
	if !strings.ContainsAny(s, "-:") {
		var v int64
		if _, err := fmt.Sscan(s, &v); err == nil {
			return v, nil
		}
	}
	return ParseTimestamp(s)
}
