package textval

import (
	"testing"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in         string
		p, s       int
		want, fail string
	}{
		{"12.345", 10, 3, "12.345", ""},
		{"-12.3456", 10, 3, "-12.346", ""},
		{"12.3454", 10, 3, "12.345", ""},
		{"0.0005", 5, 3, "0.001", ""},
		{"-0.0005", 5, 3, "-0.001", ""},
		{"1.5e2", 5, 1, "150.0", ""},
		{"25E-3", 5, 2, "0.03", ""},
		{"+7", 3, 0, "7", ""},
		{".5", 3, 1, "0.5", ""},
		{"123456789012345678901234567890.5", 38, 1, "123456789012345678901234567890.5", ""},
		{"1000", 3, 0, "", "'1000' does not fit DECIMAL(3, 0)"},
		{"99.995", 4, 2, "", "'99.995' does not fit DECIMAL(4, 2)"},
		{"abc", 3, 0, "", "'abc' is not a number"},
		{"1.2.3", 3, 0, "", "'1.2.3' is not a number"},
		{"", 3, 0, "", "'' is not a number"},
		{"1e99999", 3, 0, "", "'1e99999' is not a number"},
	} {
		d, err := ParseDecimal(tc.in, tc.p, tc.s)
		if tc.fail != "" {
			if err == nil || err.Error() != tc.fail {
				t.Errorf("%q: got %v, want error %s", tc.in, err, tc.fail)
			}
			continue
		}
		if err != nil || d.String(tc.s) != tc.want {
			t.Errorf("%q: got %s, %v; want %s", tc.in, d.String(tc.s), err, tc.want)
		}
	}
}

func TestTimestamps(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ltz  bool
		want int64
	}{
		{"2026-01-01 00:00:01.250", false, 1767225601250000},
		{"2026-01-01T00:00:01.25", false, 1767225601250000},
		{"2026-01-01 00:00", false, 1767225600000000},
		{"2026-01-01 00:00:01.123456789", false, 1767225601123456},
		{"1969-12-31 23:59:59.999", false, -1000},
		{"2026-01-01 00:00:01.250Z", true, 1767225601250000},
	} {
		got, err := ParseTimestamp(tc.in, tc.ltz)
		if err != nil || got != tc.want {
			t.Errorf("%q: %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"2026-01-01", "2026-02-30 00:00:00", "2026-01-01 24:00:00", "2026-01-01 00:00:01Z", "2026-01-01 00:00:01.", "x"} {
		if _, err := ParseTimestamp(in, false); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
	if b := AppendTimestamp(nil, -1000, 3); string(b) != "1969-12-31 23:59:59.999" {
		t.Errorf("append %s", b)
	}
	if b := AppendTimestamp(nil, 1767225601250123, 0); string(b) != "2026-01-01 00:00:01" {
		t.Errorf("append %s", b)
	}
	if d, err := ParseDate("2024-02-29"); err != nil || d != 19782 {
		t.Errorf("date %d %v", d, err)
	}
	if _, err := ParseDate("2023-02-29"); err == nil || err.Error() != "'2023-02-29' is not a date (yyyy-MM-dd)" {
		t.Errorf("bad date: %v", err)
	}
	if us, err := ParseTime("12:34:56.7"); err != nil || us != (12*3600+34*60+56)*1e6+700000 {
		t.Errorf("time %d %v", us, err)
	}
	if b := AppendTime(nil, (12*3600+34*60+56)*1e6+789000, 3); string(b) != "12:34:56.789" {
		t.Errorf("append time %s", b)
	}
}

func TestAppendJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              `"plain"`,
		"q\"b\\":             `"q\"b\\"`,
		"\n\r\t\b\f\x00\x1f": `"\n\r\t\b\f\u0000\u001f"`,
		"é日本🎉":               `"é日本🎉"`,
		"bad\xffutf8":        "\"bad\ufffdutf8\"",
		"\u2028\u2029":       `"\u2028\u2029"`,
		"<html>&":            `"<html>&"`,
	} {
		if got := string(AppendJSONString(nil, in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}
