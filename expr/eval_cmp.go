// Comparison loops, one per operator so that the compiler keeps each loop branch-free.

package expr

// Comparison loops over int64 and float64 columns: vector-vector and vector-constant forms.
// Results are BOOLEAN (0/1) written into o.

func cmpVVInt(op cmpOp, a, b []int64, o []int64) {
	switch op {
	case cmpEQ:
		for i := range o {
			o[i] = b2i(a[i] == b[i])
		}
	case cmpNE:
		for i := range o {
			o[i] = b2i(a[i] != b[i])
		}
	case cmpLT:
		for i := range o {
			o[i] = b2i(a[i] < b[i])
		}
	case cmpLE:
		for i := range o {
			o[i] = b2i(a[i] <= b[i])
		}
	case cmpGT:
		for i := range o {
			o[i] = b2i(a[i] > b[i])
		}
	case cmpGE:
		for i := range o {
			o[i] = b2i(a[i] >= b[i])
		}
	}
}

func cmpVCInt(op cmpOp, a []int64, c int64, o []int64) {
	switch op {
	case cmpEQ:
		for i := range o {
			o[i] = b2i(a[i] == c)
		}
	case cmpNE:
		for i := range o {
			o[i] = b2i(a[i] != c)
		}
	case cmpLT:
		for i := range o {
			o[i] = b2i(a[i] < c)
		}
	case cmpLE:
		for i := range o {
			o[i] = b2i(a[i] <= c)
		}
	case cmpGT:
		for i := range o {
			o[i] = b2i(a[i] > c)
		}
	case cmpGE:
		for i := range o {
			o[i] = b2i(a[i] >= c)
		}
	}
}

func cmpVVFloat(op cmpOp, a, b []float64, o []int64) {
	switch op {
	case cmpEQ:
		for i := range o {
			o[i] = b2i(a[i] == b[i])
		}
	case cmpNE:
		for i := range o {
			o[i] = b2i(a[i] != b[i])
		}
	case cmpLT:
		for i := range o {
			o[i] = b2i(a[i] < b[i])
		}
	case cmpLE:
		for i := range o {
			o[i] = b2i(a[i] <= b[i])
		}
	case cmpGT:
		for i := range o {
			o[i] = b2i(a[i] > b[i])
		}
	case cmpGE:
		for i := range o {
			o[i] = b2i(a[i] >= b[i])
		}
	}
}

func cmpVCFloat(op cmpOp, a []float64, c float64, o []int64) {
	switch op {
	case cmpEQ:
		for i := range o {
			o[i] = b2i(a[i] == c)
		}
	case cmpNE:
		for i := range o {
			o[i] = b2i(a[i] != c)
		}
	case cmpLT:
		for i := range o {
			o[i] = b2i(a[i] < c)
		}
	case cmpLE:
		for i := range o {
			o[i] = b2i(a[i] <= c)
		}
	case cmpGT:
		for i := range o {
			o[i] = b2i(a[i] > c)
		}
	case cmpGE:
		for i := range o {
			o[i] = b2i(a[i] >= c)
		}
	}
}
