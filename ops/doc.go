// Package ops holds the SQL operators of the streaming runtime: Calc (project and filter),
// Union, GroupAgg (group aggregation with retractions, Flink's GroupAggFunction changelog) and
// WindowAgg (TUMBLE, HOP, CUMULATE and SESSION window aggregation, fired by the watermark or by
// processing time). Each implements exec.Operator and keeps its state through state.Backend.
package ops
