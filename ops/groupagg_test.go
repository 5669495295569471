package ops_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/agg"
	"github.com/floedb/floe/exec"
	"github.com/floedb/floe/exec/exectest"
	"github.com/floedb/floe/ops"
	"github.com/floedb/floe/types"
)

// The data-driven operator tests in testdata/groupagg_* and testdata/windowagg_* configure an
// operator with one of these directives and then feed it with exectest's directives:
//
//	groupagg input=(types) keys=(cols) aggs=(calls) [insert-only] [minibatch] [ttl=duration]
//	windowagg input=(types) kind=tumble|hop|cumulate|session [size= slide= step= gap= offset=]
//	          time=col | proctime  [keys=(cols)] [groups=(cols)] aggs=(calls) [tz=zone]
//	stats     (group aggregation: retractions ignored for keys without state)
//
// An aggregate call is NAME([DISTINCT] cols|*) [FILTER col], columns by input position.
func TestDataDriven(t *testing.T) {
	drv := exectest.Driver{Build: buildAggOperator, Extra: aggStats}
	exectest.RunFiles(t, "groupagg_*", drv)
	exectest.RunFiles(t, "windowagg_*", drv)
}

func buildAggOperator(d *datadriven.TestData) (exec.Operator, [][]types.Type, exectest.Config, error) {
	// Aggregation state is stored through its codecs, as a durable backend stores it.
	cfg := exectest.Config{}
	switch d.Cmd {
	case "groupagg":
		spec, err := parseGroupAgg(d)
		if err != nil {
			return nil, nil, cfg, err
		}
		op, err := ops.NewGroupAgg(spec)()
		return op, [][]types.Type{spec.InputTypes}, cfg, err
	case "windowagg":
		spec, err := parseWindowAgg(d)
		if err != nil {
			return nil, nil, cfg, err
		}
		if a, ok := d.Arg("tz"); ok {
			if cfg.Location, err = time.LoadLocation(a.Vals[0]); err != nil {
				return nil, nil, cfg, err
			}
		}
		op, err := ops.NewWindowAgg(spec)()
		return op, [][]types.Type{spec.InputTypes}, cfg, err
	}
	return nil, nil, cfg, nil
}

func aggStats(h *exectest.Harness, d *datadriven.TestData) (string, bool) {
	if d.Cmd != "stats" {
		return "", false
	}
	s, ok := h.Operator().(interface{ IgnoredRetractions() int64 })
	if !ok {
		return "error: the operator keeps no retraction statistics\n", true
	}
	return fmt.Sprintf("ignored-retractions=%d\n", s.IgnoredRetractions()), true
}

func argVals(d *datadriven.TestData, key string) []string {
	a, ok := d.Arg(key)
	if !ok {
		return nil
	}
	var vs []string
	for _, v := range a.Vals {
		if v = strings.TrimSpace(v); v != "" {
			vs = append(vs, v)
		}
	}
	return vs
}

func argCols(d *datadriven.TestData, key string) ([]int, error) {
	var cols []int
	for _, v := range argVals(d, key) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s: invalid column %q", key, v)
		}
		cols = append(cols, n)
	}
	return cols, nil
}

func argInputTypes(d *datadriven.TestData) ([]types.Type, error) {
	a, ok := d.Arg("input")
	if !ok {
		return nil, fmt.Errorf("missing input=(types)")
	}
	var ts []types.Type
	for _, v := range a.Vals {
		t, err := exectest.ParseType(v)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// parseCall parses NAME([DISTINCT] cols|*) [FILTER col] against the input types.
func parseCall(s string, in []types.Type, insertOnly bool) (agg.Call, error) {
	c := agg.Call{Filter: -1, InsertOnly: insertOnly}
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return c, fmt.Errorf("invalid aggregate call %q", s)
	}
	c.Name = strings.ToUpper(strings.TrimSpace(s[:open]))
	args := strings.TrimSpace(s[open+1 : close])
	if rest, ok := strings.CutPrefix(args, "DISTINCT "); ok {
		c.Distinct, args = true, rest
	}
	if args != "*" {
		for _, a := range exectest.SplitList(args) {
			n, err := strconv.Atoi(a)
			if err != nil || n < 0 || n >= len(in) {
				return c, fmt.Errorf("invalid argument column %q in %q", a, s)
			}
			c.Args = append(c.Args, n)
			c.ArgTypes = append(c.ArgTypes, in[n])
		}
	}
	if tail := strings.TrimSpace(s[close+1:]); tail != "" {
		f, ok := strings.CutPrefix(tail, "FILTER ")
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if !ok || err != nil {
			return c, fmt.Errorf("invalid FILTER in %q", s)
		}
		c.Filter = n
	}
	var err error
	c.Result, err = agg.Resolve(c.Name, c.Distinct, c.ArgTypes)
	return c, err
}

func argCalls(d *datadriven.TestData, in []types.Type, insertOnly bool) ([]agg.Call, error) {
	var calls []agg.Call
	for _, v := range argVals(d, "aggs") {
		c, err := parseCall(v, in, insertOnly)
		if err != nil {
			return nil, err
		}
		calls = append(calls, c)
	}
	return calls, nil
}

func parseGroupAgg(d *datadriven.TestData) (ops.GroupAggSpec, error) {
	var spec ops.GroupAggSpec
	var err error
	if spec.InputTypes, err = argInputTypes(d); err != nil {
		return spec, err
	}
	if spec.KeyCols, err = argCols(d, "keys"); err != nil {
		return spec, err
	}
	spec.InsertOnlyInput = d.HasArg("insert-only")
	spec.MiniBatch = d.HasArg("minibatch")
	if vs := argVals(d, "ttl"); len(vs) > 0 {
		if spec.StateTTL, err = time.ParseDuration(vs[0]); err != nil {
			return spec, err
		}
	}
	spec.Aggs, err = argCalls(d, spec.InputTypes, spec.InsertOnlyInput)
	return spec, err
}

func parseWindowAgg(d *datadriven.TestData) (ops.WindowAggSpec, error) {
	var spec ops.WindowAggSpec
	var err error
	if spec.InputTypes, err = argInputTypes(d); err != nil {
		return spec, err
	}
	if spec.KeyCols, err = argCols(d, "keys"); err != nil {
		return spec, err
	}
	if spec.GroupCols, err = argCols(d, "groups"); err != nil {
		return spec, err
	}
	spec.ProcTime = d.HasArg("proctime")
	if !spec.ProcTime {
		tc, err := argCols(d, "time")
		if err != nil || len(tc) != 1 {
			return spec, fmt.Errorf("want time=column or proctime")
		}
		spec.TimeCol = tc[0]
	}
	kinds := map[string]ops.WindowKind{"tumble": ops.Tumble, "hop": ops.Hop, "cumulate": ops.Cumulate, "session": ops.Session}
	kv := argVals(d, "kind")
	if len(kv) == 0 {
		return spec, fmt.Errorf("missing kind=tumble|hop|cumulate|session")
	}
	k, ok := kinds[kv[0]]
	if !ok {
		return spec, fmt.Errorf("unknown window kind %q", kv[0])
	}
	spec.Window.Kind = k
	for key, dst := range map[string]*int64{"size": &spec.Window.Size, "slide": &spec.Window.Slide, "step": &spec.Window.Step, "gap": &spec.Window.Gap, "offset": &spec.Window.Offset} {
		if vs := argVals(d, key); len(vs) > 0 {
			dur, err := time.ParseDuration(vs[0])
			if err != nil {
				return spec, fmt.Errorf("%s: %w", key, err)
			}
			*dst = dur.Microseconds()
		}
	}
	spec.Aggs, err = argCalls(d, spec.InputTypes, true)
	return spec, err
}
