package connector

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testSpec = Spec{
	{Key: "path", Type: String, Required: true, Doc: "p"},
	{Key: "count", Type: Int, Default: "10", Doc: "c"},
	{Key: "ratio", Type: Float, Doc: "r"},
	{Key: "flag", Type: Bool, Default: "false", Doc: "f"},
	{Key: "interval", Type: Duration, Default: "1 s", Doc: "i"},
	{Key: "mode", Type: Enum, Enum: []string{"fast", "slow"}, Default: "fast", Doc: "m"},
	{Key: "fields.#.kind", Type: Enum, Enum: []string{"random", "sequence"}, Doc: "k"},
}

func TestValidateErrors(t *testing.T) {
	for _, tc := range []struct {
		raw  map[string]string
		want string
	}{
		{map[string]string{}, "option 'path': required option is missing"},
		{map[string]string{"path": "x", "cont": "1"}, "option 'cont': unknown option (did you mean 'count'?)"},
		{map[string]string{"path": "x", "zzzzzzzz": "1"}, "option 'zzzzzzzz': unknown option"},
		{map[string]string{"path": "x", "count": "ten"}, "option 'count': 'ten' is not an integer"},
		{map[string]string{"path": "x", "count": "1.5"}, "option 'count': '1.5' is not an integer"},
		{map[string]string{"path": "x", "ratio": "abc"}, "option 'ratio': 'abc' is not a number"},
		{map[string]string{"path": "x", "flag": "yes"}, "option 'flag': 'yes' is not true or false"},
		{map[string]string{"path": "x", "interval": "soon"}, "option 'interval': 'soon' is not a duration (e.g. '500 ms', '10 s', '5 min')"},
		{map[string]string{"path": "x", "interval": "5 fortnights"}, "option 'interval': '5 fortnights' has an unknown duration unit 'fortnights'"},
		{map[string]string{"path": "x", "mode": "medium"}, "option 'mode': 'medium' is not one of fast, slow"},
		{map[string]string{"path": "x", "fields.a.kind": "rand"}, "option 'fields.a.kind': 'rand' is not one of random, sequence"},
		{map[string]string{"path": "x", "fields.a.knd": "random"}, "option 'fields.a.knd': unknown option (did you mean 'fields.a.kind'?)"},
		{map[string]string{"path": "x", "fields.a.b.kind": "random"}, "option 'fields.a.b.kind': unknown option (did you mean 'fields.#.kind'?)"},
	} {
		_, err := testSpec.Validate(tc.raw)
		var oe *OptionError
		if err == nil || err.Error() != tc.want || !errors.As(err, &oe) {
			t.Errorf("%v:\n got %v\nwant %s", tc.raw, err, tc.want)
		}
	}
}

func TestValidateValues(t *testing.T) {
	o, err := testSpec.Validate(map[string]string{"connector": "x", "path": "/a", "count": " 42 ", "ratio": "0.25", "flag": "TRUE", "mode": "SLOW", "fields.id.kind": "sequence"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Has("connector") {
		t.Error("'connector' must not be an option value")
	}
	if o.String("path") != "/a" || o.Int("count") != 42 || o.Float("ratio") != 0.25 || !o.Bool("flag") || o.String("mode") != "SLOW" {
		t.Errorf("values %+v", o)
	}
	if o.Duration("interval") != time.Second {
		t.Errorf("default duration %v", o.Duration("interval"))
	}
	if !o.Has("interval") || o.Has("ratio2") || o.String("missing") != "" || o.Int("missing") != 0 {
		t.Error("Has/defaults")
	}
	if got := strings.Join(o.WithPrefix("fields."), ","); got != "fields.id.kind" {
		t.Errorf("WithPrefix %s", got)
	}
	// Unset options without defaults stay unset.
	if o2, _ := testSpec.Validate(map[string]string{"path": "x"}); o2.Has("ratio") || !o2.Has("count") || o2.Int("count") != 10 {
		t.Error("defaults")
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"500": 500 * time.Millisecond, "500ms": 500 * time.Millisecond, "10 s": 10 * time.Second, "1 min": time.Minute,
		"2h": 2 * time.Hour, "3 d": 72 * time.Hour, " 7 SECONDS ": 7 * time.Second, "5 us": 5 * time.Microsecond, "0": 0,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"":                 "'' is not a duration (e.g. '500 ms', '10 s', '5 min')",
		"-5 s":             "'-5 s' is not a duration (e.g. '500 ms', '10 s', '5 min')",
		"1.5 s":            "'1.5 s' has an unknown duration unit '.5 s'",
		"99999999999999 d": "'99999999999999 d' is too long a duration",
	} {
		if _, err := ParseDuration(in); err == nil || err.Error() != want {
			t.Errorf("ParseDuration(%q) error %v, want %s", in, err, want)
		}
	}
}

func TestOptionTypeString(t *testing.T) {
	if Enum.String() != "enum" || Duration.String() != "duration" || OptionType(99).String() != "OptionType(99)" {
		t.Fatal(Enum.String(), OptionType(99).String())
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry(&Factory{Name: "b"}, &Factory{Name: "a"})
	if strings.Join(r.Names(), ",") != "a,b" {
		t.Fatal(r.Names())
	}
	if f, err := r.Lookup("a"); err != nil || f.Name != "a" {
		t.Fatal(err)
	}
	if _, err := r.Lookup("c"); err == nil || err.Error() != "option 'connector': unknown connector 'c' (available: a, b)" {
		t.Fatal(err)
	}
}
