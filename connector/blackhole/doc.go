// Package blackhole is the 'blackhole' connector: a sink that discards every row, used to
// measure a pipeline without the cost of writing its output.
package blackhole
