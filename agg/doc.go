// Package agg holds Floe's aggregate functions: their result types (Resolve), the description of
// one aggregate call in a plan (Call), and an Aggregator that maintains the accumulators of a
// group of calls under inserts and retractions.
//
// The functions are COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE and LAST_VALUE, each optionally
// DISTINCT and with an optional FILTER, with Flink's result types and NULL handling:
// NULL arguments are ignored, an aggregate over no non-NULL value is NULL (COUNT is 0).
//
// Accumulators are plain data (no functions, channels or pointers into operators), so that a
// durable state backend can serialize them. They are compact: every call keeps its count and,
// when the value fits, its value in a shared slice of int64 words (COUNT takes 8 bytes, SUM,
// MIN and MAX over BIGINT 16), allocated together with the Accumulators; what only some calls
// need (values of STRING and other wide types, the multisets and arrival lists that let MIN,
// MAX, FIRST_VALUE and LAST_VALUE retract, DISTINCT values) sits behind one pointer that is nil
// unless a call needs it. An Aggregator itself is stateless apart from a
// sequence counter that orders FIRST_VALUE/LAST_VALUE arrivals; it is used by one goroutine.
package agg
