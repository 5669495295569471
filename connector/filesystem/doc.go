// Package filesystem is the 'filesystem' connector: it reads and writes files of newline-
// delimited JSON objects or CSV records, in the text forms Flink's json and csv formats use,
// so that files written here are read back unchanged by Flink and by DuckDB.
package filesystem
