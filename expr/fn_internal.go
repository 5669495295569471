package expr

import (
	"errors"
	"fmt"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// NotNullEnforcer is the name of the internal function the planner wraps around a nullable
// value written into a NOT NULL sink column: $NOT_NULL(x, 'message') returns x, typed NOT
// NULL, and fails with the message when x is NULL. The '$' keeps it out of SQL's reach.
const NotNullEnforcer = "$NOT_NULL"

// ErrNullInNotNullColumn is the error $NOT_NULL fails with (wrapped with its message).
var ErrNullInNotNullColumn = errors.New("NULL value in a NOT NULL column")

func init() {
	register(&Function{
		Name:          NotNullEnforcer,
		Deterministic: true,
		NullSafe:      true,
		Check: func(args []types.Type) ([]types.Type, types.Type, error) {
			if len(args) != 2 || !args[1].IsString() {
				return nil, types.Type{}, fmt.Errorf("%s expects (value, message)", NotNullEnforcer)
			}
			return args, args[0].WithNotNull(true), nil
		},
		Make: func(_ []types.Type, r types.Type, consts []*chunk.Datum) (Kernel, error) {
			msg := "a NULL value is written into a NOT NULL column"
			if consts[1] != nil {
				msg = consts[1].S
			}
			return func(_ *Context, args []*chunk.Vector, n int) (*chunk.Vector, error) {
				in := args[0]
				for i := 0; i < n; i++ {
					if in.IsNull(i) {
						return nil, notNullError(msg)
					}
				}
				out := *in // shares the (immutable) values; only the type changes
				out.Type, out.Nulls = r, nil
				return &out, nil
			}, nil
		},
	})
}

// notNullError is a NOT NULL violation; it matches ErrNullInNotNullColumn with errors.Is.
type notNullError string

func (e notNullError) Error() string        { return string(e) }
func (e notNullError) Is(target error) bool { return target == ErrNullInNotNullColumn }
