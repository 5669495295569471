package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/connector"
)

// Config holds the session options set with SET 'key' = 'value'.
type Config struct {
	values map[string]string
}

// configSpec lists the options Floe understands, with defaults and documentation.
var configSpec = connector.Spec{
	{Key: "parallelism.default", Type: connector.Int, Default: "1", Doc: "Parallelism of operators (1..128)."},
	{Key: "table.local-time-zone", Type: connector.String, Default: "UTC", Doc: "Session time zone for TIMESTAMP_LTZ, e.g. 'Asia/Shanghai'."},
	{Key: "table.exec.mini-batch.enabled", Type: connector.Bool, Default: "false", Doc: "Group aggregations fold each input chunk per key before emitting (fewer updates, same final result)."},
	{Key: "table.exec.mini-batch.allow-latency", Type: connector.Duration, Default: "0 ms", Doc: "Accepted for Flink compatibility; Floe batches per chunk."},
	{Key: "table.exec.mini-batch.size", Type: connector.Int, Default: "-1", Doc: "Accepted for Flink compatibility; Floe batches per chunk."},
	{Key: "table.exec.source.idle-timeout", Type: connector.Duration, Default: "0 ms", Doc: "A source split with no data for this long is ignored by watermarks; 0 disables."},
	{Key: "table.exec.state.ttl", Type: connector.Duration, Default: "0 ms", Doc: "Idle state retention of group aggregations; 0 keeps state forever."},
	{Key: "table.exec.sink.not-null-enforcer", Type: connector.Enum, Enum: []string{"ERROR", "DROP"}, Default: "ERROR", Doc: "A NULL written into a NOT NULL sink column fails the job (ERROR) or drops the row (DROP)."},
	{Key: "execution.runtime-mode", Type: connector.Enum, Enum: []string{"streaming", "batch"}, Default: "streaming", Doc: "Floe always runs the streaming runtime; bounded inputs end with a final watermark."},
	{Key: "pipeline.name", Type: connector.String, Doc: "Name of the job, used in its log lines."},
	{Key: "execution.chunk-size", Type: connector.Int, Default: "1024", Doc: "Rows per chunk exchanged between operators (Floe)."},
	{Key: "sql-client.execution.result-mode", Type: connector.String, Doc: "Accepted for Flink compatibility; ignored."},
	{Key: "state.backend", Type: connector.Enum, Enum: []string{"pebble", "memory"}, Default: "pebble", Doc: "Where operators keep their state: 'pebble' (durable, on local disk, larger than memory, needed for checkpoints) or 'memory' (on the Go heap, no checkpoints)."},
	{Key: "state.backend.pebble.block-cache-size", Type: connector.String, Default: "256 mb", Doc: "Block cache shared by all operators' Pebble stores (a memory size: '256 mb', '1 gb')."},
	{Key: "state.backend.pebble.memtable-size", Type: connector.String, Default: "8 mb", Doc: "Write buffer of each operator subtask's Pebble store."},
	{Key: "state.backend.pebble.object-cache-entries", Type: connector.Int, Default: "262144", Doc: "Decoded state values each operator subtask keeps in memory (typically 100 to 300 bytes each); changes are written back at eviction and at checkpoints. The main knob between memory use and speed."},
	{Key: "execution.checkpointing.dir", Type: connector.String, Doc: "Directory that keeps checkpoints (also --checkpoint-dir); checkpoints are taken only when it is set, and a pipeline started again resumes from the latest one."},
	{Key: "execution.checkpointing.interval", Type: connector.Duration, Default: "10 s", Doc: "Time between checkpoints when a checkpoint directory is set."},
	{Key: "execution.checkpointing.timeout", Type: connector.Duration, Default: "10 min", Doc: "A checkpoint not complete within this time is abandoned."},
	{Key: "execution.checkpointing.min-pause", Type: connector.Duration, Default: "0 ms", Doc: "Least time between the end of a checkpoint and the start of the next."},
	{Key: "execution.checkpointing.num-retained", Type: connector.Int, Default: "1", Doc: "Completed checkpoints kept (savepoints are always kept)."},
	{Key: "execution.checkpointing.tolerable-failed-checkpoints", Type: connector.Int, Default: "3", Doc: "Checkpoints in a row that may fail (be abandoned) before the pipeline fails and restarts; -1 tolerates any number (Flink's default is 0)."},
	{Key: "restart-strategy.type", Type: connector.Enum, Enum: []string{"none", "off", "disable", "fixed-delay", "failure-rate", "exponential-delay"}, Doc: "How a failed pipeline restarts from its last checkpoint, inside the process; default exponential-delay with checkpoints, none without."},
	{Key: "restart-strategy.fixed-delay.attempts", Type: connector.Int, Default: "1", Doc: "fixed-delay: restarts before the pipeline fails for good."},
	{Key: "restart-strategy.fixed-delay.delay", Type: connector.Duration, Default: "1 s", Doc: "fixed-delay: pause before each restart."},
	{Key: "restart-strategy.failure-rate.max-failures-per-interval", Type: connector.Int, Default: "1", Doc: "failure-rate: failures allowed within one interval before the pipeline fails for good."},
	{Key: "restart-strategy.failure-rate.failure-rate-interval", Type: connector.Duration, Default: "1 min", Doc: "failure-rate: the interval failures are counted in."},
	{Key: "restart-strategy.failure-rate.delay", Type: connector.Duration, Default: "1 s", Doc: "failure-rate: pause before each restart."},
	{Key: "restart-strategy.exponential-delay.initial-backoff", Type: connector.Duration, Default: "1 s", Doc: "exponential-delay: pause before the first restart."},
	{Key: "restart-strategy.exponential-delay.max-backoff", Type: connector.Duration, Default: "1 min", Doc: "exponential-delay: longest pause."},
	{Key: "restart-strategy.exponential-delay.backoff-multiplier", Type: connector.Float, Default: "1.5", Doc: "exponential-delay: factor applied to the pause after each restart."},
	{Key: "restart-strategy.exponential-delay.reset-backoff-threshold", Type: connector.Duration, Default: "1 h", Doc: "exponential-delay: a pipeline that ran this long without failing starts again from the initial backoff."},
	{Key: "restart-strategy.exponential-delay.jitter-factor", Type: connector.Float, Default: "0.1", Doc: "exponential-delay: random share (0..1) added to or taken from each pause."},
	{Key: "restart-strategy.exponential-delay.attempts-before-reset-backoff", Type: connector.Int, Default: "2147483647", Doc: "exponential-delay: restarts allowed before the pipeline fails for good (counted since the last reset)."},
}

// NewConfig returns a configuration with Floe's defaults.
func NewConfig() *Config { return &Config{values: map[string]string{}} }

// Set validates and sets an option.
func (c *Config) Set(key, value string) error {
	o, err := configSpec.Validate(map[string]string{key: value})
	if err != nil {
		return err
	}
	if key == "execution.chunk-size" {
		if n := o.Int(key); n < 1 || n > 1<<20 {
			return fmt.Errorf("option 'execution.chunk-size': %d is outside 1..1048576", n)
		}
	}
	if key == "parallelism.default" {
		if n := o.Int(key); n < 1 || n > 128 {
			return fmt.Errorf("option 'parallelism.default': %d is outside 1..128", n)
		}
	}
	if strings.HasPrefix(key, "state.backend.pebble.") && strings.HasSuffix(key, "-size") {
		if _, err := ParseMemorySize(value); err != nil {
			return fmt.Errorf("option '%s': %w", key, err)
		}
	}
	if key == "table.local-time-zone" {
		if _, err := time.LoadLocation(value); err != nil {
			return fmt.Errorf("option 'table.local-time-zone': unknown time zone '%s'", value)
		}
	}
	c.values[key] = value
	return nil
}

// Reset restores an option to its default; an empty key resets all.
func (c *Config) Reset(key string) {
	if key == "" {
		c.values = map[string]string{}
		return
	}
	delete(c.values, key)
}

func (c *Config) get(key string) string {
	if v, ok := c.values[key]; ok {
		return v
	}
	for _, o := range configSpec {
		if o.Key == key {
			return o.Default
		}
	}
	return ""
}

// Parallelism returns parallelism.default.
func (c *Config) Parallelism() int { n, _ := strconv.Atoi(c.get("parallelism.default")); return n }

// ChunkSize returns execution.chunk-size.
func (c *Config) ChunkSize() int {
	n, _ := strconv.Atoi(c.get("execution.chunk-size"))
	return max(n, 1)
}

// Location returns the session time zone.
func (c *Config) Location() *time.Location {
	l, err := time.LoadLocation(c.get("table.local-time-zone"))
	if err != nil {
		return time.UTC
	}
	return l
}

// MiniBatch reports table.exec.mini-batch.enabled.
func (c *Config) MiniBatch() bool {
	b, _ := strconv.ParseBool(c.get("table.exec.mini-batch.enabled"))
	return b
}

// IdleTimeout returns table.exec.source.idle-timeout.
func (c *Config) IdleTimeout() time.Duration {
	d, _ := connector.ParseDuration(c.get("table.exec.source.idle-timeout"))
	return d
}

// StateTTL returns table.exec.state.ttl.
func (c *Config) StateTTL() time.Duration {
	d, _ := connector.ParseDuration(c.get("table.exec.state.ttl"))
	return d
}

// DropNullsInNotNullColumns reports table.exec.sink.not-null-enforcer = DROP.
func (c *Config) DropNullsInNotNullColumns() bool {
	return strings.EqualFold(c.get("table.exec.sink.not-null-enforcer"), "DROP")
}

// Get returns an option's value (its default when unset).
func (c *Config) Get(key string) string { return c.get(key) }

// Duration returns a duration option.
func (c *Config) Duration(key string) time.Duration {
	d, _ := connector.ParseDuration(c.get(key))
	return d
}

// Int returns an integer option.
func (c *Config) Int(key string) int { n, _ := strconv.Atoi(strings.TrimSpace(c.get(key))); return n }

// Float returns a floating-point option.
func (c *Config) Float(key string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(c.get(key)), 64)
	return f
}

// MemorySize returns a memory size option in bytes.
func (c *Config) MemorySize(key string) int64 { n, _ := ParseMemorySize(c.get(key)); return n }

// ParseMemorySize parses a memory size as Flink writes them: a number of bytes with an optional
// unit (b, k/kb, m/mb, g/gb, t/tb; 1024-based, case-insensitive), e.g. "256 mb".
func ParseMemorySize(v string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(v))
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("'%s' is not a memory size (want e.g. '256 mb')", v)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("'%s' is not a memory size: %w", v, err)
	}
	shift := 0
	switch strings.TrimSpace(t[i:]) {
	case "", "b", "bytes":
	case "k", "kb", "kib":
		shift = 10
	case "m", "mb", "mib":
		shift = 20
	case "g", "gb", "gib":
		shift = 30
	case "t", "tb", "tib":
		shift = 40
	default:
		return 0, fmt.Errorf("'%s' has an unknown unit (use b, kb, mb, gb or tb)", v)
	}
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("'%s' is too large", v)
	}
	return n << shift, nil
}

// Name returns pipeline.name.
func (c *Config) Name() string { return c.get("pipeline.name") }

// Entries lists all options with their current values, for SET without arguments.
func (c *Config) Entries() [][2]string {
	var out [][2]string
	for _, o := range configSpec {
		out = append(out, [2]string{o.Key, c.get(o.Key)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Describe documents the options (for docs/sql/set.md).
func Describe() string {
	var b strings.Builder
	b.WriteString("| key | type | default | description |\n|---|---|---|---|\n")
	for _, o := range configSpec {
		typ := o.Type.String()
		if o.Type == connector.Enum {
			typ += " (" + strings.Join(o.Enum, ", ") + ")"
		}
		def := "(none)"
		if o.Default != "" {
			def = "`" + o.Default + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", o.Key, typ, def, o.Doc)
	}
	return b.String()
}
