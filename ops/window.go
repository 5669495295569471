package ops

import (
	"fmt"
	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/exec"
	"time"
)

// WindowKind is the kind of a window table function.
type WindowKind uint8

// Window kinds.
const (
	Tumble WindowKind = iota
	Hop
	Cumulate
	Session
)

// String returns the table function's name.
func (k WindowKind) String() string {
	switch k {
	case Tumble:
		return "TUMBLE"
	case Hop:
		return "HOP"
	case Cumulate:
		return "CUMULATE"
	case Session:
		return "SESSION"
	}
	return fmt.Sprintf("WindowKind(%d)", uint8(k))
}

// WindowDef describes a window; all durations are in microseconds.
type WindowDef struct {
	Kind WindowKind
	// Size is the window size of TUMBLE and HOP and the maximum size of CUMULATE.
	Size int64
	// Slide is HOP's slide.
	Slide int64
	// Step is CUMULATE's step.
	Step int64
	// Gap is SESSION's inactivity gap.
	Gap int64
	// Offset shifts the alignment of TUMBLE, HOP and CUMULATE windows.
	Offset int64
}

func fmtDur(us int64) string { return (time.Duration(us) * time.Microsecond).String() }

// Validate checks the window's parameters as Flink does.
func (d WindowDef) Validate() error {
	switch d.Kind {
	case Tumble:
		if d.Size <= 0 {
			return fmt.Errorf("TUMBLE window size must be positive, got %s", fmtDur(d.Size))
		}
	case Hop:
		if d.Size <= 0 || d.Slide <= 0 {
			return fmt.Errorf("HOP window size and slide must be positive, got size %s and slide %s", fmtDur(d.Size), fmtDur(d.Slide))
		}
		if d.Size%d.Slide != 0 {
			return fmt.Errorf("HOP window requires the size to be an integral multiple of the slide, but got size %s and slide %s", fmtDur(d.Size), fmtDur(d.Slide))
		}
	case Cumulate:
		if d.Size <= 0 || d.Step <= 0 {
			return fmt.Errorf("CUMULATE window max size and step must be positive, got max size %s and step %s", fmtDur(d.Size), fmtDur(d.Step))
		}
		if d.Size%d.Step != 0 {
			return fmt.Errorf("CUMULATE window requires the max size to be an integral multiple of the step, but got max size %s and step %s", fmtDur(d.Size), fmtDur(d.Step))
		}
	case Session:
		if d.Gap <= 0 {
			return fmt.Errorf("SESSION window gap must be positive, got %s", fmtDur(d.Gap))
		}
	default:
		return fmt.Errorf("unknown window kind %d", d.Kind)
	}
	return nil
}

// alignedStart returns the start of the size-aligned period (shifted by Offset) holding ts.
func (d WindowDef) alignedStart(ts, size int64) int64 {
	r := (ts - d.Offset) % size
	if r < 0 {
		r += size
	}
	return ts - r
}

// windowEnds appends the ends of the TUMBLE, HOP or CUMULATE windows containing ts.
func (d WindowDef) windowEnds(dst []int64, ts int64) []int64 {
	switch d.Kind {
	case Tumble:
		return append(dst, d.alignedStart(ts, d.Size)+d.Size)
	case Hop:
		for s := d.alignedStart(ts, d.Slide); s > ts-d.Size; s -= d.Slide {
			dst = append(dst, s+d.Size)
		}
	case Cumulate:
		start := d.alignedStart(ts, d.Size)
		for end := start + ((ts-start)/d.Step+1)*d.Step; end <= start+d.Size; end += d.Step {
			dst = append(dst, end)
		}
	}
	return dst
}

// windowStart returns the start of the TUMBLE, HOP or CUMULATE window ending at end.
func (d WindowDef) windowStart(end int64) int64 {
	if d.Kind == Cumulate {
		return d.alignedStart(end-1, d.Size)
	}
	return end - d.Size
}

// zone maps instants to the wall clock of the session time zone, the coordinate windows over
// TIMESTAMP_LTZ and processing time are aligned in (as Flink: a day window is a local day).
// The zero value is UTC (no shift).
type zone struct{ loc *time.Location }

// toLocal shifts an epoch instant to the wall clock of the session time zone.
func (z zone) toLocal(us int64) int64 {
	if z.loc == nil {
		return us
	}
	_, off := time.UnixMicro(us).In(z.loc).Zone()
	return us + int64(off)*1e6
}

// toUTC maps a wall-clock time of the session time zone back to an epoch instant.
func (z zone) toUTC(local int64) int64 {
	if z.loc == nil {
		return local
	}
	sec := local / 1e6
	rem := local % 1e6
	if rem < 0 {
		sec, rem = sec-1, rem+1e6
	}
	return time.Date(1970, 1, 1, 0, 0, int(sec), 0, z.loc).UnixMicro() + rem
}

// procNow returns the processing time, truncated to milliseconds like Flink's.
func procNow(ctx *exec.Context) int64 {
	now := ctx.Now().UnixMicro()
	return now - ((now%1000)+1000)%1000
}

// rowTime returns the time a row is windowed by: now for processing-time windows, otherwise
// its time column, which must be an insert and not NULL. what names the operator in errors.
func rowTime(c *chunk.Chunk, row, timeCol int, procTime bool, now int64, what string) (int64, error) {
	if c.Kinds[row] != chunk.Insert {
		return 0, fmt.Errorf("%s requires an insert-only input, but received %s", what, c.FormatRow(row))
	}
	if procTime {
		return now, nil
	}
	tc := c.Cols[timeCol]
	if tc.IsNull(row) {
		return 0, fmt.Errorf("the window time column is NULL in row %s; a rowtime attribute must not be NULL", c.FormatRow(row))
	}
	return tc.I64[row], nil
}
