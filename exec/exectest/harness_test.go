package exectest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/types"
)

// timerOp is a test operator over (key STRING, t TIMESTAMP(3), proc BOOLEAN): each row
// registers a timer for key at t (processing time when proc is true, event time otherwise);
// fired timers and watermarks are emitted as rows (what STRING, key STRING, t TIMESTAMP(3)).
type timerOp struct {
	ctx *exec.Context
	out []types.Type
}

func (o *timerOp) Open(ctx *exec.Context) error {
	o.ctx = ctx
	o.out = []types.Type{types.StringType, types.StringType, types.TimestampType(3)}
	return nil
}

func (o *timerOp) emit(what, key string, t int64) error {
	c := chunk.New(o.out, 1)
	c.AppendRow(chunk.Insert, []chunk.Datum{chunk.Str(what), chunk.Str(key), chunk.Int(t)})
	return o.ctx.Emit(c)
}

func (o *timerOp) ProcessChunk(input int, c *chunk.Chunk) error {
	for i := 0; i < c.Len(); i++ {
		key, t := []byte(c.Cols[0].Str[i]), c.Cols[1].I64[i]
		switch {
		case c.Kinds[i] == chunk.Delete:
			o.ctx.Timers.DeleteEventTime(key, t)
		case c.Cols[2].I64[i] != 0:
			o.ctx.Timers.RegisterProcessingTime(key, t)
		default:
			o.ctx.Timers.RegisterEventTime(key, t)
		}
	}
	return nil
}

func (o *timerOp) ProcessWatermark(wm int64) error {
	if wm == exec.MaxWatermark {
		return o.emit("watermark", "max", 0)
	}
	return o.emit("watermark", "", wm)
}

func (o *timerOp) OnTimer(t exec.Timer) error {
	what := "event"
	if t.Domain == exec.ProcessingTime {
		what = "processing"
	}
	return o.emit(what, string(t.Key), t.Time)
}

func (o *timerOp) Finish() error {
	if o.ctx.Now().UnixMicro() <= 0 {
		return fmt.Errorf("clock not set")
	}
	return o.emit("finish", "", 0)
}

func (o *timerOp) Close() error { return nil }

func TestDataDriven(t *testing.T) {
	RunFile(t, "testdata/harness", Driver{
		Build: func(d *datadriven.TestData) (exec.Operator, [][]types.Type, Config, error) {
			if d.Cmd != "timers" {
				return nil, nil, Config{}, nil
			}
			in := []types.Type{types.StringType, types.TimestampType(3), types.BooleanType}
			return &timerOp{}, [][]types.Type{in}, Config{}, nil
		},
	})
}

func TestParseRoundTrip(t *testing.T) {
	ts, err := ParseTypes("BOOLEAN, TINYINT, INT NOT NULL, BIGINT, FLOAT, DOUBLE, DECIMAL(10, 2), STRING, VARCHAR(3), BYTES, DATE, TIME(0), TIMESTAMP(3), TIMESTAMP_LTZ(3)")
	if err != nil {
		t.Fatal(err)
	}
	want := "[BOOLEAN TINYINT INT NOT NULL BIGINT FLOAT DOUBLE DECIMAL(10, 2) STRING VARCHAR(3) BYTES DATE TIME(0) TIMESTAMP(3) TIMESTAMP_LTZ(3)]"
	if got := fmt.Sprint(ts); got != want {
		t.Fatalf("types %s, want %s", got, want)
	}
	rows := []string{
		"+I[true, -3, 7, 9000000000, 1.5, 0.1, 12.30, 'a, b', abc, x'00ff', 2020-04-15, 08:05, 2020-04-15T08:05:00.123, 2020-04-15T08:05Z]",
		"-D[null, null, 1, null, null, null, null, null, null, null, null, null, null, null]",
	}
	c, err := ParseChunk(ts, rows)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 0; i < c.Len(); i++ {
		got = append(got, c.FormatRow(i))
	}
	want2 := []string{
		"+I[true, -3, 7, 9000000000, 1.5, 0.1, 12.30, a, b, abc, x'00ff', 2020-04-15, 08:05, 2020-04-15T08:05:00.123, 2020-04-15T08:05Z]",
		"-D[null, null, 1, null, null, null, null, null, null, null, null, null, null, null]",
	}
	if !slices.Equal(got, want2) {
		t.Fatalf("got\n%v\nwant\n%v", got, want2)
	}
	for _, bad := range []string{"+I[1]", "+X[a]", "+I[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, x]"} {
		if _, _, err := ParseRow(ts, bad); err == nil {
			t.Errorf("ParseRow(%q) succeeded", bad)
		}
	}
	if _, err := ParseType("INTERVAL"); err == nil {
		t.Error("ParseType(INTERVAL) succeeded")
	}
}
