package ast

import (
	"testing"

	"github.com/floedb/floe/types"
)

func id(parts ...string) *Ident { return &Ident{Parts: parts} }

func num(s string) *Literal { return &Literal{Kind: LitInteger, Text: s} }

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"a":        "a",
		"dateTime": "dateTime",
		"a b":      "`a b`",
		"a`b":      "`a``b`",
		"select":   "`select`",
		"Value":    "`Value`",
		"1a":       "`1a`",
		"a$1":      "a$1",
		"":         "``",
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if QuoteString("it's") != "'it''s'" {
		t.Error(QuoteString("it's"))
	}
}

// TestPrintPrecedence checks that hand-built trees print with the parentheses they need.
func TestPrintPrecedence(t *testing.T) {
	for _, tc := range []struct {
		e    Expr
		want string
	}{
		{&Binary{Op: OpMul, L: &Binary{Op: OpAdd, L: id("a"), R: id("b")}, R: id("c")}, "(a + b) * c"},
		{&Binary{Op: OpSub, L: id("a"), R: &Binary{Op: OpSub, L: id("b"), R: id("c")}}, "a - (b - c)"},
		{&Binary{Op: OpSub, L: &Binary{Op: OpSub, L: id("a"), R: id("b")}, R: id("c")}, "a - b - c"},
		{&Unary{Op: "NOT", X: &Binary{Op: OpAnd, L: id("a"), R: id("b")}}, "NOT (a AND b)"},
		{&Unary{Op: "-", X: &Unary{Op: "-", X: id("a")}}, "- -a"},
		{&Binary{Op: OpAnd, L: &Binary{Op: OpOr, L: id("a"), R: id("b")}, R: id("c")}, "(a OR b) AND c"},
		{&Between{Expr: id("x"), Lo: &Binary{Op: OpAnd, L: id("a"), R: id("b")}, Hi: num("2")}, "x BETWEEN (a AND b) AND 2"},
		{&Subscript{Expr: &Binary{Op: OpAdd, L: id("a"), R: id("b")}, Index: num("1")}, "(a + b)[1]"},
		{&Exists{Not: true, Query: &Select{Items: []SelectItem{{Expr: num("1")}}}}, "NOT EXISTS (SELECT 1)"},
		{&Cast{Expr: id("p"), Type: types.DecimalType(23, 3)}, "CAST(p AS DECIMAL(23, 3))"},
		{&FuncCall{Name: ObjectName{Parts: []string{"CURRENT_TIMESTAMP"}}, Niladic: true}, "CURRENT_TIMESTAMP"},
		{&FuncCall{Name: ObjectName{Parts: []string{"COUNT"}}, Star: true, Filter: id("b")}, "COUNT(*) FILTER (WHERE b)"},
		{&IntervalLit{Value: "1", From: Day, Precision: 3, To: Second, FracPrecision: 6}, "INTERVAL '1' DAY(3) TO SECOND(6)"},
		{&Literal{Kind: LitString, Text: "a'b"}, "'a''b'"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
}

func TestPrintStatements(t *testing.T) {
	ct := &CreateTable{
		Name: ObjectName{Parts: []string{"t"}},
		Columns: []ColumnDef{
			{Name: Ident{Parts: []string{"a"}}, Type: types.BigIntType.WithNotNull(true)},
			{Name: Ident{Parts: []string{"b"}}, Kind: ComputedColumn, Expr: &FuncCall{Name: ObjectName{Parts: []string{"PROCTIME"}}}},
		},
		PrimaryKey: &PrimaryKey{Columns: []Ident{{Parts: []string{"a"}}}, NotEnforced: true},
		Options:    []Option{{Key: "connector", Value: "datagen"}},
	}
	want := "CREATE TABLE t (a BIGINT NOT NULL, b AS PROCTIME(), PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'datagen')"
	if got := ct.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	w := &WindowTVF{Func: Hop, Table: &TableRef{Name: ObjectName{Parts: []string{"Bid"}}}, TimeCol: Ident{Parts: []string{"ts"}},
		Args: []Expr{&IntervalLit{Value: "5", From: Minute}, &IntervalLit{Value: "10", From: Minute}}, Alias: "w"}
	want = "TABLE(HOP(TABLE Bid, DESCRIPTOR(ts), INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)) AS w"
	if got := w.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
