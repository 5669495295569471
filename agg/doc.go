// Package agg holds Floe's aggregate functions: their result types (Resolve), the description of
// one aggregate call in a plan (Call), and an Aggregator that maintains the accumulators of a
// group of calls under inserts and retractions.
//
// The functions are COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE and LAST_VALUE, each optionally
// DISTINCT and with an optional FILTER, with Flink's result types and NULL handling:
// NULL arguments are ignored, an aggregate over no non-NULL value is NULL (COUNT is 0).
//
// Accumulators are plain data (no functions, channels or pointers into operators), so that a
// durable state backend can serialize them. An Aggregator itself is stateless apart from a
// sequence counter that orders FIRST_VALUE/LAST_VALUE arrivals; it is used by one goroutine.
package agg
