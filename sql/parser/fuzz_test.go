package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that the parser never panics, and that whatever parses prints back to SQL
// that parses to the same tree.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/sql/*")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		// Seed with every test input (the text between a directive line and "----").
		for _, block := range strings.Split(string(data), "\n\n") {
			lines := strings.Split(block, "\n")
			var in []string
			for _, l := range lines {
				if l == "----" {
					break
				}
				if strings.HasPrefix(l, "#") || l == "parse" || l == "ast" || l == "ast-pos" || l == "expr" || l == "expr-ast" || l == "type" {
					continue
				}
				in = append(in, l)
			}
			f.Add(strings.Join(in, "\n"))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		if e, err := ParseExpr(src); err == nil {
			again, err := ParseExpr(e.String())
			if err != nil {
				t.Fatalf("re-parsing expression %q printed from %q: %v", e.String(), src, err)
			}
			if Dump(again, false) != Dump(e, false) {
				t.Fatalf("expression round trip of %q via %q changed the tree", src, e.String())
			}
		} else if _, ok := err.(*Error); !ok {
			t.Fatalf("error is %T, not *Error", err)
		}
		_, _ = ParseType(src)
		stmts, err := ParseScript(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, not *Error", err)
			}
			_ = err.Error()
			return
		}
		for _, s := range stmts {
			printed := s.String()
			again, err := ParseStatement(printed)
			if err != nil {
				t.Fatalf("re-parsing %q printed from %q: %v", printed, src, err)
			}
			if Dump(again, false) != Dump(s, false) {
				t.Fatalf("round trip of %q via %q changed the tree:\n%s\nvs\n%s", src, printed, Dump(s, false), Dump(again, false))
			}
		}
	})
}
