// Package expr holds bound, typed scalar expressions and their column-at-a-time evaluation.
//
// The binder (package plan) turns SQL AST expressions into Expr trees whose column references are
// positions in the input chunk. Compile turns a tree into an Evaluator that computes a whole
// output vector from an input chunk at once.
package expr

import (
	"time"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Expr is a bound scalar expression. Implementations are immutable.
type Expr interface {
	// Type is the result type; NotNull is set when the result can never be NULL.
	Type() types.Type
	// String renders the expression for EXPLAIN, with column references as $index or their name.
	String() string
}

// ColumnRef reads input column Index.
type ColumnRef struct {
	Index int
	T     types.Type
	// Name is the column's name, for EXPLAIN only.
	Name string
}

// Literal is a constant. A NULL literal has Value.Null set.
type Literal struct {
	Value chunk.Datum
	T     types.Type
}

// Call applies a scalar function. Build Calls with NewCall, which resolves the function,
// checks and coerces the argument types and computes the result type.
type Call struct {
	Fn   *Function
	Args []Expr
	T    types.Type
}

// Cast converts Arg to T. With Try set (TRY_CAST) a failed conversion gives NULL instead of an error.
type Cast struct {
	Arg Expr
	T   types.Type
	Try bool
}

// When is one branch of a Case.
type When struct {
	Cond   Expr // BOOLEAN
	Result Expr
}

// Case is a searched CASE (simple CASE is rewritten to searched by the binder). Else may be nil
// (NULL).
type Case struct {
	Whens []When
	Else  Expr
	T     types.Type
}

// Context is what evaluation may read besides the input: the session time zone for
// TIMESTAMP_LTZ and the clock for CURRENT_TIMESTAMP, PROCTIME() and friends.
type Context struct {
	// Location is the session time zone (table.local-time-zone); never nil.
	Location *time.Location
	// Now returns the current wall-clock time. Within one chunk all rows see the same instant.
	Now func() time.Time
}

// Evaluator computes an expression over a whole chunk. Evaluators are not safe for concurrent
// use: each operator subtask compiles its own.
type Evaluator interface {
	// Eval returns a vector with one value per row of in. The result may share memory with in
	// (a column reference returns the input vector itself); callers must not modify it.
	Eval(in *chunk.Chunk) (*chunk.Vector, error)
}

// Type methods.
func (e *ColumnRef) Type() types.Type { return e.T }
func (e *Literal) Type() types.Type   { return e.T }
func (e *Call) Type() types.Type      { return e.T }
func (e *Cast) Type() types.Type      { return e.T }
func (e *Case) Type() types.Type      { return e.T }
