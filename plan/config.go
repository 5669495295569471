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
