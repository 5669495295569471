package expr

import (
	"math"
	"math/rand"
	"testing"
)

// TestPatternsNeverPanic compiles, formats and parses random patterns and inputs: user text
// must give errors or NULLs, never a panic.
func TestPatternsNeverPanic(t *testing.T) {
	const alphabet = "yMdHhmsSaEDGkKuXZ'[]-:/ .0123456789QqxAPM"
	r := rand.New(rand.NewSource(3))
	word := func(n int) string {
		b := make([]byte, r.Intn(n))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		return string(b)
	}
	values := []int64{0, -1, math.MaxInt64 / 2, math.MinInt64 / 2, 1586937900123000}
	for k := 0; k < 20000; k++ {
		for _, mode := range []tfMode{tfDTF, tfSDF} {
			p, err := tfCompile(word(12), mode)
			if err != nil {
				continue
			}
			for _, v := range values {
				p.appendFormat(nil, v, -3600)
			}
			p.parse(word(20))
			if text := string(p.appendFormat(nil, values[r.Intn(len(values))], 0)); len(text) < 200 {
				p.parse(text)
			}
		}
		tfParseDefault(word(25))
		tfParseDateLenient(word(12))
	}
}

func TestRegexTranslationNeverPanics(t *testing.T) {
	const alphabet = `\pP{}[]()?*+^$|&<=!>:QEZ0123uabcx.-`
	r := rand.New(rand.NewSource(4))
	for k := 0; k < 50000; k++ {
		b := make([]byte, r.Intn(14))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		if re, err := sfNewRegex(string(b)); err == nil {
			re.mayMatch("abc")
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		mode    tfMode
		msg     string
	}{
		{"yyyy-Q", tfDTF, `unsupported pattern letter 'Q' in date format "yyyy-Q"`},
		{"yyyy 'x", tfSDF, `unterminated quote in date format "yyyy 'x"`},
		{"yyyy]", tfDTF, `unmatched ']' in date format "yyyy]"`},
		{"[yyyy", tfDTF, `unmatched '[' in date format "[yyyy"`},
		{"yyyy#", tfDTF, `reserved character '#' in date format "yyyy#"`},
		{"XXXX", tfSDF, `too many pattern letters X in date format "XXXX"`},
	} {
		_, err := tfCompile(tc.pattern, tc.mode)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("tfCompile(%q) error %v, want %q", tc.pattern, err, tc.msg)
		}
	}
	// In SimpleDateFormat mode brackets are literals.
	p, err := tfCompile("[yyyy]", tfSDF)
	if err != nil || string(p.appendFormat(nil, 0, 0)) != "[1970]" {
		t.Errorf("SDF brackets: %v", err)
	}
}
