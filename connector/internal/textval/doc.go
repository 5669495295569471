// Package textval parses and renders SQL values in the text forms that Floe's file formats
// use (Flink's SQL text forms): timestamps "2026-01-01 00:00:01.250", dates, times, exact
// decimals, and JSON string escaping.
package textval
