// Package print is the 'print' connector: a sink that writes every row in Flink's print form,
// e.g. "+I[1, abc]", one line per row.
package print
