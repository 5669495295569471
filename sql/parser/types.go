package parser

import (
	"strings"

	"github.com/floedb/floe/sql/ast"
	"github.com/floedb/floe/types"
)

// parseType reads a data type with an optional NOT NULL / NULL suffix and returns it with the
// position of its first token.
//
// Defaults follow Flink SQL: CHAR and BINARY default to length 1; VARCHAR and VARBINARY without
// a length are VARCHAR(2147483647) (= STRING) and VARBINARY(2147483647) (= BYTES), as Flink's
// type system gives them; DECIMAL defaults to (10, 0); TIME to precision 0; TIMESTAMP and
// TIMESTAMP_LTZ to precision 6. Interval types are normalized to types.IntervalDT and
// types.IntervalYM.
func (p *parser) parseType() (types.Type, ast.Pos) {
	t := p.tok()
	if t.kind != tIdent {
		p.expected("a data type")
	}
	var typ types.Type
	word := strings.ToUpper(t.val)
	p.advance()
	switch word {
	case "BOOLEAN":
		typ = types.BooleanType
	case "TINYINT":
		typ = types.TinyIntType
	case "SMALLINT":
		typ = types.SmallIntType
	case "INT", "INTEGER":
		typ = types.IntType
	case "BIGINT":
		typ = types.BigIntType
	case "FLOAT", "REAL":
		typ = types.FloatType
	case "DOUBLE":
		p.acceptKw("PRECISION")
		typ = types.DoubleType
	case "DECIMAL", "DEC", "NUMERIC":
		prec, scale := 10, 0
		if p.acceptOp("(") {
			prec = p.parseSmallInt(1, types.MaxDecimalPrecision, "DECIMAL precision")
			if p.acceptOp(",") {
				scale = p.parseSmallInt(0, prec, "DECIMAL scale")
			}
			p.expectOp(")")
		}
		typ = types.DecimalType(prec, scale)
	case "CHAR", "CHARACTER":
		if p.acceptKw("VARYING") {
			typ = types.VarcharType(p.parseLength(types.MaxLength))
		} else {
			typ = types.CharType(p.parseLength(1))
		}
	case "VARCHAR":
		typ = types.VarcharType(p.parseLength(types.MaxLength))
	case "STRING":
		typ = types.StringType
	case "BINARY":
		typ = types.Type{Kind: types.Bytes, Length: p.parseLength(1)}
	case "VARBINARY":
		typ = types.Type{Kind: types.Bytes, Length: p.parseLength(types.MaxLength)}
	case "BYTES":
		typ = types.BytesType
	case "DATE":
		typ = types.DateType
	case "TIME":
		typ = types.TimeType(p.parseTimePrecision(0, "TIME"))
		if p.isKw("WITHOUT") {
			p.advance()
			p.expectKwAfter("TIME", "WITHOUT")
			p.expectKwAfter("ZONE", "WITHOUT TIME")
		}
	case "TIMESTAMP":
		prec := p.parseTimePrecision(6, "TIMESTAMP")
		typ = types.TimestampType(prec)
		if p.isKw("WITHOUT") {
			p.advance()
			p.expectKwAfter("TIME", "WITHOUT")
			p.expectKwAfter("ZONE", "WITHOUT TIME")
		} else if p.isKw("WITH") && (isKw(p.peek(1), "LOCAL") || isKw(p.peek(1), "TIME")) {
			wt := p.advance()
			if !p.acceptKw("LOCAL") {
				p.failAt(wt.pos, "TIMESTAMP WITH TIME ZONE is not supported (use TIMESTAMP WITH LOCAL TIME ZONE or TIMESTAMP_LTZ)")
			}
			p.expectKwAfter("TIME", "WITH LOCAL")
			p.expectKwAfter("ZONE", "WITH LOCAL TIME")
			typ = types.TimestampLTZType(prec)
		}
	case "TIMESTAMP_LTZ":
		typ = types.TimestampLTZType(p.parseTimePrecision(6, "TIMESTAMP_LTZ"))
	case "INTERVAL":
		from, to, _, _ := p.parseIntervalQualifier()
		if from == ast.Year || from == ast.Month || from == ast.Quarter || to == ast.Month {
			typ = types.IntervalYM
		} else {
			typ = types.IntervalDT
		}
	case "MAP":
		if !p.isOp("<") {
			p.expected("'<' after MAP")
		}
		p.advance()
		kpos := p.tok().pos
		k, _ := p.parseType()
		p.expectOp(",")
		vpos := p.tok().pos
		v, _ := p.parseType()
		if !p.isOp(">") {
			p.expected("'>'")
		}
		p.advance()
		if !k.IsString() {
			p.failAt(kpos, "unsupported MAP key type %s: only MAP<STRING, STRING> is supported", k)
		}
		if !v.IsString() {
			p.failAt(vpos, "unsupported MAP value type %s: only MAP<STRING, STRING> is supported", v)
		}
		typ = types.MapStringType
	case "ARRAY", "ROW", "MULTISET", "RAW", "VARIANT", "STRUCTURED", "DESCRIPTOR", "SYMBOL":
		p.failAt(t.pos, "type %s is not supported yet", word)
	default:
		p.failAt(t.pos, "unknown data type %s", p.describe(t))
	}
	if p.isKw("NOT") && isKw(p.peek(1), "NULL") {
		p.advance()
		p.advance()
		typ.NotNull = true
	} else if p.isKw("NULL") {
		p.advance()
	}
	return typ, t.pos
}

// parseLength reads an optional (n) length, returning def without one.
func (p *parser) parseLength(def int) int {
	if !p.acceptOp("(") {
		return def
	}
	n := p.parseSmallInt(1, types.MaxLength, "length")
	p.expectOp(")")
	return n
}

// parseTimePrecision reads an optional (p) with 0 <= p <= 9.
func (p *parser) parseTimePrecision(def int, typeName string) int {
	if !p.acceptOp("(") {
		return def
	}
	n := p.parseSmallInt(0, 9, typeName+" precision")
	p.expectOp(")")
	return n
}
