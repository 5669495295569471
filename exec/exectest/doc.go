// Package exectest drives one exec.Operator without the runtime, for tests and benchmarks.
//
// A Harness gives the operator a Context with an in-memory state backend, a timer service, a
// controllable processing-time clock and metrics, and records what it emits in Flink's print
// form ("+I[a, 1]"). Watermark fires the due event-time timers in (time, key) order and then
// calls ProcessWatermark, as the runtime does; Finish does what the runtime does at end of
// input.
//
// RunFile is a data-driven front end (github.com/cockroachdb/datadriven): a test file
// configures an operator with a directive of the caller's choosing and then feeds it:
//
//	groupagg keys=(0) aggs=(COUNT(*), SUM(1)) input=(STRING, BIGINT)
//	----
//	ok
//
//	process
//	+I[a, 1]
//	+I[a, 5]
//	----
//	+I[a, 1, 1]
//	-U[a, 1, 1]
//	+U[a, 2, 6]
//
//	watermark 2020-04-15 08:10:00
//	----
//
// The built-in directives are:
//
//	process [input=N]         feed the rows below (print form, one per line) to input N (0)
//	watermark <ts>|max        advance the event-time watermark
//	advance-time <ts>         advance the processing-time clock, firing due timers
//	finish                    end of input: final watermark, all timers, Finish
//	metrics                   print the Metrics counters
//
// Each prints the rows the operator emitted meanwhile, or "error: ..." when it failed.
// Timestamps are written as Flink prints them in SQL, "2020-04-15 08:05:00.000" (seconds and
// fraction optional, a 'T' separator accepted). Run the tests with -rewrite to regenerate the
// expected outputs.
package exectest
