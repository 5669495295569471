// Package ast defines the abstract syntax tree of Floe's SQL dialect, which follows Flink SQL.
//
// The tree is produced by package sql/parser and consumed by the binder. Every node records the
// position (ast.Pos: 1-based line and column, 0-based byte offset) of its first token so that
// later phases can report errors at the right place, and every node has a String method that
// renders it back as valid SQL: parsing the output of String gives an equal tree (positions
// aside). Data types are not represented by AST nodes: the parser resolves them directly to
// types.Type values.
//
// Node families:
//
//   - Statement: CreateTable, CreateView, CreateFunction, Insert, StatementSet, Set, Reset,
//     ShowTables, ShowViews, ShowFunctions, ShowCreate, Describe, Explain, DropTable, DropView,
//     DropFunction, QueryStatement.
//   - Query: Select, SetOp, With, Values.
//   - TableExpr (FROM items): TableRef, Subquery, Join, WindowTVF, LateralTable, Unnest.
//   - Expr: Ident, Literal, IntervalLit, TimeUnitExpr, Binary, Unary, FuncCall, Cast, Case, In,
//     Between, Like, IsNull, IsBool, Exists, ScalarSubquery, Extract, FloorCeil, Position, Trim,
//     Substring, Subscript, Descriptor, Star.
//
// Identifiers keep their source spelling; name resolution is case-insensitive and is the
// binder's job. Nodes are plain structs handled through pointers; the parser never shares a
// node between two parents.
package ast
