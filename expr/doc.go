// Evaluation model
//
// Expressions are evaluated a column at a time: Compile turns an Expr into an Evaluator whose
// Eval computes one output vector for a whole input chunk. Column references return the input
// vector itself; literals are broadcast once per chunk length; calls evaluate their arguments
// and run the function's Kernel; for functions that are not NullSafe the argument null masks
// are merged into the result afterwards, so kernels need not look at them (a kernel that fails
// on the zero value of a NULL row is retried on the non-NULL rows only).
//
// Conditional evaluation is per row: a CASE branch (and IF) is evaluated only for the rows that
// reach it, COALESCE evaluates an argument only for rows whose earlier arguments are NULL, and
// the right operand of AND/OR only for rows the left operand does not decide. Hence
// CASE WHEN x = 0 THEN NULL ELSE 10 / x END and x <> 0 AND 10 / x > 1 never raise "division by
// zero". Dense subsets are evaluated on the whole chunk first and fall back to the exact rows
// only when that fails, which keeps the common case fast.
//
// Types follow Flink: see operators.go for arithmetic rules, CommonType and Coerce for implicit
// conversions, CanCast for explicit ones. DECIMAL results that overflow their precision become
// NULL (Flink behaviour) rather than raising an error; integer arithmetic wraps like Java.
// Invalid string conversions raise "cannot cast 'abc' to INT" under CAST (Flink >= 1.15) and
// give NULL under TRY_CAST.
//
// Building expressions: literals come from NumberLiteral, StringLiteral, DateLiteral,
// TimestampLiteral, IntervalLiteral and friends; calls from NewCall (operators use the
// canonical names listed in operators.go); casts from NewCast; CASE from NewCase. Fold
// evaluates constant sub-trees.
package expr
