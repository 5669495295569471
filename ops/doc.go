// Package ops holds the SQL operators of the streaming runtime: Calc (project and filter),
// Union, GroupAgg (group aggregation with retractions, Flink's GroupAggFunction changelog),
// WindowAgg (TUMBLE, HOP, CUMULATE and SESSION window aggregation, fired by the watermark or by
// processing time) and WindowTVF; the joins: Join (regular join over insert-only and updating
// inputs, Flink's StreamingJoinOperator), IntervalJoin (time-bounded, event or processing
// time) and WindowJoin; and the ranking operators: Rank (Top-N with ROW_NUMBER, RANK and
// DENSE_RANK over insert-only and updating inputs), Dedup (keep first or last row per key) and
// WindowRank (Top-N per window). Each implements exec.Operator and keeps its state through
// state.Backend.
package ops
