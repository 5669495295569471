// Package plan turns SQL statements into executable streaming dataflows.
//
// The Catalog holds tables (validated against their connector's option spec), views and user
// functions; Config holds the session options. The binder resolves names and types (producing
// a logical plan of Scan, Filter, Project, Aggregate, WindowTVF, WindowAggregate and Union),
// the rewrite rules fold constants, push filters down, merge projections and prune columns,
// and the physical planner fuses Calc operators, assigns parallelism and exchanges, and infers
// each operator's changelog mode. Plan.Explain renders the physical plan; Plan.Graph builds the
// exec.Graph, creating connector sources and sinks.
//
// Errors are *Error values with the position of the offending SQL; Render shows the source
// line with a caret.
package plan
