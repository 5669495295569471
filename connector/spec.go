package connector

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/floedb/floe/internal/textdist"
)

// OptionType is the type of an option's value.
type OptionType uint8

// Option value types.
const (
	String OptionType = iota
	Int
	Float
	Bool
	Duration // Flink's duration syntax: "10 s", "500ms", "1 min", "2h", or a bare number of ms
	Enum     // one of OptionSpec.Enum, case-insensitive
)

// String returns the type's name as the docs show it.
func (t OptionType) String() string {
	names := [...]string{"string", "int", "float", "bool", "duration", "enum"}
	if int(t) < len(names) {
		return names[t]
	}
	return fmt.Sprintf("OptionType(%d)", uint8(t))
}

// OptionSpec describes one option. A Key may contain one '#' segment standing for any
// name, e.g. "fields.#.kind".
type OptionSpec struct {
	Key      string
	Type     OptionType
	Required bool
	Default  string
	Enum     []string
	Doc      string
}

// Spec is the set of options a connector accepts.
type Spec []OptionSpec

// OptionError is a problem with one option; the planner adds the option's position in the DDL.
type OptionError struct {
	Key string
	Msg string
}

func (e *OptionError) Error() string { return fmt.Sprintf("option '%s': %s", e.Key, e.Msg) }

// Options are validated option values with their defaults applied.
type Options struct {
	values map[string]string
}

// Validate checks raw options (without 'connector') against the spec: unknown keys (with a
// suggestion), missing required keys, and values that do not parse as their type.
func (s Spec) Validate(raw map[string]string) (Options, error) {
	out := Options{values: map[string]string{}}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "connector" {
			continue
		}
		os := s.find(k)
		if os == nil {
			msg := "unknown option"
			if near := s.nearest(k); near != "" {
				msg += fmt.Sprintf(" (did you mean '%s'?)", near)
			}
			return Options{}, &OptionError{Key: k, Msg: msg}
		}
		v := raw[k]
		if err := os.check(v); err != nil {
			return Options{}, &OptionError{Key: k, Msg: err.Error()}
		}
		out.values[k] = v
	}
	for _, os := range s {
		if strings.Contains(os.Key, "#") {
			continue
		}
		if _, ok := out.values[os.Key]; ok {
			continue
		}
		if os.Required {
			return Options{}, &OptionError{Key: os.Key, Msg: "required option is missing"}
		}
		if os.Default != "" {
			out.values[os.Key] = os.Default
		}
	}
	return out, nil
}

func (s Spec) find(key string) *OptionSpec {
	for i := range s {
		if matchKey(s[i].Key, key) {
			return &s[i]
		}
	}
	return nil
}

func matchKey(pattern, key string) bool {
	pp := strings.Split(pattern, ".")
	kp := strings.Split(key, ".")
	if len(pp) != len(kp) {
		return false
	}
	for i := range pp {
		if pp[i] != "#" && pp[i] != kp[i] {
			return false
		}
	}
	return true
}

// nearest returns the spec key closest to key within edit distance 3, or "". A pattern key
// is compared (and suggested) with its '#' segment replaced by the key's segment at that
// position, so 'fields.id.lenght' suggests 'fields.id.length'.
func (s Spec) nearest(key string) string {
	best, bestD := "", 4
	kp := strings.Split(key, ".")
	for _, os := range s {
		cand := os.Key
		if strings.Contains(cand, "#") {
			pp := strings.Split(cand, ".")
			if len(pp) == len(kp) {
				for i := range pp {
					if pp[i] == "#" {
						pp[i] = kp[i]
					}
				}
				cand = strings.Join(pp, ".")
			}
		}
		if d := textdist.Levenshtein(cand, key); d < bestD {
			best, bestD = cand, d
		}
	}
	return best
}

func (os *OptionSpec) check(v string) error {
	switch os.Type {
	case Int:
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
			return fmt.Errorf("'%s' is not an integer", v)
		}
	case Float:
		if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return fmt.Errorf("'%s' is not a number", v)
		}
	case Bool:
		if _, err := strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("'%s' is not true or false", v)
		}
	case Duration:
		if _, err := ParseDuration(v); err != nil {
			return err
		}
	case Enum:
		for _, e := range os.Enum {
			if strings.EqualFold(e, v) {
				return nil
			}
		}
		return fmt.Errorf("'%s' is not one of %s", v, strings.Join(os.Enum, ", "))
	}
	return nil
}

// ParseDuration parses Flink's duration syntax: a number followed by an optional unit
// (ms, s, sec, min, h, d, and their long forms); a bare number is milliseconds.
func ParseDuration(v string) (time.Duration, error) {
	s := strings.TrimSpace(strings.ToLower(v))
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("'%s' is not a duration (e.g. '500 ms', '10 s', '5 min')", v)
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("'%s' is not a duration: %w", v, err)
	}
	unit := strings.TrimSpace(s[i:])
	var d time.Duration
	switch unit {
	case "", "ms", "milli", "millis", "millisecond", "milliseconds":
		d = time.Millisecond
	case "us", "micro", "micros", "microsecond", "microseconds":
		d = time.Microsecond
	case "ns", "nano", "nanos", "nanosecond", "nanoseconds":
		d = time.Nanosecond
	case "s", "sec", "secs", "second", "seconds":
		d = time.Second
	case "m", "min", "mins", "minute", "minutes":
		d = time.Minute
	case "h", "hour", "hours":
		d = time.Hour
	case "d", "day", "days":
		d = 24 * time.Hour
	default:
		return 0, fmt.Errorf("'%s' has an unknown duration unit '%s'", v, unit)
	}
	if n > int64(math.MaxInt64/d) {
		return 0, fmt.Errorf("'%s' is too long a duration", v)
	}
	return time.Duration(n) * d, nil
}

// Has reports whether key is set (explicitly or by default).
func (o Options) Has(key string) bool { _, ok := o.values[key]; return ok }

// String returns the value of key, or "" when unset.
func (o Options) String(key string) string { return o.values[key] }

// Int returns key as an integer (0 when unset). Validation already checked the syntax.
func (o Options) Int(key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(o.values[key]), 10, 64)
	return n
}

// Float returns key as a float (0 when unset).
func (o Options) Float(key string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(o.values[key]), 64)
	return f
}

// Bool returns key as a bool (false when unset).
func (o Options) Bool(key string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(o.values[key]))
	return b
}

// Duration returns key as a duration (0 when unset).
func (o Options) Duration(key string) time.Duration {
	d, _ := ParseDuration(o.values[key])
	return d
}

// WithPrefix returns the keys that start with prefix, sorted.
func (o Options) WithPrefix(prefix string) []string {
	var ks []string
	for k := range o.values {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// Registry maps connector names to factories. Build one with NewRegistry; there is no global.
type Registry struct {
	factories map[string]*Factory
}

// NewRegistry returns a registry holding the given factories.
func NewRegistry(fs ...*Factory) *Registry {
	r := &Registry{factories: map[string]*Factory{}}
	for _, f := range fs {
		r.factories[f.Name] = f
	}
	return r
}

// Lookup returns the factory for a connector name.
func (r *Registry) Lookup(name string) (*Factory, error) {
	if f, ok := r.factories[name]; ok {
		return f, nil
	}
	names := r.Names()
	return nil, &OptionError{Key: "connector", Msg: fmt.Sprintf("unknown connector '%s' (available: %s)", name, strings.Join(names, ", "))}
}

// Names returns the registered connector names, sorted.
func (r *Registry) Names() []string {
	var ns []string
	for n := range r.factories {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}
