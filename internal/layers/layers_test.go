// Package layers checks that Floe's packages import only packages of lower layers, as
// ARCHITECTURE.md describes.
package layers

import (
	"go/build"
	"os/exec"
	"strings"
	"testing"
)

// rank orders the layers; a package may import only packages of a lower or equal rank that
// it is allowed to by the table (equal rank is allowed only within one package tree).
var rank = map[string]int{
	"types": 0, "chunk": 1, "sql/ast": 1, "sql/parser": 2, "expr": 2, "state": 2, "checkpoint": 3, "connector": 3,
	"exec": 4, "agg": 4, "ops": 5, "nexmark": 3, "connector/*": 5, "plan": 6, "engine": 7,
	"internal/collect": 4, "bench": 8, "cmd/floe": 9, "difftest": 9,
}

func layerOf(pkg string) (string, bool) {
	rel, ok := strings.CutPrefix(pkg, "github.com/floedb/floe/")
	if !ok {
		return "", false
	}
	if _, ok := rank[rel]; ok {
		return rel, true
	}
	if strings.HasPrefix(rel, "connector/") {
		return "connector/*", true
	}
	for k := range rank {
		if strings.HasPrefix(rel, k+"/") {
			return k, true
		}
	}
	return rel, true
}

func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/floedb/floe/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	_ = build.Default
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		from, _ := layerOf(f[0])
		fr, known := rank[from]
		if !known {
			continue // internal helpers such as this package
		}
		for _, imp := range f[1:] {
			to, ours := layerOf(imp)
			if !ours {
				continue
			}
			tr, known := rank[to]
			if !known {
				continue
			}
			if tr > fr || (tr == fr && to != from) {
				t.Errorf("%s (layer %d) imports %s (layer %d): layers must point one way", f[0], fr, imp, tr)
			}
		}
	}
}
