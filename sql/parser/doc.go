// Package parser is Floe's SQL parser: a hand-written lexer and recursive-descent parser for the
// Flink SQL dialect, producing the trees of package sql/ast.
//
// Entry points:
//
//	ParseScript(src)    statements separated by ';' (the last one optional)
//	ParseStatement(src) exactly one statement
//	ParseQuery(src)     one query
//	ParseExpr(src)      one scalar expression
//	ParseType(src)      one data type, e.g. "DECIMAL(23, 3) NOT NULL"
//
// Lexical rules: keywords are case-insensitive; identifiers are unquoted (letters, digits, _ and
// $) or quoted with backticks, a doubled backtick standing for one; strings are single-quoted,
// a doubled quote standing for one; numbers are integers (42), exact decimals (1.5, .5) or
// approximate (1e10). Comments are "-- to end of line" and "/* ... */"; "/*+ ... */" is a hint,
// accepted after SELECT, after INSERT INTO table and after a table name in FROM.
//
// Operator precedence, lowest first: OR, AND, NOT, comparisons (= <> != < <= > >=, IS, IN,
// BETWEEN, LIKE, SIMILAR TO), ||, + -, * / %, unary - +, subscript [].
//
// Reserved words: the structural keywords (SELECT, FROM, WHERE, JOIN, ON, AS, END, TABLE, ...,
// see ast.IsHardReserved) must be quoted with backticks to be used as names. Other Flink
// reserved words (VALUE, COUNT, DATE, TIMESTAMP, YEAR, ...) are accepted unquoted where the
// grammar is unambiguous, though the printer quotes them.
//
// Data types are resolved to types.Type directly (see parseType for the defaults). Errors are
// *Error values carrying the position and rendering the offending line with a caret. The parser
// never panics on any input.
package parser
