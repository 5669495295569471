package durable

import (
	"strconv"
	"testing"
)

// TestKeyFilter checks that the filter never forgets a key it was given (across stage growth)
// and that its false-positive rate stays low.
func TestKeyFilter(t *testing.T) {
	var f keyFilter
	const n = 300000 // more than two stages
	for i := range n {
		f.add("k" + strconv.Itoa(i))
	}
	if len(f.stages) < 3 {
		t.Fatalf("%d stages for %d keys", len(f.stages), n)
	}
	for i := range n {
		if !f.mayHave("k" + strconv.Itoa(i)) {
			t.Fatalf("key %d forgotten", i)
		}
	}
	fp := 0
	for i := range 100000 {
		if f.mayHave("other" + strconv.Itoa(i)) {
			fp++
		}
	}
	if fp > 5000 { // 5%: each stage has about 1%, and there are a few
		t.Fatalf("%d false positives in 100000", fp)
	}
}
