// Package difftest holds Floe's differential and metamorphic tests: each streaming query runs
// on deterministic input, its changelog is applied to a final table, and that table must equal
// DuckDB's answer to the same query (written in DuckDB's SQL) over the same rows; the final
// table must also be the same at every parallelism and chunk size.
//
// The tests live in _test files so that only the test binary links DuckDB.
package difftest
