package parser

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// TestDataDriven runs the testdata files. Directives:
//
//	parse      ParseScript; prints each statement's String() or the error
//	ast        ParseScript; dumps the tree (without positions)
//	ast-pos    ParseScript; dumps the tree with positions
//	expr       ParseExpr; prints String() or the error
//	expr-ast   ParseExpr; dumps the tree
//	type       ParseType; prints the type or the error
//
// Every successful parse is also checked to round-trip: parse(print(x)) == x.
// Run with -rewrite to update the expected output.
func TestDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata/sql", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "parse", "ast", "ast-pos":
				stmts, err := ParseScript(d.Input)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				var b strings.Builder
				for _, s := range stmts {
					checkRoundTrip(t, d.Pos, s)
					switch d.Cmd {
					case "parse":
						b.WriteString(s.String())
					case "ast":
						b.WriteString(Dump(s, false))
					default:
						b.WriteString(Dump(s, true))
					}
					b.WriteString("\n")
				}
				return b.String()
			case "expr", "expr-ast":
				e, err := ParseExpr(d.Input)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				again, err := ParseExpr(e.String())
				if err != nil {
					t.Errorf("%s: re-parsing %q: %v", d.Pos, e.String(), err)
				} else if Dump(again, false) != Dump(e, false) {
					t.Errorf("%s: round trip of %q changed the tree:\n%s\nvs\n%s", d.Pos, e.String(), Dump(e, false), Dump(again, false))
				}
				if d.Cmd == "expr" {
					return e.String() + "\n"
				}
				return Dump(e, false) + "\n"
			case "type":
				var b strings.Builder
				for _, line := range strings.Split(d.Input, "\n") {
					typ, err := ParseType(line)
					if err != nil {
						fmt.Fprintf(&b, "%s -> error: %v\n", line, err)
						continue
					}
					if again, err := ParseType(typ.String()); err != nil || again != typ {
						t.Errorf("%s: type %s does not round-trip: %v %v", d.Pos, typ, again, err)
					}
					fmt.Fprintf(&b, "%s -> %s %+v\n", line, typ, rawType(typ))
				}
				return b.String()
			}
			t.Fatalf("%s: unknown directive %s", d.Pos, d.Cmd)
			return ""
		})
	})
}

func checkRoundTrip(t *testing.T, where string, s ast.Statement) {
	t.Helper()
	printed := s.String()
	again, err := ParseStatement(printed)
	if err != nil {
		t.Errorf("%s: re-parsing %q: %v", where, printed, err)
		return
	}
	if a, b := Dump(s, false), Dump(again, false); a != b {
		t.Errorf("%s: round trip of %q changed the tree:\n%s\nvs\n%s", where, printed, a, b)
	}
}

// rawType prints a types.Type field by field.
type rawType types.Type

var posType = reflect.TypeOf(ast.Pos{})
var typeType = reflect.TypeOf(types.Type{})

// Dump renders a node as an indented tree of its non-zero fields; positions are included only
// when withPos is set.
func Dump(n any, withPos bool) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(n), 0, withPos)
	return strings.TrimRight(b.String(), "\n")
}

func dumpValue(b *strings.Builder, v reflect.Value, indent int, withPos bool) {
	pad := strings.Repeat("  ", indent)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		v = v.Elem()
	}
	switch {
	case v.Type() == posType:
		b.WriteString(v.Interface().(ast.Pos).String() + "\n")
		return
	case v.Type() == typeType:
		b.WriteString(v.Interface().(types.Type).String() + "\n")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		b.WriteString(v.Type().Name())
		if withPos {
			if f := v.FieldByName("Pos"); f.IsValid() && f.Type() == posType {
				b.WriteString(" @" + f.Interface().(ast.Pos).String())
			}
		}
		b.WriteString("\n")
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			fv := v.Field(i)
			if f.Type == posType && (!withPos || f.Name == "Pos") {
				continue
			}
			if fv.IsZero() {
				continue
			}
			b.WriteString(pad + "  " + f.Name + ": ")
			dumpValue(b, fv, indent+1, withPos)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			b.WriteString(fmt.Sprintf("%q\n", v.Interface()))
			return
		}
		b.WriteString("\n")
		for i := 0; i < v.Len(); i++ {
			b.WriteString(pad + "  - ")
			dumpValue(b, v.Index(i), indent+2, withPos)
		}
	case reflect.String:
		b.WriteString(fmt.Sprintf("%q\n", v.String()))
	default:
		if s, ok := v.Interface().(fmt.Stringer); ok {
			b.WriteString(s.String() + "\n")
			return
		}
		b.WriteString(fmt.Sprintf("%v\n", v.Interface()))
	}
}
