// Package datagen is the 'datagen' connector: Flink's random and sequence data generator
// source, with a 'seed' option (a Floe extension) that makes its output reproducible.
package datagen
