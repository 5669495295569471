package agg

import (
	"fmt"
	"strings"

	"github.com/floedb/floe/types"
)

// Call is one aggregate call of a plan: a function applied to input columns of the operator
// that runs it.
type Call struct {
	// Name is the function, one of the constants above (upper case).
	Name string
	// Args are the input columns of the arguments; COUNT(*) has none.
	Args []int
	// ArgTypes are the types of Args.
	ArgTypes []types.Type
	// Distinct aggregates each distinct argument value once.
	Distinct bool
	// Filter is the input column of a BOOLEAN FILTER condition, or -1 for none. Rows where it
	// is FALSE or NULL are skipped by this call only.
	Filter int
	// Result is the result type, as Resolve returns it.
	Result types.Type
	// InsertOnly tells that the call never sees a retraction, so MIN, MAX, FIRST_VALUE and
	// LAST_VALUE keep only a running value instead of every value they saw.
	InsertOnly bool
}

// String renders the call as in EXPLAIN, with arguments as $column.
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	b.WriteByte('(')
	if c.Distinct {
		b.WriteString("DISTINCT ")
	}
	if len(c.Args) == 0 && c.Name == Count {
		b.WriteByte('*')
	}
	for i, a := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", a)
	}
	b.WriteByte(')')
	if c.Filter >= 0 {
		fmt.Fprintf(&b, " FILTER $%d", c.Filter)
	}
	return b.String()
}

// validate checks c against the operator's input types.
func (c Call) validate(input []types.Type) error {
	if len(c.Args) != len(c.ArgTypes) {
		return fmt.Errorf("aggregate %s has %d arguments but %d argument types", c, len(c.Args), len(c.ArgTypes))
	}
	for i, a := range c.Args {
		if a < 0 || a >= len(input) {
			return fmt.Errorf("aggregate %s reads column %d, but the input has %d columns", c, a, len(input))
		}
		if !input[a].Equal(c.ArgTypes[i]) {
			return fmt.Errorf("aggregate %s: argument %d has type %s, but input column %d is %s", c, i+1, c.ArgTypes[i], a, input[a])
		}
	}
	if c.Filter < -1 || c.Filter >= len(input) {
		return fmt.Errorf("aggregate %s filters on column %d, but the input has %d columns", c, c.Filter, len(input))
	}
	if c.Filter >= 0 && input[c.Filter].Kind != types.Boolean {
		return fmt.Errorf("aggregate %s: FILTER column %d is %s, not BOOLEAN", c, c.Filter, input[c.Filter])
	}
	res, err := Resolve(c.Name, c.Distinct, c.ArgTypes)
	if err != nil {
		return err
	}
	if !res.Equal(c.Result) {
		return fmt.Errorf("aggregate %s has result type %s, but %s returns %s", c, c.Result, c.Name, res)
	}
	if c.Name == Count && len(c.Args) > 1 && !c.Distinct {
		return fmt.Errorf("COUNT takes one argument unless DISTINCT, got %d", len(c.Args))
	}
	return nil
}
