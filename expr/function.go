package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/types"
)

// Function is a scalar function or operator in the built-in catalog.
//
// Built-ins register themselves at package initialisation (register) into a table that is
// never modified afterwards; user-defined functions will be added to a per-session catalog that
// wraps this one.
type Function struct {
	// Name is the canonical upper-case name: a SQL function name (UPPER, DATE_FORMAT) or an
	// operator name (see the operator list in operators.go).
	Name string
	// Deterministic is false for functions whose value changes between calls with equal
	// arguments (CURRENT_TIMESTAMP, PROCTIME, RAND); constant folding skips them.
	Deterministic bool
	// NullSafe is true when the function handles NULL arguments itself (COALESCE, IS NULL,
	// AND, OR, IF, CONCAT_WS...). Otherwise any NULL argument makes the result NULL and the
	// kernel may ignore the null masks of its inputs (it still sees the rows; their slots hold
	// zero values) — the caller merges the argument null masks into the result.
	NullSafe bool
	// Check validates the argument types. It returns the type each argument must be cast to
	// before the call (implicit casts are inserted by NewCall) and the result type. Errors are
	// user-facing: "DATE_FORMAT expects (TIMESTAMP, STRING), got (INT, STRING)".
	Check func(args []types.Type) (params []types.Type, result types.Type, err error)
	// Make builds the kernel for one call site. consts[i] is non-nil when argument i is a
	// literal (so kernels can precompile regular expressions, formats and units). It may
	// return a user-facing error for a bad constant (an invalid regex, an unknown unit).
	Make func(params []types.Type, result types.Type, consts []*chunk.Datum) (Kernel, error)
	// CheckArgs, when set, replaces Check in NewCall (see CheckArgsFunc).
	CheckArgs CheckArgsFunc
}

// Kernel computes a function over n rows. args are already cast to the declared parameter
// types. It returns a new vector of the result type with n values (it must not modify args).
// For functions that are not NullSafe, the kernel may compute garbage for rows where any
// argument is NULL; the caller overwrites the null mask.
type Kernel func(ctx *Context, args []*chunk.Vector, n int) (*chunk.Vector, error)

var builtins = map[string]*Function{}

// register adds built-in functions under their name and aliases. It is called only from
// init functions in this package.
func register(f *Function, aliases ...string) {
	for _, n := range append([]string{f.Name}, aliases...) {
		n = strings.ToUpper(n)
		if _, dup := builtins[n]; dup {
			panic(fmt.Sprintf("expr: function %s registered twice", n))
		}
		builtins[n] = f
	}
}

// LookupFunction returns the built-in function with the given name (case-insensitive).
func LookupFunction(name string) (*Function, bool) {
	f, ok := builtins[strings.ToUpper(name)]
	return f, ok
}

// FunctionNames lists the registered names, sorted (for SHOW FUNCTIONS and suggestions).
func FunctionNames() []string {
	ns := make([]string, 0, len(builtins))
	for n := range builtins {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// CheckArgsFunc is an optional argument check that also sees the argument expressions, for
// functions whose result type depends on a literal argument value (ROUND(x, 2) on a DECIMAL).
// When Function.CheckArgs is set, NewCall uses it instead of Check.
type CheckArgsFunc func(args []Expr) (params []types.Type, result types.Type, err error)

// NewResult returns a result vector of type t with n zero values and no null mask, for kernels.
func NewResult(t types.Type, n int) *chunk.Vector { return newVec(t, n) }

// FixedSignature returns a Check function for a function with fixed parameter types: it
// verifies the argument count and that each argument converts implicitly to its parameter (an
// untyped NULL always does), and returns result, NOT NULL only when every argument is NOT NULL.
func FixedSignature(name string, result types.Type, params ...types.Type) func([]types.Type) ([]types.Type, types.Type, error) {
	return func(args []types.Type) ([]types.Type, types.Type, error) {
		bad := func() ([]types.Type, types.Type, error) {
			return nil, types.Type{}, fmt.Errorf("%s expects %s, got %s", name, argTypeList(params), argTypeList(args))
		}
		if len(args) != len(params) {
			return bad()
		}
		nn := true
		for i, a := range args {
			if !CanImplicitCast(a, params[i]) {
				return bad()
			}
			nn = nn && a.NotNull
		}
		return params, result.WithNotNull(nn), nil
	}
}
