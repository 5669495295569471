package ops_test

import (
	"strings"
	"testing"

	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

// TestWindowTVF emits one row per HOP window, skips windows the watermark has closed, and
// drops (and counts) a row whose windows are all closed.
func TestWindowTVF(t *testing.T) {
	in := []types.Type{types.TimestampType(3), types.IntType}
	op, err := ops.NewWindowTVF(ops.WindowTVFSpec{InputTypes: in, TimeCol: 0,
		Window: ops.WindowDef{Kind: ops.Hop, Size: 10e6, Slide: 5e6}})()
	if err != nil {
		t.Fatal(err)
	}
	h := exectest.New(t, op, in)
	ts := func(s string) int64 {
		v, err := exectest.ParseTimestamp(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := h.Process(0, "+I[2020-04-15 08:00:07.000, 1]"); err != nil {
		t.Fatal(err)
	}
	// The watermark closes [08:00:00, 08:00:10): a row at 08:00:08 only goes to [08:00:05, 08:00:15).
	if err := h.Watermark(ts("2020-04-15 08:00:09.999")); err != nil {
		t.Fatal(err)
	}
	if err := h.Process(0, "+I[2020-04-15 08:00:08.000, 2]"); err != nil {
		t.Fatal(err)
	}
	// At 08:00:14.999 both windows of a row at 08:00:03 are closed: it is late.
	if err := h.Watermark(ts("2020-04-15 08:00:14.999")); err != nil {
		t.Fatal(err)
	}
	if err := h.Process(0, "+I[2020-04-15 08:00:03.000, 3]"); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"+I[2020-04-15T08:00:07, 1, 2020-04-15T08:00:05, 2020-04-15T08:00:15, 2020-04-15T08:00:14.999]",
		"+I[2020-04-15T08:00:07, 1, 2020-04-15T08:00, 2020-04-15T08:00:10, 2020-04-15T08:00:09.999]",
		"+I[2020-04-15T08:00:08, 2, 2020-04-15T08:00:05, 2020-04-15T08:00:15, 2020-04-15T08:00:14.999]",
	}, "\n")
	if got := strings.Join(h.Output(), "\n"); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if n := h.Metrics().LateDropped.Load(); n != 1 {
		t.Fatalf("late rows %d, want 1", n)
	}
}
